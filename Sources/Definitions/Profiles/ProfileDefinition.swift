/// One priority profile: the event sets it draws on, the tables of its sections, and its success
/// measures with the direction that is good news.
public struct ProfileDefinition: Sendable {
    public let id: String
    public let title: String
    public let group: String
    public let description: String
    public let events: [EventSet]
    public let tables: [TableDefinition]
    public let success: [SuccessMeasure]
    public let location: SourceLocation

    public func eventSet(_ name: String) -> EventSet? { events.first { $0.name == name } }
}

/// Rows of one source that count as events of the profile (DA-flagged crimes, neglect referrals ...).
public struct EventSet: Sendable {
    public let name: String
    public let source: String
    public let conditions: [Condition]
    /// The person these events are about (victim, child ...), for people measures.
    public let person: String?
    /// The agency, for cross-agency views (the source's agency unless given).
    public let agency: String
    public let location: SourceLocation
    /// Only rows whose own person (`ownPerson`) also has an event of one of these sets in the same
    /// financial year (`also_in:`: people with co-occurring conditions); none when empty. These
    /// sets have no `also_in` of their own.
    public internal(set) var alsoIn: [EventSet] = []
    /// The set's own person, which `also_in` matches, whichever role a measure counts.
    public let ownPerson: String?

    public init(
        name: String, source: String, conditions: [Condition], person: String?, agency: String, location: SourceLocation,
        alsoIn: [EventSet] = []
    ) {
        self.name = name; self.source = source; self.conditions = conditions; self.person = person
        self.agency = agency; self.location = location; self.alsoIn = alsoIn; ownPerson = person
    }

    private init(_ set: EventSet, counting role: String) {
        name = set.name; source = set.source; conditions = set.conditions; person = role
        agency = set.agency; location = set.location; alsoIn = set.alsoIn; ownPerson = set.ownPerson
    }

    /// The same events counted for another person role (serial perpetrators count suspects).
    public func counting(_ role: String) -> EventSet { EventSet(self, counting: role) }
}

/// A test on one field of a row.
public struct Condition: Sendable {
    public enum Test: Sendable, Equatable {
        /// The field's value (label) is one of these.
        case oneOf([String])
        /// The field's value is none of these.
        case noneOf([String])
        /// A set field holds at least one of these labels.
        case anyOf([String])
        case atLeast(Int64)
        case atMost(Int64)
        case between(Int64, Int64)
        case present
        case blank
        /// An area field (LSOA or postcode) in a ward with a service site of one of these
        /// categories (the drop's `reference/services.csv`).
        case wardWithSite([String])
    }
    public let field: String
    public let test: Test
    public let location: SourceLocation
}

/// How rows are grouped in a table.
public enum Breakdown: Sendable, Equatable, CustomStringConvertible {
    /// A code, text, flag or set field's labels (a set field counts a row under each of its labels).
    case field(String)
    /// Month of a date field.
    case month(String)
    /// Age band of an integer age field.
    case ageBand(String, Banding)
    case ward(String)
    case locality(String)
    /// National IMD decile of the area.
    case deprivation(String)
    /// Which agency the event came from.
    case agency
    /// Number of agencies that know the person (1, 2, 3 or more).
    case agencyCount

    public var description: String {
        switch self {
        case .field(let f): f
        case .month(let f): "month(\(f))"
        case .ageBand(let f, let b): b.name == Banding.defaultName ? "band(\(f))" : "band(\(f), \(b.name))"
        case .ward(let f): "ward(\(f))"
        case .locality(let f): "locality(\(f))"
        case .deprivation(let f): "decile(\(f))"
        case .agency: "agency"
        case .agencyCount: "agencies"
        }
    }

    /// The column heading in an output table.
    public var heading: String {
        switch self {
        case .field(let f): f.replacingDots
        case .month: "month"
        case .ageBand(let f, _): f.replacingDots + "_band"
        case .ward: "ward"
        case .locality: "locality"
        case .deprivation: "imd_decile"
        case .agency: "agency"
        case .agencyCount: "agencies"
        }
    }
}

extension String {
    var replacingDots: String { split(separator: ".").joined(separator: "_") }
}

public struct TableDefinition: Sendable {
    public enum Section: String, Sendable, CaseIterable {
        case what, whoHarmed = "who_harmed", whoPosesRisk = "who_poses_risk", `where`, when, crossAgency = "cross_agency"
    }
    public let id: String
    public let section: Section
    public let title: String
    public let description: String
    public let events: [String]
    public let by: [Breakdown]
    public let measures: [Measure]
    /// For a cohort table: people in `events` at these ages, followed by `laterEvents` at `laterAges`.
    public let cohort: Cohort?
    public let location: SourceLocation

    public struct Cohort: Sendable {
        public let ages: ClosedRange<Int>
        public let laterEvents: [String]
        public let laterAges: ClosedRange<Int>

        public init(ages: ClosedRange<Int>, laterEvents: [String], laterAges: ClosedRange<Int>) {
            self.ages = ages
            self.laterEvents = laterEvents
            self.laterAges = laterAges
        }
    }
}

/// A "we'll know we've been successful when" measure: one number for this year and last, and
/// which way is good news.
public struct SuccessMeasure: Sendable {
    public enum Direction: String, Sendable { case up, down }
    public let id: String
    public let title: String
    public let description: String
    public let good: Direction
    public let events: [String]
    public let measure: Measure
    /// When given, the value is a percentage of the same measure over these events.
    public let shareOf: [String]?
    /// People counted only if known to at least this many agencies among the events.
    public let minimumAgencies: Int?
    /// For a cohort measure: people in `events` at these ages, seen later in other events at other ages.
    public let cohort: TableDefinition.Cohort?
    public let location: SourceLocation
}
