/// "Did you mean ...?": the valid names nearest a mistaken one, by edit distance ignoring case.
public enum Suggestions {
    /// Up to two of `candidates` within a few edits of `word` (a third of its length, at least two),
    /// nearest first.
    public static func nearest(_ word: String, in candidates: [String]) -> [String] {
        let target = Array(word.lowercased())
        let limit = max(2, target.count / 3)
        let scored = candidates.map { ($0, distance(target, Array($0.lowercased()))) }.filter { $0.1 <= limit }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(2).map(\.0)
    }

    /// The end of a message about an unknown name: the nearest valid ones if any are close
    /// ("; did you mean 'people'?"), else every valid one (" (known: a, b, c)").
    public static func hint(_ word: String, in candidates: [String], listing: String = "known") -> String {
        let near = nearest(word, in: candidates)
        if !near.isEmpty { return "; did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?" }
        return " (\(listing): \(candidates.joined(separator: ", ")))"
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
