import Definitions
import Foundation
import Profiles
import TestSupport
import Testing

@testable import Ingest

/// Every input of the hostile corpus (`Fixtures/hostile/README.md`) gives exactly the outcome its
/// row states: the row account, each refused row's place, the file's error, its status, and the
/// quarantine holding exactly the refused rows; none crashes.
@Suite("Hostile input: corpus")
struct HostileCorpusTests {
    /// "`a b`" -> ["a", "b"]; "-" -> [].
    private static func list(_ cell: String) -> [String] {
        cell == "-" ? [] : cell.split(separator: " ").map(String.init)
    }

    private func check(_ o: HostileExtracts.Outcome, against row: HostileManifest.Row) {
        let name = row["extract"]
        #expect(o.read == o.accepted + o.rejected, "\(name): \(o)")
        #expect(o.read == Int(row["read"]), "\(name): \(o)")
        #expect(o.accepted == Int(row["accepted"]), "\(name): \(o)")
        #expect(o.rejected == Int(row["rejected"]), "\(name): \(o)")
        #expect(o.rejects == Self.list(row["rejects"]).sorted(), "\(name): \(o)")
        #expect(o.status == row["status"], "\(name): \(o)")
        let fatal = row["file error"]
        if fatal == "-" {
            #expect(o.fatal == nil, "\(name): \(o)")
        } else {
            // Parts separated by an ellipsis appear in that order.
            var rest = Substring(o.fatal ?? "")
            for part in fatal.components(separatedBy: "…").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let r = rest.range(of: part) else {
                    Issue.record("\(name): file error '\(o.fatal ?? "none")' lacks '\(part)'")
                    break
                }
                rest = rest[r.upperBound...]
            }
        }
        if row["also"] != "-" {
            for item in row["also"].split(separator: ";") {
                let kv = item.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(o.also[kv[0]] == Int(kv[1]), "\(name): \(kv[0]) in \(o)")
            }
        }
        // Exactly the refused rows are quarantined, in a file private to its owner.
        #expect(o.quarantined == o.rejected, "\(name): \(o)")
        if o.rejected > 0 { #expect(o.quarantineMode == 0o600, "\(name)") }
    }

    static var committed: [HostileManifest.Row] { HostileManifest.extracts.filter { !$0["extract"].hasPrefix("generated:") } }
    static var generatedRows: [HostileManifest.Row] { HostileManifest.extracts.filter { $0["extract"].hasPrefix("generated:") } }

    @Test(arguments: committed)
    func extract(_ row: HostileManifest.Row) throws {
        let path = HostileManifest.folder + "/csv/" + row["extract"]
        #expect(FileManager.default.fileExists(atPath: path), "no \(path)")
        check(try HostileExtracts.outcome(path: path, source: row["read as"]), against: row)
    }

    @Test(arguments: generatedRows)
    func generated(_ row: HostileManifest.Row) throws {
        let dir = try TemporaryDirectory("hostile-generated")
        defer { dir.remove() }
        let name = row["extract"].replacingOccurrences(of: "generated: ", with: "")
        let path = try HostileExtracts.generate(name, in: dir)
        check(try HostileExtracts.outcome(path: path, source: row["read as"]), against: row)
    }

    /// The corpus is what the manifest says: at least 40 inputs, every committed file has its row
    /// and every row its file.
    @Test func everyInputHasItsRowAndEveryRowItsInput() throws {
        let csv = Set(try FileManager.default.contentsOfDirectory(atPath: HostileManifest.folder + "/csv"))
        let definitions = Set(try FileManager.default.contentsOfDirectory(atPath: HostileManifest.folder + "/definitions"))
        let drops = Set(try FileManager.default.contentsOfDirectory(atPath: HostileManifest.folder + "/drops"))
        #expect(csv == Set(Self.committed.map { $0["extract"] }))
        #expect(definitions == Set(HostileManifest.definitions.map { $0["definition"] }))
        #expect(drops == Set(HostileManifest.drops.map { $0["drop"] }.filter { !$0.hasPrefix("generated:") }))
        let inputs = HostileManifest.extracts.count + HostileManifest.definitions.count + HostileManifest.drops.count
        #expect(inputs >= 40 && Self.generatedRows.count == 4, "\(inputs) inputs")
    }

