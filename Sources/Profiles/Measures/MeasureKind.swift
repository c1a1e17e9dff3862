import Definitions

/// One measure, its steps kept together the way an aggregate function keeps init, update and
/// finalize: which events it reads (`selection`), its value per group over one year's events
/// (`compute`), how its column shows (`output`), and what its counts count, for disclosure control
/// (`meaning`). Adding a measure is a type in this folder, named in `MeasureLibrary.kinds`.
protocol MeasureKind: Sendable {
    /// The measure's name and arguments, as definitions write it (checked when they are loaded).
    static var grammar: MeasureGrammar { get }
    /// The measure a definition names; its arguments have been checked against `grammar`.
    init(_ measure: Measure)
    var selection: MeasureSelection { get }
    var output: MeasureOutput { get }
    /// The value of each group over one year's events (nil where it has none, as a rate with no
    /// residents).
    func compute(_ input: MeasureInput) -> [Double?]
    /// The population its counts count over these events, or nil when it is not a count.
    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning?
}

/// A measure of people: the event set's own person's, or another role's named as its argument
/// (`people:suspect`); a count.
protocol PeopleMeasure: MeasureKind {
    var role: String? { get }
    init(role: String?)
}

extension PeopleMeasure {
    init(_ measure: Measure) { self.init(role: measure.arguments.first) }
    var selection: MeasureSelection { role.map { .role($0) } ?? .rows }
    var output: MeasureOutput { .count }
}

/// A number worked out from each group's records (a share, a rate): no argument, no count of its own.
protocol FromRecordsMeasure: MeasureKind {
    init()
}

extension FromRecordsMeasure {
    init(_ measure: Measure) { self.init() }
    var selection: MeasureSelection { .rows }
    var output: MeasureOutput { .fromRecords }
    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? { nil }
}

/// Which events a measure reads: the table's rows, as seen through which of their people.
enum MeasureSelection: Hashable, Sendable {
    /// The rows, with the event set's own person.
    case rows
    /// The same rows, counting another person role's people (`people:suspect`).
    case role(String)
    /// The same rows, by one role's people, each with the other role's person beside it (serial).
    case pair(String, String)
    /// The same rows, with a numeric field's value beside each.
    case summing(String)
}

/// How a measure's column shows.
enum MeasureOutput: Sendable {
    /// Whole counts (suppressed for audiences that need it).
    case count
    /// A number to one decimal place worked out from the records column (a share or a rate), which
    /// disclosure control treats as the records it gives away.
    case fromRecords
    /// A mean to one decimal place, with its interval in columns of its own, withheld with its
    /// number of values (a hidden count).
    case mean
    /// A count from the drop's reference data about places (service sites), not about people:
    /// no small number of it is withheld.
    case reference
}

/// What a measure computes from: one year's events of its selection, every year's (to look back
/// from the year), the table's own records per group in the year, and the residents behind each group.
struct MeasureInput {
    let year: [ProfileEngine.Event]
    let all: [ProfileEngine.Event]
    let records: [Int]
    let groups: Int
    let residents: GroupResidents
}

/// What lives in a group's area: the residents (or children) a rate is per, and the service
/// sites there: the whole area's, or the row's area when the table is broken down by ward,
/// locality or deprivation decile.
struct GroupResidents: Sendable {
    struct Counts: Sendable {
        var residents = 0
        var children = 0
        /// The category of each service site in the area (lower case).
        var sites: [String] = []
        /// Residents in each of the population's age bands (`AreaReference.ageBands`); empty when
        /// the population is not given by age.
        var byAge: [Int] = []
    }
    let total: Counts
    /// Per group, when the table has an area breakdown.
    let perGroup: (@Sendable (Int) -> Counts)?

    func of(_ group: Int, children: Bool) -> Double {
        let counts = perGroup?(group) ?? total
        return Double(children ? counts.children : counts.residents)
    }

    /// The residents of each age band in the group's area.
    func byAge(_ group: Int) -> [Int] { (perGroup?(group) ?? total).byAge }

    /// The service sites of a category in the group's area.
    func sites(_ group: Int, category: String) -> Int {
        let wanted = category.lowercased()
        return (perGroup?(group) ?? total).sites.reduce(0) { $0 + ($1 == wanted ? 1 : 0) }
    }
}

/// An event set's rows and people written canonically (sources and conditions, whatever a profile
/// calls them), from which a measure names the population it counts.
struct CanonicalEvents {
    let sets: [EventSet]

    /// The rows, whatever is counted of them.
    var rows: String { sets.map(ProfileEngine.canonical).sorted().joined(separator: "+") }
    var records: String { "records:" + rows }

    /// The people of the role (each set's own person when nil).
    func people(_ role: String?) -> String {
        sets.map { ProfileEngine.canonical($0) + "@" + (role ?? $0.person ?? "") }.sorted().joined(separator: "+")
    }
}

/// Every measure the engine knows, by name.
public enum MeasureLibrary {
    static let kinds: [any MeasureKind.Type] = [
        Records.self, People.self, RepeatPeople.self, RepeatWithinYear.self, PeopleRepeatWithinYear.self, Serial.self,
        RatePer1000.self, RatePer10000Children.self, Share.self, Sum.self, Mean.self, Sites.self,
    ]

    /// What definitions may name, for the loader to check them against.
    public static let grammars: [MeasureGrammar] = kinds.map { $0.grammar }

    /// The measure a (checked) definition names.
    static func kind(_ measure: Measure) -> any MeasureKind {
        guard let type = kinds.first(where: { $0.grammar.name == measure.name }) else {
            preconditionFailure("measure '\(measure)' was not checked against MeasureLibrary.grammars")
        }
        return type.init(measure)
    }
}
