/// One parsed record, valid only inside the reader's callback: fields are views into the reader's
/// buffer, so a consumer parses what it needs straight from bytes and copies nothing it does not keep.
public struct CSVRecord {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let ends: UnsafeBufferPointer<Int>
    /// Physical line (1-based) on which the record starts.
    public let line: Int
    /// Number of the record in the file, the header being record 1.
    public let index: Int

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, line: Int, index: Int) {
        self.bytes = bytes
        self.ends = ends
        self.line = line
        self.index = index
    }

    @inlinable public var count: Int { ends.count }

    /// The bytes of field `i` (0-based), without quotes and with doubled quotes undone.
    @inlinable
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
    }

    /// Field `i` decoded as UTF-8 (invalid sequences repaired); for headers and rare paths, not hot loops.
    public func string(_ i: Int) -> String {
        String(decoding: field(i), as: UTF8.self)
    }

    /// Every field as a `String`.
    public func strings() -> [String] {
        (0..<count).map(string)
    }
}