    @Test(arguments: HostileManifest.definitions)
    func definition(_ row: HostileManifest.Row) throws {
        let name = row["definition"]
        let path = HostileManifest.folder + "/definitions/" + name
        let sources = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: sources, measures: MeasureLibrary.grammars)
        var errors: [DefinitionError] = []
        do {
            switch row["read as"] {
            case "source": _ = try SourceDefinition.load(path: path, displayPath: name)
            case "group":
                _ = try GroupDefinition.parse(
                    try DefinitionText.read(path), file: name, profiles: profiles,
                    audiences: try AudiencePolicy.load(profiles: TestPaths.profiles))
            case "profile":
                _ = try ProfileDefinition.parse(
                    try DefinitionText.read(path), file: name, sources: sources, measures: MeasureLibrary.grammars)
            default: Issue.record("\(name): unknown loader \(row["read as"])")
            }
            Issue.record("\(name) loaded without an error")
        } catch let e as DefinitionErrors {
            errors = e.errors
        }
        let first = try #require(errors.first)
        #expect(first.description.hasPrefix(name + ":" + row["first error"]), "\(first.description)")
    }

    /// A drop missing datasets, or no drop at all: `profiler validate` says so and exits with 2.
    @Test(arguments: HostileManifest.drops)
    func drop(_ row: HostileManifest.Row) throws {
        guard ProcessRun.profilerIsBuilt else { Issue.record("no \(TestPaths.profilerBinary): run swift build first"); return }
        let work = try TemporaryDirectory("hostile-drop")
        defer { work.remove() }
        let key = try work.write("key", "hostile-drop-test-key-0123456789abcdef")
        let name = row["drop"]
        let path =
            name == "generated: not-a-folder" ? try work.write("drop.csv", "not a folder\n") : HostileManifest.folder + "/drops/" + name
        let json = try ProcessRun.profiler(["validate", "--data", path, "--key-file", key, "--json"], environment: [:])
        #expect(json.status == Int32(row["validate exit"]), "\(name): \(json.stderr)")
        guard row["status"] != "-" else {
            #expect(json.stderr.contains("no drop folder at \(path)"), "\(json.stderr)")
            return
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        let missing = report["missingDatasets"] as? [String] ?? []
        #expect(missing.count == Int(row["missing sources"]), "\(missing)")
        #expect((report["unknownFiles"] as? [String] ?? []) == Self.list(row["unknown files"]))
        #expect(report["status"] as? String == row["status"], "\(report["status"] ?? "")")
        let text = try ProcessRun.profiler(["validate", "--data", path, "--key-file", key], environment: [:])
        for m in missing { #expect(text.stdout.contains("MISSING: no file for \(m)"), "\(m)") }
        // The A&E file is read once, from the plain file (2 rows, where the .gz has 3).
        if name == "missing-datasets" {
            let files = report["files"] as? [[String: Any]] ?? []
            #expect(files.map { $0["file"] as? String } == ["ae_attendances.csv"] && files.first?["rowsRead"] as? Int == 2, "\(files)")
        }
    }

    /// A 100 MB line and a gzip bomb are refused without being held: `profiler validate` on them
    /// peaks at no more than 64 MB above the same command on a small drop.
    @Test func hugeInputsRunInBoundedMemory() throws {
        guard ProcessRun.profilerIsBuilt else { Issue.record("no \(TestPaths.profilerBinary): run swift build first"); return }
        let work = try TemporaryDirectory("hostile-memory")
        defer { work.remove() }
        let key = try work.write("key", "hostile-memory-test-key-0123456789abcdef")
        let small = work.file("small"), huge = work.file("huge")
        for d in [small, huge] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(
            atPath: HostileManifest.folder + "/drops/missing-datasets/ae_attendances.csv", toPath: small + "/ae_attendances.csv")
        let generated = try TemporaryDirectory("hostile-memory-inputs")
        defer { generated.remove() }
        try FileManager.default.moveItem(
            atPath: try HostileExtracts.generate("long-line", in: generated), toPath: huge + "/ae_attendances.csv")
        try FileManager.default.moveItem(
            atPath: try HostileExtracts.generate("gzip-bomb", in: generated), toPath: huge + "/hospital_admissions.csv.gz")
        let baseline = try ProcessRun.profiler(
            ["validate", "--data", small, "--key-file", key, "--json", "--threads", "2"], environment: [:])
        let run = try ProcessRun.profiler(["validate", "--data", huge, "--key-file", key, "--json", "--threads", "2"], environment: [:])
        #expect(baseline.status == 2 && run.status == 2)
        #expect(run.peakMB < baseline.peakMB + 64, "peak \(run.peakMB) MB against \(baseline.peakMB) MB")
        print("hostile inputs: peak \(run.peakMB) MB, small drop \(baseline.peakMB) MB")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let errors = (report["files"] as? [[String: Any]] ?? []).compactMap { $0["fatalError"] as? String }
        #expect(errors.count == 2 && errors.allSatisfy { $0.hasPrefix("record-too-large") }, "\(errors)")
    }
}

/// A definition file's text, for the loaders that parse text.
enum DefinitionText {
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let s = String(data: data, encoding: .utf8) else {
            throw DefinitionErrors([
                DefinitionError(
                    file: (path as NSString).lastPathComponent, line: 0, column: 0, key: "", message: "the file is not UTF-8 text")
            ])
        }
        return s
    }
}
