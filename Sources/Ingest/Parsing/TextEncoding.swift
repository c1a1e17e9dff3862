import Definitions

/// Makes a field's bytes valid UTF-8 according to the source's declared encoding.
public final class TextDecoder {
    public let encoding: TextEncoding
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    public init(_ encoding: TextEncoding) {
        self.encoding = encoding
        capacity = 256
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// Whether `b` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
    public static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var min: UInt32 = 0
            var v: UInt32
            if c & 0xE0 == 0xC0 {
                need = 1; v = UInt32(c & 0x1F); min = 0x80
            } else if c & 0xF0 == 0xE0 {
                need = 2; v = UInt32(c & 0x0F); min = 0x800
            } else if c & 0xF8 == 0xF0 {
                need = 3; v = UInt32(c & 0x07); min = 0x10000
            } else {
                return false
            }
            guard i + need < n else { return false }
            for k in 1...need {
                let cc = b[i + k]
                guard cc & 0xC0 == 0x80 else { return false }
                v = (v << 6) | UInt32(cc & 0x3F)
            }
            guard v >= min, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { return false }
            i += need + 1
        }
        return true
    }

    /// Windows-1252 code points for bytes 0x80-0x9F (the rest of the range is Latin-1).
    static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// The field as UTF-8: the bytes themselves when already valid, a Windows-1252 source's bytes
    /// transcoded, or nil when a UTF-8 source has invalid bytes. A NUL byte is refused in any
    /// encoding (no extract's text holds one: it marks a binary or UTF-16 file, or a corrupt one).
    /// A transcoded result lives in the decoder's buffer and is valid until the next call.
    public func decode(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var ascii = true
        for c in b where c >= 0x80 || c == 0 {
            if c == 0 { return nil }
            ascii = false
        }
        if ascii { return b }
        switch encoding {
        case .utf8:
            return Self.isValidUTF8(b) ? b : nil
        case .windows1252:
            if capacity < b.count * 3 {
                buffer.deallocate()
                capacity = b.count * 3
                buffer = .allocate(capacity: capacity)
            }
            var n = 0
            for c in b {
                if c < 0x80 {
                    buffer[n] = c
                    n += 1
                    continue
                }
                let scalar = c < 0xA0 ? Self.cp1252High[Int(c - 0x80)] : UInt32(c)
                for u in String(UnicodeScalar(scalar)!).utf8 {
                    buffer[n] = u
                    n += 1
                }
            }
            return UnsafeBufferPointer(start: buffer, count: n)
        }
    }
}
