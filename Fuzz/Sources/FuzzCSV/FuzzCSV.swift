import CSVText
import FuzzSupport
import Ingest

/// The CSV reader over any bytes, as a plain file.
///
/// Invariants (a violation stops the run like a crash):
/// - the reader returns records or throws a `CSVReadError`, nothing else;
/// - records are numbered 1, 2, 3 ..., their lines never go back, and their fields hold no more
///   bytes than the input (each field, and all of them together);
/// - input without double quotes reads exactly as the simple model says: a record per line
///   (CR or LF ends a line) that is not blank, fields split at commas, spaces and tabs trimmed;
/// - UTF-16 text and workbooks (zip, OLE) are refused at their first bytes;
/// - the same records come out whatever the chunk size the file is read in, and with or without
///   the reader's quick path for lines without quotes (every byte through libcsv);
/// - a file cut into parts (`CSVSplitter`) whose parts all end between records reads, part by
///   part, as the same records on the same lines as the whole file, with the same error at the end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let path = Fuzz.write(UnsafeRawBufferPointer(input), to: "input.csv")
    // zlib reads a gzip stream whatever the file's name: then the fields may hold more.
    let gzip = input.starts(with: [0x1F, 0x8B])
    let limit = gzip ? size * 1032 + size : size
    let whole = readAll(path, limit: limit)
    Fuzz.require(whole.endedBetweenRecords, "a whole file read reports ending inside a record")
    let lineFeeds = input.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    if !gzip, let last = whole.records.last {
        Fuzz.require(last.line <= lineFeeds + 1, "a record on line \(last.line) of a file of \(lineFeeds) line feeds")
    }

    // A UTF-16 text or a workbook is refused at its first bytes.
    let a = size > 0 ? input[0] : 0xFF, b = size > 1 ? input[1] : 0xFF
    let utf16 =
        size > 1
        && ((a == 0xFF && b == 0xFE) || (a == 0xFE && b == 0xFF) || (a != 0 && a < 0x80 && b == 0) || (a == 0 && b != 0 && b < 0x80))
    let workbook = size >= 4 && (input.starts(with: [0x50, 0x4B, 0x03, 0x04]) || input.starts(with: [0xD0, 0xCF, 0x11, 0xE0]))
    if utf16 || workbook {
        Fuzz.require(
            whole.error == (utf16 ? .unsupportedEncoding : .notText) && whole.records.isEmpty,
            "a file starting \(Array(input.prefix(4))) reads as \(whole.records.count) records, error \(String(describing: whole.error))")
    } else if !input.contains(0x22) && !gzip {
        let expected = simpleModel(input)
        Fuzz.require(whole.error == nil, "input without quotes fails: \(String(describing: whole.error))")
        var model = ReadResult()
        model.records = expected
        Fuzz.require(whole == model, "the reader and the simple model differ: \(firstDifference(whole, model))")
    }

    // Every byte through libcsv (no quick path for lines without quotes): the same records.
    let slow = readAll(path, quickLines: false, limit: limit)
    Fuzz.require(slow == whole, "read without the quick path: \(firstDifference(slow, whole))")
    // From 4 bytes: the reader looks for a signature (BOM, zip, OLE) in its first chunk.
    let chunk = 4 + input.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % 13
    let small = readAll(path, chunkSize: chunk, limit: limit)
    Fuzz.require(small == whole, "chunks of \(chunk) bytes read differently: \(firstDifference(small, whole))")

    for pieces in [2, 5] where size >= pieces {
        guard let parts = CSVSplitter.parts(of: path, size: size, partBytes: size / pieces, threads: 2) else { continue }
        Fuzz.require(
            parts.first?.bytes.lowerBound == 0 && parts.last?.bytes.upperBound == size
                && zip(parts, parts.dropFirst()).allSatisfy { $0.bytes.upperBound == $1.bytes.lowerBound }
                && parts.allSatisfy { !$0.bytes.isEmpty } && parts.last!.isLast && !parts.dropLast().contains { $0.isLast },
            "the parts do not tile the file: \(parts)")
        var joined = ReadResult()
        var held = true
        for part in parts {
            let lineFeedsBefore = input[..<part.bytes.lowerBound].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            Fuzz.require(
                part.firstLine == lineFeedsBefore + 1, "part \(part.index) starts on line \(part.firstLine), not \(lineFeedsBefore + 1)")
            Fuzz.require(part.index == 0 || input[part.bytes.lowerBound - 1] == 0x0A, "part \(part.index) does not start after a line feed")
            let r = readAll(path, part: part, limit: part.bytes.count)
            if !r.endedBetweenRecords { held = false; break }
            joined.records += r.records
            joined.error = r.error
            joined.errorLine = r.errorLine
            if r.error != nil { break }
        }
        // A part cut inside a record is read again as part of the whole file (DropIngestor does so).
        guard held else { continue }
        Fuzz.require(joined == whole, "\(parts.count) parts read differently from the whole file: \(firstDifference(joined, whole))")
    }
    return 0
}

/// Records of input that holds no double quote: every CR or LF ends a line, a line of only spaces
/// and tabs (or nothing) is no record, fields are split at commas and trimmed of spaces and tabs
/// (libcsv's default), and a UTF-8 byte-order mark at the start is skipped.
func simpleModel(_ input: UnsafeBufferPointer<UInt8>) -> [ReadRecord] {
    var bytes = Array(input)
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { bytes.removeFirst(3) }
    var records: [ReadRecord] = []
    var line = 1
    var start = 0
    func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    func finish(_ text: ArraySlice<UInt8>, line: Int) {
        guard !text.allSatisfy(isSpace) else { return }
        let fields = text.split(separator: 0x2C, omittingEmptySubsequences: false).map { f -> [UInt8] in
            var s = f.startIndex, e = f.endIndex
            while s < e && isSpace(f[s]) { s += 1 }
            while e > s && isSpace(f[e - 1]) { e -= 1 }
            return Array(f[s..<e])
        }
        records.append(ReadRecord(line: line, fields: fields))
    }
    for (i, c) in bytes.enumerated() where c == 0x0A || c == 0x0D {
        finish(bytes[start..<i], line: line)
        if c == 0x0A { line += 1 }
        start = i + 1
    }
    finish(bytes[start...], line: line)
    return records
}
