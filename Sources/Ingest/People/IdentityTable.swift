import CPrefetch
import Columnar

/// Interns rows' clear identities (`EncodingBuilder` describes them) as dense codes 1, 2, 3 ... in
/// first-seen order, for a part of a source, where one identity comes on many rows.
///
/// Two identities are taken as one when their bytes' 96-bit hashes agree (two independent 64-bit
/// multiply-xor lanes, 64 and 32 bits of them kept): a lookup is one probe of a 16-byte slot, with
/// no second memory access and no byte comparison, where `ByteDictionary`'s three cache misses (slot,
/// span, bytes) were the cost of reading a named row. The chance that two of n distinct identities
/// share a hash is about n² / 2^97: for a part of a million identities, 1 in 10^17. Identities of the
/// same length that differ in one 8-byte word (a misspelt name, another postcode) never collide: each
/// lane is a bijection of its state for a given word.
struct IdentityTable {
    /// Each identity's bytes, one after another, and where each starts (code order; index 0 unused).
    private var arena: [UInt8] = []
    private var starts: [Int] = [0, 0]
    /// Per slot: the first lane's hash, and the second's top 32 bits above the code (0: empty).
    private var slots: [(UInt64, UInt64)]
    private var mask: Int
    /// A batch's hashes (kept between batches).
    private var hashes: [(UInt64, UInt64)] = []

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [(UInt64, UInt64)](repeating: (0, 0), count: size)
        mask = size - 1
    }

    /// Number of distinct identities.
    var count: Int { starts.count - 2 }

    /// The two lanes' hashes of `bytes` (the length mixed in first, the tail zero-padded).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count)
        @inline(__always) func mix(_ w: UInt64) {
            a = (a ^ w) &* 0xBF58_476D_1CE4_E5B9
            a ^= a >> 31
            b = (b ^ w) &* 0x94D0_49BB_1331_11EB
            b ^= b >> 29
        }
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 8 <= n {
                mix(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                i += 8
            }
            if i < n { mix(ByteDictionary.tailWord(bytes, from: i)) }
        }
        // Final avalanche (MurmurHash3's), so every input bit reaches the bits kept.
        @inline(__always) func finish(_ x: UInt64) -> UInt64 {
            var h = x
            h ^= h >> 33
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 33
            h = h &* 0xC4CE_B9FE_1A85_EC53
            return h ^ (h >> 33)
        }
        return (finish(a), finish(b))
    }

    /// The code of `bytes`, adding it if new.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        insert(bytes, hashed: Self.hash(bytes))
    }

    /// The codes of a batch's identities, adding those that are new, given to `store` with their
    /// rows in the batch's order. Hashes are worked out first, and each probe's slot is asked for
    /// a few probes ahead, so that the cache misses of the batch overlap.
    mutating func insert(_ batch: IdentityBatch, _ store: (_ row: Int, _ code: UInt32) -> Void) {
        let n = batch.count
        hashes.removeAll(keepingCapacity: true)
        batch.bytes.withUnsafeBufferPointer { all in
            for k in 0..<n { hashes.append(Self.hash(UnsafeBufferPointer(rebasing: all[batch.start(k)..<batch.ends[k]]))) }
            for k in 0..<n {
                if k + Self.lookahead < n {
                    let ahead = Int(truncatingIfNeeded: hashes[k + Self.lookahead].0) & mask
                    slots.withUnsafeBufferPointer { pp_prefetch($0.baseAddress! + ahead) }
                }
                store(batch.rows[k], insert(UnsafeBufferPointer(rebasing: all[batch.start(k)..<batch.ends[k]]), hashed: hashes[k]))
            }
        }
    }

    /// How many probes ahead a slot is asked for.
    private static let lookahead = 8

    @inline(__always)
    private mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hashed: (UInt64, UInt64)) -> UInt32 {
        let (a, b) = hashed
        let tag = b & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: a) & mask
        while true {
            let slot = slots[i]
            if slot.1 == 0 { break }
            if slot.0 == a && slot.1 & 0xFFFF_FFFF_0000_0000 == tag { return UInt32(truncatingIfNeeded: slot.1) }
            i = (i + 1) & mask
        }
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        let code = UInt32(count)
        slots[i] = (a, tag | UInt64(code))
        if count * 2 > mask { grow() }
        return code
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        var grown = [(UInt64, UInt64)](repeating: (0, 0), count: size)
        let newMask = size - 1
        for slot in slots where slot.1 != 0 {
            var j = Int(truncatingIfNeeded: slot.0) & newMask
            while grown[j].1 != 0 { j = (j + 1) & newMask }
            grown[j] = slot
        }
        slots = grown
        mask = newMask
    }

    /// Calls `body` with the bytes of `code` (1...count).
    func withBytes<R>(_ code: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { a in
            try body(UnsafeBufferPointer(rebasing: a[starts[Int(code)]..<starts[Int(code) + 1]]))
        }
    }
}

/// Rows' clear identities waiting to be interned together (`IdentityTable.insert(_:_:)`).
struct IdentityBatch {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private(set) var rows: [Int] = []

    var count: Int { rows.count }

    @inline(__always)
    func start(_ k: Int) -> Int { k == 0 ? 0 : ends[k - 1] }

    mutating func append(_ identity: UnsafeBufferPointer<UInt8>, row: Int) {
        _ = append(row: row) { bytes in
            bytes.append(contentsOf: identity)
            return true
        }
    }

    /// Adds the identity `write` appends to the bytes it is given, written in place; nothing when
    /// it returns false (what it wrote is taken back).
    mutating func append(row: Int, _ write: (inout [UInt8]) -> Bool) -> Bool {
        let start = bytes.count
        guard write(&bytes) else {
            bytes.removeLast(bytes.count - start)
            return false
        }
        ends.append(bytes.count)
        rows.append(row)
        return true
    }

    /// Empties the batch, keeping its room (the clear bytes are overwritten by the next batch, and
    /// dropped with it).
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
    }
}
