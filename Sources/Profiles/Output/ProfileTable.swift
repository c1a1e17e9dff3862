import Foundation

/// One output table of a profile: rows of labels and numbers under named columns.
public struct ProfileTable: Sendable {
    public let profile: String
    public let id: String
    public let section: String
    public let title: String
    /// How the table is computed, in words.
    public let description: String
    public let columns: [String]
    public var rows: [[Cell]]
    /// What each column holds, for disclosure control.
    public var kinds: [ColumnKind]
    /// Columns kept only for disclosure control (the counts behind a rate shown without them);
    /// never exported.
    public var hidden: Set<Int> = []
    /// What the table's counts count, for disclosure control to link each with every other
    /// published figure of the same people or records (nil: the table links to nothing else).
    public var meaning: Meaning? = nil
    /// The funnel plots of the table: each rate compared with the whole area's (ward, locality and
    /// deprivation tables).
    public var funnels: [Funnel] = []
    /// The slope and relative index of inequality of each rate across the deprivation deciles, in
    /// the reporting year (deprivation tables).
    public var inequality: [Inequality] = []

    /// A rate's slope index of inequality (on the line fitted across the deciles, the rate at the
    /// least deprived end minus the rate at the most deprived end: negative when the rate is higher
    /// where deprivation is) and relative index (the least deprived end's rate over the most
    /// deprived end's), with 95% intervals, as PHEindicatormethods `phe_sii`. Worked out from every decile's count: publishable only where
    /// none of them is withheld (with one withheld, the index and the others would give it away).
    public struct Inequality: Sendable, Equatable {
        public let rate: Int
        public let sii: Double
        public let siiLower95: Double
        public let siiUpper95: Double
        public let rii: Double
        public let riiLower95: Double
        public let riiUpper95: Double
        public let method: String
    }

    /// The table's indices of inequality that can be published as the table stands: those of a
    /// rate no decile of which is withheld.
    public var publishableInequality: [Inequality] {
        inequality.filter { q in !rows.contains { $0[q.rate] == .suppressed } }
    }

    /// A rate column whose areas are compared with the whole area's: the rate, its comparison and
    /// the residents (or children) it is per, by column; the areas' average (events per resident)
    /// and the rate's multiplier, from which the control limits are drawn at any population.
    public struct Funnel: Sendable, Equatable {
        public let rate: Int
        public let comparison: Int
        public let denominator: Int
        public let average: Double
        public let multiplier: Double
        /// 0: the reporting year, 1: the year before.
        public let year: Int
    }

    /// What a column holds.
    public enum ColumnKind: Sendable, Equatable {
        /// A breakdown's value: the rows' labels.
        case label
        /// A count of records or people: small numbers are suppressed.
        case count
        /// A rate, share or difference worked out from the counts in these columns of the same row:
        /// suppressed with any of them.
        case derived(bases: [Int])
        /// Text, or a figure that reveals no small count.
        case other
    }

    public enum Cell: Sendable, Equatable, CustomStringConvertible {
        case text(String)
        case count(Int)
        case number(Double, decimals: Int)
        case missing
        /// Withheld by disclosure control (shown as `c`, as official statistics do).
        case suppressed

        public var description: String {
            switch self {
            case .text(let s): s
            case .count(let n): String(n)
            case .number(let x, let d):
                x.isFinite ? String(format: "%.\(d)f", x) : ""
            case .missing: ""
            case .suppressed: "c"
            }
        }
    }

    /// What a table's figures count: the breakdown of each label column, and for each count cell
    /// the population it counts.
    public struct Meaning: Sendable, Equatable {
        /// One per label column, in order.
        public var axes: [Axis]
        /// For each count column: what each row's cell counts (nil for a cell that counts nothing
        /// that other figures share).
        public var counts: [Int: [CountMeaning?]]
        /// A count column's cell that holds a number (a share or rate among counts, as in the
        /// success measures) is worked out from these columns of the same row.
        public var numberBases: [Int: [Int]]

        public init(axes: [Axis], counts: [Int: [CountMeaning?]], numberBases: [Int: [Int]] = [:]) {
            self.axes = axes; self.counts = counts; self.numberBases = numberBases
        }
    }

    /// A breakdown, as disclosure control compares them across tables.
    public struct Axis: Sendable, Hashable {
        /// Levels of one attribute, finest first: a ward lies in a locality, a month in a year.
        public enum Level: Int, Sendable, Hashable, Comparable {
            case plain = 0, ward = 1, locality = 2, month = 3, year = 4
            public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        }
        /// What is broken down ("lsoa" for a ward or locality of an LSOA, "period" for a month or
        /// year, "field:victim.sex" ...).
        public let attribute: String
        public let level: Level
        /// Whether a record may count under several labels (a set field): its cells then do not
        /// add up to the total.
        public let multiLabel: Bool
        /// Each label's label one level up (a ward's locality, a month's year suffix `2025_26`);
        /// a label not listed is the same one level up ("Not recorded").
        public let parent: [String: String]

        public init(attribute: String, level: Level, multiLabel: Bool, parent: [String: String] = [:]) {
            self.attribute = attribute; self.level = level; self.multiLabel = multiLabel; self.parent = parent
        }
    }

    /// What one count cell counts.
    public struct CountMeaning: Sendable, Hashable {
        /// How cells of one population relate across breakdowns.
        public enum Additivity: Sendable, Hashable {
            /// Records (or a sum, or repeat records): a single-label breakdown's cells add up to
            /// the total.
            case additive
            /// Distinct people: each cell is at most the total, and the cells add up to at least it.
            case distinct
            /// People meeting a condition over their events (repeats, serial): each cell is at
            /// most the total, nothing more.
            case monotone
        }
        /// The events (sources and conditions) and the measure, written canonically, so equal
        /// strings are the same population wherever they are published.
        public let population: String
        public let additivity: Additivity
        /// The financial year's column suffix ("2025_26"), nil where the row's month gives it.
        public let year: String?
        /// The same events' records, when this is a people measure (people never outnumber records).
        public let records: String?

        /// Whether the figures of this cell's breakdown are published only in part (a comparison's
        /// local count for one year): its cells then say nothing of the coarser totals.
        public let partial: Bool

        public init(population: String, additivity: Additivity, year: String?, records: String? = nil, partial: Bool = false) {
            self.population = population; self.additivity = additivity; self.year = year; self.records = records; self.partial = partial
        }
    }

    public init(
        profile: String, id: String, section: String, title: String, description: String, columns: [String], rows: [[Cell]],
        kinds: [ColumnKind]? = nil, hidden: Set<Int> = []
    ) {
        self.kinds = kinds ?? Array(repeating: .other, count: columns.count)
        self.hidden = hidden
        self.profile = profile
        self.id = id
        self.section = section
        self.title = title
        self.description = description
        self.columns = columns
        self.rows = rows
    }

    /// The table with every number rounded as its text shows it (72.727... becomes 72.7): what
    /// leaves the engine in any format (a database column, a chart's geometry) says no more than
    /// the CSV does.
    public func roundedAsShown() -> ProfileTable {
        var t = self
        for r in t.rows.indices {
            for c in t.rows[r].indices {
                if case .number(let x, let d) = t.rows[r][c], x.isFinite, let shown = Double(t.rows[r][c].description) {
                    t.rows[r][c] = .number(shown == 0 ? 0 : shown, decimals: d)
                }
            }
        }
        return t
    }
}
