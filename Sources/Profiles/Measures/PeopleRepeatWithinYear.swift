import Definitions

/// People with an event in the year that followed another of theirs within 365 days (people who
/// reoffended within 12 months).
struct PeopleRepeatWithinYear: PeopleMeasure {
    static let grammar = MeasureGrammar("people_repeat_within_year", [.optionalRole])
    let role: String?

    func compute(_ input: MeasureInput) -> [Double?] {
        RepeatWithinYear.count(year: input.year, all: input.all, groups: input.groups, distinctPeople: true).map(Double.init)
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "people_repeat_within_year:" + events.people(role), additivity: .distinct, year: year, records: events.records)
    }
}
