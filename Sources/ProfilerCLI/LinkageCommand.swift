import ArgumentParser
import Definitions
import Foundation
import Pipeline

/// `profiler linkage`: how well people are linked.
struct LinkageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linkage",
        abstract: "Measure how well people are linked across the drop's sources.",
        subcommands: [LinkageEvaluate.self])
}

/// `profiler linkage evaluate`: the drop's linkage against each record's true person.
struct LinkageEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure the drop's linkage against a truth file (as `profiler sample --truth` writes).",
        discussion: """
            Reads the drop as a build does, then pairs every record the truth describes with its true person: \
            pairwise precision and recall (pairs of records given one id, pairs of one true person), the records \
            split off from their person and merged into another's, overall and per dataset and role; then builds \
            every profile twice, from the linked ids and from the true people, and compares their people figures \
            (distinct, repeat, serial and cross-agency people). Exit code 2: a truth file that cannot be read or \
            was written for another drop.
            """)

    @OptionGroup var drop: DropOptions

    @Option(name: .long, help: ArgumentHelp("The truth file of the drop (plain or .gz).", valueName: "file"))
    var truth: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Link by exact keys only, or also probabilistically (default: as profiles/linkage.yaml says).", valueName: "method"))
    var method: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The match probability, 0 to 1, above which people are linked (default: as profiles/linkage.yaml says).", valueName: "p"))
    var threshold: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also write each record split off from its true person or merged into another's (file, line, role, id, true person) to this CSV.",
            valueName: "file"))
    var misses: String?

    @Flag(name: .long, help: "Write the evaluation as JSON on standard output.")
    var json = false

    func validate() throws {
        if let method, LinkageDefinition.Method(rawValue: method) == nil {
            throw ValidationError("--method must be one of: \(LinkageDefinition.Method.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let threshold, !(threshold >= 0 && threshold <= 1) {
            throw ValidationError("--threshold \(threshold) is outside 0 to 1: it is a match probability")
        }
    }

    func run() throws {
        let layout = try locateProject()
        var settings = drop.settings
        settings.linkageMethod = method.flatMap(LinkageDefinition.Method.init)
        settings.linkageThreshold = threshold
        let (log, truth, misses) = (drop.logger, self.truth, self.misses)
        let evaluation = try exitingOnFailure { () throws(PipelineFailure) in
            try LinkageEvaluation.run(settings: settings, truthPath: truth, layout: layout, log: log, missesPath: misses)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
        } else {
            print(evaluation.text(truth: truth))
        }
    }
}
