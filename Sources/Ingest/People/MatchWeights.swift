import Foundation

/// How two encodings compare, field by field, as one of `MatchPattern.count` patterns: the
/// surname's and forename's Bloom filters by Dice similarity, the date of birth's parts, the
/// months of birth the age gives where a date of birth is missing, sex and postcode.
enum MatchPattern {
    /// Levels per field: surname (4), forename (5), date of birth (4), birth window (3), sex (3), postcode (3).
    static let levels = [4, 5, 4, 3, 3, 3]
    static let fields = ["surname", "forename", "date_of_birth", "birth_window", "sex", "postcode"]
    static let count = levels.reduce(1, *)
    /// Each field's level for "not given on one side" (nil: always given): it weighs nothing.
    static let missing: [Int?] = [nil, 4, 3, 2, 2, 2]

    @inline(__always)
    static func dice(_ a: (UInt64, UInt64), _ b: (UInt64, UInt64)) -> Double {
        let both = (a.0 & b.0).nonzeroBitCount + (a.1 & b.1).nonzeroBitCount
        let total = a.0.nonzeroBitCount + a.1.nonzeroBitCount + b.0.nonzeroBitCount + b.1.nonzeroBitCount
        return total == 0 ? 0 : 2 * Double(both) / Double(total)
    }

    /// A name's level: 0 agrees (Dice at least 0.85), 1 close (0.6), 2 partly (0.4), 3 disagrees.
    @inline(__always)
    static func nameLevel(_ d: Double) -> Int { d >= 0.85 ? 0 : d >= 0.6 ? 1 : d >= 0.4 ? 2 : 3 }

    /// Whether both give a date of birth and fewer than two of its parts agree (a day and month
    /// swapped agree).
    @inline(__always)
    static func birthDatesDisagree(_ a: PersonEncoding, _ b: PersonEncoding) -> Bool {
        guard a.hasBirthDate && b.hasBirthDate else { return false }
        let same = (a.day == b.day ? 1 : 0) + (a.month == b.month ? 1 : 0) + (a.year == b.year ? 1 : 0)
        return same < 2 && !(a.day == b.month && a.month == b.day && a.year == b.year)
    }

    /// Whether one gives a date of birth and the other months of birth (from an age) that do not
    /// hold it, or both give months of birth more than a year apart.
    @inline(__always)
    static func birthWindowsDisagree(_ a: PersonEncoding, _ b: PersonEncoding, _ w: UnsafeBufferPointer<UInt32>) -> Bool {
        if a.hasBirthDate && b.window != 0 { return !holds(w, b.window, a.yearMonth) }
        if b.hasBirthDate && a.window != 0 { return !holds(w, a.window, b.yearMonth) }
        if a.windowStart != 0 && b.windowStart != 0 { return abs(Int(a.windowStart) - Int(b.windowStart)) > 12 }
        return false
    }

    /// Whether a pair is worth scoring: two people whose dates of birth disagree (or whose birth
    /// months cannot hold the other's date) are never one, so their pair is not scored.
    @inline(__always)
    static func plausible(_ a: PersonEncoding, _ b: PersonEncoding, _ w: UnsafeBufferPointer<UInt32>) -> Bool {
        !birthDatesDisagree(a, b) && !birthWindowsDisagree(a, b, w)
    }

    /// Whether the 13 months of a window (its offset into `w`, plus one) hold a month's tag.
    @inline(__always)
    static func holds(_ w: UnsafeBufferPointer<UInt32>, _ window: UInt32, _ tag: UInt32) -> Bool {
        let start = Int(window) - 1
        for k in start..<(start + 13) where w[k] == tag { return true }
        return false
    }

    /// The pattern of a pair of encodings.
    static func of(_ a: PersonEncoding, _ b: PersonEncoding, _ w: UnsafeBufferPointer<UInt32>) -> Int {
        let surname = nameLevel(dice(a.surname, b.surname))
        let forename = a.hasForename && b.hasForename ? nameLevel(dice(a.forename, b.forename)) : 4
        var dob = 3, year = 2
        if a.hasBirthDate && b.hasBirthDate {
            let same = (a.day == b.day ? 1 : 0) + (a.month == b.month ? 1 : 0) + (a.year == b.year ? 1 : 0)
            let swapped = a.day == b.month && a.month == b.day && a.year == b.year
            dob = same == 3 ? 0 : (same == 2 || swapped) ? 1 : 2
        } else if a.hasBirthDate && b.window != 0 {
            year = holds(w, b.window, a.yearMonth) ? 0 : 1
        } else if b.hasBirthDate && a.window != 0 {
            year = holds(w, a.window, b.yearMonth) ? 0 : 1
        } else if a.windowStart != 0 && b.windowStart != 0 {
            year = abs(Int(a.windowStart) - Int(b.windowStart)) <= 12 ? 0 : 1
        }
        let sex = a.sex == 0 || b.sex == 0 ? 2 : (a.sex == b.sex ? 0 : 1)
        let postcode = a.postcode == 0 || b.postcode == 0 ? 2 : (a.postcode == b.postcode ? 0 : 1)
        return surname + 4 * (forename + 5 * (dob + 4 * (year + 3 * (sex + 3 * postcode))))
    }

