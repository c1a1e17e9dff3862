import Columnar
import Definitions
import Foundation
import Ingest
import Profiles
import Statistics
import TestSupport
import Testing

/// Each area's comparison with the whole area allowing for age (the `_vs_area_for_age` columns),
/// recomputed by plain loops: the rows of each table's event sets, each with its area's label and
/// its person's age, the residents of each label and age band read from the drop's population
/// file, the area's own rate in each band, and each area's records against those expected at its
/// residents' ages.
@Suite("Profiles: areas against the whole area allowing for age", .serialized)
struct AgeStandardisedComparisonTests {
    typealias Bands = [(label: String, lower: Int, upper: Int)]

    /// The population file's bands, youngest first, and each LSOA's residents in each.
    static func population(_ drop: String) throws -> (bands: Bands, byLSOA: [String: [Int]]) {
        let file = try CSVTable(path: drop + "/reference/population.csv")
        var labels: [String] = []
        for row in file.rows where !labels.contains(row[file.column("age_band")]) { labels.append(row[file.column("age_band")]) }
        let bands: Bands = labels.map { l in
            let parts = l.split(separator: "-")
            return parts.count == 2 ? (l, Int(parts[0])!, Int(parts[1])!) : (l, Int(l.dropLast())!, Int.max)
        }.sorted { $0.lower < $1.lower }
        var byLSOA: [String: [Int]] = [:]
        for row in file.rows {
            let k = bands.firstIndex { $0.label == row[file.column("age_band")] }!
            byLSOA[row[file.column("area_code")], default: [Int](repeating: 0, count: bands.count)][k] +=
                Int(row[file.column("population")])!
        }
        return (bands, byLSOA)
    }

    /// The label an area breakdown gives an LSOA, as the tables write it.
    static func label(_ d: Breakdown, _ l: AreaReference.LSOA) -> String {
        switch d {
        case .ward: l.wardName
        case .locality: l.locality
        default: l.imdDecile == 1 ? "1 (most deprived)" : (l.imdDecile == 10 ? "10 (least deprived)" : String(l.imdDecile))
        }
    }

    /// The area's rate in each of the bands a table's rate is standardised over, each label's
    /// residents in them and records, in year `y`, worked out plainly; nil when fewer than 80% of
    /// the area's records have an age.
    static func plainRates(
        _ t: TableDefinition, _ profile: ProfileDefinition, year y: Int, children: Bool, area: AreaReference, bands: Bands,
        drop: IngestedDrop
    ) throws -> (used: [Int], rates: [Double], population: [String: [Double]], records: [String: Double])? {
        let used = bands.indices.filter { !children || bands[$0].upper < 18 }
        var population: [String: [Double]] = [:]
        for (i, l) in area.lsoas.enumerated() {
            let key = label(t.by[0], l)
            var p = population[key] ?? [Double](repeating: 0, count: used.count)
            for (k, b) in used.enumerated() { p[k] += Double(area.residentsByAge[i][b]) }
            population[key] = p
        }
        population = population.filter { $0.value.reduce(0, +) > 0 }
        var records: [String: Double] = [:], banded = [Double](repeating: 0, count: used.count), total = 0.0
        let period = ProfileReferenceTests.period
        for set in t.events.compactMap(profile.eventSet) {
            let source = try #require(drop.tables[set.source])
            guard case .day(let dates)? = source["date"] else { continue }
            var ages: IntegerColumn? = nil
            if let p = set.person, case .integer(let c)? = source[p + ".age_at_event"] ?? source[p + ".age"] { ages = c }
            for row in 0..<source.rowCount where set.conditions.allSatisfy({ naivelyPasses($0, source, row, area: area) }) {
                let range = y == 0 ? period.current : period.previous
                guard range.contains(dates.days[row]) else { continue }
                let key = NaiveReferenceTests.labels(t.by[0], source, row, drop.reference.geography, agency: set.agency)[0]
                guard population[key] != nil else { continue }
                records[key, default: 0] += 1
                total += 1
                guard let age = ages?.values[row], age != IntegerColumn.null,
                    let k = used.firstIndex(where: { Int(age) >= bands[$0].lower && Int(age) <= bands[$0].upper })
                else { continue }
                banded[k] += 1
            }
        }
        let withAge = banded.reduce(0, +)
        guard total > 0, withAge >= 0.8 * total else { return nil }
        let areaPopulation = used.indices.map { k in population.values.reduce(0) { $0 + $1[k] } }
        let rates = used.indices.map { k in areaPopulation[k] > 0 ? banded[k] * total / withAge / areaPopulation[k] : 0 }
        return (used, rates, population, records)
    }

