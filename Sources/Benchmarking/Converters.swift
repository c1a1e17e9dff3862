import Columnar
import Foundation
import Reference
import Statistics

/// Published figures that are not in Fingertips' format, turned into it: the engine then reads
/// every comparator the same way (`PublishedValue`).
public enum ComparatorConverters {
    /// police.uk street files for many forces (source `policeuk_street`): crimes of each type, and
    /// all crime (every type but anti-social behaviour), per upper-tier authority, region and
    /// England over the months the files cover, per 1,000 residents, with 95% and 99.8% intervals
    /// (exact Poisson below 10, Byar's method from 10) and comparisons with England and the region
    /// (low is good). An authority counts only where the force that polices it sent a file (rows
    /// snapped across a boundary are left out), so England and the regions are the areas covered.
    /// - Returns: the values, and the rows that could not be placed in an authority of England.
    public static func policeUK(_ table: ColumnTable, areas: AreaLookup) -> (values: [PublishedValue], unplaced: Int) {
        guard case .day(let dates)? = table["date"], case .code(let names)? = table["lsoa_name"],
            case .code(let types)? = table["crime_type"], case .code(let forces)? = table["falls_within"]
        else { return ([], table.rowCount) }
        let (placeOf, upperTiers, forcesRead) = placement(names: names, forces: forces, areas: areas)
        let nT = types.values.count
        var dense = [Double](repeating: 0, count: max(1, upperTiers.count * nT))
        var unplaced = 0
        var lo = Int32.max, hi = Int32.min
        for i in 0..<table.rowCount {
            let d = dates.days[i]
            if d != DayColumn.null { lo = min(lo, d); hi = max(hi, d) }
            let place = placeOf[Int(names.codes[i])], type = Int(types.codes[i])
            guard place >= 0, type > 0 else { unplaced += 1; continue }
            dense[place * nT + type] += 1
        }
        var counts: [String: [String: Double]] = [:]  // upper tier -> crime type -> count
        for (p, code) in upperTiers.enumerated() {
            var byType: [String: Double] = [:]
            for t in 1..<nT where dense[p * nT + t] > 0 {
                byType[types.values[t]] = dense[p * nT + t]
                if types.values[t] != "Anti-social behaviour" { byType["All crime", default: 0] += dense[p * nT + t] }
            }
            counts[code] = byType
        }
        guard lo <= hi else { return ([], unplaced) }
        let first = DayNumber.civil(Int(lo)), last = DayNumber.civil(Int(hi))
        let period =
            String(format: "%04d-%02d", first.year, first.month)
            + (first.year == last.year && first.month == last.month ? "" : String(format: " to %04d-%02d", last.year, last.month))
        var values: [PublishedValue] = []
        for type in Set(counts.values.flatMap(\.keys)).sorted() {
            values += rates(of: type, counts: counts, areas: areas, year: first.year, period: period, forces: forcesRead.count)
        }
        return (values, unplaced)
    }

    /// One crime type's rates per 1,000 residents: England (the areas covered), each region, each
    /// upper-tier authority compared with its region.
    private static func rates(
        of type: String, counts: [String: [String: Double]], areas: AreaLookup, year: Int, period: String, forces: Int
    ) -> [PublishedValue] {
        var values: [PublishedValue] = []
        let id = "policeuk-" + type.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let title = "\(type): police.uk crimes per 1,000 residents"
        var rows: [(code: String, name: String, areaType: String, parent: (String, String), count: Double, population: Double, year: Int)] =
            []
        var regions: [String: (name: String, count: Double, population: Double)] = [:]
        var england = (count: 0.0, population: 0.0)
        for (code, byType) in counts.sorted(by: { $0.key < $1.key }) {
            guard let area = areas.areas[code], let pop = areas.population(code, age: "all", year: year) else { continue }
            let n = byType[type] ?? 0
            rows.append((code, area.name, "County & UA", (area.regionCode, area.regionName), n, pop.value, pop.year))
            regions[area.regionCode, default: (area.regionName, 0, 0)].count += n
            regions[area.regionCode, default: (area.regionName, 0, 0)].population += pop.value
            england.count += n
            england.population += pop.value
        }
        let englandRate = england.population > 0 ? england.count * 1000 / england.population : nil
        func value(_ code: String, _ name: String, _ kind: String, _ count: Double, _ population: Double, note: String)
            -> PublishedValue
        {
            var v = PublishedValue(
                indicatorID: id, indicatorName: title, areaCode: code, areaName: name, areaType: kind, period: period)
            v.count = count
            v.denominator = population
            v.setCrudeRate(count: count, denominator: population, multiplier: 1000, england: englandRate, polarity: .lowIsGood)
            v.note = note
            return v
        }
        values.append(
            value(
                AreaLookup.englandCode, "England", "Country", england.count, england.population,
                note: "The areas policed by the \(forces) forces whose files were read"))
        for (code, r) in regions.sorted(by: { $0.key < $1.key }) {
            var v = value(code, r.name, "Region", r.count, r.population, note: "The areas policed by the forces whose files were read")
            v.parentCode = AreaLookup.englandCode; v.parentName = "England"
            values.append(v)
        }
        for r in rows {
            var v = value(r.code, r.name, r.areaType, r.count, r.population, note: "Population of \(r.year)")
            v.parentCode = r.parent.0; v.parentName = r.parent.1
            if let region = regions[r.parent.0], region.population > 0,
                let i95 = v.lower95.flatMap({ l in v.upper95.map { ConfidenceInterval(lower: l, upper: $0, level: .ninetyFive) } })
            {
                v.comparedToParent =
                    ComparisonOutcome(interval: i95, benchmark: region.count * 1000 / region.population, polarity: .lowIsGood).rawValue
            }
            values.append(v)
        }
        return values
    }

