import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of the built `profiler` executable, as a scheduler runs it: its exit status, what it
/// wrote on standard output and standard error, and the most memory it held (from wait4).
public struct BinaryRun {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Peak resident memory of the process, in megabytes.
    public let peakMB: Int

    public static let binary = TestPaths.profilerBinary

    public static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Runs the executable from the project folder with `arguments` and the given environment
    /// (added to a minimal one: PATH and HOME only, so no key leaks in from the test's own).
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> BinaryRun {
        let dir = try TemporaryDirectory("run")
        defer { dir.remove() }
        let out = dir.file("stdout"), err = dir.file("stderr")
        // `exec` makes the shell become the engine, so wait4's usage is the engine's.
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "cd \(quoted(TestPaths.root)) && exec \(quoted(binary)) \(arguments.map(quoted).joined(separator: " ")) >\(quoted(out)) 2>\(quoted(err))"
        var env = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        for (k, v) in environment { env[k] = v }
        let argv: [UnsafeMutablePointer<CChar>?] = ["/bin/sh", "-c", command].map { (s: String) in strdup(s) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { (k: String, v: String) in strdup(k + "=" + v) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, envp)
        guard spawned == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        // WEXITSTATUS, or 128 + the signal that ended it.
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return BinaryRun(status: code,
                         stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
                         peakMB: usage.ru_maxrss / 1024)
    }
}