    /// Each row label's comparison allowing for age in year `y`, worked out plainly; nil when
    /// fewer than 80% of the area's records have an age.
    static func plainLabels(
        _ t: TableDefinition, _ profile: ProfileDefinition, year y: Int, children: Bool, area: AreaReference, bands: Bands,
        drop: IngestedDrop
    ) throws -> [String: String]? {
        guard
            let (_, rates, population, records) = try plainRates(
                t, profile, year: y, children: children, area: area, bands: bands, drop: drop)
        else { return nil }
        var out: [String: String] = [:]
        for (key, p) in population {
            let expected = zip(rates, p).reduce(0) { $0 + $1.0 * $1.1 }
            guard expected > 0 else { continue }
            let significance = try FunnelPlot.ratioSignificance(observed: records[key] ?? 0, expected: expected)
            let words: [FunnelPlot.Significance] = [.highAt0001, .highAt0025, .notSignificant, .lowAt0025, .lowAt0001]
            out[key] = words.firstIndex(of: significance).map { AreaComparison.words[$0] }
        }
        return out
    }

    /// Checks each for-age column of the profiles' area tables against the plain figures; returns
    /// the number of cells checked and how many of them differ from the crude comparison.
    static func check(_ engine: ProfileEngine, area: AreaReference, only: (String, String)? = nil) throws -> (cells: Int, differ: Int) {
        let (bands, _) = try population(ProfileReferenceTests.fixture.drop)
        let suffixes = ProfileReferenceTests.period.columnSuffixes
        var cells = 0, differ = 0
        for profile in ProfileReferenceTests.profiles.profiles {
            let built = Dictionary(uniqueKeysWithValues: engine.build(profile).map { ($0.id, $0) })
            for t in profile.tables where t.by.count == 1 && only.map({ $0 == (profile.id, t.id) }) ?? true {
                for m in t.measures where m.name.hasPrefix("rate_per") {
                    let table = try #require(built[t.id])
                    for (y, suffix) in [suffixes.current, suffixes.previous].enumerated() {
                        let plain = try plainLabels(
                            t, profile, year: y, children: m.name.contains("children"), area: area, bands: bands,
                            drop: ProfileReferenceTests.fixture.ingested)
                        guard let c = table.columns.firstIndex(of: m.heading + "_vs_area_for_age_" + suffix) else {
                            #expect(plain == nil, "\(profile.id)/\(t.id): no column, yet the records have ages")
                            continue
                        }
                        let crude = try #require(table.columns.firstIndex(of: m.heading + "_vs_area_" + suffix))
                        for row in table.rows {
                            let expected = plain?[row[0].description] ?? ""
                            #expect(row[c].description == expected, "\(profile.id)/\(t.id) \(row[0]) \(suffix)")
                            cells += 1
                            if row[c].description != row[crude].description { differ += 1 }
                        }
                    }
                }
            }
        }
        return (cells, differ)
    }

    @Test func theIngestedResidentsByAgeAreThePopulationFiles() throws {
        let area = ProfileReferenceTests.fixture.ingested.data.area
        let (bands, byLSOA) = try Self.population(ProfileReferenceTests.fixture.drop)
        #expect(area.ageBands.map(\.label) == bands.map(\.label))
        #expect(area.ageBands.count == 18)
        for (i, l) in area.lsoas.enumerated() {
            #expect(area.residentsByAge[i] == byLSOA[l.code] ?? [Int](repeating: 0, count: bands.count), "\(l.code)")
            #expect(area.residentsByAge[i].reduce(0, +) == area.residents[i])
        }
    }

