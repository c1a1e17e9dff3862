import ArgumentParser
import Columnar
import Definitions
import Foundation
import Benchmarking
import Export
import Ingest
import Logging
import Profiles

/// `profiler build`: ingest a drop and write every profile's tables.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Ingest a drop and build the priority profiles' tables (CSV) for a reporting year.",
        discussion: """
        With no arguments, builds every profile and every group's outputs from the bundled sample drop \
        into ./out: the analysts' tables (unsuppressed) in OUT/tables/<profile>/<table>.csv, each \
        group's tables with its audience's disclosure control in OUT/<group>/<profile>/<table>.csv \
        (with scorecard.csv for groups that have one, and DISCLOSURE.txt), the data-quality report in \
        OUT/quality.json. Everything is written beside OUT first and put in place when complete. Exit \
        codes: 0 ok, 1 built with warnings, 2 when the drop is over tolerance (nothing is built, OUT \
        unchanged), 3 for a bad definition or option, 4 for an internal error (a file that could not \
        be written, memory exhausted: OUT unchanged), 5 when another build holds OUT.lock.
        """)

    @OptionGroup var drop: DropOptions

    @Option(name: .long, help: "Output folder.")
    var out = "out"

    @Option(name: .long, help: "Build only this profile's analyst tables (repeatable).")
    var profile: [String] = []

    @Option(name: .long, help: "Write only this group's outputs (repeatable; default: every group in profiles/groups).")
    var group: [String] = []

    @Flag(name: .long, help: "Write only the analysts' tables (no group outputs, so no disclosure control): for timing the engine.")
    var tablesOnly = false

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, sqlite, html }

    @Option(name: .long, help: "Write only this format for the groups (repeatable: csv, json, sqlite, html; default: all).")
    var format: [Format] = []

    @Option(name: .long, help: ArgumentHelp("Folder of published comparator files (indicators-*.csv, Fingertips' format) with areas.csv and population.csv (default: the engine's Fixtures/comparators); a drop's own reference/comparators folder is read too.", valueName: "folder"))
    var comparators: String?

    @Option(name: .long, help: "Reporting year, e.g. 2025-26, or rolling-12-months (to the last date in the data). Default: the latest complete financial year in the data.")
    var period: String?

    func validate() throws {
        if tablesOnly && !group.isEmpty { throw ValidationError("--tables-only writes no group; leave out --group") }
        if let period, period != "rolling-12-months", ReportingPeriod(period) == nil {
            throw ValidationError("--period is a financial year like 2025-26, or rolling-12-months")
        }
    }

    func run() throws {
        let log = drop.logger
        let layout = try locateProject()
        // An output a build may not replace is refused before anything is touched.
        do {
            try Publication.check(output: out)
        } catch {
            log.error("profiler build: \(error)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        let (catalogue, drops, reference, key) = try drop.prepare(layout: layout)
        let dropPath = DropOptions.referenceDrop(drops)
        let root = drop.profiles ?? layout.profilesDirectory
        let profiles: ProfileCatalogue
        do {
            profiles = try ProfileCatalogue.load(directory: root + "/priorities", sources: catalogue)
        } catch {
            log.error("\(error.description)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        let benchmarks: BenchmarkCatalogue
        do {
            benchmarks = try BenchmarkCatalogue.load(directory: root + "/benchmarks", profiles: profiles)
        } catch {
            log.error("\(error.description)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        let comparatorFolder = comparators ?? layout.comparators
        // The engine's comparator files, and any that come with the (latest) drop (reference/comparators).
        let comparatorFolders = [comparatorFolder] + (FileManager.default.fileExists(atPath: dropPath + "/reference/comparators") ? [dropPath + "/reference/comparators"] : [])
        let published: ComparatorFiles.Loaded, areas: AreaLookup
        do {
            published = try ComparatorFiles.load(folders: comparatorFolders, profilesDirectory: root, geography: layout.geography)
            areas = try AreaLookup(folder: comparatorFolder)
        } catch {
            log.error("profiler build: comparator files in \(comparatorFolder): \(error)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        for r in published.reports where r.status == .failed {
            log.error("profiler build: comparator file \(r.file): \(r.fatalError ?? "over its tolerance of rejected rows")", metadata: ["phase": "definitions"])
            throw ExitStatus.badInput
        }
        let chosen: [ProfileDefinition]
        let groups: [GroupDefinition]
        do {
            chosen = profile.isEmpty ? profiles.profiles : try profile.map { id in
                guard let p = profiles.profile(id) else {
                    throw ValidationError("no profile '\(id)'; known: \(profiles.profiles.map(\.id).joined(separator: ", "))")
                }
                return p
            }
            let all = try GroupDefinition.loadAll(directory: root + "/groups", profiles: profiles)
            groups = tablesOnly ? [] : group.isEmpty ? all : try group.map { id in
                guard let g = all.first(where: { $0.id == id }) else {
                    throw ValidationError("no group '\(id)'; known: \(all.map(\.id).joined(separator: ", "))")
                }
                return g
            }
        } catch let error as DefinitionErrors {
            log.error("\(error.description)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        // One build at a time into an output: the lock is the kernel's, released however this process ends.
        let lock: OutputLock
        do {
            lock = try OutputLock(output: out)
        } catch let failure as OutputLock.Failure {
            log.error("profiler build: \(failure)", metadata: ["phase": "lock"])
            if case .held = failure { throw ExitStatus.locked }
            throw ExitStatus.internalError
        }
        defer { lock.release() }
        let ingested = try drop.ingest(drops, catalogue: catalogue, reference: reference, key: key)
        let quality = QualityReport(drops: drops, keyOrigin: key.origin.rawValue, ingested: ingested, seconds: 0)
        if ingested.status == .failed {
            // The previous output stays as it was; the report of this drop goes beside it.
            let report = URL(fileURLWithPath: out).standardizedFileURL.path + ".failed-quality.json"
            try? Data(try quality.json().utf8).write(to: URL(fileURLWithPath: report))
            print(quality.text())
            log.error("profiler build: the drop is over its tolerance or incomplete; nothing was built and \(out) is unchanged (see \(report))",
                      metadata: ["phase": "ingest"])
            throw ExitStatus.badInput
        }
        do {
            let publication: Publication
            do {
                publication = try Publication(output: out)
            } catch let refusal as Publication.Refusal {
                log.error("profiler build: \(refusal)", metadata: ["phase": "publish"])
                throw ExitStatus.configuration
            }
            do {
                try publication.write("quality.json", Data(try quality.json().utf8))
                let summary = try buildInto(publication, layout: layout, ingested: ingested, drops: drops, chosen: chosen, profiles: profiles, groups: groups,
                                            benchmarks: benchmarks, areas: areas, published: published.values,
                                            comparatorFiles: comparatorFolders.flatMap { folder in
                                                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
                                                    .filter { $0.hasPrefix("indicators-") }.map { folder + "/" + $0 }
                                            }, log: log)
                log.info("publishing \(out)", metadata: ["phase": "publish"])
                try publication.commit()
                let line = summary + "; \(quality.rowsRead) rows read, \(quality.rejected) rejected"
                    + (ingested.merge.map { ", \($0.replaced) replaced by a later drop" } ?? "") + ", \(ingested.people) people"
                print(line)
                if drop.logFormat == .json {
                    log.notice("\(line)", metadata: ["phase": "done", "rows_read": .stringConvertible(quality.rowsRead),
                                                  "rejected": .stringConvertible(quality.rejected), "people": .stringConvertible(ingested.people)])
                }
            } catch {
                publication.discard()
                throw error
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            // A file that could not be written (disk full, a file-size limit), a folder that could not be made.
            log.error("profiler build: \(error); nothing was published and \(out) is unchanged", metadata: ["phase": "publish"])
            throw ExitStatus.internalError
        }
        if ingested.status == .warnings { throw ExitStatus.warnings }
    }

    /// Writes the analysts' tables and every group's protected tables into the staging folder.
    private func buildInto(_ publication: Publication, layout: ProjectLayout, ingested: IngestedDrop, drops: [String], chosen: [ProfileDefinition], profiles: ProfileCatalogue,
                           groups: [GroupDefinition], benchmarks: BenchmarkCatalogue, areas: AreaLookup, published: [PublishedValue],
                           comparatorFiles: [String], log: Logger) throws -> String {
        let dropPath = DropOptions.referenceDrop(drops)
        let lastDay = ingested.tables.values.compactMap { t -> Int32? in
            guard case .day(let d)? = t["date"] else { return nil }
            return d.days.filter { $0 != Int32.min }.max()
        }.max() ?? 0
        let reportingPeriod = period == "rolling-12-months" ? ReportingPeriod.rolling12Months(endingOn: lastDay)
            : (period.flatMap(ReportingPeriod.init) ?? ReportingPeriod.latestComplete(endingBy: lastDay))
        let data = ingested.data
        let engine = ProfileEngine(drop: data, period: reportingPeriod, threads: drop.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        // The manifest's digests of the inputs, worked out while the profiles are built.
        let inputs = ingested.reports.map { Manifest.Input(file: $0.file, source: $0.source, path: ingested.filePaths[$0.file] ?? dropPath + "/" + $0.file,
                                                           rowsRead: $0.rowsRead, accepted: $0.accepted, rejected: $0.rejected, replaced: $0.replaced) }
        let digests = Manifest.FileDigests(paths: inputs.map(\.path) + comparatorFiles, threads: engine.threads)
        // Each profile a group needs is computed once.
        let needed = Set(chosen.map(\.id)).union(groups.flatMap(\.profiles))
        var built: [String: [ProfileTable]] = [:]
        var written = 0
        log.info("building profiles for \(reportingPeriod)", metadata: ["phase": "aggregate"])
        // Profiles are built side by side, as many at once as there are threads (each also scans its
        // tables on every thread): a small profile's serial steps then overlap another's scans.
        let todo = profiles.profiles.filter { needed.contains($0.id) }
        let results = parallelMap(todo, threads: engine.threads) { p in
            // An engine per profile: each keeps its own selected events while it builds.
            let own = ProfileEngine(drop: data, period: reportingPeriod, threads: engine.threads)
            var tables = own.build(p)
            if let definition = benchmarks.definition(for: p.id) {
                tables += BenchmarkSection(definition: definition, groups: benchmarks.groups, areas: areas, published: published)
                    .tables(profile: p, engine: own)
            }
            return tables
        }
        for (p, tables) in zip(todo, results) {
            built[p.id] = tables
            log.info("  built \(p.id)", metadata: ["phase": "aggregate", "profile": "\(p.id)"])
        }
        log.info("writing the tables and \(groups.count) groups' outputs", metadata: ["phase": "publish"])
        // The analysts' tables, unsuppressed: for the partnership's analysts only.
        for p in chosen {
            for table in built[p.id] ?? [] {
                try publication.write("tables/\(p.id)/\(table.id).csv", Data(table.csv().utf8))
                written += 1
            }
        }
        // Each group's tables, with its audience's disclosure control, chosen once per audience
        // over every table it may see.
        var withheldTables: [String] = []
        var disclosure: [Manifest.Disclosure] = []
        // The area's ward boundaries for the report's map: the drop's own, else the engine's.
        let wardFile = FileManager.default.fileExists(atPath: dropPath + "/reference/wards.geojson")
            ? dropPath + "/reference/wards.geojson" : layout.wardBoundaries
        let outputs = GroupOutputs(period: "\(reportingPeriod)", previousPeriod: reportingPeriod.previousLabel,
                                   formats: Set((format.isEmpty ? Format.allCases : format).compactMap { GroupOutputs.Format(rawValue: $0.rawValue) }),
                                   wards: HTMLReport.wardShapes(geoJSON: wardFile))
        var byID: [String: GroupOutputs.Built] = [:]
        for (id, tables) in built {
            byID[id] = GroupOutputs.Built(title: profiles.profile(id)?.title ?? id, description: profiles.profile(id)?.description ?? "", tables: tables)
        }
        let outputGroups = groups.map { g in
            GroupOutputs.Group(id: g.id, title: g.title, isPublic: g.audience == .public, threshold: g.threshold, profiles: g.profiles, scorecard: g.scorecard)
        }
        let started = Date()
        let releases = outputs.protect(outputGroups, built: byID, order: chosen.map(\.id), threads: engine.threads)
        log.info("disclosure control for \(Set(outputGroups.map(\.threshold)).count) audience(s) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s",
                 metadata: ["phase": "publish"])
        for g in outputGroups {
            let (rule, loss) = try outputs.write(g, releases: releases, built: byID, into: publication)
            withheldTables += loss.withheldTables.map { "\(g.id)/\($0.table)" }
            disclosure.append(Manifest.Disclosure(group: g.id, audience: g.isPublic ? "public" : "partners", rule: rule.description,
                                                  published: loss.published, primary: loss.primary, secondary: loss.secondary,
                                                  withheldTables: loss.withheldTables))
        }
        if !withheldTables.isEmpty {
            log.notice("profiler build: \(withheldTables.count) table(s) withheld whole by disclosure control (see manifest.json and each group's DISCLOSURE.txt)", metadata: ["phase": "publish"])
        }
        try Manifest.write(into: publication, engineVersion: ProfilerCommand.engineVersion, builtAt: Date(), drop: dropPath,
                           period: "\(reportingPeriod)", previousPeriod: reportingPeriod.previousLabel,
                           inputs: inputs, comparators: comparatorFiles, disclosure: disclosure,
                           drops: drops, replaced: ingested.merge?.datasets.map { ($0.source, $0.accepted, $0.replaced) } ?? [],
                           digests: digests)
        return "built \(chosen.count) profiles (\(written) tables) for \(reportingPeriod) beside \(reportingPeriod.previousLabel) in \(out)/tables, "
            + "and \(groups.count) groups' outputs in \(out)/<group>"
    }
}