    /// Force names as police.uk and the ONS lookup spell them alike ("Metropolitan Police Service",
    /// "Metropolitan Police"; "City of London Police", "London, City of").
    static func force(_ s: String) -> String {
        var f = s
        for suffix in [" Police Service", " Constabulary", " Police"] where f.hasSuffix(suffix) {
            f = String(f.dropLast(suffix.count))
            break
        }
        if f.hasSuffix(", City of") { f = "City of " + f.dropLast(", City of".count) }
        return f
    }

    /// For each LSOA name code, the index of its upper-tier authority in `upperTiers`, or -1 when
    /// the name is not an English authority's or its force sent no file (a point snapped across a
    /// boundary). Each distinct name and force is looked at once.
    static func placement(names: CodeColumn, forces: CodeColumn, areas: AreaLookup) -> (
        placeOf: [Int], upperTiers: [String], forcesRead: Set<String>
    ) {
        var forceSeen = [Bool](repeating: false, count: forces.values.count)
        for c in forces.codes { forceSeen[Int(c)] = true }
        let forcesRead = Set(forces.values.indices.filter { $0 > 0 && forceSeen[$0] }.map { force(forces.values[$0]) })
        var upperTiers: [String] = []
        var upperIndex: [String: Int] = [:]
        let placeOf: [Int] = names.values.map { name in
            guard let space = name.lastIndex(of: " "), let area = areas.byName[String(name[..<space])],
                forcesRead.contains(force(area.forceName))
            else { return -1 }
            if let i = upperIndex[area.upperTierCode] { return i }
            upperIndex[area.upperTierCode] = upperTiers.count
            upperTiers.append(area.upperTierCode)
            return upperTiers.count - 1
        }
        return (placeOf, upperTiers, forcesRead)
    }