    @Test func everyAreaTablesComparisonForAgeMatchesThePlainOne() throws {
        let drop = ProfileReferenceTests.fixture.ingested
        let engine = ProfileEngine(drop: drop.data, period: ProfileReferenceTests.period)
        let (cells, differ) = try Self.check(engine, area: drop.data.area)
        #expect(cells >= 600, "\(cells) cells")
        // On the generator's population, whose wards have much the same ages, age changes little.
        #expect(differ < cells / 10, "\(differ) of \(cells) differ from the crude comparison")
    }

    /// The area with one ward's residents moved, all of them, into one age band (the ward's total
    /// unchanged, so its crude rate is too).
    static func moved(_ area: AreaReference, ward: String, to band: Int) -> AreaReference {
        var byAge = area.residentsByAge
        for (i, l) in area.lsoas.enumerated() where l.wardName == ward {
            let total = byAge[i].reduce(0, +)
            byAge[i] = byAge[i].indices.map { $0 == band ? total : 0 }
        }
        let children = byAge.map { $0.prefix(4).reduce(0, +) }
        return AreaReference(
            lsoas: area.lsoas, residents: area.residents, children: children, services: area.services, ageBands: area.ageBands,
            residentsByAge: byAge)
    }

    /// A ward whose residents are all of the age at which domestic abuse is commonest is no longer
    /// called higher allowing for age, and one whose residents are all of the age at which it is
    /// rarest (but occurs) becomes higher at 99.8%, while the crude comparison stays as it was; the
    /// plain figures agree.
    @Test func aWardsAgesChangeItsComparisonForAgeOnly() throws {
        let drop = ProfileReferenceTests.fixture.ingested
        let profile = try #require(ProfileReferenceTests.profiles.profile("domestic_abuse"))
        let before = try #require(
            ProfileEngine(drop: drop.data, period: ProfileReferenceTests.period).build(profile).first { $0.id == "by_ward" })
        let crude = try #require(before.columns.firstIndex(of: "rate_per_1000_vs_area_2025_26"))
        let forAge = try #require(before.columns.firstIndex(of: "rate_per_1000_vs_area_for_age_2025_26"))
        let records = try #require(before.columns.firstIndex(of: "records_2025_26"))
        let high = try #require(before.rows.first { $0[forAge].description.hasPrefix("higher") }, "a ward higher for its age")
        let similar = try #require(
            before.rows.filter { $0[forAge].description == "similar" }.max { Int($0[records].description)! < Int($1[records].description)! }
        )
        // The bands of the highest rate and of the lowest rate above none, from the plain figures.
        let t = try #require(profile.tables.first { $0.id == "by_ward" })
        let (bands, _) = try Self.population(ProfileReferenceTests.fixture.drop)
        let plain = try #require(
            try Self.plainRates(t, profile, year: 0, children: false, area: drop.data.area, bands: bands, drop: drop))
        let peak = try #require(plain.rates.indices.max { plain.rates[$0] < plain.rates[$1] })
        let few = try #require(plain.rates.indices.filter { plain.rates[$0] > 0 }.min { plain.rates[$0] < plain.rates[$1] })
        var area = Self.moved(drop.data.area, ward: high[0].description, to: peak)
        area = Self.moved(area, ward: similar[0].description, to: few)
        let engine = ProfileEngine(drop: DropData(tables: drop.data.tables, area: area), period: ProfileReferenceTests.period)
        let after = try #require(engine.build(profile).first { $0.id == "by_ward" })
        func row(_ t: ProfileTable, _ ward: ProfileTable.Cell) throws -> [ProfileTable.Cell] {
            try #require(t.rows.first { $0[0] == ward })
        }
        #expect(try row(after, high[0])[crude] == high[crude])
        #expect(try row(after, similar[0])[crude] == similar[crude])
        #expect(!(try row(after, high[0])[forAge].description.hasPrefix("higher")))
        #expect(try row(after, similar[0])[forAge].description == "higher (99.8%)", "moved to \(bands[few].label)")
        let (cells, _) = try Self.check(engine, area: area, only: ("domestic_abuse", "by_ward"))
        #expect(cells > 100)
    }
}
