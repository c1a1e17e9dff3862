import ArgumentParser
import Foundation
import TestSupport
import Testing

@testable import ProfilerCLI

/// The verbs as a user runs them, through the argument parser, checking the documented exit codes.
@Suite("Command line")
struct CommandTests {
    /// A linkage key file, as a partnership keeps one (outside the drop).
    private static let keyFile: String = {
        let path = NSTemporaryDirectory() + "profiler-test-key-\(UUID().uuidString)"
        try! Data("test-linkage-key-0123456789abcdefghijklmnopqrstuvwxyz".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }()

    /// A copy of the bundled drop that a test may damage.
    private func dropCopy() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("drop")
        try FileManager.default.removeItem(atPath: dir.path)
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: dir.path)
        return dir
    }

    @Test func validateWithNoArgumentsChecksTheBundledDrop() throws {
        #expect(try runProfiler(["validate"]) == 0)
    }

    @Test func aDropMissingADatasetIsBadInput() throws {
        let drop = try dropCopy()
        defer { drop.remove() }
        try FileManager.default.removeItem(atPath: drop.file("education.csv.gz"))
        #expect(try runProfiler(["validate", "--data", drop.path, "--key-file", Self.keyFile]) == 2)
    }

    @Test func aRenamedColumnIsBadInput() throws {
        let drop = try dropCopy()
        defer { drop.remove() }
        try FileManager.default.removeItem(atPath: drop.file("homelessness.csv.gz"))
        try drop.write("homelessness.csv", "CaseRef,ApplicantSurname,Forename\nHL/1,Smith,Ann\n")
        #expect(try runProfiler(["validate", "--data", drop.path, "--key-file", Self.keyFile]) == 2)
    }

    @Test func aBadDefinitionIsAConfigurationError() throws {
        let profiles = try TemporaryDirectory("profiles")
        defer { profiles.remove() }
        try FileManager.default.createDirectory(atPath: profiles.file("sources"), withIntermediateDirectories: true)
        try profiles.write(
            "sources/broken.yaml", "source: broken\nagency: police\nfile: broken\nfields:\n  date: { column: D, type: dat }\n")
        #expect(try runProfiler(["validate", "--profiles", profiles.path]) == 3)
    }

    @Test func sampleWritesADropThatValidates() throws {
        let out = try TemporaryDirectory("sample")
        defer { out.remove() }
        #expect(try runProfiler(["sample", "--out", out.path, "--people", "800", "--years", "1", "--quiet"]) == 0)
        #expect(FileManager.default.fileExists(atPath: out.file("police_crimes.csv")))
        #expect(FileManager.default.fileExists(atPath: out.file("reference/population.csv")))
        #expect(try runProfiler(["validate", "--data", out.path, "--key-file", Self.keyFile]) == 0)
    }

    /// Any drop but the bundled demo needs the partnership's key.
    @Test func aRealDropWithoutAKeyRefusesToStart() throws {
        let drop = try dropCopy()
        defer { drop.remove() }
        #expect(try runProfiler(["validate", "--data", drop.path]) == 3)
        let short = try TemporaryDirectory()
        defer { short.remove() }
        let shortKey = try short.write("key", "too-short")
        #expect(try runProfiler(["validate", "--data", drop.path, "--key-file", shortKey]) == 3)
        #expect(try runProfiler(["validate", "--data", drop.path, "--key-file", Self.keyFile]) == 0)
    }

    /// `build` is the default verb; it writes every profile's tables and the quality report.
    @Test func buildWritesEveryProfile() throws {
        let out = try TemporaryDirectory("build")
        defer { out.remove() }
        #expect(try runProfiler(["--out", out.path]) == 0)
        let profiles = try FileManager.default.contentsOfDirectory(atPath: out.file("tables")).sorted()
        #expect(
            profiles == [
                "domestic_abuse", "drug_and_alcohol", "exploitation", "neglect", "preventing_offending", "self_neglect",
                "transitional_safeguarding",
            ])
        #expect(FileManager.default.fileExists(atPath: out.file("quality.json")))
        #expect(throws: (any Error).self) { _ = try ProfilerCommand.parseAsRoot(["build", "--out", out.path, "--period", "2025"]) }
    }

    /// Two builds of the same drop write byte-identical files, whatever the number of threads (the
    /// manifest differs only in its build time).
    @Test func buildsAreByteIdentical() throws {
        let a = try TemporaryDirectory("build-a"), b = try TemporaryDirectory("build-b")
        defer { a.remove(); b.remove() }
        #expect(try runProfiler(["build", "--out", a.path, "--threads", "1"]) == 0)
        #expect(try runProfiler(["build", "--out", b.path, "--threads", "4"]) == 0)
        #expect(try differingFiles(a.path, b.path) == ["manifest.json"])
        #expect((FileManager.default.subpaths(atPath: a.path) ?? []).filter { $0.hasSuffix(".csv") }.count > 70)
    }

    /// --tables-only writes the analysts' tables and no group's outputs.
    @Test func tablesOnlyWritesNoGroup() throws {
        let out = try TemporaryDirectory("out")
        defer { out.remove() }
        #expect(try runProfiler(["build", "--out", out.path, "--tables-only"]) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["manifest.json", "quality.json", "tables"])
        #expect(throws: (any Error).self) { _ = try ProfilerCommand.parseAsRoot(["build", "--tables-only", "--group", "adults"]) }
    }

    /// validate checks the profiles, benchmarks and groups as well as the sources.
    @Test func validateChecksEveryDefinition() throws {
        let dir = try TemporaryDirectory("profiles")
        defer { dir.remove() }
        try FileManager.default.removeItem(atPath: dir.path)
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: dir.path)
        #expect(try runProfiler(["validate", "--profiles", dir.path]) == 0)
        let group = dir.path + "/groups/adults.yaml"
        try (try String(contentsOfFile: group, encoding: .utf8)).replacingOccurrences(of: "audience: partners", with: "audience: everyone")
            .write(toFile: group, atomically: true, encoding: .utf8)
        #expect(try runProfiler(["validate", "--profiles", dir.path]) == 3)
    }

    @Test func profilesListAndExplain() throws {
        #expect(try runProfiler(["profiles"]) == 0)
        #expect(try runProfiler(["profiles", "explain", "domestic_abuse"]) == 0)
        #expect(throws: (any Error).self) { _ = try runProfiler(["profiles", "explain", "no_such_profile"]) }
    }

    /// `--truth` inside `--out` would be read by ingest as an unknown file: a configuration error,
    /// before anything is written; beside the drop, the truth is written and the drop validates.
    @Test func sampleWritesTheTruthOnlyOutsideTheDrop() throws {
        let parent = try TemporaryDirectory("sample-truth")
        defer { parent.remove() }
        let out = parent.file("drop")
        let arguments = ["sample", "--out", out, "--people", "800", "--years", "1", "--quiet", "--truth"]
        #expect(try runProfiler(arguments + [out + "/truth.csv"]) == 3)
        #expect(try runProfiler(arguments + [out + "/reference/../truth.csv.gz"]) == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [])
        #expect(try runProfiler(arguments + [parent.file("truth.csv")]) == 0)
        let truth = try String(contentsOfFile: parent.file("truth.csv"), encoding: .utf8)
        #expect(truth.hasPrefix("# profiler linkage truth 1\n# file police_crimes.csv records "))
        #expect(try runProfiler(["validate", "--data", out, "--key-file", Self.keyFile]) == 0)
    }

    /// `linkage evaluate` end to end on a small drop and its truth: exit 0 with the measures;
    /// a truth file that is not one, exit 2; a threshold outside 0 to 1 or an unknown method, refused.
    @Test func linkageEvaluateMeasuresAndRefusesBadInput() throws {
        let parent = try TemporaryDirectory("linkage-cli")
        defer { parent.remove() }
        let out = parent.file("drop"), truth = parent.file("truth.csv.gz")
        #expect(try runProfiler(["sample", "--out", out, "--people", "3000", "--years", "1", "--quiet", "--gzip", "--truth", truth]) == 0)
        let evaluate = ["linkage", "evaluate", "--data", out, "--key-file", Self.keyFile, "--truth"]
        #expect(try runProfiler(evaluate + [truth, "--json", "--misses", parent.file("misses.csv")]) == 0)
        let misses = try String(contentsOfFile: parent.file("misses.csv"), encoding: .utf8)
        #expect(misses.hasPrefix("file,line,role,id,true_person,what\n"))
        let notTruth = try parent.write("not-truth.csv", "file,line,role,person\n")
        #expect(try runProfiler(evaluate + [notTruth]) == 2)
        #expect(throws: (any Error).self) { _ = try ProfilerCommand.parseAsRoot(evaluate + [truth, "--threshold", "1.5"]) }
        #expect(throws: (any Error).self) { _ = try ProfilerCommand.parseAsRoot(evaluate + [truth, "--method", "fuzzy"]) }
        #expect(try runProfiler(evaluate + [truth, "--method", "exact", "--threshold", "0.5"]) == 0)
    }

    @Test func sampleRefusesATinyPopulation() {
        #expect(throws: (any Error).self) { _ = try ProfilerCommand.parseAsRoot(["sample", "--out", "/tmp/x", "--people", "5"]) }
    }

    @Test func sourcesExplainsADefinition() throws {
        #expect(try runProfiler(["sources"]) == 0)
        #expect(try runProfiler(["sources", "police_crimes"]) == 0)
        #expect(throws: (any Error).self) { _ = try runProfiler(["sources", "no_such_source"]) }
    }
}
