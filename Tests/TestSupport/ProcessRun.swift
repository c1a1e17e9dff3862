import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one way tests run a process: the built `profiler` (as a scheduler runs it) or a tool
/// (sqlite3, gzip, a project script). A run gives the exit status (or 128 + the signal that ended
/// it), what the process wrote on standard output and standard error (through pipes, so that a
/// file-size limit on the process does not stop its messages), whether a timeout killed it, and
/// the most memory it held (from wait4, so it is the process's own even while other tests run).
public struct ProcessRun: Sendable {
    public let status: Int32
    public let signalled: Bool
    public let timedOut: Bool
    public let stdout: String
    public let stderr: String
    /// Peak resident memory of the process, in megabytes.
    public let peakMB: Int

    public static var profilerIsBuilt: Bool { FileManager.default.isExecutableFile(atPath: TestPaths.profilerBinary) }

    /// Runs the built profiler from the project folder. `limits` are `ulimit` settings for it
    /// alone (`-f 100`, `-v 800000`); `environment`, when given, is all the environment it gets
    /// besides PATH and HOME (so no key leaks in from the test's own); else it inherits the test's.
    public static func profiler(
        _ arguments: [String], limits: String? = nil, environment: [String: String]? = nil,
        timeout: Double = 600
    ) throws -> ProcessRun {
        try start(TestPaths.profilerBinary, arguments, limits: limits, environment: environment).wait(timeout: timeout)
    }

    /// Runs a tool with `arguments` from the project folder and waits for it.
    public static func tool(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        timeout: Double = 600
    ) throws -> ProcessRun {
        try start(executable, arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts a process, for a test that reads its output as it goes or kills it at a moment of
    /// its choosing.
    public static func start(
        _ executable: String, _ arguments: [String], limits: String? = nil,
        environment: [String: String]? = nil, directory: String = TestPaths.root
    ) throws -> RunningProcess {
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        // Through the shell, which becomes the process (`exec`): so limits apply to it alone, and
        // wait4's usage is its own.
        let command =
            "cd \(quoted(directory))" + (limits.map { " && ulimit \($0)" } ?? "")
            + " && exec \(quoted(executable)) \(arguments.map(quoted).joined(separator: " "))"
        var env = ProcessInfo.processInfo.environment
        if let environment {
            env = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
            for (k, v) in environment { env[k] = v }
        }
        return try RunningProcess(command: command, environment: env)
    }
}

/// Runs a tool and throws when it fails (for a test's set-up: gzip a file, decompress a drop).
public func run(_ tool: String, _ arguments: [String]) throws {
    if try ProcessRun.tool(tool, arguments).status != 0 { throw CocoaError(.executableLoad) }
}

/// A process started by `ProcessRun.start`: its standard output and error as they come, a way to
/// kill it, and its end.
public final class RunningProcess: @unchecked Sendable {
    public let pid: pid_t
    public let stdout: FileHandle
    public let stderr: FileHandle

    init(command: String, environment: [String: String]) throws {
        // Close-on-exec pipes: a process another test starts later inherits none of them
        // (posix_spawn's dup2 clears the flag on the child's own ends).
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw CocoaError(.executableLoad) }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/sh", "-c", command] as [String]).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0.key + "=" + $0.value) } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(out[1])
        close(err[1])
        guard spawned == 0 else {
            close(out[0])
            close(err[0])
            throw CocoaError(.executableLoad)
        }
        self.pid = pid
        stdout = FileHandle(fileDescriptor: out[0], closeOnDealloc: true)
        stderr = FileHandle(fileDescriptor: err[0], closeOnDealloc: true)
    }

    public func kill(_ signal: Int32 = SIGKILL) { _ = Glibc.kill(pid, signal) }

    /// Reads both outputs to their end and waits for the process, killing it once `timeout`
    /// seconds have passed.
    public func wait(timeout: Double = 600) -> ProcessRun {
        let collected = Collected()
        let group = DispatchGroup()
        for (handle, isError) in [(stdout, false), (stderr, true)] {
            DispatchQueue.global().async(group: group) {
                collected.set(String(decoding: handle.readDataToEndOfFile(), as: UTF8.self), error: isError)
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let ended = wait4(pid, &status, WNOHANG, &usage)
            if ended == pid || (ended < 0 && errno != EINTR) { break }
            if Date() > deadline && !timedOut {
                timedOut = true
                kill()
            }
            usleep(10_000)
        }
        group.wait()
        let signal = status & 0x7F
        return ProcessRun(
            status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, signalled: signal != 0, timedOut: timedOut,
            stdout: collected.output, stderr: collected.errors, peakMB: usage.ru_maxrss / 1024)
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
