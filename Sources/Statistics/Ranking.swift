/// Ranks and quantile groups of areas' values within a comparator group. Inputs are in area order;
/// `nil` (or non-finite) values are missing: they get `nil` and are left out of the counts.
public enum Ranking {
    /// Competition ranks ("1224" ranking) where 1 is the best value by polarity: the highest value
    /// for `.highIsGood`, the lowest for `.lowIsGood`, and the highest for `.noJudgement`.
    /// Tied values share the best (smallest) rank of the tie and the next rank is skipped, as R's
    /// `rank(ties.method = "min")` used by PHEindicatormethods `phe_quantile`.
    public static func ranks(_ values: [Double?], polarity: Polarity) -> [Int?] {
        let descending = polarity != .lowIsGood
        return minRanks(values.map { v in v.flatMap { $0.isFinite ? (descending ? -$0 : $0) : nil } })
    }

    /// Fingertips quintiles (fingertips-open `QuintilesCalculator` / `QuintilesComparer`):
    /// with the valid values sorted, the bounds are the minimum, the 20th, 40th, 60th and 80th
    /// percentiles and the maximum, each percentile by linear interpolation at position
    /// (N − 1)·f + 1 (Excel `PERCENTILE.INC`, R type 7) rounded to 10 decimal places; an area is in
    /// the first quintile q = 1…5 whose upper bound is ≥ its value. Quintile 1 holds the lowest
    /// values. All `nil` when fewer than 5 valid values.
    public static func fingertipsQuintiles(_ values: [Double?]) -> [Int?] {
        let clean = values.map { v in v.flatMap { $0.isFinite ? $0 : nil } }
        let sorted = clean.compactMap { $0 }.sorted()
        let n = sorted.count
        guard n >= 5 else { return clean.map { _ in nil } }
        func percentile(_ f: Double) -> Double {
            let position = Double(n - 1) * f + 1
            if position == 1 { return sorted[0] }
            if position == Double(n) { return sorted[n - 1] }
            let k = Int(position), d = position - Double(k)
            let p = sorted[k - 1] + d * (sorted[k] - sorted[k - 1])
            return abs(p) < 1e16 ? (p * 1e10).rounded(.toNearestOrAwayFromZero) / 1e10 : p
        }
        let upperBounds = [0.2, 0.4, 0.6, 0.8].map(percentile) + [sorted[n - 1]]
        return clean.map { v in v.map { value in (upperBounds.firstIndex { value <= $0 } ?? 4) + 1 } }
    }

    /// Quantiles by PHEindicatormethods `phe_quantile` (OHID technical guide "Assigning
    /// deprivation categories"): with N valid values and Q quantiles, rank r (ties "min") of
    /// `max − value` when `highestFirst` (phe_quantile's default `invert = TRUE`: quantile 1 holds
    /// the highest values) or of `value` otherwise, then
    ///
    ///     quantile = floor((Q + 1) − ceiling(((N + 1) − r) / (N / Q))),  0 → 1
    ///
    /// All `nil` when N < Q (or Q < 1).
    public static func pheQuantiles(_ values: [Double?], quantiles: Int = 5, highestFirst: Bool = true) -> [Int?] {
        let clean = values.map { v in v.flatMap { $0.isFinite ? $0 : nil } }
        let valid = clean.compactMap { $0 }
        let n = valid.count
        guard quantiles >= 1, n >= quantiles, let maximum = valid.max() else { return clean.map { _ in nil } }
        let ranks = minRanks(clean.map { v in v.map { highestFirst ? maximum - $0 : $0 } })
        let width = Double(n) / Double(quantiles)
        return ranks.map { rank in
            rank.map { r in
                let q = Int((Double(quantiles + 1) - (Double(n + 1 - r) / width).rounded(.up)).rounded(.down))
                return q == 0 ? 1 : q
            }
        }
    }

    /// Ascending competition ranks with ties given the minimum rank; `nil` stays `nil`.
    static func minRanks(_ keys: [Double?]) -> [Int?] {
        let order = keys.enumerated().compactMap { i, key in key.map { (index: i, key: $0) } }.sorted { $0.key < $1.key }
        var result = [Int?](repeating: nil, count: keys.count)
        var previous: (key: Double, rank: Int)?
        for (position, item) in order.enumerated() {
            let rank = previous.flatMap { $0.key == item.key ? $0.rank : nil } ?? position + 1
            result[item.index] = rank
            previous = (item.key, rank)
        }
        return result
    }
}
