import CCSV
import CZlib

/// Streams the records of a CSV file (plain or gzip, multi-member) through libcsv.
///
/// RFC 4180: quoted fields, doubled quotes, embedded newlines, CRLF or LF, a leading UTF-8
/// byte-order mark, a last line without a newline. Memory is bounded by the chunk size and the
/// longest record, not by the file. Each record is reported with the physical line it starts on.
public struct CSVReader: Sendable {
    public let path: String
    public var chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = chunkSize
    }

    /// Calls `body` for each record in order; `body` returns false to stop early.
    /// - Complexity: O(bytes in the file).
    public func forEachRecord(_ body: (CSVRecord) throws -> Bool) throws {
        guard let gz = gzopen(path, "rb") else {
            throw CSVReadError(kind: .cannotOpen, file: path, message: "cannot open the file")
        }
        defer { gzclose(gz) }
        gzbuffer(gz, 1 << 17)

        let state = CSVParseState()
        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT_FINI | CSV_APPEND_NULL)) == 0 else {
            throw CSVReadError(kind: .outOfMemory, file: path, message: "libcsv could not initialise")
        }
        defer { csv_free(&parser) }

        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 8)
        defer { chunk.deallocate() }
        var firstChunk = true
        var line = 1
        var stopped = false
        let context = Unmanaged.passUnretained(state).toOpaque()

        func deliver() throws {
            for i in 0..<state.completed.count where !stopped {
                let rec = state.completed[i]
                state.recordCount += 1
                let keepGoing = try state.withRecord(rec, index: state.recordCount) { try body($0) }
                if !keepGoing { stopped = true }
            }
            state.completed.removeAll(keepingCapacity: true)
            state.compact()
        }

        while !stopped {
            let n = Int(gzread(gz, chunk.baseAddress, UInt32(chunkSize)))
            if n < 0 {
                var code: Int32 = 0
                let msg = String(cString: gzerror(gz, &code))
                throw CSVReadError(kind: .corruptCompression, file: path, line: line, message: msg)
            }
            if n == 0 { break }
            var start = 0
            if firstChunk {
                firstChunk = false
                if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { start = 3 }
            }
            // Feed line by line so each record knows the physical line it starts on.
            var pos = start
            while pos < n {
                var end = pos
                while end < n && chunk[end] != 0x0A { end += 1 }
                if end < n { end += 1 }
                if parser.pstate == 0 { state.pendingStartLine = line }
                let len = end - pos
                if csv_parse(&parser, chunk.baseAddress! + pos, len, csvFieldCallback, csvRecordCallback, context) != len {
                    throw parseError(&parser, line: state.pendingStartLine)
                }
                if chunk[end - 1] == 0x0A { line += 1 }
                pos = end
            }
            try deliver()
        }
        if stopped { return }
        // gzread reports a truncated stream only at its end, as Z_BUF_ERROR.
        var code: Int32 = 0
        let msg = String(cString: gzerror(gz, &code))
        if code == Z_BUF_ERROR {
            throw CSVReadError(kind: .corruptCompression, file: path, line: line,
                               message: "the compressed file ends in the middle of a gzip stream (truncated?)")
        }
        if code != Z_OK {
            throw CSVReadError(kind: .corruptCompression, file: path, line: line, message: msg)
        }
        // A quoted field still open at the end of the file (libcsv only reports this in strict mode).
        if parser.pstate == 2 && parser.quoted != 0 {
            throw CSVReadError(kind: .unterminatedQuote, file: path, line: state.pendingStartLine,
                               message: "a quoted field is not closed before the end of the file")
        }
        if csv_fini(&parser, csvFieldCallback, csvRecordCallback, context) != 0 {
            throw parseError(&parser, line: state.pendingStartLine)
        }
        try deliver()
    }

    private func parseError(_ parser: inout csv_parser, line: Int) -> CSVReadError {
        let code = csv_error(&parser)
        switch code {
        case CSV_EPARSE:
            return CSVReadError(kind: .unterminatedQuote, file: path, line: line,
                                message: "a quoted field is not closed before the end of the file")
        case CSV_ENOMEM, CSV_ETOOBIG:
            return CSVReadError(kind: .outOfMemory, file: path, line: line,
                                message: "a field is too large to hold in memory")
        default:
            return CSVReadError(kind: .parse, file: path, line: line, message: String(cString: csv_strerror(code)))
        }
    }
}

/// Records completed by libcsv but not yet handed to the consumer, stored contiguously.
final class CSVParseState {
    struct Pending { var fieldStart: Int; var fieldEnd: Int; var line: Int }
    var bytes: [UInt8] = []
    var ends: [Int] = []          // absolute end offset (in `bytes`) of each field
    var completed: [Pending] = []
    var currentFieldStart = 0     // index into `ends` of the current record's first field
    var pendingStartLine = 1
    var recordCount = 0

    init() {
        bytes.reserveCapacity(1 << 16)
        ends.reserveCapacity(1 << 12)
    }

    func appendField(_ p: UnsafeRawPointer?, _ n: Int) {
        if let p, n > 0 {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n).bindMemory(to: UInt8.self))
        }
        ends.append(bytes.count)
    }

    func endRecord() {
        completed.append(Pending(fieldStart: currentFieldStart, fieldEnd: ends.count, line: pendingStartLine))
        currentFieldStart = ends.count
    }

    func withRecord<R>(_ rec: Pending, index: Int, _ body: (CSVRecord) throws -> R) rethrows -> R {
        let base = rec.fieldStart == 0 ? 0 : ends[rec.fieldStart - 1]
        return try bytes.withUnsafeBufferPointer { allBytes in
            try ends.withUnsafeBufferPointer { allEnds in
                // Rebase field ends so the record's first field starts at offset 0.
                var local = [Int](repeating: 0, count: rec.fieldEnd - rec.fieldStart)
                for i in 0..<local.count { local[i] = allEnds[rec.fieldStart + i] - base }
                let upper = rec.fieldEnd == rec.fieldStart ? base : allEnds[rec.fieldEnd - 1]
                return try local.withUnsafeBufferPointer { le in
                    try body(CSVRecord(bytes: UnsafeBufferPointer(rebasing: allBytes[base..<upper]),
                                       ends: le, line: rec.line, index: index))
                }
            }
        }
    }

    /// Drops delivered records, keeping the bytes of a record still being parsed.
    func compact() {
        let keepFrom = currentFieldStart == 0 ? 0 : ends[currentFieldStart - 1]
        if currentFieldStart == 0 { return }
        bytes.removeFirst(keepFrom)
        ends.removeFirst(currentFieldStart)
        for i in ends.indices { ends[i] -= keepFrom }
        currentFieldStart = 0
    }
}

private func csvFieldCallback(_ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?) {
    Unmanaged<CSVParseState>.fromOpaque(data!).takeUnretainedValue().appendField(field, length)
}

private func csvRecordCallback(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
    Unmanaged<CSVParseState>.fromOpaque(data!).takeUnretainedValue().endRecord()
}
