import Definitions

/// Records: the rows (events) of each group.
struct Records: MeasureKind {
    static let grammar = MeasureGrammar("records")
    init(_ measure: Measure) {}
    var selection: MeasureSelection { .rows }
    var output: MeasureOutput { .count }

    func compute(_ input: MeasureInput) -> [Double?] { input.records.map(Double.init) }

    /// Events per group.
    static func count(_ events: [ProfileEngine.Event], groups: Int) -> [Int] {
        var n = [Int](repeating: 0, count: groups)
        for e in events { n[e.group] += 1 }
        return n
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: events.records, additivity: .additive, year: year)
    }
}
