import CSVText
import Foundation

/// English local authorities with their upper tier, region, Community Safety Partnership and
/// police force area (`areas.csv` of the comparator reference, from the ONS lookups), and
/// population denominators by area, sex, age band and year (`population.csv`).
public struct AreaLookup: Sendable {
    /// England's ONS code, the country every comparator file publishes beside the authorities.
    public static let englandCode = "E92000001"

    public struct Area: Sendable {
        public let code: String
        public let name: String
        public let upperTierCode: String
        public let upperTierName: String
        public let regionCode: String
        public let regionName: String
        public let cspCode: String
        public let forceCode: String
        public let forceName: String
    }

    public let areas: [String: Area]
    /// Lower-tier and unitary authorities by name (as police.uk's LSOA names spell them).
    public let byName: [String: Area]
    /// Region names by code, from the authorities' rows.
    private let regionNames: [String: String]
    /// Population by `code|sex|age band|year`.
    private let population: [String: Double]
    private let populationYears: [String: [Int]]

    public init(folder: String) throws {
        var areas: [String: Area] = [:], tiers: [String: String] = [:]
        for row in try Self.rows(folder + "/areas.csv") {
            let a = Area(
                code: row["area_code"] ?? "", name: row["area_name"] ?? "", upperTierCode: row["utla_code"] ?? "",
                upperTierName: row["utla_name"] ?? "", regionCode: row["region_code"] ?? "", regionName: row["region_name"] ?? "",
                cspCode: row["csp_code"] ?? "", forceCode: row["pfa_code"] ?? "", forceName: row["pfa_name"] ?? "")
            areas[a.code] = a
            tiers[a.code] = row["area_type"] ?? ""
        }
        // Authorities newer than the 2018 force lookup take their upper tier's force.
        for (code, a) in areas where a.forceName.isEmpty {
            if let up = areas[a.upperTierCode], !up.forceName.isEmpty {
                areas[code] = Area(
                    code: a.code, name: a.name, upperTierCode: a.upperTierCode, upperTierName: a.upperTierName,
                    regionCode: a.regionCode, regionName: a.regionName, cspCode: a.cspCode, forceCode: up.forceCode, forceName: up.forceName
                )
            }
        }
        // By name, as police.uk spells it ("Herefordshire" for "Herefordshire, County of"); where two
        // codes share a name, the current one with a police force, lower tier first.
        var byName: [String: Area] = [:]
        func rank(_ a: Area) -> Int { (a.forceName.isEmpty ? 0 : 2) + (tiers[a.code] == "lower tier" ? 1 : 0) }
        for a in areas.values.sorted(by: { $0.code < $1.code }) {
            var names = [a.name]
            for suffix in [", County of", ", City of"] where a.name.hasSuffix(suffix) {
                names.append(String(a.name.dropLast(suffix.count)))
            }
            for name in names where byName[name].map({ rank($0) < rank(a) }) ?? true { byName[name] = a }
        }
        var population: [String: Double] = [:], years: [String: [Int]] = [:]
        for row in try Self.rows(folder + "/population.csv") {
            guard let code = row["area_code"], let sex = row["sex"], let age = row["age_band"],
                let n = Double(row["population"] ?? ""), let year = Int(row["year"] ?? "")
            else { continue }
            population["\(code)|\(sex)|\(age)|\(year)"] = n
            years["\(code)|\(sex)|\(age)", default: []].append(year)
        }
        self.areas = areas
        self.byName = byName
        regionNames = Dictionary(
            areas.values.filter { !$0.regionCode.isEmpty && !$0.regionName.isEmpty }.map { ($0.regionCode, $0.regionName) },
            uniquingKeysWith: { a, b in min(a, b) })
        self.population = population
        populationYears = years
    }

    /// The name of England (E92000001), of a region (from its authorities' rows) or of an
    /// authority; nil for a code the lookup does not hold.
    public func name(of code: String) -> String? {
        if code == Self.englandCode { return "England" }
        return areas[code]?.name ?? regionNames[code]
    }

    /// The population of an area for a year, or for the nearest earlier year published (and the
    /// year used), or the nearest later one when there is no earlier.
    public func population(_ code: String, sex: String = "Persons", age: String, year: Int) -> (value: Double, year: Int)? {
        guard let years = populationYears["\(code)|\(sex)|\(age)"]?.sorted(), !years.isEmpty else { return nil }
        let chosen = years.last { $0 <= year } ?? years[0]
        return population["\(code)|\(sex)|\(age)|\(chosen)"].map { ($0, chosen) }
    }

    static func rows(_ path: String) throws -> [[String: String]] {
        var header: [String] = []
        var out: [[String: String]] = []
        try CSVReader(path: path).forEachRecord { r in
            if r.index == 1 {
                header = r.strings()
            } else {
                var row: [String: String] = [:]
                for (i, name) in header.enumerated() where i < r.count { row[name] = r.string(i) }
                out.append(row)
            }
            return true
        }
        return out
    }
}
