#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A hash map from byte strings of 1 to 15 bytes to 32-bit values, each key packed into two words
/// (its bytes in order, its length in the top byte): a lookup is one multiply and a comparison of
/// two words, with no hashing of bytes, no second memory access and no `memcmp`. For the short
/// values ingest meets on every row (codes, LSOA codes, postcodes, most match keys); longer values
/// go to a `ByteDictionary`. Open addressing, at most half full.
public struct ShortKeyTable: Sendable {
    /// A key: bytes 0-7 in `low`, bytes 8-14 and the length (top byte) in `high`, never 0.
    public struct Key: Hashable, Sendable {
        public let low: UInt64
        public let high: UInt64

        /// The packed form of `bytes`, or nil when they are empty or longer than 15 bytes. Read
        /// with overlapping word loads inside the bytes (no byte-wise copy, whose stores a word
        /// load would have to wait for).
        @inlinable @inline(__always)
        public init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            let n = bytes.count
            guard n > 0 && n < 16 else { return nil }
            let p = UnsafeRawPointer(bytes.baseAddress!)
            @inline(__always) func load<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> UInt64 {
                UInt64(T(littleEndian: p.loadUnaligned(fromByteOffset: at, as: T.self)))
            }
            var l: UInt64, h: UInt64 = 0
            if n >= 8 {
                l = load(0, UInt64.self)
                h = load(n - 8, UInt64.self) >> (8 * UInt64(16 - n))
            } else if n >= 4 {
                l = load(0, UInt32.self) | load(n - 4, UInt32.self) << (8 * UInt64(n - 4))
            } else if n >= 2 {
                l = load(0, UInt16.self) | load(n - 2, UInt16.self) << (8 * UInt64(n - 2))
            } else {
                l = UInt64(bytes[0])
            }
            low = l
            high = h | UInt64(n) << 56
        }

        /// A key from its words (`high` must carry the length on top).
        @inlinable
        public init(low: UInt64, high: UInt64) {
            self.low = low
            self.high = high
        }

        public var count: Int { Int(high >> 56) }

        /// Calls `body` with the key's bytes.
        public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            var pair = (low.littleEndian, (high & 0x00FF_FFFF_FFFF_FFFF).littleEndian)
            let n = count
            return try withUnsafeBytes(of: &pair) { raw in
                try body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n))
            }
        }

        /// The home slot in a table of `mask + 1` slots: the top bits of a multiplicative hash
        /// (every bit of both words reaches them; the low bits of a product do not see the high
        /// bits of its factor).
        @inlinable @inline(__always)
        func slot(_ mask: Int) -> Int {
            let h = (low ^ (high &* 0xBF58_476D_1CE4_E5B9)) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: h >> UInt64(64 - mask.nonzeroBitCount))
        }
    }

    /// Per slot, the key's two words (high 0 = empty).
    @usableFromInline var keys: [UInt64]
    @usableFromInline var values: [UInt32]
    @usableFromInline var mask: Int
    @usableFromInline var stored = 0
    /// Number of keys.
    public var count: Int { stored }

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: 2 * size)
        values = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// The value of `key`, if present.
    @inlinable @inline(__always)
    public func find(_ key: Key) -> UInt32? {
        var i = key.slot(mask)
        return keys.withUnsafeBufferPointer { k in
            while true {
                let h = k[2 * i + 1]
                if h == key.high && k[2 * i] == key.low { return values[i] }
                if h == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// The value of `key`, inserting `make()` if it is absent.
    @inlinable @inline(__always)
    public mutating func value(_ key: Key, orInsert make: () -> UInt32) -> UInt32 {
        var i = key.slot(mask)
        while true {
            let h = keys[2 * i + 1]
            if h == key.high && keys[2 * i] == key.low { return values[i] }
            if h == 0 { break }
            i = (i + 1) & mask
        }
        let v = make()
        keys[2 * i] = key.low
        keys[2 * i + 1] = key.high
        values[i] = v
        stored += 1
        if count * 2 > mask { grow() }
        return v
    }

    /// Sets the value of `key`.
    public mutating func set(_ key: Key, _ value: UInt32) {
        var i = key.slot(mask)
        while true {
            let h = keys[2 * i + 1]
            if h == key.high && keys[2 * i] == key.low { values[i] = value; return }
            if h == 0 { break }
            i = (i + 1) & mask
        }
        keys[2 * i] = key.low
        keys[2 * i + 1] = key.high
        values[i] = value
        stored += 1
        if count * 2 > mask { grow() }
    }

    @usableFromInline
    mutating func grow() {
        let size = (mask + 1) * 2
        var grownKeys = [UInt64](repeating: 0, count: 2 * size)
        var grownValues = [UInt32](repeating: 0, count: size)
        let newMask = size - 1
        for i in 0...mask where keys[2 * i + 1] != 0 {
            let key = Key(low: keys[2 * i], high: keys[2 * i + 1])
            var j = key.slot(newMask)
            while grownKeys[2 * j + 1] != 0 { j = (j + 1) & newMask }
            grownKeys[2 * j] = key.low
            grownKeys[2 * j + 1] = key.high
            grownValues[j] = values[i]
        }
        keys = grownKeys
        values = grownValues
        mask = newMask
    }
}
