import Columnar

/// Cells holding several codes: each separator's parts, counted as the values are read.
extension ColumnEvidence {
    /// Splits the value at each separator some value has held (its parts, or itself, each counted
    /// once per cell).
    mutating func rememberParts(_ b: UnsafeBufferPointer<UInt8>) {
        // One pass for which separators the value holds.
        var holds: UInt8 = 0
        for c in b {
            if c == 0x3B { holds |= 1 } else if c == 0x7C { holds |= 2 } else if c == 0x2C { holds |= 4 }
        }
        for k in 0..<3 where !partsOverflow[k] {
            let has = holds & (1 << k) != 0
            if has { withSeparator[k] += 1 }
            if parts[k] == nil {
                // The first value with this separator: the values before were one part each.
                guard has, seedParts(k, from: self) else { continue }
            }
            splitInto(k, b, holding: has)
        }
    }

    /// Adds the parts of `b` at separator `k` (the whole value when it does not hold it).
    private mutating func splitInto(_ k: Int, _ b: UnsafeBufferPointer<UInt8>, holding: Bool) {
        guard holding else {
            if parts[k]!.add(b) == nil { overflowParts(k) }
            return
        }
        let sep = Self.separators[k]
        var seen: [UInt32] = []
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == sep {
            let part = UnsafeBufferPointer(rebasing: b[start..<i]).trimmed()
            start = i + 1
            guard !part.isEmpty else { continue }
            guard let code = parts[k]!.add(part, count: 0) else { return overflowParts(k) }
            if !seen.contains(code) {
                seen.append(code)
                parts[k]!.increment(code)
            }
        }
    }

    /// Starts separator `k`'s parts from `e`'s distinct values without it (each one part); false
    /// (and no parts kept) when those values are too many to know.
    @discardableResult
    private mutating func seedParts(_ k: Int, from e: ColumnEvidence) -> Bool {
        guard !e.manyDistinct else {
            overflowParts(k)
            return false
        }
        if parts[k] == nil { parts[k] = CountedValues(cap: Self.distinctCap) }
        let sep = Self.separators[k]
        e.distinct.forEach { v, n in
            if !v.contains(sep) { parts[k]!.add(v, count: n) }
        }
        if parts[k]!.overflowed { overflowParts(k) }
        return !partsOverflow[k]
    }

    private mutating func overflowParts(_ k: Int) {
        partsOverflow[k] = true
        parts[k] = nil
    }

    /// Separator `k`'s parts of this part of the file followed by `other`'s.
    mutating func mergeParts(_ k: Int, _ other: ColumnEvidence) {
        withSeparator[k] += other.withSeparator[k]
        if other.partsOverflow[k] { overflowParts(k) }
        guard !partsOverflow[k], parts[k] != nil || other.parts[k] != nil else { return }
        // Nothing here held the separator: this part's values were one part each.
        if parts[k] == nil, !seedParts(k, from: self) { return }
        if let theirs = other.parts[k] {
            parts[k]!.merge(theirs)
            if parts[k]!.overflowed { overflowParts(k) }
        } else {
            seedParts(k, from: other)
        }
    }

    /// The parts of the cells split at separator `k`, with the rows holding each (empty when too many).
    func partValues(_ k: Int) -> [(value: String, count: Int)] { parts[k]?.sorted(text) ?? [] }
}
