import FuzzSupport
import FuzzZlib
import Ingest

/// The CSV reader over gzip files, two ways from one input.
///
/// 1. The input itself as a `.csv.gz` file (corrupt, truncated, multi-member, or not gzip at all,
///    which zlib reads as it stands): the reader returns records or throws a `CSVReadError`, never
///    crashes; records are numbered in order, lines never go back.
/// 2. The input compressed by zlib into one or more gzip members (cut where the input says, at a
///    level it says), written as a `.csv.gz`: it reads exactly as the input does as a plain file,
///    record for record, line for line, error for error; the same compressed file cut short in
///    its last member fails with `corrupt-compression` after no more records than the whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    // 1: any bytes as a compressed file. What they decompress to is not known here, so fields are
    // bounded by what zlib can inflate them to (1032 times), plus the input itself when not gzip.
    let raw = Fuzz.write(UnsafeRawBufferPointer(input), to: "raw.csv.gz")
    _ = readAll(raw, limit: size * 1032 + size)

    // 2: the input compressed, against the input read plain.
    let plain = readAll(Fuzz.write(UnsafeRawBufferPointer(input), to: "plain.csv"), limit: size * 1032 + size)
    let hash = input.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 }
    let members = 1 + Int(hash % 3)
    let level = Int32(hash / 3 % 10)
    var compressed: [UInt8] = []
    var start = 0
    for m in 0..<members {
        let end = m == members - 1 ? size : min(size, start + Int(hash >> 8) % (size / members + 1))
        compressed += gzipMember(UnsafeBufferPointer(rebasing: input[start..<end]), level: level)
        start = end
    }
    let gz = Fuzz.write(compressed, to: "compressed.csv.gz")
    let unzipped = readAll(gz, limit: size)
    // (An input that is itself a gzip stream is decompressed when read as a plain file, not
    // inside a member: the first part covers it.)
    let isGzip = input.starts(with: [0x1F, 0x8B])
    Fuzz.require(
        isGzip || unzipped == plain,
        "\(members) gzip member(s) at level \(level) read differently from the plain file: \(firstDifference(unzipped, plain))")

    // The same file with its last 8 bytes (CRC and length) or more cut off: a truncated stream.
    let cut = 8 + Int(hash >> 16) % 8
    if compressed.count > cut + 18 && !isGzip {
        let truncated = readAll(Fuzz.write(Array(compressed.dropLast(cut)), to: "truncated.csv.gz"), limit: size)
        // (Or the first bytes refused already, if they came through: UTF-16 text, a workbook.)
        let refusedAtStart = plain.error == .unsupportedEncoding || plain.error == .notText
        Fuzz.require(
            truncated.error == .corruptCompression || (refusedAtStart && truncated.error == plain.error),
            "a gzip file cut \(cut) bytes short reads without a corrupt-compression error (\(String(describing: truncated.error)))")
        Fuzz.require(
            truncated.records.count <= plain.records.count
                && zip(truncated.records, plain.records).dropLast().allSatisfy { $0.0 == $0.1 },
            "a truncated gzip file gives records the whole file does not")
    }
    return 0
}

/// One gzip member (header, deflate stream, CRC-32 and length) of `bytes`.
func gzipMember(_ bytes: UnsafeBufferPointer<UInt8>, level: Int32) -> [UInt8] {
    var stream = z_stream()
    // windowBits 15 + 16: a gzip wrapper.
    let ok = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(ok == Z_OK, "deflateInit2 failed")
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
    let produced = out.withUnsafeMutableBufferPointer { o -> Int in
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
        stream.avail_in = uInt(bytes.count)
        stream.next_out = o.baseAddress
        stream.avail_out = uInt(o.count)
        let r = deflate(&stream, Z_FINISH)
        precondition(r == Z_STREAM_END, "deflate did not finish: \(r)")
        return o.count - Int(stream.avail_out)
    }
    out.removeLast(out.count - produced)
    return out
}
