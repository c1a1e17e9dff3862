/// What the later stages read of an ingested drop: each source's column table, and the area's
/// reference. `Ingest` produces it (`IngestedDrop.data`); `Profiles` consumes it, so the profiles
/// need nothing of how the drop was read.
public struct DropData: Sendable {
    /// Each source's columns, by source id.
    public let tables: [String: ColumnTable]
    public let area: AreaReference

    public init(tables: [String: ColumnTable], area: AreaReference) {
        self.tables = tables
        self.area = area
    }
}

/// The area's LSOAs (in the order an `AreaColumn` numbers them) with their ward, locality and
/// deprivation decile, and the residents and children (aged 0-17) of each.
public struct AreaReference: Sendable {
    public struct LSOA: Sendable, Hashable {
        public let code: String
        public let wardName: String
        public let locality: String
        /// National IMD decile (1 = most deprived tenth of England).
        public let imdDecile: Int

        public init(code: String, wardName: String, locality: String, imdDecile: Int) {
            self.code = code; self.wardName = wardName; self.locality = locality; self.imdDecile = imdDecile
        }
    }

    public let lsoas: [LSOA]
    /// Residents of each LSOA, by its position in `lsoas` (empty where no population is given).
    public let residents: [Int]
    /// Residents aged 0-17 of each LSOA.
    public let children: [Int]
    /// Where services are provided in the area (the drop's `reference/services.csv`; empty when
    /// it has none).
    public let services: [ServiceSite]
    /// The population's age bands, youngest first, when every band of the population file is an
    /// age range (`0-4`, `85+`); empty otherwise.
    public let ageBands: [AgeBand]
    /// Residents of each LSOA in each age band: `residentsByAge[lsoa][band]` (empty when
    /// `ageBands` is).
    public let residentsByAge: [[Int]]

    public init(
        lsoas: [LSOA], residents: [Int], children: [Int], services: [ServiceSite] = [], ageBands: [AgeBand] = [],
        residentsByAge: [[Int]] = []
    ) {
        self.lsoas = lsoas; self.residents = residents; self.children = children; self.services = services
        self.ageBands = ageBands; self.residentsByAge = residentsByAge
    }
}

/// An age band of the population: from `lower` to `upper` years inclusive (no upper for the
/// oldest, open band), as the population file names it.
public struct AgeBand: Sendable, Hashable {
    public let label: String
    public let lower: Int
    public let upper: Int?

    /// A band from its label, `0-4` or `85+`; nil for anything else.
    public init?(_ label: String) {
        let text = label
        if text.hasSuffix("+"), let lower = Int(text.dropLast()), lower >= 0 {
            self.lower = lower
            upper = nil
        } else {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let lower = Int(parts[0]), let upper = Int(parts[1]), lower >= 0, upper >= lower else { return nil }
            self.lower = lower
            self.upper = upper
        }
        self.label = text
    }

    public func contains(_ age: Int) -> Bool { age >= lower && upper.map { age <= $0 } ?? true }
}

/// A place a service is provided from: its type, its category (the priority it serves, as
/// definitions name it: `drug_and_alcohol`), and the LSOA it is in (by its position in the area's
/// `lsoas`). Reference data about places, not people.
public struct ServiceSite: Sendable, Hashable {
    public let id: String
    public let type: String
    public let name: String
    public let category: String
    public let lsoa: Int

    public init(id: String, type: String, name: String, category: String, lsoa: Int) {
        self.id = id; self.type = type; self.name = name; self.category = category; self.lsoa = lsoa
    }
}
