import Definitions
import Foundation
import Profiles
import Statistics
import TestSupport
import Testing

/// The slope and relative index of inequality of each deprivation table: worked out from the
/// deciles' counts and residents as `phe_sii` does, and published (JSON and the report) only where no
/// decile is withheld, since with one withheld the index and the other deciles would give it away.
@Suite("Significance: inequality across deprivation")
struct InequalityOutputTests {
    static func inequality(_ json: [String: Any], _ profile: String, _ table: String) -> [[String: Any]]? {
        let profiles = json["profiles"] as? [[String: Any]] ?? []
        let tables = profiles.first { $0["id"] as? String == profile }?["tables"] as? [[String: Any]] ?? []
        return tables.first { $0["id"] as? String == table }?["inequality"] as? [[String: Any]]
    }

    @Test func publishedWhereNoDecileIsWithheldAndEqualToPhesSii() throws {
        let dir = try TemporaryDirectory("inequality")
        defer { dir.remove() }
        #expect(try runProfiler(["build", "--out", dir.file("out"), "--format", "json", "--format", "csv", "--format", "html"]) == 0)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/executive/profiles.json"))))
                as? [String: Any])

        // Crime by deprivation: every decile shown, so its index is published; recomputed here from
        // the analysts' table of the same figures.
        let crime = try #require(Self.inequality(json, "preventing_offending", "crime_by_deprivation")?.first)
        let t = try CSVTable(path: dir.file("out/tables/preventing_offending/crime_by_deprivation.csv"))
        let deciles = t.rows.filter { $0[0].first?.isNumber == true }.sorted {
            Int($0[0].prefix { $0.isNumber })! < Int($1[0].prefix { $0.isNumber })!
        }
        let groups = try deciles.map { row in
            try SlopeIndexOfInequality.Group.rate(
                count: Double(row[t.column("records_2025_26")])!, population: Double(row[t.column("residents")])!, multiplier: 1_000)
        }
        let s = try SlopeIndexOfInequality(groups: groups, valueType: .rate, multiplier: 1, repetitions: 10_000, levels: [.ninetyFive])
        #expect(deciles.count == 10)
        #expect(crime["sii"] as? Double == (s.sii * 100).rounded() / 100)
        #expect(crime["rii"] as? Double == (s.rii * 100).rounded() / 100)
        #expect(crime["sii_lower_95"] as? Double == (s.siiInterval(at: .ninetyFive)!.lower * 100).rounded() / 100)
        #expect(s.sii < 0, "crime is higher where deprivation is")
        let report = try String(contentsOfFile: dir.file("out/executive/report.html"), encoding: .utf8)
        #expect(report.contains(String(format: "slope index %.2f", s.sii)))

        // Domestic abuse by deprivation: the engine has an index, but a decile is withheld for the
        // executive, so it is not published there.
        let engine = ProfileEngine(drop: try ingestDrop(TestPaths.sampleDrop, demo: true), period: ReportingPeriod(startYear: 2025))
        let catalogue = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: SourceCatalogue.load(profiles: TestPaths.profiles),
            measures: MeasureLibrary.grammars)
        let built = engine.build(try #require(catalogue.profile("domestic_abuse")))
        #expect(built.first { $0.id == "by_deprivation" }?.inequality.isEmpty == false)
        let withheld = try CSVTable(path: dir.file("out/executive/domestic_abuse/by_deprivation.csv"))
        #expect(withheld.values("rate_per_1000_2025_26").contains("c"))
        #expect(Self.inequality(json, "domestic_abuse", "by_deprivation") == nil)
    }
}
