import Foundation
import Testing
import TestSupport
@testable import Export

/// The built `profiler` binary as a scheduler runs it: its exit code, what it wrote on standard
/// output and standard error, whether a signal ended it.
struct LimitedRun {
    let status: Int32
    let signalled: Bool
    let timedOut: Bool
    let output: String
    let errors: String

    static let binary = TestPaths.profilerBinary

    /// Runs the binary with `arguments`, under `ulimit` settings if given (through bash, so that
    /// the limits apply to the binary alone).
    static func run(_ arguments: [String], limits: String? = nil, timeout: Double = 180) throws -> LimitedRun {
        let p = Process()
        if let limits {
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-c", "ulimit \(limits) && exec \"$0\" \"$@\"", binary] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = arguments
        }
        p.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
        // Pipes, not files: a file-size limit would stop the messages themselves.
        let output = Pipe(), errors = Pipe()
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, isError) in [(output, false), (errors, true)] {
            DispatchQueue.global().async(group: group) {
                collected.set(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), error: isError)
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        let timedOut = p.isRunning
        if timedOut { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        group.wait()
        return LimitedRun(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, timedOut: timedOut,
                         output: collected.output, errors: collected.errors)
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var output = "", errors = ""
    func set(_ text: String, error: Bool) {
        lock.lock()
        if error { errors = text } else { output = text }
        lock.unlock()
    }
}

@Suite("Batch: exit codes, lock and logs", .serialized)
struct BatchModeTests {
    private static let key = "a-test-key-that-is-long-enough-0123456789"

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: LimitedRun.binary) else {
            throw CancellationError()
        }
    }

    /// Each documented exit code, from the binary itself (4 is in the fault tests below).
    @Test func eachExitCodeMeansWhatTheReadmeSays() throws {
        let parent = try TemporaryDirectory("codes")
        defer { parent.remove() }
        let out = parent.file("out")
        // 0: a clean build.
        #expect(try LimitedRun.run(["build", "--out", out, "--tables-only"]).status == 0)
        // 1: built, with a rejected row within its file's tolerance.
        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        let key = try parent.write("key", Self.key)
        let homelessness = try CSVTable(path: drop.file("homelessness.csv"))
        var blank = homelessness.rows[0]
        blank[homelessness.column("ApproachDate")] = ""
        let text = try String(contentsOfFile: drop.file("homelessness.csv"), encoding: .utf8)
        try (text + csvLine(blank) + "\n").write(toFile: drop.file("homelessness.csv"), atomically: true, encoding: .utf8)
        let warned = try LimitedRun.run(["build", "--data", drop.path, "--key-file", key, "--out", out, "--tables-only"])
        #expect(warned.status == 1, "\(warned.errors)")
        // 2: a drop missing a dataset (nothing built).
        let incomplete = try TemporaryDirectory("incomplete")
        defer { incomplete.remove() }
        try FileManager.default.removeItem(atPath: incomplete.path)
        try FileManager.default.copyItem(atPath: drop.path, toPath: incomplete.path)
        try FileManager.default.removeItem(atPath: incomplete.file("education.csv"))
        #expect(try LimitedRun.run(["build", "--data", incomplete.path, "--key-file", key, "--out", out]).status == 2)
        // 3: an option the parser refuses (not its own code 64), a bad value, no key for a real drop.
        let unknown = try LimitedRun.run(["build", "--out", out, "--no-such-option"])
        #expect(unknown.status == 3 && unknown.errors.contains("--no-such-option"))
        #expect(try LimitedRun.run(["build", "--out", out, "--period", "2025"]).status == 3)
        #expect(try LimitedRun.run(["validate", "--data", drop.path]).status == 3)
        try? FileManager.default.removeItem(atPath: out + ".failed-quality.json")
    }

    /// A second build into an output whose lock is held says who holds it and exits 5, touching
    /// nothing; once the lock is released a build runs.
    @Test func aSecondBuildIntoTheSameOutputExitsWithItsOwnCode() throws {
        let parent = try TemporaryDirectory("lock")
        defer { parent.remove() }
        let out = parent.file("out")
        #expect(try LimitedRun.run(["build", "--out", out, "--tables-only"]).status == 0)
        let before = outputSnapshot(out)
        let manifest = FileManager.default.contents(atPath: out + "/manifest.json")
        let held = try OutputLock(output: out)
        let second = try LimitedRun.run(["build", "--out", out, "--tables-only"])
        #expect(second.status == 5)
        #expect(second.errors.contains("process \(getpid())") && second.errors.contains(out + ".lock"), "\(second.errors)")
        #expect(outputSnapshot(out) == before && FileManager.default.contents(atPath: out + "/manifest.json") == manifest)
        #expect(leftovers(beside: out).isEmpty)
        held.release()
        #expect(try LimitedRun.run(["build", "--out", out, "--tables-only"]).status == 0)
    }

    /// `--log-format json`: every line on standard error is one JSON object with a time, a level
    /// and a message; the phases are named; no identifier of the drop nor the key appears.
    @Test func jsonLogsAreOneObjectPerLineWithoutIdentifiers() throws {
        let parent = try TemporaryDirectory("logs")
        defer { parent.remove() }
        let drop = parent.file("drop")
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: drop)
        let key = try parent.write("key", Self.key)
        let run = try LimitedRun.run(["build", "--data", drop, "--data", TestPaths.sampleDrop, "--key-file", key,
                                     "--out", parent.file("out"), "--log-format", "json", "--group", "adults"])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.errors.split(separator: "\n")
        #expect(lines.count > 10)
        var phases = Set<String>()
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
            if let phase = (object?["metadata"] as? [String: Any])?["phase"] as? String { phases.insert(phase) }
        }
        #expect(phases.isSuperset(of: ["ingest", "aggregate", "publish", "done"]))
        #expect(run.errors.contains("rows replaced by a later drop"))
        // Identifiers the drop holds (a surname, an NHS number, a case reference) and the key.
        let people = try CSVTable(path: try plainHomelessness(parent))
        for value in [people.rows[0][people.column("ApplicantSurname")], people.rows[0][people.column("CaseRef")], Self.key]
            + people.values("NHSNumber").filter({ !$0.isEmpty }).prefix(20) {
            #expect(!run.errors.contains(value), "\(value)")
        }
    }

    private func plainHomelessness(_ parent: TemporaryDirectory) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc \"$0\" > \"$1\"", TestPaths.sampleDrop + "/homelessness.csv.gz", parent.file("homelessness.csv")]
        try p.run()
        p.waitUntilExit()
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
        guard FileManager.default.isExecutableFile(atPath: LimitedRun.binary) else { throw CancellationError() }
    }

    /// A file-size limit of 100 KB (ulimit -f; the engine ignores SIGXFSZ, so the write fails
    /// with EFBIG): the group outputs larger than that cannot be written.
    @Test func aWriteThatFailsForLackOfSpaceFailsCleanly() throws {
        let parent = try TemporaryDirectory("full")
        defer { parent.remove() }
        let out = parent.file("out")
        #expect(try LimitedRun.run(["build", "--out", out, "--group", "community_safety"]).status == 0)
        let published = outputSnapshot(out)
        let run = try LimitedRun.run(["build", "--out", out, "--group", "community_safety"], limits: "-f 100")
        #expect(!run.signalled && run.status == 4, "\(run.status) \(run.errors)")
        // Names the file, says why, and that nothing changed.
        #expect(run.errors.contains("cannot write \(URL(fileURLWithPath: out).standardizedFileURL.path)/"), "\(run.errors)")
        #expect(run.errors.contains("File too large") && run.errors.contains("is unchanged"), "\(run.errors)")
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
        let refused = try LimitedRun.run(["build", "--data", drop.path, "--key-file", key, "--quarantine", quarantine, "--out", out],
                                        limits: "-f 0")
        #expect(!refused.signalled && refused.status == 4, "\(refused.status) \(refused.errors)")
        #expect(refused.errors.contains("cannot write \(quarantine)/homelessness.rejects.csv: File too large"), "\(refused.errors)")
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
        #expect(try LimitedRun.run(["build", "--out", out, "--tables-only"]).status == 0)
        let published = outputSnapshot(out)
        var failed = 0
        for megabytes in [90, 105, 120] {
            let run = try LimitedRun.run(["build", "--out", out, "--tables-only"], limits: "-v \(megabytes << 10)", timeout: 120)
            #expect(!run.timedOut && !run.signalled, "\(megabytes) MB: \(run.errors.suffix(400))")
            if run.status == 127 && run.errors.contains("error while loading shared libraries") { continue }  // the loader, before the engine runs
            #expect(run.status == 0 || run.status == 4, "\(megabytes) MB: \(run.status) \(run.errors.suffix(400))")
            if run.status == 4 {
                failed += 1
                #expect(run.errors.contains("out of memory") && run.errors.contains("nothing was published"), "\(run.errors)")
                #expect(!run.errors.contains("Backtrac"), "\(run.errors.suffix(400))")
            }
            #expect(outputSnapshot(out) == published, "\(megabytes) MB")
        }
        #expect(failed > 0)
        #expect(try LimitedRun.run(["build", "--out", out, "--tables-only"]).status == 0)
        #expect(outputSnapshot(out) == published)
        #expect(leftovers(beside: out).isEmpty)
    }
}
