import ArgumentParser
import Benchmarking
import Definitions
import Foundation
import Ingest
import Reference

/// `profiler comparators`: turns published files that are not in Fingertips' format (police.uk
/// street files of many forces, the DfE children looked after table) into one Fingertips-format
/// comparator file, with rates, intervals and comparisons worked out by the engine.
struct ComparatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comparators",
        abstract: "Convert police.uk street files and DfE tables into a Fingertips-format comparator file.",
        discussion: """
            Reads every file under --data that a definition in profiles/public names (police.uk \
            *-street.csv(.gz) of any number of forces and months, cla_number_and_rate_per_10k_children.csv), \
            counts crimes by type per upper-tier authority from the LSOA name, and writes OUT \
            (indicators-<name>.csv) for `profiler build` to compare against. Area lookups and population \
            denominators come from --areas (default: the engine's Fixtures/comparators).
            """)

    @Option(name: .long, help: "Folder (searched recursively) of police.uk and DfE files (repeatable).")
    var data: [String]

    @Option(name: .long, help: "The comparator file to write (its name should start with 'indicators-').")
    var out: String

    @Option(name: .long, help: "Folder with areas.csv and population.csv (default: Fixtures/comparators).")
    var areas: String?

    @Option(name: .long, help: "Folder of definitions with public/ (default: the project's profiles/).")
    var profiles: String?

    @Flag(name: .long, help: "Also give police.uk counts month by month, besides the whole period.")
    var byMonth = false

    @Option(name: .long, help: "Files read at once (default: all cores).")
    var threads: Int?

    func run() throws {
        let layout = try locateProject()
        let lookup = try AreaLookup(folder: areas ?? layout.comparators)
        let catalogue = try SourceCatalogue.load(profiles: profiles ?? layout.profilesDirectory, sources: "public")
        var work: [(SourceDefinition, [String])] = []
        let files = data.flatMap { folder in
            (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted().map { folder + "/" + $0 }
        }
        for source in catalogue.sources where ["policeuk_street", "dfe_children_looked_after"].contains(source.id) {
            let mine = files.filter { source.matches(fileName: ($0 as NSString).lastPathComponent) }
            if !mine.isEmpty { work.append((source, mine)) }
        }
        guard !work.isEmpty else {
            standardError(
                "profiler comparators: no police.uk street files or DfE children looked after table under \(data.joined(separator: ", "))")
            throw ExitStatus.badInput
        }
        let reference = try ReferenceData.load(drop: data[0], defaultGeography: layout.geography, aliases: layout.lsoaAliases)
        let key = try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true)
        let terminal = isatty(2) != 0
        let started = ContinuousClock.now
        var options = IngestOptions(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        if terminal { options.progress = { @Sendable message in standardError("  " + message) } }
        let ingested = DropIngestor.ingest(work, reference: reference, key: key, options: options)
        let read = ContinuousClock.now - started
        for r in ingested.reports where r.status == .failed {
            standardError("profiler comparators: \(r.file): \(r.fatalError ?? "over its tolerance of rejected rows")")
            throw ExitStatus.badInput
        }
        var values: [PublishedValue] = []
        if let police = ingested.tables["policeuk_street"] {
            let (converted, unplaced) = ComparatorConverters.policeUK(police, areas: lookup)
            values += converted
            if byMonth { values += ComparatorConverters.policeUKByMonth(police, areas: lookup) }
            print(
                "police.uk: \(police.rowCount) rows from \(ingested.reports.filter { $0.source == "policeuk_street" }.count) files; "
                    + "\(unplaced) not placed in an English authority policed by a force whose file was read")
        }
        if let cla = ingested.tables["dfe_children_looked_after"] {
            let converted = ComparatorConverters.dfeChildrenLookedAfter(cla)
            values += converted
            print("DfE children looked after: \(converted.count) values")
        }
        try PublishedValue.writeFingertipsCSV(values, to: out)
        let total = ContinuousClock.now - started
        print(
            "wrote \(values.count) values of \(Set(values.map(\.indicatorID)).count) indicators to \(out) "
                + "(read in \(read.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))), "
                + "all in \(total.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))))")
    }
}
