/// One parsed record, valid only inside the reader's callback: fields are views into the reader's
/// buffer, so a consumer parses what it needs straight from bytes and copies nothing it does not keep.
public struct CSVRecord {
    /// The bytes the fields lie in (for a record read without libcsv, the line itself).
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    /// Field i is `bytes[bounds[2i] ..< bounds[2i + 1]]`.
    @usableFromInline let bounds: UnsafeBufferPointer<Int>
    /// Physical line (1-based) on which the record starts.
    public let line: Int
    /// Number of the record in the file, the header being record 1.
    public let index: Int
    /// Known to be ASCII without NUL (found while the line was cut); false: not known.
    @usableFromInline let knownASCII: Bool

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>, bounds: UnsafeBufferPointer<Int>, line: Int, index: Int, knownASCII: Bool = false) {
        self.bytes = bytes
        self.bounds = bounds
        self.line = line
        self.index = index
        self.knownASCII = knownASCII
    }

    @inlinable public var count: Int { bounds.count >> 1 }

    /// The record's length in bytes (its fields and separators; for a quoted record, fewer than its line).
    @inlinable public var byteCount: Int { bytes.count }

    /// Whether every byte of the record is ASCII other than NUL (then every field is valid text in
    /// any of the encodings the engine reads, and needs no decoding; a NUL byte is refused by the
    /// decoder). Eight bytes at a time.
    @inlinable
    public var isASCII: Bool {
        if knownASCII { return true }
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // The high bit of a byte, or of a zero byte once 1 is taken from it.
            high |= w | ((w &- 0x0101_0101_0101_0101) & ~w)
            i += 8
        }
        while i < bytes.count {
            high |= bytes[i] == 0 ? 0x80 : UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The bytes of field `i` (0-based), without quotes and with doubled quotes undone.
    @inlinable
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes.baseAddress.map { $0 + bounds[2 * i] }, count: bounds[2 * i + 1] - bounds[2 * i])
    }

    /// Field `i` decoded as UTF-8 (invalid sequences repaired); for headers and rare paths, not hot loops.
    public func string(_ i: Int) -> String {
        String(decoding: field(i), as: UTF8.self)
    }

    /// Every field as a `String`.
    public func strings() -> [String] {
        (0..<count).map(string)
    }

    /// Every field as a column name: decoded as `string(_:)`, less any byte-order mark (U+FEFF) within
    /// it, which a file joined onto another leaves inside its header and a definition's YAML cannot
    /// hold (the loader drops it), so that a header is named alike by a draft, a definition and ingest.
    public func headerNames() -> [String] {
        (0..<count).map { i in
            let s = string(i)
            return s.unicodeScalars.contains("\u{FEFF}")
                ? String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\u{FEFF}" })) : s
        }
    }
}
