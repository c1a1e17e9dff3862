import Foundation
import Reference
import Statistics

/// Comparator figures for the demonstration drop, for the measures whose real published
/// counterparts (OHID Fingertips, DfE, NHS England, MHCLG) are not in the bundled comparator files:
/// every value is synthetic, generated around a national level of the published order of magnitude
/// (named below) with a spread between authorities, and says so in its name and note. They let the
/// demonstration show each profile's comparison section; a partnership uses the real exports.
enum SyntheticComparators {
    struct Indicator {
        let id: String
        let name: String
        let age: String
        /// The population the rate is per: all ages or 0-17.
        let populationAge: String
        let multiplier: Double
        /// England's level in the latest year, and its change per year.
        let england: Double
        let trend: Double
        /// Where the level comes from.
        let order: String
    }

    static let indicators = [
        Indicator(
            id: "synthetic-domestic-abuse", name: "Domestic abuse-related incidents and crimes per 1,000 residents", age: "All ages",
            populationAge: "all", multiplier: 1000, england: 30, trend: 0.4, order: "OHID indicator 92863, about 30 per 1,000"),
        Indicator(
            id: "synthetic-exploitation-assessments",
            name: "Children assessed with child sexual or criminal exploitation or gangs identified, per 10,000 children",
            age: "0-17 yrs", populationAge: "0-17", multiplier: 10_000, england: 30, trend: 1,
            order: "DfE Characteristics of children in need, factors at assessment"),
        Indicator(
            id: "synthetic-young-people-homeless", name: "Young people aged 18-25 owed a homelessness duty, per 1,000 residents",
            age: "All ages",
            populationAge: "all", multiplier: 1000, england: 0.9, trend: 0.03,
            order: "MHCLG statutory homelessness (H-CLIC), by age of main applicant"),
        Indicator(
            id: "synthetic-self-neglect-enquiries", name: "Section 42 safeguarding enquiries for self-neglect, per 1,000 residents",
            age: "All ages",
            populationAge: "all", multiplier: 1000, england: 0.5, trend: 0.02,
            order: "NHS England Safeguarding Adults Collection, by type of risk"),
        Indicator(
            id: "synthetic-alcohol-admissions", name: "Alcohol-specific hospital admissions per 100,000 residents", age: "All ages",
            populationAge: "all", multiplier: 100_000, england: 600, trend: 8, order: "OHID Local Alcohol Profiles, indicator 92904"),
        Indicator(
            id: "synthetic-neglect-plans", name: "Child protection plans for neglect started, per 10,000 children", age: "0-17 yrs",
            populationAge: "0-17", multiplier: 10_000, england: 20, trend: 0.3,
            order: "DfE Characteristics of children in need, plans by category"),
    ]

    /// Values for England, every region and every other upper-tier authority with a population,
    /// for the six financial years to the drop's last. The drop's own authority is left out: its
    /// figures are the drop's.
    static func values(areas: AreaLookup, endYear: Int, seed: UInt64, excluding own: Set<String>) -> [PublishedValue] {
        let upperTiers = areas.areas.values.filter { $0.code == $0.upperTierCode && !own.contains($0.code) }.sorted { $0.code < $1.code }
        var out: [PublishedValue] = []
        for (k, ind) in indicators.enumerated() {
            for year in (endYear - 6)..<endYear {
                let period = String(format: "%04d/%02d", year - 1, year % 100)
                let level = ind.england - ind.trend * Double(endYear - 1 - year)
                var rows: [(code: String, name: String, type: String, parent: (String, String), count: Double, population: Double)] = []
                var regions: [String: (name: String, count: Double, population: Double)] = [:]
                for a in upperTiers {
                    guard let pop = areas.population(a.code, age: ind.populationAge, year: year) else { continue }
                    // A steady spread between authorities (the same each year), and yearly noise.
                    var areaRandom = SeededRandom(
                        seed: seed, stream: UInt64(truncatingIfNeeded: a.code.hashValueStable), purpose: UInt64(k + 1))
                    var yearRandom = SeededRandom(
                        seed: seed, stream: UInt64(truncatingIfNeeded: a.code.hashValueStable), purpose: UInt64(1000 * (k + 1) + year))
                    let factor = 0.6 + 0.8 * areaRandom.unit()
                    let rate = level * factor * (0.95 + 0.1 * yearRandom.unit())
                    let count = (rate * pop.value / ind.multiplier).rounded()
                    rows.append((a.code, a.name, "County & UA", (a.regionCode, a.regionName), count, pop.value))
                    regions[a.regionCode, default: (a.regionName, 0, 0)].count += count
                    regions[a.regionCode, default: (a.regionName, 0, 0)].population += pop.value
                }
                let englandCount = rows.map(\.count).reduce(0, +), englandPopulation = rows.map(\.population).reduce(0, +)
                let englandRate = englandPopulation > 0 ? englandCount * ind.multiplier / englandPopulation : nil
                func value(_ code: String, _ name: String, _ type: String, _ count: Double, _ population: Double) -> PublishedValue {
                    var v = PublishedValue(
                        indicatorID: ind.id, indicatorName: ind.name + " (synthetic)", areaCode: code, areaName: name,
                        areaType: type, period: period)
                    v.age = ind.age
                    v.count = count
                    v.denominator = population
                    v.note = "Synthetic, for the demonstration drop: not published data (order of magnitude: \(ind.order))"
                    v.setCrudeRate(
                        count: count, denominator: population, multiplier: ind.multiplier, england: englandRate, polarity: .noJudgement)
                    return v
                }
                out.append(value(AreaLookup.englandCode, "England", "Country", englandCount, englandPopulation))
                for (code, r) in regions.sorted(by: { $0.key < $1.key }) {
                    out.append(value(code, r.name, "Region", r.count, r.population))
                }
                for r in rows {
                    var v = value(r.code, r.name, r.type, r.count, r.population)
                    v.parentCode = r.parent.0
                    v.parentName = r.parent.1
                    out.append(v)
                }
            }
        }
        return out
    }
}

extension String {
    /// A hash that is the same on every run and machine (Swift's own is seeded per process).
    var hashValueStable: UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}
