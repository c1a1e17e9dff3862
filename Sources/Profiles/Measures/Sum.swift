import Definitions

/// The total of an integer or decimal field over each group's events (sessions lost to
/// suspension); a blank adds nothing.
struct Sum: MeasureKind {
    static let grammar = MeasureGrammar("sum", [.numericField])
    let field: String
    init(_ measure: Measure) { field = measure.arguments[0] }
    var selection: MeasureSelection { .summing(field) }
    var output: MeasureOutput { .count }

    func compute(_ input: MeasureInput) -> [Double?] {
        var totals = [Double?](repeating: 0, count: input.groups)
        for e in input.year where !e.value.isNaN { totals[e.group]! += e.value }
        return totals
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "sum(\(field)):" + events.rows, additivity: .additive, year: year)
    }
}
