import Columnar
import Crypto
import Foundation

/// `manifest.json` of a build: what went in (each file's name, size, SHA-256 and rows accepted and
/// rejected), what came out (each file's SHA-256), the period, the disclosure rules, the engine's
/// version. The build time is the only thing in the output that changes between two builds of the
/// same inputs.
public enum Manifest {
    public struct Input: Sendable {
        public let file: String
        public let source: String
        public let path: String
        public let rowsRead: Int
        public let accepted: Int
        public let rejected: Int
        /// Accepted rows a later drop replaced (a build over several drops).
        public let replaced: Int?
        public init(file: String, source: String, path: String, rowsRead: Int, accepted: Int, rejected: Int, replaced: Int? = nil) {
            self.file = file; self.source = source; self.path = path; self.rowsRead = rowsRead; self.accepted = accepted;
            self.rejected = rejected
            self.replaced = replaced
        }
    }

    /// SHA-256 of a file, read in blocks of 1 MiB into one buffer (no new memory per block).
    public static func sha256(ofFile path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var hash = SHA256()
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of files. With more than one thread they are worked out in the background from
    /// the moment they are named (a build's inputs are hashed while its profiles are built, on
    /// whatever cores those leave idle), by up to `threads - 1` workers, a file each at a time;
    /// with one, when first asked for. `digest(of:)` waits for the background work to end.
    public final class FileDigests: @unchecked Sendable {
        private var digests: [String: String] = [:]
        private let done = DispatchGroup()
        private let lock = NSLock()
        private let background: Bool

        public init(paths: [String], threads: Int) {
            let unique = Array(Set(paths)).sorted()
            background = threads > 1
            guard background else { return }
            done.enter()
            DispatchQueue.global(qos: .utility).async {
                let digests = parallelMap(unique, threads: threads - 1) { Manifest.sha256(ofFile: $0) }
                self.lock.lock()
                for (path, d) in zip(unique, digests) { self.digests[path] = d }
                self.lock.unlock()
                self.done.leave()
            }
        }

        /// The digest of `path` (nil when it was not named or could not be read).
        public func digest(of path: String) -> String? {
            guard background else { return Manifest.sha256(ofFile: path) }
            done.wait()
            lock.lock()
            defer { lock.unlock() }
            return digests[path]
        }
    }

    /// What disclosure control did for one group: the rule, and what it cost (count cells shown,
    /// small counts withheld, other counts withheld to protect them, tables withheld whole and why).
    /// For the analysts who run the build: the group folders themselves say only the rule and the
    /// tables withheld.
    public struct Disclosure: Sendable {
        public let group: String, audience: String, rule: String
        public let published: Int, primary: Int, secondary: Int
        public let withheldTables: [(table: String, reason: String)]
        public init(
            group: String, audience: String, rule: String, published: Int = 0, primary: Int = 0, secondary: Int = 0,
            withheldTables: [(table: String, reason: String)] = []
        ) {
            self.group = group; self.audience = audience; self.rule = rule
            self.published = published; self.primary = primary; self.secondary = secondary; self.withheldTables = withheldTables
        }
    }

    /// The layout of `manifest.json`: the top level and its lists one item a line.
    static let layout = JSONWriter.Layout.records(listsUnder: ["replaced", "inputs", "comparators", "disclosure", "outputs"])

    /// Writes the manifest into the publication, hashing every file already in it. Inputs and
    /// comparator files are taken from `digests` where it names them.
    public static func write(
        into publication: Publication, engineVersion: String, builtAt: Date, drop: String, period: String,
        previousPeriod: String, inputs: [Input], comparators: [String], disclosure: [Disclosure],
        drops: [String] = [], replaced: [(source: String, accepted: Int, replaced: Int)] = [],
        digests: FileDigests? = nil
    ) throws {
        func digest(_ path: String) -> String? { digests?.digest(of: path) ?? sha256(ofFile: path) }
        let fm = FileManager.default
        let outputs = (fm.subpaths(atPath: publication.staging) ?? []).sorted().filter { p in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: publication.staging + "/" + p, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime]
        format.timeZone = TimeZone(identifier: "UTC")
        var members: [(key: String, value: JSONValue)] = [
            ("engine", .string("partnership profiles engine " + engineVersion)), ("built_at", .string(format.string(from: builtAt))),
            ("drop", .string(drop)),
        ]
        if drops.count > 1 {
            members += [("drops", .array(drops.map { .string($0) })), ("replaced", .array(replaced.map(replacement)))]
        }
        let comparatorFiles: [JSONValue] = comparators.map { p in
            ["file": .string((p as NSString).lastPathComponent), "sha256": .string(digest(p) ?? "")]
        }
        let outputFiles: [JSONValue] = outputs.map { o in
            let path = publication.staging + "/" + o
            return ["file": .string(o), "bytes": .integer(fileSize(path)), "sha256": .string(sha256(ofFile: path) ?? "")]
        }
        members += [
            ("period", .string(period)), ("previous_period", .string(previousPeriod)),
            ("inputs", .array(inputs.map { i in input(i, bytes: fileSize(i.path), sha256: digest(i.path) ?? "") })),
            ("comparators", .array(comparatorFiles)), ("disclosure", .array(disclosure.map(loss))), ("outputs", .array(outputFiles)),
        ]
        try publication.write("manifest.json", JSONWriter.document(.object(members), layout: layout))
    }

    static func fileSize(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }

    /// A dataset read from several drops: its rows accepted, replaced by a later drop's, and kept.
    static func replacement(_ r: (source: String, accepted: Int, replaced: Int)) -> JSONValue {
        [
            "source": .string(r.source), "accepted": .integer(r.accepted), "replaced": .integer(r.replaced),
            "kept": .integer(r.accepted - r.replaced),
        ]
    }

    /// An input file: name, source, size, SHA-256, the row account (and rows replaced, over several drops).
    static func input(_ i: Input, bytes: Int, sha256: String) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("file", .string(i.file)), ("source", .string(i.source)), ("bytes", .integer(bytes)), ("sha256", .string(sha256)),
            ("rows_read", .integer(i.rowsRead)), ("accepted", .integer(i.accepted)), ("rejected", .integer(i.rejected)),
        ]
        if let replaced = i.replaced { members.append(("replaced", .integer(replaced))) }
        return .object(members)
    }

    /// What disclosure control cost one group.
    static func loss(_ d: Disclosure) -> JSONValue {
        [
            "group": .string(d.group), "audience": .string(d.audience), "rule": .string(d.rule),
            "cells_published": .integer(d.published), "primary_withheld": .integer(d.primary), "secondary_withheld": .integer(d.secondary),
            "tables_withheld": .array(d.withheldTables.map { ["table": .string($0.table), "reason": .string($0.reason)] }),
        ]
    }
}
