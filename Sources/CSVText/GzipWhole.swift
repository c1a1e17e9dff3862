import CDeflate

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A gzip file of modest size inflated whole by libdeflate (about twice as fast as zlib's stream:
/// police.uk publishes a force's month as a file of a few megabytes). Only a file that inflates
/// cleanly, every member to the last byte, is given; anything else (a damaged or truncated stream,
/// bytes after the last member, a file that would inflate past the limit) gives nil, and the
/// reader streams the file through zlib instead, with zlib's errors.
enum GzipWhole {
    /// Compressed files up to this size are tried whole.
    static let maxCompressedBytes = 64 << 20
    /// At most this many times the compressed size, and this many bytes, are inflated whole.
    static let maxRatio = 24
    static let maxInflatedBytes = 1 << 30

    /// The inflated bytes of the gzip file at `path`, or nil (see above). The caller deallocates.
    static func inflate(path: String) -> UnsafeMutableRawBufferPointer? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        let size = Int(st.st_size)
        guard size >= 18, size <= maxCompressedBytes else { return nil }
        var magic: (UInt8, UInt8) = (0, 0)
        guard pread(fd, &magic, 2, 0) == 2, magic == (0x1F, 0x8B) else { return nil }
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { input.deallocate() }
        var got = 0
        while got < size {
            let n = read(fd, input.baseAddress! + got, size - got)
            guard n > 0 else { return nil }
            got += n
        }
        return inflate(UnsafeRawBufferPointer(input))
    }

    /// Every member of `input` inflated into one buffer, or nil.
    static func inflate(_ input: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer? {
        guard let d = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(d) }
        let limit = min(maxInflatedBytes, input.count * maxRatio)
        // The last member's size (mod 2^32) from its trailer: the whole file's for one member.
        let trailer = Int(input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self).littleEndian)
        var capacity = min(limit, max(trailer + 1, input.count * 4, 1 << 16))
        var out = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        var inPos = 0, outPos = 0
        while inPos < input.count {
            var used = 0, made = 0
            let result = libdeflate_gzip_decompress_ex(
                d, input.baseAddress! + inPos, input.count - inPos, out.baseAddress! + outPos, capacity - outPos, &used, &made)
            if result == LIBDEFLATE_INSUFFICIENT_SPACE && capacity < limit {
                // Room for more, then the member again.
                capacity = min(limit, capacity * 2)
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
                grown.baseAddress!.copyMemory(from: out.baseAddress!, byteCount: outPos)
                out.deallocate()
                out = grown
                continue
            }
            guard result == LIBDEFLATE_SUCCESS, used > 0 else {
                out.deallocate()
                return nil
            }
            inPos += used
            outPos += made
        }
        return UnsafeMutableRawBufferPointer(rebasing: out[0..<outPos])
    }
}
