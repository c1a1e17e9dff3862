import ArgumentParser
import Export
import Pipeline
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

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Folder of published comparator files (indicators-*.csv, Fingertips' format) with areas.csv and population.csv (default: the engine's Fixtures/comparators); a drop's own reference/comparators folder is read too.",
            valueName: "folder"))
    var comparators: String?

    @Option(
        name: .long,
        help:
            "Reporting year, e.g. 2025-26, or rolling-12-months (to the last date in the data). Default: the latest complete financial year in the data."
    )
    var period: String?

    func validate() throws {
        if tablesOnly && !group.isEmpty { throw ValidationError("--tables-only writes no group; leave out --group") }
        if let period, period != "rolling-12-months", ReportingPeriod(period) == nil {
            throw ValidationError("--period is a financial year like 2025-26, or rolling-12-months")
        }
    }

    func run() throws {
        var request = BuildRequest()
        request.drop = drop.settings
        request.out = out
        request.profiles = profile
        request.groups = group
        request.tablesOnly = tablesOnly
        if !format.isEmpty { request.formats = Set(format.compactMap { GroupOutputs.Format(rawValue: $0.rawValue) }) }
        request.comparators = comparators
        request.period = period
        let result = try exitingOnFailure { () throws(PipelineFailure) in
            try BuildPipeline.run(request, layout: try locatedProject(), log: drop.logger)
        }
        if result.warnings { throw ExitStatus.warnings }
    }
}
