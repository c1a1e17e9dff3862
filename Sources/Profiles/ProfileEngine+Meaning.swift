import Columnar
import Definitions

/// What each table's counts count, written so that disclosure control can find every other
/// published figure of the same records or people: the events canonically (sources and
/// conditions, whatever the profile named them), the measure, and each breakdown as an attribute
/// at a level (a ward within its locality, a month within its year).
extension ProfileEngine {
    /// An event set as its source and sorted conditions; the same rows whatever the set is called.
    static func canonical(_ set: EventSet) -> String {
        let conditions = set.conditions.map { c -> String in
            switch c.test {
            case .oneOf(let v): "\(c.field)=\(v.sorted().joined(separator: "|"))"
            case .noneOf(let v): "\(c.field)!=\(v.sorted().joined(separator: "|"))"
            case .anyOf(let v): "\(c.field)~\(v.sorted().joined(separator: "|"))"
            case .atLeast(let n): "\(c.field)>=\(n)"
            case .atMost(let n): "\(c.field)<=\(n)"
            case .between(let a, let b): "\(c.field)=\(a)..\(b)"
            case .present: "\(c.field)?"
            case .blank: "\(c.field)!"
            case .wardWithSite(let v): "\(c.field)@ward_with_site=\(v.map { $0.lowercased() }.sorted().joined(separator: "|"))"
            }
        }.sorted()
        // Rows kept for people also in other sets are other rows: the also sets are part of the name.
        let also = set.alsoIn.isEmpty ? "" : "&also(" + set.alsoIn.map(canonical).sorted().joined(separator: "+") + ")"
        return set.source + "{" + conditions.joined(separator: ";") + "}" + also
    }

    /// The population a measure counts over these sets, or nil when it is not a count.
    func countMeaning(_ m: Measure, _ sets: [EventSet], year: String?) -> ProfileTable.CountMeaning? {
        MeasureLibrary.kind(m).meaning(CanonicalEvents(sets: sets), year: year)
    }

    /// A breakdown as disclosure control compares it across tables.
    func axis(_ d: Breakdown, _ sets: [EventSet]) -> ProfileTable.Axis {
        switch d {
        case .field(let f):
            let multi = sets.contains { s in
                if case .flagSet? = drop.tables[s.source]?[f] { return true }
                return false
            }
            return .init(attribute: "field:" + f, level: .plain, multiLabel: multi)
        case .month(let f):
            // Each month's financial year, as the year columns name it.
            let (current, previous) = period.columnSuffixes
            var parent: [String: String] = [:]
            var day = period.previous.lowerBound
            while day <= period.current.upperBound {
                let iso = DayNumber.isoString(day)
                parent[String(iso.prefix(7))] = yearOf(day) == 0 ? current : previous
                day += 28
            }
            return .init(attribute: "period:" + f, level: .month, multiLabel: false, parent: parent)
        case .ageBand(let f, let b):
            // Two bandings of a field are two attributes (their bands do not nest).
            let attribute = b.name == Banding.defaultName ? "band:" + f : "band(\(b.name)):" + f
            return .init(attribute: attribute, level: .plain, multiLabel: false)
        case .ward(let f):
            var parent: [String: String] = [:]
            for l in drop.area.lsoas { parent[l.wardName] = l.locality }
            return .init(attribute: "area:" + f, level: .ward, multiLabel: false, parent: parent)
        case .locality(let f): return .init(attribute: "area:" + f, level: .locality, multiLabel: false)
        case .deprivation(let f): return .init(attribute: "decile:" + f, level: .plain, multiLabel: false)
        case .agency: return .init(attribute: "agency", level: .plain, multiLabel: false)
        case .agencyCount: return .init(attribute: "agencies", level: .plain, multiLabel: false)
        }
    }

    /// The table with its meaning: `columns` maps each count column to what all its cells count.
    static func withMeaning(_ table: ProfileTable, axes: [ProfileTable.Axis], columns: [Int: ProfileTable.CountMeaning]) -> ProfileTable {
        var t = table
        t.meaning = ProfileTable.Meaning(axes: axes, counts: columns.mapValues { Array(repeating: $0, count: table.rows.count) })
        return t
    }
}
