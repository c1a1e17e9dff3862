import Definitions

/// People with two or more events of the group in the year.
struct RepeatPeople: MeasureKind {
    static let grammar = MeasureGrammar("repeat_people", [.optionalRole])
    let role: String?
    init(_ measure: Measure) { role = measure.arguments.first }
    var selection: MeasureSelection { role.map { .role($0) } ?? .rows }
    var output: MeasureOutput { .count }

    func compute(_ input: MeasureInput) -> [Double?] {
        People.count(input.year, groups: input.groups, minimumEvents: 2).map(Double.init)
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "repeat_people:" + events.people(role), additivity: .monotone, year: year, records: events.records)
    }
}
