import ArgumentParser
import Foundation
import Pipeline
import SyntheticDrop

/// `profiler sample`: writes a synthetic partnership drop.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate a synthetic partnership drop (one extract per dataset plus reference files).",
        discussion:
            "The same options give byte-identical files. All people and records are invented; NHS numbers come from the test range 999 000 0000 upwards."
    )

    @Option(name: .long, help: "Folder to write the drop into (created if missing).")
    var out: String

    @Option(name: .long, help: "Number of residents of the synthetic area.")
    var people = 20_000

    @Option(name: .long, help: "Financial years of data, ending with the one given by --end-year.")
    var years = 3

    @Option(name: .long, help: "Random seed: the same seed gives the same drop.")
    var seed: UInt64 = 7

    @Option(name: .customLong("end-year"), help: "The period ends on 31 March of this year.")
    var endYear = 2026

    @Flag(name: .long, help: "Write the extracts gzip-compressed (.csv.gz).")
    var gzip = false

    @Flag(
        name: .long,
        help: "Also write the looked-after children as the council's SSDA903 return (ssda903_header.csv, ssda903_episodes.csv).")
    var ssda903 = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also write each record's true person (file, line, role, person) to FILE, apart from the drop, for `profiler linkage evaluate`; never read by ingest.",
            valueName: "FILE"))
    var truth: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Surnames: wide (the default: 30,000 invented ones as well as the 120 common ones, seven in ten people, so that a large area's people are told apart by name about as real ones are) or common (the 120 common ones only, as the bundled drop).",
            valueName: "wide|common"))
    var names = "wide"

    @Option(name: .long, help: "Area geography lookup (default: the bundled Shropshire lookup).")
    var geography: String?

    @Flag(name: .shortAndLong, help: "Say nothing but errors.")
    var quiet = false

    func validate() throws {
        guard people >= 100 else { throw ValidationError("--people must be at least 100") }
        guard (1...20).contains(years) else { throw ValidationError("--years must be between 1 and 20") }
        guard names == "common" || names == "wide" else { throw ValidationError("--names must be common or wide") }
    }

    func run() throws {
        let layout = try locateProject()
        let geographyPath = geography ?? layout.geography
        var options = SampleDropOptions(
            people: people, years: years, seed: seed, endYear: endYear, gzip: gzip,
            geographyPath: geographyPath, comparatorsPath: layout.comparators)
        options.ssda903 = ssda903
        options.wideNames = names == "wide"
        options.truthPath = truth
        let quiet = self.quiet
        let report: SampleDropReport
        do {
            report = try SampleDropGenerator.generate(options, into: out) { message in
                if !quiet { FileHandle.standardError.write(Data("sample: \(message)\n".utf8)) }
            }
        } catch {
            FileHandle.standardError.write(Data("profiler sample: \(error)\n".utf8))
            throw ExitStatus.configuration
        }
        guard !quiet else { return }
        print(
            "Synthetic drop in \(out): \(report.people) people in \(report.households) households, \(report.periodStart) to \(report.periodEnd)"
        )
        for f in report.files {
            print(
                "  \(f.name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(String(f.rows).leftPadded(9)) rows \(formatBytes(f.bytes).leftPadded(10))"
            )
        }
        print(
            String(
                format: "%d dataset rows, %@ in all, written in %.1f s (%.0f rows/s)",
                report.datasetRows, formatBytes(report.bytes), report.seconds, Double(report.datasetRows) / max(report.seconds, 1e-9)))
        if let truth = report.truth {
            print("Linkage truth in \(truth.name): \(truth.rows) rows, \(formatBytes(truth.bytes)) (not part of the drop)")
        }
        if report.peopleBeyondNHSTestRange > 0 {
            print("note: \(report.peopleBeyondNHSTestRange) people have no NHS number: the test range holds about 909,000")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
