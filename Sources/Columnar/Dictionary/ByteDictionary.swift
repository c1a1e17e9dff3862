/// Interns byte strings as dense codes 1, 2, 3 ... in first-seen order, without a `String` per
/// value: bytes live in one arena, the hash table holds offsets. Code 0 is reserved for "no value".
///
/// - Complexity: `code(for:)` is O(length) expected; memory is the distinct bytes plus ~16 bytes
///   per distinct value.
public struct ByteDictionary: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]        // starts[code] .. starts[code + 1] in `arena`; code 0 unused
    private var ends: [Int] = [0]
    private var slots: [UInt32]            // 0 = empty, else code
    private var hashes: [UInt32]
    private var mask: Int

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        hashes = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Number of distinct values.
    public var count: Int { starts.count - 1 }

    /// FNV-1a, 32 bits: short keys (codes, names) dominate, so a simple byte loop is fast enough.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h | 1
    }

    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = starts[code], e = ends[code]
        guard e - s == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for i in 0..<bytes.count where a[s + i] != bytes[i] { return false }
            return true
        }
    }

    /// The code of `bytes`, adding it if new. Returns (code, isNew).
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (code: UInt32, isNew: Bool) {
        let h = Self.hash(bytes)
        var i = Int(h) & mask
        while true {
            let c = slots[i]
            if c == 0 { break }
            if hashes[i] == h && equal(Int(c), bytes) { return (c, false) }
            i = (i + 1) & mask
        }
        let code = UInt32(starts.count)
        starts.append(arena.count)
        arena.append(contentsOf: bytes)
        ends.append(arena.count)
        slots[i] = code
        hashes[i] = h
        if count * 2 > mask { grow() }
        return (code, true)
    }

    /// The code of `bytes` if present.
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let h = Self.hash(bytes)
        var i = Int(h) & mask
        while true {
            let c = slots[i]
            if c == 0 { return nil }
            if hashes[i] == h && equal(Int(c), bytes) { return c }
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
        var newSlots = [UInt32](repeating: 0, count: size)
        var newHashes = [UInt32](repeating: 0, count: size)
        let newMask = size - 1
        for i in 0...mask where slots[i] != 0 {
            var j = Int(hashes[i]) & newMask
            while newSlots[j] != 0 { j = (j + 1) & newMask }
            newSlots[j] = slots[i]
            newHashes[j] = hashes[i]
        }
        slots = newSlots
        hashes = newHashes
        mask = newMask
    }

    /// The bytes of `code` as a string (UTF-8 assumed, as ingest validates it).
    public func string(_ code: UInt32) -> String {
        arena.withUnsafeBufferPointer { a in
            String(decoding: UnsafeBufferPointer(rebasing: a[starts[Int(code)]..<ends[Int(code)]]), as: UTF8.self)
        }
    }

    /// Every value in code order; index 0 is the empty string standing for "no value".
    public func strings() -> [String] { [""] + (1..<starts.count).map { string(UInt32($0)) } }
}
