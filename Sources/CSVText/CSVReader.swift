import CCSV
import CLineCut
import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams the records of a CSV file (plain or gzip, multi-member) through libcsv.
///
/// RFC 4180: quoted fields, doubled quotes, embedded newlines, CRLF or LF, a leading UTF-8
/// byte-order mark, a last line without a newline. The file is read in large chunks, line by line:
/// a line with no double quote (nearly every line of an extract) is cut at its commas here, eight
/// bytes at a time, exactly as libcsv would cut it; a line with one goes to libcsv, which reads on
/// until its record ends (a test checks that both give the same records on random texts). Each
/// record is handed over as soon as it is complete, with the physical line it starts on
/// (counted from the line feeds that end rows and those inside quoted fields). Memory is bounded by
/// the chunk size and the longest record, not by the file; a record may not exceed
/// `maxRecordBytes`, so a line that never ends (or a gzip bomb) is refused before it fills memory.
public struct CSVReader: Sendable {
    /// The longest record read: 8 MB (a real extract's longest record is a few kilobytes). A file
    /// with a longer one fails with `recordTooLarge` at the line the record starts on.
    public static let maxRecordBytes = 8 << 20

    public let path: String
    public var chunkSize: Int
    /// A part of a plain file that starts on a record boundary (see `CSVSplitter`), or nil for all of it.
    public var part: CSVPart?
    /// Whether lines without quotes are cut at their commas without libcsv (the same records, much
    /// faster); off, every byte goes through libcsv (for tests that compare the two).
    public var quickLines = true

    public init(path: String, chunkSize: Int = 1 << 20, part: CSVPart? = nil) {
        self.path = path
        self.chunkSize = chunkSize
        self.part = part
    }

    /// Calls `body` for each record in order; `body` returns false to stop early. Records are
    /// numbered from 1 within the part read; lines are the file's physical lines.
    /// - Returns: whether the bytes read ended between records (a part that ends inside a quoted
    ///   field was cut at the wrong place and must be read again as part of the whole file).
    /// - Complexity: O(bytes read).
    @discardableResult
    public func forEachRecord(_ body: (CSVRecord) throws -> Bool) throws -> Bool {
        if let part { return try forEachRecord(in: part, body) }
        if let whole = GzipWhole.inflate(path: path) {
            // Read in place: the inflated bytes are the one chunk, given at the first read.
            defer { whole.deallocate() }
            var given = false
            return try parse(
                firstLine: 1, skipBOM: true, inPlace: whole,
                read: { _, _ in
                    defer { given = true }
                    return .success(given ? 0 : whole.count)
                }, finish: { nil }, body)
        }
        guard let gz = gzopen(path, "rb") else {
            throw CSVReadError(kind: .cannotOpen, file: path, message: "cannot open the file")
        }
        defer { gzclose(gz) }
        gzbuffer(gz, 1 << 17)
        return try parse(
            firstLine: 1, skipBOM: true,
            read: { chunk, size in
                let n = Int(gzread(gz, chunk, UInt32(size)))
                if n < 0 {
                    var code: Int32 = 0
                    return .failure(String(cString: gzerror(gz, &code)))
                }
                return .success(n)
            },
            finish: {
                // gzread reports a truncated stream only at its end, as Z_BUF_ERROR.
                var code: Int32 = 0
                let msg = String(cString: gzerror(gz, &code))
                if code == Z_BUF_ERROR { return "the compressed file ends in the middle of a gzip stream (truncated?)" }
                return code == Z_OK ? nil : msg
            }, body)
    }

