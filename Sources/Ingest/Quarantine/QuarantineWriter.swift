import CSVText
import Foundation

/// Writes the rows ingest refused, with their raw fields, to `<folder>/<source>.rejects.csv`. The file
/// holds personal data: it is created readable by its owner only, kept apart from every output, and
/// opened only when there is something to put in it.
///
/// It can also (or only) note the line of each refused record, per file, without writing anything:
/// a build over several drops needs to know which records of a file became rows.
///
/// Unchecked Sendable: a writer is used by one ingest task at a time (a part's spool is adopted by
/// its source's writer only after every part has been read).
public final class QuarantineWriter: @unchecked Sendable {
    public let path: String
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private(set) public var rows = 0
    private(set) public var failure: String?
    /// Nothing is written: refused lines are only noted.
    private let notesOnly: Bool
    /// The line each refused record starts on, per file name, when asked for.
    private(set) var refusedLines: [String: [Int]]?

    /// Rows written by a part read on another core, kept (with no header) until `adopt` moves them here.
    private let isSpool: Bool

    public init(folder: String, source: String) {
        path = folder + "/" + source + ".rejects.csv"
        isSpool = false
        notesOnly = false
    }

    /// A spool for one part of a source, in the same folder (same owner-only permissions).
    init(folder: String, source: String, part: Int) {
        path = folder + "/." + source + ".part\(part).rejects.csv"
        isSpool = true
        notesOnly = false
    }

    /// A writer for `folder` (nil: none) that notes refused lines when `noteLines` is set; nil when
    /// there is nothing for it to do.
    static func make(folder: String?, source: String, part: Int? = nil, noteLines: Bool) -> QuarantineWriter? {
        let writer: QuarantineWriter
        if let folder {
            writer =
                part.map { QuarantineWriter(folder: folder, source: source, part: $0) } ?? QuarantineWriter(folder: folder, source: source)
        } else if noteLines {
            writer = QuarantineWriter(notingLinesOf: source)
        } else {
            return nil
        }
        if noteLines { writer.refusedLines = [:] }
        return writer
    }

    private init(notingLinesOf source: String) {
        path = ""
        isSpool = true
        notesOnly = true
    }

    private func note(file: String, line: Int) {
        guard refusedLines != nil else { return }
        refusedLines![file, default: []].append(line)
    }

    /// Appends a spool's rows (in order) and deletes the spool.
    func adopt(_ spool: QuarantineWriter) {
        spool.close()
        if refusedLines != nil, let lines = spool.refusedLines {
            refusedLines!.merge(lines) { $0 + $1 }
        }
        if failure == nil, let lost = spool.failure { failure = lost }
        defer { spool.discard() }
        guard spool.rows > 0, let data = FileManager.default.contents(atPath: spool.path), openIfNeeded() else { return }
        flush()
        guard let handle else { return }
        do {
            try handle.write(contentsOf: data)
        } catch {
            fail(error)
            return
        }
        rows += spool.rows
    }

    /// Deletes a spool whose rows are not wanted (its part was read again).
    func discard() {
        close()
        if refusedLines != nil { refusedLines = [:] }
        if notesOnly { return }
        if rows > 0 || FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        rows = 0
    }

    private func openIfNeeded() -> Bool {
        if handle != nil { return true }
        if failure != nil || notesOnly { return false }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            failure = "cannot create \(folder)"
            return false
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let h = FileHandle(forWritingAtPath: path)
        else {
            failure = "cannot create \(path)"
            return false
        }
        handle = h
        if !isSpool { append(["file", "line", "column", "column_name", "error", "message", "raw_record"]) }
        return true
    }

    /// Appends a row; `rawLast`, already CSV-quoted, is appended as a last field byte for byte.
    private func append(_ fields: [String], rawLast: [UInt8]? = nil) {
        for (i, f) in fields.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            let needsQuotes = f.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes { buffer.append(0x22) }
            for b in f.utf8 {
                buffer.append(b)
                if b == 0x22 { buffer.append(0x22) }
            }
            if needsQuotes { buffer.append(0x22) }
        }
        if let rawLast {
            buffer.append(0x2C)
            buffer.append(contentsOf: rawLast)
        }
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    func write(file: String, line: Int, column: Int, columnName: String, kind: RejectKind, message: String, record: CSVRecord) {
        note(file: file, line: line)
        guard openIfNeeded() else { return }
        // The raw record as one CSV field holding the record as CSV, bytes kept as they came
        // (invalid encodings included).
        var inner: [UInt8] = []
        for i in 0..<record.count {
            if i > 0 { inner.append(0x2C) }
            inner.append(0x22)
            for b in record.field(i) {
                inner.append(b)
                if b == 0x22 { inner.append(0x22) }
            }
            inner.append(0x22)
        }
        var quoted: [UInt8] = [0x22]
        for b in inner {
            quoted.append(b)
            if b == 0x22 { quoted.append(0x22) }
        }
        quoted.append(0x22)
        append([file, String(line), String(column), columnName, kind.rawValue, message], rawLast: quoted)
        rows += 1
    }

    func writeUnreadable(file: String, line: Int, kind: RejectKind, message: String) {
        note(file: file, line: line)
        guard openIfNeeded() else { return }
        append([file, String(line), "0", "", kind.rawValue, message, ""])
        rows += 1
    }

    private func flush() {
        guard let handle, !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            fail(error)
        }
    }

    /// A write that failed (disk full, a file-size limit): nothing more is written, and the
    /// failure is reported with the file's path.
    private func fail(_ error: any Error) {
        let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        let reason =
            posix.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
            ?? ((error as NSError).domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32((error as NSError).code))) : "\(error)")
        if failure == nil { failure = "cannot write \(path): \(reason)" }
        try? handle?.close()
        handle = nil
    }

    public func close() {
        flush()
        try? handle?.close()
        handle = nil
    }
}
