/// An open-addressing hash map from nonzero 64-bit keys (pseudonyms, already uniformly spread) to
/// 64-bit values: the linker's bridge tables and id lookup, without `Dictionary`'s hashing and
/// boxing overhead.
struct KeyMap {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        return i
    }

    func get(_ key: UInt64) -> UInt64? {
        guard key != 0 else { return nil }
        let i = slot(key)
        return keys[i] == 0 ? nil : values[i]
    }

    /// Sets the value, or calls `merge` with the existing one to decide.
    mutating func set(_ key: UInt64, _ value: UInt64, merge: (UInt64, UInt64) -> UInt64 = { _, new in new }) {
        precondition(key != 0)
        if (count + 1) * 2 > mask { grow() }
        let i = slot(key)
        if keys[i] == 0 {
            keys[i] = key
            values[i] = value
            count += 1
        } else {
            values[i] = merge(values[i], value)
        }
    }

    /// Every key, in table order.
    func allKeys() -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(count)
        for k in keys where k != 0 { out.append(k) }
        return out
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let size = (mask + 1) * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for i in oldKeys.indices where oldKeys[i] != 0 {
            let j = slot(oldKeys[i])
            keys[j] = oldKeys[i]
            values[j] = oldValues[i]
        }
    }
}
