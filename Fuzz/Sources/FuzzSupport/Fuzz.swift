import Foundation
import FuzzDriver

#if canImport(Glibc)
    import Glibc
#endif

/// What every fuzz target shares: where the project is, a private scratch folder for the files the
/// readers open, and `require`, which stops the run (so libFuzzer keeps the input) when an
/// invariant does not hold.
public enum Fuzz {
    /// The project folder: `$PROFILER_FUZZ_ROOT` (set by scripts/fuzz), else found from this file.
    public static let root: String = {
        if let r = ProcessInfo.processInfo.environment["PROFILER_FUZZ_ROOT"], !r.isEmpty { return r }
        // <root>/Fuzz/Sources/FuzzSupport/Fuzz.swift
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A folder of this process only (in memory when /dev/shm exists), removed at exit.
    public static let scratch: String = {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = base + "/profiles-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try! FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        atexit { try? FileManager.default.removeItem(atPath: Fuzz.scratch) }
        return dir
    }()

    /// Writes bytes to `name` in the scratch folder (replacing it) and returns its path.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to name: String) -> String {
        let path = scratch + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            precondition(n > 0, "cannot write \(path)")
            done += n
        }
        close(fd)
        return path
    }

    @discardableResult
    public static func write(_ bytes: [UInt8], to name: String) -> String {
        bytes.withUnsafeBytes { write($0, to: name) }
    }

    /// Stops the run with a message when `condition` is false: a broken invariant is a finding,
    /// like a crash, and libFuzzer keeps the input that caused it.
    public static func require(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        if condition() { return }
        FileHandle.standardError.write(Data("\nINVARIANT VIOLATED at \(file):\(line): \(message())\n".utf8))
        abort()
    }
}

/// The fuzz input as a buffer (libFuzzer may pass a null pointer for the empty input).
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: size == 0 ? nil : data, count: size)
}

/// Runs libFuzzer (its options and corpus folders from the command line) on `target`, and exits
/// with its status.
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
