/// An open-addressing hash map from nonzero 64-bit keys (pseudonyms and NHS numbers) to 64-bit
/// values: the linker's bridge tables and id lookup, without `Dictionary`'s hashing and boxing
/// overhead. Each key sits beside its value, so a probe touches one cache line.
struct KeyMap: Sendable {
    /// Key at 2i, value at 2i + 1; key 0 = empty slot.
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size * 2)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while slots[2 * i] != 0 && slots[2 * i] != key { i = (i + 1) & mask }
        return i
    }

    func get(_ key: UInt64) -> UInt64? {
        guard key != 0 else { return nil }
        let i = slot(key)
        return slots[2 * i] == 0 ? nil : slots[2 * i + 1]
    }

    /// Sets the value, or calls `merge` with the existing one to decide.
    mutating func set(_ key: UInt64, _ value: UInt64, merge: (UInt64, UInt64) -> UInt64 = { _, new in new }) {
        precondition(key != 0)
        if (count + 1) * 2 > mask { grow() }
        let i = slot(key)
        if slots[2 * i] == 0 {
            slots[2 * i] = key
            slots[2 * i + 1] = value
            count += 1
        } else {
            slots[2 * i + 1] = merge(slots[2 * i + 1], value)
        }
    }

    /// The value of `key`, inserting `make()` if it is absent (one probe either way).
    @inline(__always)
    mutating func value(_ key: UInt64, orInsert make: () -> UInt64) -> UInt64 {
        precondition(key != 0)
        if (count + 1) * 2 > mask { grow() }
        let i = slot(key)
        if slots[2 * i] != 0 { return slots[2 * i + 1] }
        let v = make()
        slots[2 * i] = key
        slots[2 * i + 1] = v
        count += 1
        return v
    }

    /// Every key, in table order.
    func allKeys() -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(count)
        for i in 0...mask where slots[2 * i] != 0 { out.append(slots[2 * i]) }
        return out
    }

    private mutating func grow() {
        let old = slots
        let size = (mask + 1) * 2
        slots = [UInt64](repeating: 0, count: size * 2)
        mask = size - 1
        for i in stride(from: 0, to: old.count, by: 2) where old[i] != 0 {
            let j = slot(old[i])
            slots[2 * j] = old[i]
            slots[2 * j + 1] = old[i + 1]
        }
    }
}

/// Numbers below 2^34 (NHS numbers) to nonzero codes below 2^30, each pair packed in one 8-byte
/// slot: half the memory of a `KeyMap`, so a table of a few hundred thousand numbers stays in the
/// processor's cache. Open addressing, at most half full.
struct NumberCodes: Sendable {
    /// number << 30 | code; 0 = empty slot.
    private var slots: [UInt64]
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0
    private static let codeMask: UInt64 = (1 << 30) - 1

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Room for `n` numbers without growing.
    mutating func reserve(_ n: Int) {
        if n * 2 > mask + 1 { rehash(into: NumberCodes(capacity: n)) }
    }

    /// The code of `number` (1 ..< 2^34), inserting `make()` (1 ..< 2^30) if it is absent.
    @inline(__always)
    mutating func code(_ number: UInt64, orInsert make: () -> UInt32) -> UInt32 {
        var i = Int(truncatingIfNeeded: (number &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s >> 30 == number { return UInt32(truncatingIfNeeded: s & Self.codeMask) }
            i = (i + 1) & mask
        }
        let c = make()
        precondition(number > 0 && number < 1 << 34 && c > 0 && UInt64(c) <= Self.codeMask)
        slots[i] = number << 30 | UInt64(c)
        count += 1
        if count * 2 > mask { rehash(into: NumberCodes(capacity: count * 2)) }
        return c
    }

    private mutating func rehash(into grown: NumberCodes) {
        var grown = grown
        for s in slots where s != 0 {
            var i = Int(truncatingIfNeeded: ((s >> 30) &* 0x9E37_79B9_7F4A_7C15) >> grown.shift)
            while grown.slots[i] != 0 { i = (i + 1) & grown.mask }
            grown.slots[i] = s
        }
        grown.count = count
        self = grown
    }
}
