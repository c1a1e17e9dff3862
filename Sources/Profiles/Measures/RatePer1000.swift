import Definitions

/// A crude rate: each group's records per `per` residents (or children) of the row's area, or of
/// the whole area without an area breakdown. Its scale and population are what the area
/// comparison, the funnel plots and the index of inequality work from.
protocol RateMeasure: FromRecordsMeasure {
    /// The rate is per this many of the population (1,000 residents, 10,000 children).
    var per: Double { get }
    /// Per children (residents aged under 18) rather than residents.
    var children: Bool { get }
}

extension RateMeasure {
    /// Each group's records per `per` residents (or children), nil where there are none.
    func compute(_ input: MeasureInput) -> [Double?] {
        (0..<input.groups).map { g in
            let denominator = input.residents.of(g, children: children)
            return denominator > 0 ? Double(input.records[g]) * per / denominator : nil
        }
    }
}

/// Records per 1,000 residents (of the row's area when the table is broken down by area).
struct RatePer1000: RateMeasure {
    static let grammar = MeasureGrammar("rate_per_1000")
    var per: Double { 1_000 }
    var children: Bool { false }
}
