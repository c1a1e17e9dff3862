import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on an output folder, so that two builds into the same output never run at
/// once: `OUT.lock` beside the folder, held with `flock(LOCK_EX | LOCK_NB)`. The kernel releases it
/// when the holder's process ends, however it ends (a killed build leaves no stale lock); the file
/// itself stays, holding the pid of the last build that took it.
///
/// Unchecked Sendable: its state is the open descriptor, set at creation and closed once by `release`.
public final class OutputLock: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        /// Another build holds the lock (its pid as written in the lock file, when readable).
        case held(lockFile: String, holder: Int32?)
        case cannotOpen(lockFile: String, reason: String)

        public var description: String {
            switch self {
            case .held(let file, let pid):
                return "another build is writing to this output" + (pid.map { " (process \($0))" } ?? "") + ": \(file) is locked"
            case .cannotOpen(let file, let reason):
                return "cannot open the lock file \(file): \(reason)"
            }
        }
    }

    public let path: String
    private var descriptor: Int32

    /// Takes the lock of `output` (creating its parent folder and the lock file as needed), or
    /// throws `Failure.held` at once when another process holds it.
    public init(output: String) throws {
        let url = URL(fileURLWithPath: output).standardizedFileURL
        path = url.path + ".lock"
        try? FileManager.default.createDirectory(atPath: url.deletingLastPathComponent().path, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.cannotOpen(lockFile: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let holder = Self.readPID(fd)
            close(fd)
            if reason == EWOULDBLOCK { throw Failure.held(lockFile: path, holder: holder) }
            throw Failure.cannotOpen(lockFile: path, reason: String(cString: strerror(reason)))
        }
        descriptor = fd
        // Who holds it, for the build that finds it taken.
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (also released when the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
