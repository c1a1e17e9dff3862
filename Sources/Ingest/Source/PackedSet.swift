/// A few short values (flag words, null markers) matched against a field: values of up to 7 bytes
/// packed in a word with their length on top, so a match is one comparison per candidate.
struct PackedSet {
    private let short: [UInt64]
    private let long: [[UInt8]]
    private let caseInsensitive: Bool

    /// `values` upper case when `caseInsensitive`.
    init(_ values: [[UInt8]], caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
        short = values.filter { $0.count < 8 }.map { v in
            v.enumerated().reduce(UInt64(v.count) << 56) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
        long = values.filter { $0.count >= 8 }
    }

    var isEmpty: Bool { short.isEmpty && long.isEmpty }

    @inline(__always)
    func contains(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n < 8 else { return FieldBuilder.matchesAny(b, long, caseInsensitive: caseInsensitive) }
        var key = UInt64(n) << 56
        for i in 0..<n {
            var x = b[i]
            if caseInsensitive && x >= 0x61 && x <= 0x7A { x -= 32 }
            key |= UInt64(x) << (8 * UInt64(i))
        }
        for k in short where k == key { return true }
        return false
    }
}
