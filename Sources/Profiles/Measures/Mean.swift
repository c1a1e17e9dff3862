import Definitions
import Statistics

/// The mean of an integer, decimal or date field over each group's events with a value (a date:
/// the days from the row's date to it, as the days a plan lasted), with its 95% interval by
/// Student's t (PHEindicatormethods `phe_mean`, `SampleMean`). Blank values, and negative days
/// (a date before the row's own), are left out. The number of values is kept as a hidden count:
/// disclosure control withholds the mean and its interval with it, since a mean of few values
/// gives them away.
struct Mean: MeasureKind {
    static let grammar = MeasureGrammar("mean", [.numericOrDateField])
    let field: String
    init(_ measure: Measure) { field = measure.arguments[0] }
    var selection: MeasureSelection { .summing(field) }
    var output: MeasureOutput { .mean }

    /// Each group's values' mean with its spread, nil where it has none.
    func means(_ events: [ProfileEngine.Event], groups: Int) -> [SampleMean?] {
        var values = [[Double]](repeating: [], count: groups)
        for e in events where !e.value.isNaN && e.value.isFinite { values[e.group].append(e.value) }
        return values.map { try? SampleMean($0) }
    }

    func compute(_ input: MeasureInput) -> [Double?] { means(input.year, groups: input.groups).map { $0?.value } }

    /// The population its hidden count of values counts.
    func valuesMeaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning {
        .init(population: "values(\(field)):" + events.rows, additivity: .additive, year: year)
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? { nil }
}
