import ArgumentParser
import Definitions
import Foundation
import Benchmarking
import Ingest
import Profiles

/// `profiler build`: ingest a drop and write every profile's tables.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Ingest a drop and build the priority profiles' tables (CSV) for a reporting year.",
        discussion: """
        With no arguments, builds every profile from the bundled sample drop into ./out. Tables go to \
        OUT/tables/<profile>/<table>.csv; the data-quality report to OUT/quality.json. Exit codes as \
        for validate: 2 when the drop is over tolerance (nothing is built), 3 for a bad definition.
        """)

    @OptionGroup var drop: DropOptions

    @Option(name: .long, help: "Output folder.")
    var out = "out"

    @Option(name: .long, help: "Build only this profile (repeatable).")
    var profile: [String] = []

    @Option(name: .long, help: ArgumentHelp("Folder of published comparator files (indicators-*.csv, Fingertips' format) with areas.csv and population.csv (default: the engine's Fixtures/comparators); a drop's own reference/comparators folder is read too.", valueName: "folder"))
    var comparators: String?

    @Option(name: .long, help: "Reporting year, e.g. 2025-26, or rolling-12-months (to the last date in the data). Default: the latest complete financial year in the data.")
    var period: String?

    func validate() throws {
        if let period, period != "rolling-12-months", ReportingPeriod(period) == nil {
            throw ValidationError("--period is a financial year like 2025-26, or rolling-12-months")
        }
    }

    func run() throws {
        let layout = try locateProject()
        let (catalogue, dropPath, reference, key) = try drop.prepare(layout: layout)
        let profiles: ProfileCatalogue
        do {
            profiles = try ProfileCatalogue.load(directory: (drop.profiles ?? layout.profilesDirectory) + "/priorities", sources: catalogue)
        } catch {
            standardError(error.description)
            throw ExitStatus.configuration
        }
        let benchmarks: BenchmarkCatalogue
        do {
            benchmarks = try BenchmarkCatalogue.load(directory: (drop.profiles ?? layout.profilesDirectory) + "/benchmarks", profiles: profiles)
        } catch {
            standardError(error.description)
            throw ExitStatus.configuration
        }
        let comparatorFolder = comparators ?? layout.comparators
        let published: ComparatorFiles.Loaded, areas: AreaLookup
        do {
            // The engine's comparator files, and any that come with the drop (reference/comparators).
            var folders = [comparatorFolder]
            if FileManager.default.fileExists(atPath: dropPath + "/reference/comparators") { folders.append(dropPath + "/reference/comparators") }
            published = try ComparatorFiles.load(folders: folders, profilesDirectory: drop.profiles ?? layout.profilesDirectory, geography: layout.geography)
            areas = try AreaLookup(folder: comparatorFolder)
        } catch {
            standardError("profiler build: comparator files in \(comparatorFolder): \(error)")
            throw ExitStatus.configuration
        }
        for r in published.reports where r.status == .failed {
            standardError("profiler build: comparator file \(r.file): \(r.fatalError ?? "over its tolerance of rejected rows")")
            throw ExitStatus.badInput
        }
        let chosen = profile.isEmpty ? profiles.profiles : try profile.map { id in
            guard let p = profiles.profile(id) else {
                throw ValidationError("no profile '\(id)'; known: \(profiles.profiles.map(\.id).joined(separator: ", "))")
            }
            return p
        }
        let terminal = isatty(2) != 0
        if terminal { standardError("reading \(dropPath) ...") }
        let ingested = DropIngestor.ingest(drop: dropPath, catalogue: catalogue, reference: reference, key: key,
                                           options: drop.ingestOptions(progress: terminal))
        let quality = QualityReport(drop: dropPath, keyOrigin: key.origin.rawValue, ingested: ingested, seconds: 0)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(try quality.json().utf8).write(to: URL(fileURLWithPath: out + "/quality.json"))
        if ingested.status == .failed {
            print(quality.text())
            standardError("profiler build: the drop is over its tolerance or incomplete; nothing was built (see \(out)/quality.json)")
            throw ExitStatus.badInput
        }
        let lastDay = ingested.tables.values.compactMap { t -> Int32? in
            guard case .day(let d)? = t["date"] else { return nil }
            return d.days.filter { $0 != Int32.min }.max()
        }.max() ?? 0
        let reportingPeriod = period == "rolling-12-months" ? ReportingPeriod.rolling12Months(endingOn: lastDay)
            : (period.flatMap(ReportingPeriod.init) ?? ReportingPeriod.latestComplete(endingBy: lastDay))
        let engine = ProfileEngine(drop: ingested, period: reportingPeriod, threads: drop.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        var written = 0
        for p in chosen {
            let folder = out + "/tables/" + p.id
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var tables = engine.build(p)
            if let definition = benchmarks.definition(for: p.id) {
                tables += BenchmarkSection(definition: definition, groups: benchmarks.groups, areas: areas, published: published.values)
                    .tables(profile: p, engine: engine)
            }
            for table in tables {
                try Data(table.csv().utf8).write(to: URL(fileURLWithPath: folder + "/" + table.id + ".csv"))
                written += 1
            }
            if terminal { standardError("  built \(p.id)") }
        }
        print("built \(chosen.count) profiles (\(written) tables) for \(reportingPeriod) beside \(reportingPeriod.previousLabel) in \(out)/tables; "
              + "\(quality.rowsRead) rows read, \(quality.rejected) rejected, \(ingested.people) people")
        if ingested.status == .warnings { throw ExitStatus.warnings }
    }
}
