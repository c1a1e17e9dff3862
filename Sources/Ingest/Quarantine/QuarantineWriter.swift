import Foundation

/// Writes the rows ingest refused, with their raw fields, to `<folder>/<source>.rejects.csv`. The file
/// holds personal data: it is created readable by its owner only, kept apart from every output, and
/// opened only when there is something to put in it.
public final class QuarantineWriter: @unchecked Sendable {
    public let path: String
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private(set) public var rows = 0
    private(set) public var failure: String?

    /// Rows written by a part read on another core, kept (with no header) until `adopt` moves them here.
    private let isSpool: Bool

    public init(folder: String, source: String) {
        path = folder + "/" + source + ".rejects.csv"
        isSpool = false
    }

    /// A spool for one part of a source, in the same folder (same owner-only permissions).
    init(folder: String, source: String, part: Int) {
        path = folder + "/." + source + ".part\(part).rejects.csv"
        isSpool = true
    }

    /// Appends a spool's rows (in order) and deletes the spool.
    func adopt(_ spool: QuarantineWriter) {
        spool.close()
        defer { spool.discard() }
        guard spool.rows > 0, let data = FileManager.default.contents(atPath: spool.path), openIfNeeded() else { return }
        flush()
        handle?.write(data)
        rows += spool.rows
    }

    /// Deletes a spool whose rows are not wanted (its part was read again).
    func discard() {
        close()
        if rows > 0 || FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        rows = 0
    }

    private func openIfNeeded() -> Bool {
        if handle != nil { return true }
        if failure != nil { return false }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            failure = "cannot create \(folder)"
            return false
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let h = FileHandle(forWritingAtPath: path) else {
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
        guard openIfNeeded() else { return }
        append([file, String(line), "0", "", kind.rawValue, message, ""])
        rows += 1
    }

    private func flush() {
        guard let handle, !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() {
        flush()
        try? handle?.close()
        handle = nil
    }
}
