import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file of a publication that could not be written, with the system's reason (disk full, a
/// file-size limit, permissions), naming the file as it will be published.
public struct PublicationWriteError: Error, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "cannot write \(file): \(reason)" }
}

/// Publishes a build atomically: everything is written into a staging folder beside the output
/// (created readable by its owner only), and only when every file is complete is the staging
/// folder renamed into place (the old output is first moved aside, then removed). A build that
/// fails or is killed leaves the previous output as it was; what a killed build left is cleared by
/// the next, which first puts back an output a kill caught moved aside.
public struct Publication: Sendable {
    public let output: String
    public let staging: String

    /// Why a publication is refused.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Told the staging folder when one is made, and nil once it is committed or discarded (the
    /// executable's allocation guard removes it if memory runs out). Set once, at start, before any
    /// build runs (so never written while it is read).
    nonisolated(unsafe) public static var stagingObserver: (@Sendable (String?) -> Void)?

    /// Starts a publication for `output`, clearing staging folders that earlier builds left. An
    /// output is replaced whole, so `output` must be a new or empty folder or an earlier build's
    /// (one with a `manifest.json`): the root, a file, or a folder of other things is refused.
    public init(output: String) throws {
        try Self.check(output: output)
        let url = URL(fileURLWithPath: output).standardizedFileURL
        self.output = url.path
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let fm = FileManager.default
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        func isLeftOver(_ entry: String) -> Bool {
            // Left by a build that was killed: its process is gone (or it is this one's pid, reused).
            let pid = Int32(entry.split(separator: "-").last ?? "") ?? 0
            return pid == 0 || pid == getpid() || kill(pid, 0) != 0
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: parent)) ?? []).sorted()
        // A build killed between its two renames left the output moved aside: it goes back first.
        if !fm.fileExists(atPath: url.path),
            let moved = entries.filter({ $0.hasPrefix("." + name + ".previous-") && isLeftOver($0) }).last
        {
            try fm.moveItem(atPath: parent + "/" + moved, toPath: url.path)
        }
        for entry in entries
        where (entry.hasPrefix("." + name + ".staging-") || entry.hasPrefix("." + name + ".previous-")) && isLeftOver(entry) {
            try? fm.removeItem(atPath: parent + "/" + entry)
        }
        staging = parent + "/." + name + ".staging-\(getpid())"
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        Self.stagingObserver?(staging)
    }

    /// Refuses an output that a build may not replace (see `init`); nothing is touched.
    public static func check(output: String) throws {
        let url = URL(fileURLWithPath: output).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if url.path == "/" || name.isEmpty || name == "/" || parent == url.path {
            throw Refusal(description: "the output folder cannot be \(url.path): a build replaces its output folder whole")
        }
        if fm.fileExists(atPath: url.path, isDirectory: &isFolder) {
            let entries = isFolder.boolValue ? ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []) : ["?"]
            if !isFolder.boolValue || (!entries.isEmpty && !entries.contains("manifest.json")) {
                throw Refusal(
                    description:
                        "\(url.path) is not an earlier build's output (it has no manifest.json) and a build replaces its output folder whole: choose a new or empty folder"
                )
            }
        }
    }

    /// Writes one file of the publication (folders made as needed). The path stays inside the
    /// output: an absolute path or one with a `..` part is refused. Every write is checked: a
    /// short write (disk full, a file-size limit) throws `PublicationWriteError` naming the file.
    public func write(_ relativePath: String, _ data: Data) throws {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        if relativePath.isEmpty || relativePath.hasPrefix("/") || parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            throw Refusal(description: "'\(relativePath)' would be written outside the output folder")
        }
        let path = staging + "/" + relativePath
        let shown = output + "/" + relativePath
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw PublicationWriteError(file: shown, reason: "cannot create its folder (\(error.localizedDescription))")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PublicationWriteError(file: shown, reason: String(cString: strerror(errno))) }
        var failure: Int32 = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let n = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw PublicationWriteError(file: shown, reason: String(cString: strerror(failure))) }
    }

    /// Puts the staging folder in place of the output. The old output is moved aside first and
    /// removed after, so at every moment one complete version exists on disk.
    public func commit() throws {
        let fm = FileManager.default
        defer { Self.stagingObserver?(nil) }
        // Readable by the owner's group as any output folder is; staging was private while incomplete.
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staging)
        let previous =
            (output as NSString).deletingLastPathComponent + "/." + (output as NSString).lastPathComponent + ".previous-\(getpid())"
        if fm.fileExists(atPath: output) { try fm.moveItem(atPath: output, toPath: previous) }
        do {
            try fm.moveItem(atPath: staging, toPath: output)
        } catch {
            if fm.fileExists(atPath: previous) { try? fm.moveItem(atPath: previous, toPath: output) }
            throw error
        }
        try? fm.removeItem(atPath: previous)
    }

    /// Abandons the publication: the previous output stays.
    public func discard() {
        Self.stagingObserver?(nil)
        try? FileManager.default.removeItem(atPath: staging)
    }
}

#if canImport(Glibc)
    private let posixWrite = Glibc.write
#else
    private let posixWrite = Darwin.write
#endif
