import ArgumentParser
import Pipeline

/// `profiler profiles check [--profiles DIR] [--data DROP]`: every check of the definitions, with
/// nothing written, for an analyst's edit loop.
struct ProfilesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the definitions, and what a drop says about them, without building.",
        discussion: """
            Loads every definition (each mistake with file, line, column and key; a value a field cannot \
            hold with the nearest valid ones), reads the drop (default: the bundled sample drop), builds \
            every profile in memory and reports each condition that matched no row and each table or \
            success measure with nothing in the reporting year. Writes nothing. Exit code 0: clean; 1: \
            warnings; 2: the drop is over its tolerance; 3: a bad definition or option.
            """)

    @OptionGroup var drop: DropOptions

    @Option(name: .long, help: "Reporting year, e.g. 2025-26, or rolling-12-months (default: the latest complete financial year).")
    var period: String?

    func run() throws {
        let layout = try locateProject()
        var request = BuildRequest()
        request.drop = drop.settings
        request.period = period
        let log = drop.logger
        let warnings = try exitingOnFailure { () throws(PipelineFailure) in
            try BuildPipeline.checkDefinitions(request, layout: layout, log: log)
        }
        for w in warnings { print(w) }
        print(warnings.isEmpty ? "definitions: clean against the drop" : "definitions: \(warnings.count) warning(s) against the drop")
        if !warnings.isEmpty { throw ExitStatus.warnings }
    }
}
