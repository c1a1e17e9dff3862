import Profiles

/// How small numbers are withheld for one audience.
public struct DisclosureRule: Sendable, Equatable, CustomStringConvertible {
    /// Counts from 1 to `threshold - 1` are suppressed; zeros are shown.
    public let threshold: Int

    public init(threshold: Int) { self.threshold = max(1, threshold) }

    /// Partners: counts of 1-4 withheld. Public: 1-9.
    public static let partners = DisclosureRule(threshold: 5)
    public static let publicAudience = DisclosureRule(threshold: 10)

    public var description: String {
        threshold <= 1 ? "no suppression" : "counts of 1 to \(threshold - 1) withheld (c), with further cells withheld so none can be worked out from totals; rates and shares from a withheld count withheld too; zeros shown"
    }
}

/// Primary and secondary suppression of a table's small counts, and the audit of the result.
///
/// Each count column is a table of cells indexed by the table's breakdowns (its label columns).
/// An intruder is taken to know every *line* total (the sum over one breakdown with the others
/// fixed, and the column's grand total, which other tables of the same profile publish as their
/// own margins) that is not itself a small count (such a total is withheld wherever it appears), that a withheld cell is at least 1 (zeros are shown) and that a withheld cell may
/// be large (some are withheld only to protect others). A primary cell is protected when the
/// interval those facts leave for it is at least as wide as the range the rule hides (so at least
/// `threshold` values stay possible: 5 for partners, 10 for the public).
/// Intervals are found by propagating the line totals to a fixed point (each withheld cell of a
/// line lies between its total less the others' largest values and its total less the others'
/// smallest): this finds disclosure by differencing within a line and through crossing lines; it
/// is not a full linear-programming audit of every combination of totals.
public enum DisclosureControl {
    public struct Outcome: Sendable {
        public let table: ProfileTable
        public let primary: Int
        public let secondary: Int
        /// Cells whose protection the audit could not confirm ("column row" descriptions).
        public let unprotected: [String]
        public var passed: Bool { unprotected.isEmpty }
    }

    /// - Parameter margins: further sets of rows whose totals other tables of the same profile
    ///   publish (the wards of each locality, the months of each year), treated as lines too.
    public static func protect(_ table: ProfileTable, rule: DisclosureRule, margins: [[Int]] = []) -> Outcome {
        var t = table
        guard rule.threshold > 1 else { return Outcome(table: t, primary: 0, secondary: 0, unprotected: []) }
        let labelColumns = t.kinds.indices.filter { t.kinds[$0] == .label }
        let lines = lines(t, labelColumns: labelColumns) + margins.filter { $0.count > 1 }
        var primary = 0, secondary = 0, unprotected: [String] = []
        var suppressedRows: [Int: Set<Int>] = [:]    // column -> rows withheld
        for c in t.kinds.indices where t.kinds[c] == .count {
            let values: [Int?] = t.rows.map { if case .count(let n) = $0[c] { return n } else { return nil } }
            var withheld = Set(values.indices.filter { values[$0].map { $0 >= 1 && $0 < rule.threshold } ?? false })
            let primaries = withheld
            primary += primaries.count
            // Withhold more cells until every primary cell is protected, or nothing more can help it.
            var hopeless = Set<Int>()
            while true {
                let bounds = intervals(values: values, withheld: withheld, lines: known(lines, values, rule))
                guard let weak = primaries.sorted().first(where: { !hopeless.contains($0) && !covers(bounds[$0], rule) }) else { break }
                // The smallest count shown in a line through the weak cell (fewest withheld first).
                let candidates = lines.filter { $0.contains(weak) }
                    .sorted { a, b in a.filter(withheld.contains).count < b.filter(withheld.contains).count }
                    .lazy.compactMap { line in line.filter { !withheld.contains($0) && (values[$0] ?? 0) > 0 }.min { (values[$0]!, $0) < (values[$1]!, $1) } }
                guard let extra = candidates.first else {
                    hopeless.insert(weak)
                    unprotected.append("\(t.columns[c]) row \(weak + 1)")
                    continue
                }
                withheld.insert(extra)
                secondary += 1
            }
            for r in withheld { t.rows[r][c] = .suppressed }
            suppressedRows[c] = withheld
        }
        // Rates, shares and differences worked out from a withheld count are withheld with it.
        for c in t.kinds.indices {
            guard case .derived(let bases) = t.kinds[c] else { continue }
            for r in t.rows.indices where bases.contains(where: { suppressedRows[$0]?.contains(r) == true }) {
                t.rows[r][c] = .suppressed
            }
        }
        for cell in audit(original: table, released: t, rule: rule, margins: margins) where !unprotected.contains(cell) { unprotected.append(cell) }
        return Outcome(table: t, primary: primary, secondary: secondary, unprotected: unprotected)
    }

