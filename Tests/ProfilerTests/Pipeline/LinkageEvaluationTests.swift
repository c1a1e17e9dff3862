import Foundation
import Logging
import Pipeline
import SyntheticDrop
import TestSupport
import Testing

/// `profiler linkage evaluate` on a generated drop with its truth: the measures against an
/// independent count, exact against probabilistic linkage, and the errors a wrong truth file gets.
@Suite("Linkage: measured against the truth", .serialized)
struct LinkageEvaluationTests {
    static let layout = ProjectLayout(root: TestPaths.root)
    static let log = Logger(label: "linkage-tests") { _ in SwiftLogNoOpLogHandler() }
    static let key = "a-test-key-that-is-long-enough-0123456789"

    /// A drop of 12,000 residents and its truth, made once.
    static let fixture: (folder: String, drop: String, truth: String, keyFile: String) = {
        let folder = NSTemporaryDirectory() + "linkage-evaluation-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: folder)
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var options = SampleDropOptions(people: 12_000, years: 2, seed: 5, geographyPath: TestPaths.geography)
        options.truthPath = folder + "/truth.csv.gz"
        _ = try! SampleDropGenerator.generate(options, into: folder + "/drop")
        try! Data(key.utf8).write(to: URL(fileURLWithPath: folder + "/key"))
        return (folder, folder + "/drop", folder + "/truth.csv.gz", folder + "/key")
    }()

    static func settings(drop: String = fixture.drop, method: String? = nil) -> DropSettings {
        var s = DropSettings()
        s.data = [drop]
        s.keyFile = fixture.keyFile
        s.threads = 2
        s.linkageMethod = method.flatMap { .init(rawValue: $0) }
        return s
    }

    static let exact = try! LinkageEvaluation.run(settings: settings(method: "exact"), truthPath: fixture.truth, layout: layout, log: log)
    static let probabilistic = try! LinkageEvaluation.run(settings: settings(), truthPath: fixture.truth, layout: layout, log: log)

    @Test func exactLinkageNeverMergesTwoPeopleButMissesSome() {
        let e = Self.exact
        #expect(e.overall.precision == 1 && e.idsMerging == 0)
        #expect(e.overall.linkableRecall < 0.985, "\(e.overall.linkableRecall)")
        // Police suspects carry the fewest identifiers: exact keys miss the most of them.
        let suspects = e.groups.first { $0.dataset == "police_crimes" && $0.role == "suspect" }!.measures
        #expect(suspects.linkableRecall < 0.95, "\(suspects.linkableRecall)")
    }

    @Test func probabilisticMatchingFindsMostOfWhatExactKeysMiss() {
        let (e, p) = (Self.exact, Self.probabilistic)
        #expect(p.overall.precision >= 0.995, "\(p.overall.precision)")
        #expect(p.overall.linkableRecall >= 0.99, "\(p.overall.linkableRecall)")
        for g in p.groups where g.dataset.hasPrefix("police_") {
            #expect(g.measures.linkableRecall >= 0.97, "\(g.dataset) \(g.role): \(g.measures.linkableRecall)")
            #expect(g.measures.precision >= 0.99, "\(g.dataset) \(g.role): \(g.measures.precision)")
        }
        // Half of what exact keys miss among the linkable pairs, at least.
        let missedExact = e.overall.linkablePairs - e.overall.correctLinkablePairs
        let missed = p.overall.linkablePairs - p.overall.correctLinkablePairs
        #expect(missed * 2 < missedExact, "\(missed) of \(missedExact)")
        #expect(p.truePeople == e.truePeople && p.overall.records == e.overall.records && p.overall.truePairs == e.overall.truePairs)
    }

    /// The pairs, counted again from the truth file and the ids the evaluation measured (its
    /// misses file lists nothing it did not count), the plain way: a dictionary per cell.
    @Test func thePairsAreTheOnesAPlainCountFinds() throws {
        let truth = try plainTruth(Self.fixture.truth)
        // Every truth row is a record measured (the drop refuses none).
        #expect(truth.count == Self.probabilistic.overall.records)
        #expect(Self.probabilistic.truthRowsNotRead == 0)
        var perPerson: [Int: Int] = [:]
        for (_, person) in truth { perPerson[person, default: 0] += 1 }
        let truePairs = perPerson.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
        #expect(truePairs == Self.probabilistic.overall.truePairs)
        #expect(perPerson.count == Self.probabilistic.truePeople)
        // Per group: the true pairs with at least one record of the group.
        var byPersonGroup: [Int: [String: Int]] = [:]
        for (place, person) in truth { byPersonGroup[person, default: [:]][place.group, default: 0] += 1 }
        for g in Self.probabilistic.groups {
            let name = g.dataset + " " + g.role
            var pairs = 0
            for (person, groups) in byPersonGroup {
                let n = perPerson[person]!, k = groups[name] ?? 0
                pairs += n * (n - 1) / 2 - (n - k) * (n - k - 1) / 2
            }
            #expect(pairs == g.measures.truePairs, "\(name)")
        }
    }

