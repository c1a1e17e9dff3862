import Foundation
import TestSupport
import Testing

@testable import Export

@Suite("Batch: exit codes, lock and logs", .serialized)
struct BatchModeTests {
    private static let key = "a-test-key-that-is-long-enough-0123456789"

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.profilerBinary) else {
            throw CancellationError()
        }
    }

    /// Each documented exit code, from the binary itself (4 is in the fault tests below).
    @Test func eachExitCodeMeansWhatTheReadmeSays() throws {
        let parent = try TemporaryDirectory("codes")
        defer { parent.remove() }
        let out = parent.file("out")
        // 0: a clean build.
        #expect(try ProcessRun.profiler(["build", "--out", out, "--tables-only"]).status == 0)
        // 1: built, with a rejected row within its file's tolerance.
        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        let key = try parent.write("key", Self.key)
        let homelessness = try CSVTable(path: drop.file("homelessness.csv"))
        var blank = homelessness.rows[0]
        blank[homelessness.column("ApproachDate")] = ""
        let text = try String(contentsOfFile: drop.file("homelessness.csv"), encoding: .utf8)
        try (text + csvLine(blank) + "\n").write(toFile: drop.file("homelessness.csv"), atomically: true, encoding: .utf8)
        let warned = try ProcessRun.profiler(["build", "--data", drop.path, "--key-file", key, "--out", out, "--tables-only"])
        #expect(warned.status == 1, "\(warned.stderr)")
        // 2: a drop missing a dataset (nothing built).
        let incomplete = try TemporaryDirectory("incomplete")
        defer { incomplete.remove() }
        try FileManager.default.removeItem(atPath: incomplete.path)
        try FileManager.default.copyItem(atPath: drop.path, toPath: incomplete.path)
        try FileManager.default.removeItem(atPath: incomplete.file("education.csv"))
        #expect(try ProcessRun.profiler(["build", "--data", incomplete.path, "--key-file", key, "--out", out]).status == 2)
        // 3: an option the parser refuses (not its own code 64), a bad value, no key for a real drop.
        let unknown = try ProcessRun.profiler(["build", "--out", out, "--no-such-option"])
        #expect(unknown.status == 3 && unknown.stderr.contains("--no-such-option"))
        #expect(try ProcessRun.profiler(["build", "--out", out, "--period", "2025"]).status == 3)
        #expect(try ProcessRun.profiler(["validate", "--data", drop.path]).status == 3)
        try? FileManager.default.removeItem(atPath: out + ".failed-quality.json")
    }

    /// A second build into an output whose lock is held says who holds it and exits 5, touching
    /// nothing; once the lock is released a build runs.
    @Test func aSecondBuildIntoTheSameOutputExitsWithItsOwnCode() throws {
        let parent = try TemporaryDirectory("lock")
        defer { parent.remove() }
        let out = parent.file("out")
        #expect(try ProcessRun.profiler(["build", "--out", out, "--tables-only"]).status == 0)
        let before = outputSnapshot(out)
        let manifest = FileManager.default.contents(atPath: out + "/manifest.json")
        let held = try OutputLock(output: out)
        let second = try ProcessRun.profiler(["build", "--out", out, "--tables-only"])
        #expect(second.status == 5)
        #expect(second.stderr.contains("process \(getpid())") && second.stderr.contains(out + ".lock"), "\(second.stderr)")
        #expect(outputSnapshot(out) == before && FileManager.default.contents(atPath: out + "/manifest.json") == manifest)
        #expect(leftovers(beside: out).isEmpty)
        held.release()
        #expect(try ProcessRun.profiler(["build", "--out", out, "--tables-only"]).status == 0)
    }

    /// `--log-format json`: every line on standard error is one JSON object with a time, a level
    /// and a message; the phases are named; no identifier of the drop nor the key appears.
    @Test func jsonLogsAreOneObjectPerLineWithoutIdentifiers() throws {
        let parent = try TemporaryDirectory("logs")
        defer { parent.remove() }
        let drop = parent.file("drop")
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: drop)
        let key = try parent.write("key", Self.key)
        let run = try ProcessRun.profiler([
            "build", "--data", drop, "--data", TestPaths.sampleDrop, "--key-file", key,
            "--out", parent.file("out"), "--log-format", "json", "--group", "adults",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count > 10)
        var phases = Set<String>()
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
            if let phase = (object?["metadata"] as? [String: Any])?["phase"] as? String { phases.insert(phase) }
        }
        #expect(phases.isSuperset(of: ["ingest", "aggregate", "publish", "done"]))
        #expect(run.stderr.contains("rows replaced by a later drop"))
        // Identifiers the drop holds (a surname, an NHS number, a case reference) and the key.
        let people = try CSVTable(path: try plainHomelessness(parent))
        for value in [people.rows[0][people.column("ApplicantSurname")], people.rows[0][people.column("CaseRef")], Self.key]
            + people.values("NHSNumber").filter({ !$0.isEmpty }).prefix(20)
        {
            #expect(!run.stderr.contains(value), "\(value)")
        }
    }

    private func plainHomelessness(_ parent: TemporaryDirectory) throws -> String {
        _ = try ProcessRun.tool(
            "/bin/sh", ["-c", "gzip -dc \"$0\" > \"$1\"", TestPaths.sampleDrop + "/homelessness.csv.gz", parent.file("homelessness.csv")])
        return parent.file("homelessness.csv")
    }
}

