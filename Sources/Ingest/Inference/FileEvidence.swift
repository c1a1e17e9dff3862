import CSVText
import Columnar
import Definitions
import Foundation

/// Why a file cannot be drafted from, with the line it was found at: the messages `validate`
/// gives the same files.
public struct InferenceError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// Every row of one or more files with the same columns, read as ingest reads them (plain or gzip,
/// a UTF-8 byte-order mark, CRLF or LF, quoted fields), each column's evidence gathered over all
/// of them: no sample. Large plain files are read in parts at once.
struct FileEvidence: Sendable {
    let files: [String]
    let header: [String]
    var columns: [ColumnEvidence]
    var rows = 0
    /// Rows with fewer fields than the header, and with more; the first line of each.
    var shortRows = 0
    var longRows = 0
    var firstShortLine: Int?
    var firstLongLine: Int?
    /// Rows whose fields are exactly one fewer than the header's (a Fingertips export pads them).
    var oneShortRows = 0
    /// From this line to the end, every row has `changedWidth` fields, not the header's.
    var changedFrom: Int?
    var changedWidth = 0

    /// Reads `paths` (at least one), which must share their header.
    static func read(
        _ paths: [String], threads: Int, reference: ReferenceData? = nil, partBytes: Int = 64 << 20
    ) throws(InferenceError) -> FileEvidence {
        var all: FileEvidence? = nil
        for path in paths {
            let one = try readFile(path, threads: threads, reference: reference, partBytes: partBytes)
            guard var so = all else {
                all = one
                continue
            }
            guard one.header == so.header else {
                throw InferenceError(
                    file: path, line: 1,
                    message: "its columns differ from \(so.files[0])'s (\(Self.difference(so.header, one.header))): draft each layout apart"
                )
            }
            so.append(one)
            all = so
        }
        return all!
    }