    /// The cells of `released` (withheld ones marked `.suppressed`) whose true small value an
    /// intruder can narrow, from its published cells and line totals, to less than the whole range
    /// the rule hides; also any small count left showing. Empty when the table may be released.
    public static func audit(original: ProfileTable, released: ProfileTable, rule: DisclosureRule, margins: [[Int]] = []) -> [String] {
        guard rule.threshold > 1 else { return [] }
        let lines = lines(original, labelColumns: original.kinds.indices.filter { original.kinds[$0] == .label }) + margins.filter { $0.count > 1 }
        var out: [String] = []
        for c in original.kinds.indices where original.kinds[c] == .count {
            let values: [Int?] = original.rows.map { if case .count(let n) = $0[c] { return n } else { return nil } }
            let withheld = Set(released.rows.indices.filter { released.rows[$0][c] == .suppressed })
            let bounds = intervals(values: values, withheld: withheld, lines: known(lines, values, rule))
            for r in values.indices {
                guard let v = values[r], v >= 1, v < rule.threshold else { continue }
                if !withheld.contains(r) {
                    out.append("\(original.columns[c]) row \(r + 1): a count of \(v) is shown")
                } else if !covers(bounds[r], rule) {
                    out.append("\(original.columns[c]) row \(r + 1): can be narrowed to \(bounds[r].lo)...\(bounds[r].hi)")
                }
            }
            // A rate or share shown beside a withheld count would give it away.
            for d in original.kinds.indices {
                guard case .derived(let bases) = original.kinds[d], bases.contains(c) else { continue }
                for r in withheld where released.rows[r][d] != .suppressed && released.rows[r][d] != .missing {
                    out.append("\(original.columns[d]) row \(r + 1): shown beside a withheld count")
                }
            }
        }
        return out
    }

    /// Whether an interval is at least as wide as the range the rule hides (`threshold - 1`):
    /// an intruder is left with as many possible values as a withheld small count could take.
    static func covers(_ b: (lo: Double, hi: Double), _ rule: DisclosureRule) -> Bool {
        b.hi - b.lo >= Double(rule.threshold - 1)
    }

    /// Rows sharing every breakdown value but one, for each breakdown; and all rows (the total).
    static func lines(_ t: ProfileTable, labelColumns: [Int]) -> [[Int]] {
        guard !labelColumns.isEmpty else { return [] }
        var out: [[Int]] = [Array(t.rows.indices)]
        if labelColumns.count > 1 {
            for free in labelColumns {
                var groups: [[String]: [Int]] = [:]
                for r in t.rows.indices {
                    groups[labelColumns.filter { $0 != free }.map { t.rows[r][$0].description }, default: []].append(r)
                }
                out += groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
            }
        }
        return out
    }

    /// For each cell, the interval an intruder can derive: a shown cell is its value; a withheld one
    /// is at least 1, at most unbounded, narrowed by every line total until nothing changes.
    /// The lines whose totals an intruder can know: a total that is itself a small count (1 to
    /// threshold - 1) is withheld wherever it would be shown, so only larger totals (and zeros) count.
    static func known(_ lines: [[Int]], _ values: [Int?], _ rule: DisclosureRule) -> [[Int]] {
        lines.filter { line in
            let total = line.reduce(0) { $0 + (values[$1] ?? 0) }
            return total == 0 || total >= rule.threshold
        }
    }

    static func intervals(values: [Int?], withheld: Set<Int>, lines: [[Int]]) -> [(lo: Double, hi: Double)] {
        var lo = values.map { Double($0 ?? 0) }, hi = lo
        for i in withheld { lo[i] = 1; hi[i] = .infinity }
        // Cells with no count (missing) take no part in the totals.
        let lines = lines.map { $0.filter { values[$0] != nil } }
        let totals = lines.map { $0.reduce(0.0) { $0 + Double(values[$1] ?? 0) } }
        var changed = true, rounds = 0
        while changed && rounds < 100 {
            changed = false
            rounds += 1
            for (line, total) in zip(lines, totals) {
                let sumLo = line.reduce(0.0) { $0 + lo[$1] }
                let unbounded = line.filter { hi[$0].isInfinite }.count
                let finiteHi = line.reduce(0.0) { $0 + (hi[$1].isInfinite ? 0 : hi[$1]) }
                for i in line where withheld.contains(i) {
                    let newHi = total - (sumLo - lo[i])
                    // Only when every other cell of the line has an upper bound.
                    let othersUnbounded = unbounded - (hi[i].isInfinite ? 1 : 0)
                    let newLo = othersUnbounded > 0 ? lo[i] : total - (finiteHi - (hi[i].isInfinite ? 0 : hi[i]))
                    if newHi < hi[i] { hi[i] = newHi; changed = true }
                    if newLo > lo[i] { lo[i] = newLo; changed = true }
                }
            }
        }
        return zip(lo, hi).map { ($0, $1) }
    }
}

/// The margins that other tables of a profile publish and that a table's rows nest in.
public enum SharedMargins {
    /// For a table whose first column is a ward: its rows grouped by locality (a profile's
    /// locality table publishes each locality's total). For one whose first column is a month
    /// (`2025-04`): its rows grouped by financial year (every other table's yearly columns publish
    /// each year's total).
    public static func lines(_ t: ProfileTable, localityOfWard: [String: String]) -> [[Int]] {
        guard t.kinds.first == .label, let first = t.columns.first else { return [] }
        var groups: [String: [Int]] = [:]
        for (r, row) in t.rows.enumerated() {
            let label = row[0].description
            switch first {
            case "ward":
                if let locality = localityOfWard[label] { groups[locality, default: []].append(r) }
            case "month":
                let parts = label.split(separator: "-")
                if parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]) { groups[String(m >= 4 ? y : y - 1), default: []].append(r) }
            default:
                break
            }
        }
        return groups.keys.sorted().map { groups[$0]! }
    }
}