    /// The level of each field in a pattern.
    static func fieldLevels(_ pattern: Int) -> [Int] {
        var p = pattern
        return levels.map { n in
            defer { p /= n }
            return p % n
        }
    }
}

/// Fellegi-Sunter weights for pairs of identities: the chance that two identities drawn at
/// random are one person (λ), and for each field the chance of each level among matching pairs
/// (m) and among pairs of different people (u), fields taken as independent given the match status.
///
/// Estimated from the drop itself, by EM over every pair of identities: the candidate pairs that
/// share a block, and a random sample standing for all the others, weighed by how many it
/// stands for (so blocking, which makes candidates agree on the fields it blocks on, biases
/// nothing). m is counted over pairs of records of one person that exact linkage joined by their
/// NHS numbers (so it knows the typos, missing dates of birth and swapped days and months of the
/// drop), u over the random pairs (nearly all of two people); EM estimates λ, the share of pairs
/// that are one person, with them.
public struct MatchWeights: Sendable, Codable, Equatable {
    public var lambda: Double
    /// Per field, per level.
    public var m: [[Double]]
    public var u: [[Double]]
    public var iterations = 0
    /// Pairs the estimate started from: of one person (for m), drawn at random (for u).
    public var labelledPairs = 0
    public var randomPairs = 0

    /// Level counts into shares, with a half-count added to each level (none is impossible).
    static func shares(_ counts: [[Double]]) -> [[Double]] {
        counts.map { row in
            let total = row.reduce(0, +) + 0.5 * Double(row.count)
            return row.map { ($0 + 0.5) / total }
        }
    }

    /// The pattern counts per field level.
    static func levelCounts(_ patternCounts: [Double]) -> [[Double]] {
        var counts = MatchPattern.levels.map { [Double](repeating: 0, count: $0) }
        for (p, c) in patternCounts.enumerated() where c > 0 {
            for (f, l) in MatchPattern.fieldLevels(p).enumerated() { counts[f][l] += c }
        }
        return counts
    }

    /// EM for λ over weighted pattern counts (each pair of identities counted once, or stood for
    /// by a sampled pair), m and u as given.
    /// - Complexity: O(iterations × patterns × fields).
    static func estimate(pairs weights: [Double], start: MatchWeights, maxIterations: Int = 100) -> MatchWeights {
        let patterns = (0..<MatchPattern.count).filter { weights[$0] > 0 }
        let levels = patterns.map(MatchPattern.fieldLevels)
        let total = patterns.reduce(0) { $0 + weights[$1] }
        var w = start
        guard total > 0 else { return w }
        for iteration in 1...maxIterations {
            var matched = [Double](repeating: 0, count: MatchPattern.count)
            var share = 0.0
            for (k, p) in patterns.enumerated() {
                let g = w.posterior(levels[k]) * weights[p]
                matched[p] = g
                share += g
            }
            let lambda = min(max(share / total, 1e-12), 0.5)
            let change = abs(log(lambda) - log(w.lambda))
            // m and u stay as counted (pairs of one person, random pairs): re-estimated alongside λ
            // they let EM settle on classes that are not "one person" (blocking and a few fields'
            // dependence give it classes enough).
            w.lambda = lambda
            w.iterations = iteration
            if change < 1e-6 { break }
        }
        return w
    }

    /// A field level's weight, log(m / u), m and u taken over the pairs that give the field on
    /// both sides: a field not given weighs nothing (a missing date of birth says nothing of
    /// whether two records are one person).
    public func weight(_ f: Int, _ l: Int) -> Double {
        guard let missing = MatchPattern.missing[f] else { return log(m[f][l] / u[f][l]) }
        if l == missing { return 0 }
        return log(m[f][l] / u[f][l] / given(f))
    }

    /// m's share of pairs that give field f on both sides over u's.
    private func given(_ f: Int) -> Double {
        guard let missing = MatchPattern.missing[f] else { return 1 }
        return (m[f].reduce(0, +) - m[f][missing]) / (u[f].reduce(0, +) - u[f][missing])
    }

    /// Each pattern's log odds of being one person (the names at their average frequency).
    func logOdds() -> [Double] {
        let prior = log(lambda / (1 - lambda))
        return (0..<MatchPattern.count).map { p in
            MatchPattern.fieldLevels(p).enumerated().reduce(prior) { $0 + weight($1.offset, $1.element) }
        }
    }

    /// What to add to a pattern's log odds, less log(the name's share of people), when the full
    /// names agree: the name's own chance of agreeing by accident in place of the average's.
    var nameAdjustment: Double {
        log(u[0][0]) + log(u[1][0] / (u[1].reduce(0, +) - u[1][MatchPattern.missing[1]!]))
    }

    /// The chance that a pair with these field levels is one person; `nameFrequency`, when the
    /// names agree, is the share of people with that name (a rare name weighs more than a common one).
    func posterior(_ fieldLevels: [Int], nameFrequency: Double? = nil) -> Double {
        var logRatio = log(lambda / (1 - lambda))
        for (f, l) in fieldLevels.enumerated() { logRatio += weight(f, l) }
        if let nameFrequency, fieldLevels[0] == 0, fieldLevels[1] == 0 {
            // The two names' chance of agreeing by accident is the name's own share, not the average.
            logRatio += nameAdjustment - log(max(nameFrequency, 1e-9))
        }
        return 1 / (1 + exp(-logRatio))
    }
}
