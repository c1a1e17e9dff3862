import Definitions

/// People with two or more events of the group in the year.
struct RepeatPeople: PeopleMeasure {
    static let grammar = MeasureGrammar("repeat_people", [.optionalRole])
    let role: String?

    func compute(_ input: MeasureInput) -> [Double?] {
        People.count(input.year, groups: input.groups, minimumEvents: 2).map(Double.init)
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "repeat_people:" + events.people(role), additivity: .monotone, year: year, records: events.records)
    }
}
