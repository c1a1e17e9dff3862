import Columnar

/// Cells holding several codes: each separator's parts, counted as the values are read.
extension ColumnEvidence {
    /// Splits the value at each separator some value has held (its parts, or itself, counted once).
    mutating func rememberParts(_ b: UnsafeBufferPointer<UInt8>) {
        for k in 0..<3 where !partsOverflow[k] {
            let sep = Self.separators[k]
            let holds = b.contains(sep)
            if holds { withSeparator[k] += 1 }
            if parts[k] == nil {
                guard holds else { continue }
                // The first value with this separator: the values before were one part each.
                guard seedParts(k, from: self) else { continue }
            }
            var seen: Set<UInt32> = []
            var start = 0
            for i in 0...b.count where i == b.count || b[i] == sep {
                let part = UnsafeBufferPointer(rebasing: b[start..<i]).trimmed()
                start = i + 1
                guard !part.isEmpty else { continue }
                let (code, isNew) = parts[k]!.insert(part)
                if isNew { partCounts[k].append(0) }
                if seen.insert(code).inserted { partCounts[k][Int(code)] += 1 }
            }
            if parts[k]!.count > Self.distinctCap { overflowParts(k) }
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
        if parts[k] == nil {
            parts[k] = ByteDictionary(capacity: 64)
            partCounts[k] = [0]
        }
        for code in stride(from: 1, through: e.distinct.count, by: 1) {
            e.distinct.withBytes(UInt32(code)) { v in
                guard !v.contains(Self.separators[k]) else { return }
                let (c, isNew) = parts[k]!.insert(v)
                if isNew { partCounts[k].append(0) }
                partCounts[k][Int(c)] += e.counts[code]
            }
        }
        return true
    }

    private mutating func overflowParts(_ k: Int) {
        partsOverflow[k] = true
        parts[k] = nil
        partCounts[k] = [0]
    }

    /// Separator `k`'s parts of this part of the file followed by `other`'s.
    mutating func mergeParts(_ k: Int, _ other: ColumnEvidence) {
        withSeparator[k] += other.withSeparator[k]
        if other.partsOverflow[k] { overflowParts(k) }
        guard !partsOverflow[k], parts[k] != nil || other.parts[k] != nil else { return }
        if parts[k] == nil {
            // Nothing here held the separator: this part's values were one part each.
            let mine = self
            parts[k] = nil
            seedParts(k, from: mine)
        }
        guard !partsOverflow[k] else { return }
        if let theirs = other.parts[k] {
            for code in stride(from: 1, through: theirs.count, by: 1) {
                theirs.withBytes(UInt32(code)) { v in
                    let (c, isNew) = parts[k]!.insert(v)
                    if isNew { partCounts[k].append(0) }
                    partCounts[k][Int(c)] += other.partCounts[k][code]
                }
            }
        } else {
            seedParts(k, from: other)
        }
        if let d = parts[k], d.count > Self.distinctCap { overflowParts(k) }
    }

    /// The parts of the cells split at separator `k`, with the rows holding each (empty when too many).
    func partValues(_ k: Int) -> [(value: String, count: Int)] {
        guard let d = parts[k], d.count > 0 else { return [] }
        return (1...d.count).map { (text(d, $0), partCounts[k][$0]) }.sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value
        }
    }
}
