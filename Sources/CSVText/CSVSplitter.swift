import CLineCut
import Columnar
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A byte range of a plain CSV file that begins at the start of a record, so that the parts of a
/// large file can be parsed at once on several cores.
public struct CSVPart: Sendable, Equatable {
    public let bytes: Range<Int>
    /// Physical line (1-based) of the part's first byte.
    public let firstLine: Int
    /// Part number within the file, from 0 (the part that holds the header).
    public let index: Int
    public let isLast: Bool
}

/// Cuts plain CSV files into parts at record boundaries.
///
/// The file is scanned in blocks, in parallel, counting line feeds and double quotes; a cut goes
/// just after the first line feed past each multiple of the part size at which the number of quotes so far is
/// even, i.e. outside any quoted field (RFC 4180 quotes come in pairs: a doubled quote inside a
/// quoted field leaves the parity as it was). A file whose quotes break that rule (a stray quote
/// inside an unquoted field) may be cut inside a record; the reader then finds the part ending in
/// the middle of a record and the caller reads the whole file in one piece instead.
public enum CSVSplitter {
    /// Files smaller than two parts are not cut. Gzip files (by name or by their first bytes) are never cut.
    public static func parts(of path: String, size: Int, partBytes: Int, threads: Int) -> [CSVPart]? {
        guard !path.hasSuffix(".gz"), partBytes > 0, size >= 2 * partBytes else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // A gzip stream under a plain name is decompressed by the reader (zlib reads it whatever
        // the name): its bytes cannot be cut either.
        var magic: (UInt8, UInt8) = (0, 0)
        guard pread(fd, &magic, 2, 0) == 2, magic != (0x1F, 0x8B) else { return nil }
        // Counted in blocks of 1 MiB (or of a part, when a part is not a whole number of MiB), the
        // cores taking them in turn; each cut is at the end of a block.
        let blockBytes = partBytes % (1 << 20) == 0 ? 1 << 20 : partBytes
        let blocksPerPart = partBytes / blockBytes
        let blocks = (size + blockBytes - 1) / blockBytes
        // Line feeds and quotes in each block.
        let counts = UnsafeMutableBufferPointer<(lf: Int, quotes: Int, ok: Bool)>.allocate(capacity: blocks)
        defer { counts.deallocate() }
        let out = SendableCounts(counts)
        let workers = max(1, min(threads, blocks))
        // Each worker reads its blocks (every `workers`-th) through a buffer of its own.
        parallelFor(workers, threads: workers) { worker in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { buffer.deallocate() }
            for b in stride(from: worker, to: blocks, by: workers) {
                let start = b * blockBytes, end = min(size, start + blockBytes)
                out.buffer[b] = count(fd: fd, from: start, to: end, buffer: buffer)
            }
        }
        guard counts.allSatisfy(\.ok) else { return nil }
        var result: [CSVPart] = []
        var partStart = 0, partLine = 1
        var lfBefore = 0, quotesBefore = 0
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 64)
        defer { window.deallocate() }
        var counted = 0
        for b in 0..<(size + partBytes - 1) / partBytes - 1 {
            let boundary = (b + 1) * partBytes
            // Line feeds and quotes before the boundary.
            while counted < (b + 1) * blocksPerPart {
                lfBefore += counts[counted].lf
                quotesBefore += counts[counted].quotes
                counted += 1
            }
            guard boundary > partStart else { continue }
            // Walk from the block boundary to the first line feed outside quotes.
            var quotes = quotesBefore, lf = lfBefore, at = boundary
            var cut: Int?
            scan: while at < size {
                let n = pread(fd, window.baseAddress, min(window.count, size - at), off_t(at))
                if n <= 0 { return nil }
                for i in 0..<n {
                    let c = window[i]
                    if c == 0x22 {
                        quotes += 1
                    } else if c == 0x0A {
                        lf += 1
                        if quotes & 1 == 0 { cut = at + i + 1; break scan }
                    }
                }
                at += n
            }
            guard let cut, cut < size else { break }
            result.append(CSVPart(bytes: partStart..<cut, firstLine: partLine, index: result.count, isLast: false))
            partStart = cut
            partLine = 1 + lf
        }
        guard !result.isEmpty else { return nil }
        result.append(CSVPart(bytes: partStart..<size, firstLine: partLine, index: result.count, isLast: true))
        return result
    }

    /// Line feeds and quotes between two offsets.
    private static func count(fd: Int32, from start: Int, to end: Int, buffer: UnsafeMutableRawBufferPointer) -> (
        lf: Int, quotes: Int, ok: Bool
    ) {
        var lf = 0, quotes = 0, at = start
        while at < end {
            let n = pread(fd, buffer.baseAddress, min(buffer.count, end - at), off_t(at))
            if n <= 0 { return (0, 0, false) }
            var l = 0, q = 0
            pp_count_line_feeds_and_quotes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), n, &l, &q)
            lf += l
            quotes += q
            at += n
        }
        return (lf, quotes, true)
    }
}

/// The blocks' counts, written by the workers: unchecked, as each block's slot is written by the one
/// worker that reads that block, and read after all have finished.
private struct SendableCounts: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<(lf: Int, quotes: Int, ok: Bool)>
    init(_ b: UnsafeMutableBufferPointer<(lf: Int, quotes: Int, ok: Bool)>) { buffer = b }
}

/// Size of a file in bytes (0 if it cannot be read).
public func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}