    static func difference(_ a: [String], _ b: [String]) -> String {
        let missing = a.filter { !b.contains($0) }, extra = b.filter { !a.contains($0) }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("without " + missing.joined(separator: ", ")) }
        if !extra.isEmpty { parts.append("with " + extra.joined(separator: ", ")) }
        return parts.isEmpty ? "the same columns in another order" : parts.joined(separator: "; ")
    }

    private mutating func append(_ other: FileEvidence) {
        for i in columns.indices { columns[i].merge(other.columns[i]) }
        rows += other.rows
        shortRows += other.shortRows
        longRows += other.longRows
        oneShortRows += other.oneShortRows
        firstShortLine = firstShortLine ?? other.firstShortLine
        firstLongLine = firstLongLine ?? other.firstLongLine
        if changedFrom == nil, let c = other.changedFrom { (changedFrom, changedWidth) = (c, other.changedWidth) }
    }

    private static func readFile(
        _ path: String, threads: Int, reference: ReferenceData?, partBytes: Int
    ) throws(InferenceError) -> FileEvidence {
        let name = (path as NSString).lastPathComponent
        let header: [String]
        do {
            var first: [String]? = nil
            try CSVReader(path: path).forEachRecord { r in
                first = r.headerNames()
                return false
            }
            guard let first else { throw InferenceError(file: name, line: nil, message: "the file is empty: no header row") }
            header = first
        } catch let e as InferenceError {
            throw e
        } catch let e as CSVReadError {
            throw InferenceError(file: name, line: e.line, message: e.message)
        } catch {
            throw InferenceError(file: name, line: nil, message: "\(error)")
        }
        try checkHeader(header, file: name)
        let pieces = eachPart(path, threads: threads, partBytes: partBytes) { part in
            Result { () throws(InferenceError) -> FileEvidence in
                try readPart(path, name: name, header: header, part: part, reference: reference)
            }
        }
        var out: FileEvidence? = nil
        for piece in pieces {
            let p = try piece.get()
            if out == nil { out = p } else { out!.append(p) }
        }
        return out!
    }

    /// `body` on each part of a plain file large enough to cut (`CSVSplitter`), at once, in file
    /// order; on the whole file (nil) otherwise.
    static func eachPart<T>(_ path: String, threads: Int, partBytes: Int, _ body: @Sendable (CSVPart?) -> T) -> [T] {
        let parts = CSVSplitter.parts(of: path, size: fileSize(path), partBytes: partBytes, threads: threads)
        return parallelMap(parts.map { $0.map(Optional.some) } ?? [nil], threads: threads, body)
    }

    /// Hashes of values unique in each of two parts of a file: unique in both together when no
    /// value is in both; nil (a repeat) otherwise, or when either already had one.
    static func unique(_ a: Set<UInt64>?, then b: Set<UInt64>?) -> Set<UInt64>? {
        guard let a, let b, a.isDisjoint(with: b) else { return nil }
        return a.union(b)
    }

    /// A header ingest can read: named, distinct columns that are not data (a file without a
    /// header starts with a record).
    static func checkHeader(_ header: [String], file: String) throws(InferenceError) {
        let cells = header.map { $0.trimmingCharacters(in: .whitespaces) }
        // One column whose name holds another separator: the file is not comma-separated.
        if cells.count == 1, let sep = [";", "\t", "|"].first(where: { cells[0].contains($0) }) {
            let shown = sep == "\t" ? "tabs" : "'\(sep)'"
            throw InferenceError(
                file: file, line: 1,
                message: "the columns are separated by \(shown), not commas: ingest reads comma-separated files; save it as CSV")
        }
        let looksLikeData = cells.filter { c in
            c.isEmpty || Double(c) != nil || c.range(of: #"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"#, options: .regularExpression) != nil
        }
        if cells.count > 1 && looksLikeData.count * 2 >= cells.count {
            throw InferenceError(
                file: file, line: 1,
                message:
                    "the first row looks like data, not a header (\(looksLikeData.prefix(3).map { "'\($0)'" }.joined(separator: ", "))): "
                    + "ingest reads columns by their names, so add a header row")
        }
        if let blank = cells.firstIndex(of: "") {
            throw InferenceError(file: file, line: 1, message: "column \(blank + 1) of the header has no name")
        }
        var seen: Set<String> = []
        for c in cells where !seen.insert(c).inserted {
            throw InferenceError(file: file, line: 1, message: "the header names column '\(c)' twice")
        }
    }

    private static func readPart(
        _ path: String, name: String, header: [String], part: CSVPart?, reference: ReferenceData?
    ) throws(InferenceError) -> FileEvidence {
        var e = FileEvidence(files: [path], header: header, columns: header.map { _ in ColumnEvidence() })
        let dates = DateCandidates()
        let width = header.count
        var runStart: Int? = nil, runWidth = 0, runRows = 0
        let skipHeader = (part?.index ?? 0) == 0
        do {
            try CSVReader(path: path, part: part).forEachRecord { r in
                if skipHeader && r.index == 1 { return true }
                e.rows += 1
                let n = r.count
                if n != width {
                    if n < width {
                        e.shortRows += 1
                        if n == width - 1 { e.oneShortRows += 1 }
                        e.firstShortLine = e.firstShortLine ?? r.line
                    } else {
                        e.longRows += 1
                        e.firstLongLine = e.firstLongLine ?? r.line
                    }
                    if runStart == nil || runWidth != n { (runStart, runWidth, runRows) = (r.line, n, 0) }
                    runRows += 1
                } else {
                    runStart = nil
                }
                let ascii = r.isASCII
                for i in 0..<min(n, width) { e.columns[i].add(r.field(i), ascii: ascii, dates: dates, reference: reference) }
                return true
            }
        } catch let error as CSVReadError {
            throw InferenceError(file: name, line: error.line, message: error.message)
        } catch {
            throw InferenceError(file: name, line: nil, message: "\(error)")
        }
        // A run of other widths to the end of the last part, of more than a few rows: the columns changed.
        if let start = runStart, part?.isLast ?? true, runRows >= 10 {
            (e.changedFrom, e.changedWidth) = (start, runWidth)
        }
        return e
    }
}
