#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns byte strings as dense codes 1, 2, 3 ... in first-seen order, without a `String` per
/// value: bytes live in one arena, the hash table holds offsets. Code 0 is reserved for "no value".
///
/// - Complexity: `code(for:)` is O(length) expected; memory is the distinct bytes plus ~16 bytes
///   per distinct value.
public struct ByteDictionary: Sendable {
    private var arena: [UInt8] = []
    /// Per code: start in `arena` (high 40 bits) and length (low 24 bits); code 0 unused.
    private var spans: [UInt64] = [0]
    /// Per slot: hash (high 32 bits) and code (low 32 bits); 0 = empty. One probe, one cache line.
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct values.
    public var count: Int { spans.count - 1 }

    @inline(__always) private func start(_ code: Int) -> Int { Int(spans[code] >> 24) }
    @inline(__always) private func length(_ code: Int) -> Int { Int(spans[code] & 0xFF_FFFF) }

    /// A multiply-xor hash over 8-byte words (the tail zero-padded), folded to 32 bits.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return UInt32(truncatingIfNeeded: h) | 1 }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            h = (h ^ tailWord(bytes, from: i)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32)) | 1
    }

    /// The bytes from `start` to the end (fewer than 8) as a little-endian word, zero-padded: the
    /// last word a hash over 8-byte words takes.
    @inlinable
    public static func tailWord(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt64 {
        var w: UInt64 = 0
        var shift: UInt64 = 0
        for i in start..<bytes.count {
            w |= UInt64(bytes[i]) << shift
            shift += 8
        }
        return w
    }

    @inline(__always)
    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard length(code) == bytes.count else { return false }
        if bytes.isEmpty { return true }
        let s = start(code)
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + s, bytes.baseAddress!, bytes.count) == 0 }
    }

    /// The code of `bytes`, adding it if new. Returns (code, isNew).
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (code: UInt32, isNew: Bool) {
        precondition(bytes.count < 1 << 24, "a value longer than 16 MB")
        let h = UInt64(Self.hash(bytes)) << 32
        var i = Int(truncatingIfNeeded: h >> 32) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == h && equal(Int(slot & 0xFFFF_FFFF), bytes) {
                return (UInt32(truncatingIfNeeded: slot), false)
            }
            i = (i + 1) & mask
        }
        let code = UInt32(spans.count)
        spans.append(UInt64(arena.count) << 24 | UInt64(bytes.count))
        arena.append(contentsOf: bytes)
        slots[i] = h | UInt64(code)
        if count * 2 > mask { grow() }
        return (code, true)
    }

    /// The code of `bytes` if present.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let h = UInt64(Self.hash(bytes)) << 32
        var i = Int(truncatingIfNeeded: h >> 32) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF_0000_0000 == h && equal(Int(slot & 0xFFFF_FFFF), bytes) {
                return UInt32(truncatingIfNeeded: slot)
            }
            i = (i + 1) & mask
        }
    }

    public mutating func insert(_ s: String) -> UInt32 {
        var s = s
        return s.withUTF8 { insert($0).code }
    }

    public func find(_ s: String) -> UInt32? {
        var s = s
        return s.withUTF8 { find($0) }
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        var grown = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for slot in slots where slot != 0 {
            var j = Int(truncatingIfNeeded: slot >> 32) & newMask
            while grown[j] != 0 { j = (j + 1) & newMask }
            grown[j] = slot
        }
        slots = grown
        mask = newMask
    }

    /// Calls `body` with the bytes of `code`.
    public func withBytes<R>(_ code: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { a in
            try body(UnsafeBufferPointer(rebasing: a[start(Int(code))..<start(Int(code)) + length(Int(code))]))
        }
    }

    /// The bytes of `code` as a string (UTF-8 assumed, as ingest validates it).
    public func string(_ code: UInt32) -> String {
        arena.withUnsafeBufferPointer { a in
            String(decoding: UnsafeBufferPointer(rebasing: a[start(Int(code))..<start(Int(code)) + length(Int(code))]), as: UTF8.self)
        }
    }

    /// Every value in code order; index 0 is the empty string standing for "no value".
    public func strings() -> [String] { [""] + (1..<spans.count).map { string(UInt32($0)) } }
}
