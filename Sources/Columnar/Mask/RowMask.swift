/// A set of rows as a bitmap, 64 rows a word: filters are evaluated a word at a time, combined with
/// AND, and walked by set bit.
public struct RowMask: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public let count: Int

    /// All rows in (or none).
    public init(count: Int, allSet: Bool) {
        self.count = count
        words = [UInt64](repeating: allSet ? ~0 : 0, count: (count + 63) / 64)
        if allSet, count % 64 != 0 { words[words.count - 1] = (1 << UInt64(count % 64)) - 1 }
    }

    /// The rows for which `test` holds.
    /// - Complexity: O(count) calls of `test`, no allocation beyond the words.
    public init(count: Int, where test: (Int) -> Bool) {
        self.init(count: count, allSet: false)
        for w in words.indices {
            var bits: UInt64 = 0
            let base = w * 64
            for b in 0..<min(64, count - base) where test(base + b) { bits |= 1 << UInt64(b) }
            words[w] = bits
        }
    }

    public mutating func formIntersection(_ other: RowMask) {
        precondition(other.count == count)
        for i in words.indices { words[i] &= other.words[i] }
    }

    public mutating func formUnion(_ other: RowMask) {
        precondition(other.count == count)
        for i in words.indices { words[i] |= other.words[i] }
    }

    @inline(__always)
    public mutating func insert(_ row: Int) { words[row >> 6] |= 1 << UInt64(row & 63) }

    @inline(__always)
    public func contains(_ row: Int) -> Bool { words[row >> 6] >> UInt64(row & 63) & 1 != 0 }

    /// Number of rows in the set.
    public var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Calls `body` with each row in the set, in order.
    @inlinable
    public func forEachRow(_ body: (Int) throws -> Void) rethrows {
        for (w, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                try body(w * 64 + b)
                bits &= bits - 1
            }
        }
    }
}