    /// The same counts month by month: crimes of each type per upper-tier authority in each month
    /// (count only: a month's rate would need the month's population), one value per authority,
    /// type and month, for national series.
    public static func policeUKByMonth(_ table: ColumnTable, areas: AreaLookup) -> [PublishedValue] {
        guard case .day(let dates)? = table["date"], case .code(let names)? = table["lsoa_name"],
            case .code(let types)? = table["crime_type"], case .code(let forces)? = table["falls_within"]
        else { return [] }
        let (placeOf, upperTiers, _) = placement(names: names, forces: forces, areas: areas)
        let authorities = upperTiers.map { areas.areas[$0]! }
        // Counts over dense codes: (month, authority, type).
        var lo = Int32.max, hi = Int32.min
        for d in dates.days where d != DayColumn.null { lo = min(lo, d); hi = max(hi, d) }
        guard lo <= hi else { return [] }
        let first = DayNumber.civil(Int(lo))
        func monthIndex(_ d: Int32) -> Int { let c = DayNumber.civil(Int(d)); return (c.year - first.year) * 12 + c.month - first.month }
        let months = monthIndex(hi) + 1, nA = authorities.count, nT = types.values.count
        var counts = [Int](repeating: 0, count: months * nA * nT)
        // Each day's month, by the day's offset from the first (a table, not a hash per row).
        let monthOfDay = (lo...hi).map(monthIndex)
        counts.withUnsafeMutableBufferPointer { counts in
            dates.days.withUnsafeBufferPointer { days in
                names.codes.withUnsafeBufferPointer { lsoas in
                    types.codes.withUnsafeBufferPointer { crimeTypes in
                        for i in 0..<table.rowCount {
                            let a = placeOf[Int(lsoas[i])]
                            let d = days[i]
                            guard a >= 0, d != DayColumn.null else { continue }
                            counts[(monthOfDay[Int(d - lo)] * nA + a) * nT + Int(crimeTypes[i])] += 1
                        }
                    }
                }
            }
        }
        let ids = types.values.map { type in
            "policeuk-count-" + type.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        }
        let titles = types.values.map { "\($0): police.uk crimes" }
        var out: [PublishedValue] = []
        out.reserveCapacity(counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
        for m in 0..<months {
            let y = first.year + (first.month - 1 + m) / 12, mm = (first.month - 1 + m) % 12 + 1
            let period = String(format: "%04d-%02d", y, mm)
            for (a, area) in authorities.enumerated() {
                for t in 1..<nT {
                    let n = counts[(m * nA + a) * nT + t]
                    guard n > 0 else { continue }
                    var v = PublishedValue(
                        indicatorID: ids[t], indicatorName: titles[t], areaCode: area.code, areaName: area.name,
                        areaType: "County & UA", period: period)
                    v.count = Double(n)
                    v.value = Double(n)
                    out.append(v)
                }
            }
        }
        return out
    }

    /// DfE children looked after by local authority (source `dfe_children_looked_after`): each
    /// measure (looked after at 31 March, starting, ceasing) per 10,000 children aged 0-17, as
    /// published, with intervals recomputed (exact Poisson below 10, Byar's method from 10) and
    /// comparisons with England and the region (no judgement: more or fewer children in care is not
    /// good or bad in itself). Reporting year 2024 is the year to 31 March 2024 (`2023/24`).
    public static func dfeChildrenLookedAfter(_ table: ColumnTable) -> [PublishedValue] {
        func text(_ name: String) -> (Int) -> String {
            guard case .code(let c)? = table[name] else { return { _ in "" } }
            return { c.value($0) ?? "" }
        }
        guard case .integer(let years)? = table["time_period"], case .decimal(let numbers)? = table["number"],
            case .integer(let populations)? = table["population_estimate"]
        else { return [] }
        let level = text("geographic_level"), measure = text("measure"), country = text("country_code"), countryName = text("country_name")
        let region = text("region_code"), regionName = text("region_name"), la = text("new_la_code"), laName = text("la_name")
        struct Key: Hashable { let measure: String; let year: Int64 }
        var englandRate: [Key: Double] = [:], regionRate: [String: Double] = [:]
        for i in 0..<table.rowCount where populations.values[i] > 0 && !numbers.values[i].isNaN {
            let rate = numbers.values[i] * 10_000 / Double(populations.values[i])
            let key = Key(measure: measure(i), year: years.values[i])
            if level(i) == "National" { englandRate[key] = rate }
            if level(i) == "Regional" { regionRate["\(region(i))|\(key.measure)|\(key.year)"] = rate }
        }
        var out: [PublishedValue] = []
        for i in 0..<table.rowCount {
            let kind: String, code: String, name: String
            switch level(i) {
            case "National": (kind, code, name) = ("Country", country(i), countryName(i))
            case "Regional": (kind, code, name) = ("Region", region(i), regionName(i))
            case "Local authority": (kind, code, name) = ("County & UA", la(i), laName(i))
            default: continue
            }
            let year = Int(years.values[i])
            let m = measure(i)
            let id = "dfe-cla-" + m.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).prefix(4).joined(separator: "-")
            var v = PublishedValue(
                indicatorID: id, indicatorName: "\(m): rate per 10,000 children aged 0-17", areaCode: code, areaName: name,
                areaType: kind, period: String(format: "%04d/%02d", year - 1, year % 100))
            v.age = "0-17 yrs"
            if kind == "County & UA" {
                v.parentCode = region(i); v.parentName = regionName(i)
            } else if kind == "Region" {
                v.parentCode = country(i); v.parentName = countryName(i)
            }
            v.note = ""
            let n = numbers.values[i], population = populations.values[i]
            let key = Key(measure: m, year: years.values[i])
            if !n.isNaN, population > 0, population != IntegerColumn.null,
                let i95 = v.setCrudeRate(
                    count: n, denominator: Double(population), multiplier: 10_000, england: englandRate[key], polarity: .noJudgement)
            {
                v.count = n
                v.denominator = Double(population)
                if kind == "County & UA" {
                    v.comparedToParent =
                        ComparisonOutcome(interval: i95, benchmark: regionRate["\(region(i))|\(m)|\(key.year)"], polarity: .noJudgement)
                        .rawValue
                }
            } else {
                v.note = "Not published (suppressed or not available)"
            }
            out.append(v)
        }
        return out
    }
}
