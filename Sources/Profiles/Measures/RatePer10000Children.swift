import Definitions

/// Records per 10,000 residents aged under 18 (of the row's area when broken down by area).
struct RatePer10000Children: FromRecordsMeasure {
    static let grammar = MeasureGrammar("rate_per_10000_children")

    func compute(_ input: MeasureInput) -> [Double?] { RatePer1000.rate(input, per: 10_000, children: true) }
}