/// Faults a scheduler meets: a disk that fills (simulated by a file-size limit), memory that runs
/// out (an address-space limit). Each ends with exit code 4 and a message, the published output
/// unchanged and no staging folder left.
@Suite("Batch: disk full and memory exhausted", .serialized)
struct ResourceFaultTests {
    private static let key = "a-test-key-that-is-long-enough-0123456789"

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: TestPaths.profilerBinary) else { throw CancellationError() }
    }

    /// A file-size limit of 100 KB (ulimit -f; the engine ignores SIGXFSZ, so the write fails
    /// with EFBIG): the group outputs larger than that cannot be written.
    @Test func aWriteThatFailsForLackOfSpaceFailsCleanly() throws {
        let parent = try TemporaryDirectory("full")
        defer { parent.remove() }
        let out = parent.file("out")
        #expect(try ProcessRun.profiler(["build", "--out", out, "--group", "community_safety"]).status == 0)
        let published = outputSnapshot(out)
        let run = try ProcessRun.profiler(["build", "--out", out, "--group", "community_safety"], limits: "-f 100")
        #expect(!run.signalled && run.status == 4, "\(run.status) \(run.stderr)")
        // Names the file, says why, and that nothing changed.
        #expect(run.stderr.contains("cannot write \(URL(fileURLWithPath: out).standardizedFileURL.path)/"), "\(run.stderr)")
        #expect(run.stderr.contains("File too large") && run.stderr.contains("is unchanged"), "\(run.stderr)")
        #expect(outputSnapshot(out) == published)
        #expect(leftovers(beside: out).isEmpty)
        // The quarantine file too: refused rows that cannot be kept fail the run.
        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        let key = try parent.write("key", Self.key)
        let homelessness = try CSVTable(path: drop.file("homelessness.csv"))
        var blank = homelessness.rows[0]
        blank[homelessness.column("ApproachDate")] = ""
        let text = try String(contentsOfFile: drop.file("homelessness.csv"), encoding: .utf8)
        try (text + csvLine(blank) + "\n").write(toFile: drop.file("homelessness.csv"), atomically: true, encoding: .utf8)
        let quarantine = parent.file("quarantine")
        let refused = try ProcessRun.profiler(
            ["build", "--data", drop.path, "--key-file", key, "--quarantine", quarantine, "--out", out],
            limits: "-f 0")
        #expect(!refused.signalled && refused.status == 4, "\(refused.status) \(refused.stderr)")
        #expect(refused.stderr.contains("cannot write \(quarantine)/homelessness.rejects.csv: File too large"), "\(refused.stderr)")
        #expect(outputSnapshot(out) == published)
        #expect(leftovers(beside: out).isEmpty)
    }

    /// Address-space limits from too small to load the build's data up to enough: every run ends
    /// with 0 (enough) or 4 and a message (not enough), never a trap or a hang; the output is
    /// unchanged after each failure and a build after them runs and leaves nothing behind.
    @Test func runningOutOfMemoryFailsCleanly() throws {
        let parent = try TemporaryDirectory("memory")
        defer { parent.remove() }
        let out = parent.file("out")
        #expect(try ProcessRun.profiler(["build", "--out", out, "--tables-only"]).status == 0)
        let published = outputSnapshot(out)
        var failed = 0
        for megabytes in [90, 105, 120] {
            let run = try ProcessRun.profiler(["build", "--out", out, "--tables-only"], limits: "-v \(megabytes << 10)", timeout: 120)
            #expect(!run.timedOut && !run.signalled, "\(megabytes) MB: \(run.stderr.suffix(400))")
            // The loader, before the engine runs.
            if run.status == 127 && run.stderr.contains("error while loading shared libraries") { continue }
            #expect(run.status == 0 || run.status == 4, "\(megabytes) MB: \(run.status) \(run.stderr.suffix(400))")
            if run.status == 4 {
                failed += 1
                #expect(run.stderr.contains("out of memory") && run.stderr.contains("nothing was published"), "\(run.stderr)")
                #expect(!run.stderr.contains("Backtrac"), "\(run.stderr.suffix(400))")
            }
            #expect(outputSnapshot(out) == published, "\(megabytes) MB")
        }
        #expect(failed > 0)
        #expect(try ProcessRun.profiler(["build", "--out", out, "--tables-only"]).status == 0)
        #expect(outputSnapshot(out) == published)
        #expect(leftovers(beside: out).isEmpty)
    }
}
