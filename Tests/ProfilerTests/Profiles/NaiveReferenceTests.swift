import Columnar
import Definitions
import Foundation
import Ingest
import Profiles
import Reference
import TestSupport
import Testing

/// Every table of every profile whose measures are records, people, repeat people, shares or rates,
/// recomputed by a deliberately plain evaluator: string labels, dictionaries and sets, row by row.
@Suite("Profiles: every profile against a plain evaluator")
struct NaiveReferenceTests {
    static let bands: [(String, ClosedRange<Int64>)] = [
        ("0-4", 0...4), ("5-9", 5...9), ("10-15", 10...15), ("16-17", 16...17), ("18-24", 18...24), ("25-34", 25...34),
        ("35-44", 35...44), ("45-54", 45...54), ("55-64", 55...64), ("65-74", 65...74), ("75-84", 75...84), ("85+", 85...200),
    ]
    /// The other bandings of `profiles/codes/bands.yaml`, written out plainly.
    static let named: [String: [(String, ClosedRange<Int64>)]] = [
        "care_leaver_age": (16...21).map { (String($0), Int64($0)...Int64($0)) },
        "looked_after_age": [("Under 1", 0...0), ("1 to 4", 1...4), ("5 to 9", 5...9), ("10 to 15", 10...15), ("16 and over", 16...17)],
    ]

    /// The labels a row has for a breakdown (several for a set field).
    static func labels(_ d: Breakdown, _ table: ColumnTable, _ row: Int, _ geography: AreaGeography, agency: String) -> [String] {
        func area(_ f: String, _ pick: (AreaGeography.LSOA) -> String) -> [String] {
            guard case .area(let a)? = table[f] else { return ["?"] }
            switch a.areas[row] {
            case AreaColumn.missing: return ["Not recorded"]
            case AreaColumn.outside: return ["Outside the area"]
            case AreaColumn.unknown: return ["Unknown place"]
            default: return [pick(geography.lsoas[Int(a.areas[row])])]
            }
        }
        switch d {
        case .field(let f):
            switch table[f] {
            case .code(let c)?: return [c.value(row) ?? "Not recorded"]
            case .flag(let c)?: return [c.values[row] == 1 ? "Yes" : (c.values[row] == 0 ? "No" : "Not recorded")]
            case .flagSet(let c)?:
                let l = c.labels.enumerated().filter { c.masks[row] & (1 << UInt64($0.offset)) != 0 }.map(\.element)
                return l.isEmpty ? ["None recorded"] : l
            default: return ["?"]
            }
        case .month(let f):
            guard case .day(let c)? = table[f], c.days[row] != DayColumn.null else { return ["Not recorded"] }
            return [String(DateParser.isoString(c.days[row]).prefix(7))]
        case .ageBand(let f, let banding):
            guard case .integer(let c)? = table[f], c.values[row] != IntegerColumn.null, c.values[row] >= 0 else { return ["Not recorded"] }
            let named = banding.name == Banding.defaultName ? bands : Self.named[banding.name]!
            return [named.first { $0.1.contains(c.values[row]) }?.0 ?? named.last!.0]
        case .ward(let f): return area(f) { $0.wardName }
        case .locality(let f): return area(f) { $0.locality }
        case .deprivation(let f):
            return area(f) { $0.imdDecile == 1 ? "1 (most deprived)" : ($0.imdDecile == 10 ? "10 (least deprived)" : String($0.imdDecile)) }
        case .agency: return [agency]
        case .agencyCount: return ["?"]
        }
    }

    static func passes(_ c: Condition, _ table: ColumnTable, _ row: Int, area: AreaReference) -> Bool {
        naivelyPasses(c, table, row, area: area)
    }

    /// The people of each year (0 the reporting year, 1 the one before) with an event of the sets.
    static func peopleByYear(_ sets: [EventSet], drop: IngestedDrop, period: ReportingPeriod) -> [Set<UInt32>] {
        var out = [Set<UInt32>(), Set<UInt32>()]
        for set in sets {
            guard let source = drop.tables[set.source], case .day(let dates)? = source["date"], let p = set.ownPerson,
                case .person(let ids)? = source[p]
            else { continue }
            for row in 0..<source.rowCount
            where ids.ids[row] != 0 && set.conditions.allSatisfy({ passes($0, source, row, area: drop.data.area) }) {
                if period.current.contains(dates.days[row]) { out[0].insert(ids.ids[row]) }
                if period.previous.contains(dates.days[row]) { out[1].insert(ids.ids[row]) }
            }
        }
        return out
    }