    @Test func thePeopleFiguresOfTheProfilesAreCompared() {
        let figures = Self.probabilistic.figures
        #expect(figures.count > 50)
        let repeatVictims = figures.first {
            $0.profile == "domestic_abuse" && $0.table == "repeat_victims" && $0.column.hasPrefix("repeat_people")
        }
        #expect(repeatVictims != nil && repeatVictims!.truth > 0)
        // Built from the true people, a figure of records' people can only be what the linkage
        // found or more people linked: the truth's own build is no linkage's.
        #expect(figures.contains { $0.linked != $0.truth } || Self.probabilistic.overall.recall == 1)
        let exactGaps = Self.exact.figures.map { abs($0.difference) }.reduce(0, +)
        let gaps = figures.map { abs($0.difference) }.reduce(0, +)
        #expect(gaps < exactGaps, "\(gaps) against \(exactGaps)")
    }

    @Test func aTruthFileOfAnotherDropIsRefused() throws {
        let dir = try TemporaryDirectory("other-drop")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: Self.fixture.drop, toPath: dir.file("drop"))
        // One extract changed by a byte: the truth no longer describes it.
        let name = "police_incidents.csv"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("drop/" + name)))
        try FileManager.default.removeItem(atPath: dir.file("drop/" + name))
        bytes.append(0)
        try bytes.write(to: URL(fileURLWithPath: dir.file("drop/" + name)))
        #expect(throws: PipelineFailure.badInput) {
            _ = try LinkageEvaluation.run(
                settings: Self.settings(drop: dir.file("drop")), truthPath: Self.fixture.truth, layout: Self.layout, log: Self.log)
        }
        let truth = try LinkageTruth(path: Self.fixture.truth)
        let paths = Dictionary(uniqueKeysWithValues: truth.files.map { ($0.name, dir.file("drop/" + $0.name)) })
        do {
            try truth.check(against: paths)
            Issue.record("a changed extract was accepted")
        } catch {
            #expect("\(error)".contains("was written for another version of police_incidents.csv"), "\(error)")
        }
        var without = paths
        without["police_crimes.csv"] = nil
        do {
            try truth.check(against: without)
            Issue.record("a missing extract was accepted")
        } catch {
            #expect("\(error)".contains("describes police_crimes.csv, which the drop does not have"), "\(error)")
        }
    }

    @Test(arguments: [
        ("not a truth file\n", "truth.csv:1: not a linkage truth file"),
        ("# profiler linkage truth 1\n# file a.csv records 1 sha256 x\n", "truth.csv:2: expected '# file NAME records N sha256 HEX'"),
        (
            "# profiler linkage truth 1\nfile,line,role,person\nb.csv,2,victim,3\n",
            "truth.csv:3: file 'b.csv' is not among the '# file' lines"
        ),
        ("# profiler linkage truth 1\n", "no 'file,line,role,person' header"),
        (
            "# profiler linkage truth 1\n# file a.csv records 2 sha256 \(String(repeating: "0", count: 64))\nfile,line,role,person\na.csv,3,victim,1\na.csv,2,victim,1\n",
            "truth.csv:5: a.csv line 2 victim comes after line 3"
        ),
        (
            "# profiler linkage truth 1\n# file a.csv records 2 sha256 \(String(repeating: "0", count: 64))\nfile,line,role,person\na.csv,1,victim,1\n",
            "truth.csv:4: expected file,line,role,person with a line of 2 or more"
        ),
    ])
    func aBadTruthFileIsRefusedWithItsLine(text: String, message: String) throws {
        let dir = try TemporaryDirectory("bad-truth")
        defer { dir.remove() }
        let path = try dir.write("truth.csv", text)
        do {
            _ = try LinkageTruth(path: path)
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    /// The truth file's rows, the plain way: (file, line, role) → person, each record's group.
    private func plainTruth(_ path: String) throws -> [(place: (file: String, line: Int, group: String), person: Int)] {
        let text = try gunzip(path)
        var rows: [(place: (file: String, line: Int, group: String), person: Int)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("file,") {
            let f = line.split(separator: ",").map(String.init)
            let dataset = f[0].replacingOccurrences(of: ".csv.gz", with: "").replacingOccurrences(of: ".csv", with: "")
            rows.append(((f[0], Int(f[1])!, dataset + " " + f[2]), Int(f[3])!))
        }
        return rows
    }

    private func gunzip(_ path: String) throws -> String {
        let run = try ProcessRun.tool("/usr/bin/env", ["gzip", "-dc", path])
        return run.stdout
    }
}
