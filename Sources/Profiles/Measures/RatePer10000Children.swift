import Definitions

/// Records per 10,000 residents aged under 18 (of the row's area when broken down by area).
struct RatePer10000Children: RateMeasure {
    static let grammar = MeasureGrammar("rate_per_10000_children")
    var per: Double { 10_000 }
    var children: Bool { true }
}
