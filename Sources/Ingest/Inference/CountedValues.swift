import Columnar

/// Distinct byte strings with a count each, kept while there are at most `cap` of them; past that
/// only that there were more is known (`overflowed`). A column's distinct values, its markers for
/// "not known", and the parts of its cells at a separator are each one.
struct CountedValues: Sendable {
    let cap: Int
    private(set) var dictionary = ByteDictionary(capacity: 16)
    private var counts: [Int] = [0]
    private(set) var overflowed = false

    init(cap: Int) { self.cap = cap }

    /// The distinct values kept (up to `cap`, and one more when it overflowed).
    var count: Int { dictionary.count }

    /// Adds `n` to the count of `b`; returns its code, nil once there are too many values.
    @discardableResult
    mutating func add(_ b: UnsafeBufferPointer<UInt8>, count n: Int = 1) -> UInt32? {
        guard !overflowed else { return nil }
        let (code, isNew) = dictionary.insert(b)
        if isNew {
            guard dictionary.count <= cap else {
                overflowed = true
                return nil
            }
            counts.append(0)
        }
        counts[Int(code)] += n
        return code
    }

    /// Adds 1 to the count of a value already added.
    mutating func increment(_ code: UInt32) { counts[Int(code)] += 1 }

    mutating func markOverflowed() { overflowed = true }

    /// This one's values followed by `other`'s, counts added.
    mutating func merge(_ other: CountedValues) {
        if other.overflowed { overflowed = true }
        other.forEach { b, n in add(b, count: n) }
    }

    /// Each value's bytes and count, in the order first added (nothing once overflowed).
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        guard !overflowed else { return }
        for code in stride(from: 1, through: dictionary.count, by: 1) {
            dictionary.withBytes(UInt32(code)) { body($0, counts[code]) }
        }
    }

    /// The values as text (by `decode`) with their counts, most frequent first (empty once overflowed).
    func sorted(_ decode: (UnsafeBufferPointer<UInt8>) -> String) -> [(value: String, count: Int)] {
        var out: [(value: String, count: Int)] = []
        forEach { b, n in out.append((decode(b), n)) }
        return out.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }
}