    /// Compares one built table with the plain evaluation of its definition.
    static func compare(
        _ t: TableDefinition, _ profile: ProfileDefinition, _ table: ProfileTable, drop: IngestedDrop,
        period: ReportingPeriod
    ) throws {
        let byMonth = t.by.contains { if case .month = $0 { true } else { false } }
        var records: [String: [Int]] = [:]
        var people: [String: [[UInt32: Int]]] = [:]
        for set in t.events.compactMap(profile.eventSet) {
            let source = try #require(drop.tables[set.source])
            guard case .day(let dates)? = source["date"] else { continue }
            var personIDs: PersonColumn? = nil
            if let p = set.person, case .person(let c)? = source[p] { personIDs = c }
            // also_in: only rows whose own person has an event of those sets in the same year.
            let also = set.alsoIn.isEmpty ? nil : Self.peopleByYear(set.alsoIn, drop: drop, period: period)
            var own: PersonColumn? = nil
            if let p = set.ownPerson, case .person(let c)? = source[p] { own = c }
            for row in 0..<source.rowCount where set.conditions.allSatisfy({ passes($0, source, row, area: drop.data.area) }) {
                let day = dates.days[row]
                let year = period.current.contains(day) ? 0 : (period.previous.contains(day) ? 1 : -1)
                guard year >= 0 else { continue }
                if let also, !(own.map { also[year].contains($0.ids[row]) } ?? false) { continue }
                var keys = [""]
                for d in t.by {
                    let l = labels(d, source, row, drop.reference.geography, agency: set.agency)
                    keys = keys.flatMap { k in l.map { k.isEmpty ? $0 : k + "|" + $0 } }
                }
                for key in keys {
                    let y = byMonth ? 0 : year
                    records[key, default: [0, 0]][y] += 1
                    if let id = personIDs?.ids[row], id != 0 {
                        var entry = people[key] ?? [[:], [:]]
                        entry[y][id, default: 0] += 1
                        people[key] = entry
                    }
                }
            }
        }
        let width = t.by.count
        var engineRows: [String: [String]] = [:]
        for row in table.rows { engineRows[row.prefix(width).map(\.description).joined(separator: "|")] = row.map(\.description) }
        let years = byMonth ? 1 : 2
        let totals = (0..<years).map { y in records.values.reduce(0) { $0 + $1[y] } }
        for (key, r) in records where r.reduce(0, +) > 0 {
            let row = try #require(engineRows[key], "\(profile.id)/\(t.id): no row \(key)")
            var column = width
            for m in t.measures {
                for y in 0..<years {
                    let expected: String
                    switch m.name {
                    case "records": expected = String(r[y])
                    case "people": expected = String(people[key]?[y].count ?? 0)
                    case "repeat_people": expected = String(people[key]?[y].values.filter { $0 >= 2 }.count ?? 0)
                    case "share": expected = totals[y] == 0 ? "" : String(format: "%.1f", 100 * Double(r[y]) / Double(totals[y]))
                    case "sites":
                        // Service sites in the row's ward, from the reference as the drop lists them.
                        let area = drop.data.area
                        let ward = key.split(separator: "|").first.map(String.init) ?? ""
                        let byWard = t.by.first.map { if case .ward = $0 { true } else { false } } ?? false
                        expected = String(
                            area.services.filter {
                                $0.category == m.arguments.first && (!byWard || area.lsoas[$0.lsoa].wardName == ward)
                            }.count)
                    default: expected = row[column]  // rates: checked against population by ProfileReferenceTests
                    }
                    #expect(row[column] == expected, "\(profile.id)/\(t.id) \(key) \(m) year \(y)")
                    column += 1
                }
            }
        }
    }

    @Test func everyProfilesPlainTablesMatch() throws {
        let drop = ProfileReferenceTests.fixture.ingested
        let period = ProfileReferenceTests.period
        let engine = ProfileEngine(drop: drop, period: period)
        var checked = 0
        for profile in ProfileReferenceTests.profiles.profiles {
            var checkedInProfile = 0
            let built = Dictionary(uniqueKeysWithValues: engine.build(profile).map { ($0.id, $0) })
            for t in profile.tables where t.cohort == nil && !t.by.contains(.agencyCount) {
                let simple = t.measures.allSatisfy {
                    ["records", "people", "repeat_people", "share", "rate_per_1000", "rate_per_10000_children", "sites"].contains($0.name)
                }
                guard simple else { continue }
                try Self.compare(t, profile, try #require(built[t.id]), drop: drop, period: period)
                checked += 1
                checkedInProfile += 1
            }
            #expect(checkedInProfile >= 3, "\(profile.id): only \(checkedInProfile) tables checked")
        }
        #expect(checked >= 40)
    }

    /// More than a million combinations of breakdown values: groups are hashed, not laid out densely,
    /// and the table still equals the plain evaluation.
    @Test func largeKeySpacesAreHashed() throws {
        let yaml = """
            profile: wide
            title: Wide
            events:
              crimes: { source: police_crimes }
            tables:
              - id: wide
                section: what
                events: [crimes]
                by: [offence, ward(lsoa), month(date), band(victim.age), victim.sex]
                measures: [records, people, share]
            """
        let profile = try ProfileDefinition.parse(
            yaml, file: "wide.yaml", sources: SourceCatalogue.load(profiles: TestPaths.profiles), measures: MeasureLibrary.grammars)
        let drop = ProfileReferenceTests.fixture.ingested
        let period = ProfileReferenceTests.period
        let table = try #require(ProfileEngine(drop: drop, period: period).build(profile).first)
        #expect(table.rows.count > 100)
        try Self.compare(profile.tables[0], profile, table, drop: drop, period: period)
        // Rows come in display order: offences alphabetically, then wards, months, bands, sexes.
        let firstColumn = table.rows.map { $0[0].description }
        #expect(firstColumn == firstColumn.sorted { a, b in (a == "Not recorded" ? 1 : 0, a) < (b == "Not recorded" ? 1 : 0, b) })
    }
}
