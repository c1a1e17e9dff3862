import Definitions

/// Service sites of a category in each group's area (`sites:drug_and_alcohol`): where services are
/// provided beside the demand the table counts. From the drop's `reference/services.csv`, as it
/// lists them (the same in both years); a fact about places, not people, so never withheld.
struct Sites: MeasureKind {
    static let grammar = MeasureGrammar("sites", [.category])
    let category: String

    init(_ measure: Measure) { category = measure.arguments.first ?? "" }
    var selection: MeasureSelection { .rows }
    var output: MeasureOutput { .reference }

    func compute(_ input: MeasureInput) -> [Double?] {
        (0..<input.groups).map { Double(input.residents.sites($0, category: category)) }
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? { nil }
}
