import CSVText
import Ingest

/// A record as the reader gave it, copied out of the reader's buffer.
public struct ReadRecord: Equatable, CustomStringConvertible {
    public let line: Int
    public let fields: [[UInt8]]
    public init(line: Int, fields: [[UInt8]]) { self.line = line; self.fields = fields }
    public var description: String {
        "line \(line): " + fields.map { "\"" + String(decoding: $0, as: UTF8.self) + "\"" }.joined(separator: ",")
    }
}

/// Everything one read of a file gave: its records in order, the error that ended it (kind and
/// line), and whether it ended between records.
public struct ReadResult: Equatable {
    public var records: [ReadRecord] = []
    public var error: CSVReadError.Kind?
    public var errorLine: Int?
    public var endedBetweenRecords = true

    public init() {}
}

/// Reads a file (or a part of it) with the engine's reader, checking what holds of every record:
/// numbered 1, 2, 3 ... in the part, lines never going back, every field made of bytes of the
/// input (so the fields of a record, and of the whole file, never hold more bytes than `limit`).
public func readAll(_ path: String, chunkSize: Int = 1 << 16, part: CSVPart? = nil, quickLines: Bool = true, limit: Int) -> ReadResult {
    var result = ReadResult()
    var total = 0
    var lastLine = part?.firstLine ?? 1
    do {
        var reader = CSVReader(path: path, chunkSize: chunkSize, part: part)
        reader.quickLines = quickLines
        result.endedBetweenRecords = try reader.forEachRecord { record in
            Fuzz.require(record.index == result.records.count + 1, "record \(record.index) follows record \(result.records.count)")
            Fuzz.require(record.count >= 1, "a record of no fields at line \(record.line)")
            Fuzz.require(record.line >= lastLine, "record at line \(record.line) after one at line \(lastLine)")
            lastLine = record.line
            var fields: [[UInt8]] = []
            fields.reserveCapacity(record.count)
            for i in 0..<record.count {
                let f = record.field(i)
                total += f.count
                Fuzz.require(f.count <= limit, "a field of \(f.count) bytes from \(limit) bytes of input")
                fields.append(Array(f))
            }
            Fuzz.require(total <= limit, "\(total) bytes of fields from \(limit) bytes of input")
            result.records.append(ReadRecord(line: record.line, fields: fields))
            return true
        }
    } catch let e as CSVReadError {
        result.error = e.kind
        result.errorLine = e.line
        Fuzz.require(e.file == path, "the error names \(e.file), not \(path)")
        Fuzz.require(!e.message.isEmpty, "an error without a message")
    } catch {
        Fuzz.require(false, "the reader threw something other than a CSVReadError: \(error)")
    }
    return result
}

/// The first difference between two reads, for messages.
public func firstDifference(_ a: ReadResult, _ b: ReadResult) -> String {
    for (i, (x, y)) in zip(a.records, b.records).enumerated() where x != y {
        return "record \(i + 1): \(x) against \(y)"
    }
    if a.records.count != b.records.count { return "\(a.records.count) records against \(b.records.count)" }
    return
        "error \(String(describing: a.error)) at \(String(describing: a.errorLine)) against \(String(describing: b.error)) at \(String(describing: b.errorLine))"
}