    /// Reads the byte range of a plain file.
    private func forEachRecord(in part: CSVPart, _ body: (CSVRecord) throws -> Bool) throws -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CSVReadError(kind: .cannotOpen, file: path, message: "cannot open the file") }
        defer { close(fd) }
        var offset = part.bytes.lowerBound
        return try parse(
            firstLine: part.firstLine, skipBOM: offset == 0,
            read: { chunk, size in
                let want = min(size, part.bytes.upperBound - offset)
                if want <= 0 { return .success(0) }
                let n = pread(fd, chunk, want, off_t(offset))
                if n < 0 { return .failure("read failed: \(String(cString: strerror(errno)))") }
                offset += n
                return .success(n)
            }, finish: { nil }, body)
    }

    private enum Chunk { case success(Int), failure(String) }

    /// Parses what `read` gives into the chunk (`inPlace`, when given, is the chunk, already
    /// holding the bytes `read` reports).
    private func parse(
        firstLine: Int, skipBOM: Bool, inPlace: UnsafeMutableRawBufferPointer? = nil, read: (UnsafeMutableRawPointer, Int) -> Chunk,
        finish: () -> String?, _ body: (CSVRecord) throws -> Bool
    ) throws -> Bool {
        var parser = csv_parser()
        // Every unquoted CR and LF ends a row, so blank lines are seen and counted too.
        guard csv_init(&parser, UInt8(CSV_REPALL_NL)) == 0 else {
            throw CSVReadError(kind: .outOfMemory, file: path, message: "libcsv could not initialise")
        }
        defer { csv_free(&parser) }
        let chunk = inPlace ?? UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 8)
        defer { if inPlace == nil { chunk.deallocate() } }
        let chunkSize = chunk.count
        let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)

        return try withoutActuallyEscaping(body) { body in
            let state = CSVParseState(consumer: body, firstLine: firstLine)
            let context = Unmanaged.passUnretained(state).toOpaque()
            var unended = 0
            func feed(_ from: Int, _ to: Int) throws { try self.feed(&parser, base + from, to - from, state, context, unended: &unended) }
            var firstChunk = skipBOM
            // Bytes of an unfinished line carried to the front of the chunk; whether libcsv holds
            // the beginning of a record (then it reads on until that record ends).
            var kept = 0
            var inLibcsv = false
            var atEnd = false
            while !state.stopped && !atEnd {
                let got = try received(read(chunk.baseAddress! + kept, chunkSize - kept), line: state.line)
                atEnd = got == 0
                let n = kept + got
                var pos = 0
                if firstChunk && got > 0 {
                    firstChunk = false
                    pos = try start(base, n)
                }
                kept = 0
                // Line by line: a line with no quote (nearly all) is cut at its commas here; a line
                // with one goes to libcsv, which reads on until its record ends.
                while pos < n && !state.stopped {
                    // The line feed ending the line at `pos`, when the line goes to libcsv.
                    var lineEnd: Int?
                    if !inLibcsv && quickLines {
                        let cut = state.cut(base + pos, n - pos)
                        if cut.status == PP_LINE_CUT {
                            state.deliverCut(base + pos, cut)
                            pos += cut.end + 1
                            continue
                        }
                        if cut.status == PP_LINE_QUOTED { lineEnd = pos + cut.end }
                    } else if let hit = memchr(base + pos, 0x0A, n - pos) {
                        lineEnd = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    }
                    if let end = lineEnd {
                        try feed(pos, end + 1)
                        inLibcsv = parser.pstate != 0
                        pos = end + 1
                    } else if !inLibcsv && !atEnd && pos > 0 {
                        // The line goes on in the next read.
                        memmove(base, base + pos, n - pos)
                        kept = n - pos
                        pos = n
                    } else {
                        // A line longer than the chunk, or the file's last line without a line
                        // feed: libcsv holds it, and ends it only once the file is known to be whole.
                        try feed(pos, n)
                        inLibcsv = parser.pstate != 0
                        pos = n
                    }
                }
                if let error = state.error { throw error }
            }
            if state.stopped { return true }
            if let msg = finish() {
                throw CSVReadError(kind: .corruptCompression, file: path, line: state.line, message: msg)
            }
            return try end(&parser, state, context)
        }
    }

    /// The bytes a read gave, or the decompressor's failure as an error of the file.
    private func received(_ chunk: Chunk, line: Int) throws -> Int {
        switch chunk {
        case .success(let count): return count
        case .failure(let msg): throw CSVReadError(kind: .corruptCompression, file: path, line: line, message: msg)
        }
    }

    /// Hands `count` bytes to libcsv. `unended` counts the bytes given since it last ended a
    /// record: it holds them all, so they are bounded.
    private func feed(
        _ parser: inout csv_parser, _ bytes: UnsafeMutablePointer<UInt8>, _ count: Int, _ state: CSVParseState,
        _ context: UnsafeMutableRawPointer, unended: inout Int
    ) throws {
        let endsBefore = state.recordEnds
        if csv_parse(&parser, bytes, count, csvFieldCallback, csvRecordCallback, context) != count {
            throw parseError(&parser, line: state.recordLine)
        }
        if let error = state.error { throw error }
        unended = state.recordEnds == endsBefore ? unended + count : count
        if unended > Self.maxRecordBytes + chunkSize {
            throw CSVReadError(
                kind: .recordTooLarge, file: path, line: state.recordLine,
                message:
                    "the record starting here is longer than \(Self.maxRecordBytes >> 20) MB, the most a record may hold (a line without an end?); the file is not read further"
            )
        }
    }

    /// Where the file's text starts in its first bytes (after a UTF-8 byte-order mark); throws for a
    /// file that is not text this reader can read (UTF-16, a zip archive, an Office document).
    private func start(_ base: UnsafeMutablePointer<UInt8>, _ n: Int) throws -> Int {
        if n > 1, let utf16 = Self.utf16(base[0], base[1]) {
            throw CSVReadError(
                kind: .unsupportedEncoding, file: path, line: 1,
                message: "the file is UTF-16 text (\(utf16)); save it as UTF-8 or Windows-1252")
        }
        if n >= 4, base[0] == 0x50, base[1] == 0x4B, base[2] == 0x03, base[3] == 0x04 {
            throw CSVReadError(
                kind: .notText, file: path, line: 1,
                message: "the file is a zip archive (an Excel .xlsx workbook named .csv?), not CSV text")
        }
        if n >= 4, base[0] == 0xD0, base[1] == 0xCF, base[2] == 0x11, base[3] == 0xE0 {
            throw CSVReadError(
                kind: .notText, file: path, line: 1,
                message: "the file is an Office document (an Excel .xls workbook named .csv?), not CSV text")
        }
        return n >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
    }

    /// The end of the bytes read: a part not the file's last says whether it ended between records;
    /// the file's end closes libcsv's last record (refusing a quoted field left open).
    private func end(_ parser: inout csv_parser, _ state: CSVParseState, _ context: UnsafeMutableRawPointer) throws -> Bool {
        // Between records: libcsv's ROW_NOT_BEGUN.
        let betweenRecords = parser.pstate == 0
        if let part, !part.isLast { return betweenRecords }
        // A quoted field still open at the end of the file (libcsv reports this only in strict mode).
        if parser.pstate == 2 && parser.quoted != 0 {
            throw CSVReadError(
                kind: .unterminatedQuote, file: path, line: state.recordLine,
                message: "a quoted field is not closed before the end of the file")
        }
        if csv_fini(&parser, csvFieldCallback, csvRecordCallback, context) != 0 {
            throw parseError(&parser, line: state.recordLine)
        }
        if let error = state.error { throw error }
        return true
    }

    /// The byte order of a UTF-16 file, from its first two bytes (a byte-order mark, or an ASCII
    /// character beside a zero byte), or nil.
    static func utf16(_ a: UInt8, _ b: UInt8) -> String? {
        if a == 0xFF && b == 0xFE { return "little-endian, with a byte-order mark" }
        if a == 0xFE && b == 0xFF { return "big-endian, with a byte-order mark" }
        if a != 0 && a < 0x80 && b == 0 { return "little-endian" }
        if a == 0 && b != 0 && b < 0x80 { return "big-endian" }
        return nil
    }

    private func parseError(_ parser: inout csv_parser, line: Int) -> CSVReadError {
        let code = csv_error(&parser)
        switch code {
        case CSV_EPARSE:
            return CSVReadError(
                kind: .unterminatedQuote, file: path, line: line,
                message: "a quoted field is not closed before the end of the file")
        case CSV_ENOMEM, CSV_ETOOBIG:
            return CSVReadError(kind: .outOfMemory, file: path, line: line, message: "a field is too large to hold in memory")
        default:
            return CSVReadError(kind: .parse, file: path, line: line, message: String(cString: csv_strerror(code)))
        }
    }
}
