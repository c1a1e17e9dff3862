import Definitions

/// Records per 1,000 residents (of the row's area when the table is broken down by area).
struct RatePer1000: FromRecordsMeasure {
    static let grammar = MeasureGrammar("rate_per_1000")

    func compute(_ input: MeasureInput) -> [Double?] { Self.rate(input, per: 1_000, children: false) }

    /// Each group's records per `per` residents (or children), nil where there are none.
    static func rate(_ input: MeasureInput, per scale: Double, children: Bool) -> [Double?] {
        (0..<input.groups).map { g in
            let denominator = input.residents.of(g, children: children)
            return denominator > 0 ? Double(input.records[g]) * scale / denominator : nil
        }
    }
}
