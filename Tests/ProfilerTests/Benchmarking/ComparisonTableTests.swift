import Benchmarking
import Columnar
import Definitions
import Foundation
import Profiles
import Reference
import Statistics
import TestSupport
import Testing

@testable import Ingest

/// The wording, the names and the period of the "how we compare" tables, on the bundled drop
/// against published values made here (so each outcome, each blank name and each tie is known).
@Suite("Benchmarking: the comparison tables' wording, area names and periods")
struct ComparisonTableTests {
    /// The preventing offending profile's local crimes on the bundled drop (April 2023 to March
    /// 2026) compared, as `yaml` says, with `published`: the `benchmark` and `benchmark_areas` tables.
    static func tables(_ yaml: String, _ published: [PublishedValue]) throws -> (benchmark: ProfileTable, areas: ProfileTable) {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
        let groups = try BenchmarkCatalogue.load(directory: TestPaths.profiles + "/benchmarks", profiles: profiles).groups
        let definition = try BenchmarkDefinition.parse(
            "profile: preventing_offending\ncomparisons:\n" + yaml, file: "test.yaml", profiles: profiles)
        let profile = try #require(profiles.profile("preventing_offending"))
        let engine = ProfileEngine(drop: try ingestDrop(TestPaths.sampleDrop), period: try #require(ReportingPeriod("2025-26")), threads: 2)
        let section = BenchmarkSection(
            definition: definition, groups: groups, areas: try AreaLookup(folder: TestPaths.comparators), published: published)
        let tables = section.tables(profile: profile, engine: engine)
        return (try #require(tables.first { $0.id == "benchmark" }), try #require(tables.first { $0.id == "benchmark_areas" }))
    }

    /// A comparison of the local crime rate with indicator `id`.
    static func comparison(_ id: String) -> String {
        "  - id: \(id)\n    events: [crimes]\n    per: residents\n    multiplier: 1000\n    indicator: \(id)\n    polarity: low_is_good\n"
    }

    static func value(
        _ indicator: String, _ code: String, _ name: String, _ period: String, _ value: Double, _ interval: ClosedRange<Double>?
    ) -> PublishedValue {
        var v = PublishedValue(
            indicatorID: indicator, indicatorName: indicator, areaCode: code, areaName: name,
            areaType: code == "E92000001" ? "Country" : "County & UA", period: period)
        v.value = value
        v.lower95 = interval?.lowerBound
        v.upper95 = interval?.upperBound
        return v
    }

    /// A column of a table by row, keyed by another column.
    static func column(_ t: ProfileTable, _ name: String, by key: String) -> [String: String] {
        let k = t.columns.firstIndex(of: key)!, c = t.columns.firstIndex(of: name)!
        return Dictionary(t.rows.map { ($0[k].description, $0[c].description) }, uniquingKeysWith: { a, _ in a })
    }

    /// Each comparator is worded against the area as a sentence reads: higher or lower *than*, but
    /// similar *to* this area; nothing where it cannot be compared (no interval), nor on the area's own row.
    @Test func comparatorsAreWordedAgainstTheAreaGrammatically() throws {
        let id = "test-wording"
        let (_, areas) = try Self.tables(
            Self.comparison(id),
            [
                Self.value(id, "E92000001", "England", "2024/25", 1_000_000, 999_999...1_000_001),
                Self.value(id, "E12000005", "West Midlands", "2024/25", 50, 0...1_000_000_000),
                Self.value(id, "E06000019", "Herefordshire, County of", "2024/25", 0, 0...0),
                Self.value(id, "E06000049", "Cheshire East", "2024/25", 40, nil),
            ])
        #expect(
            Self.column(areas, "against_this_area", by: "area_code") == [
                "E06000051": "", "E92000001": "higher than this area", "E12000005": "similar to this area",
                "E06000019": "lower than this area", "E06000049": "",
            ])
        #expect(
            Self.column(areas, "role", by: "area_code") == [
                "E06000051": "this area", "E92000001": "England", "E12000005": "region", "E06000019": "neighbour", "E06000049": "neighbour",
            ])
    }

    /// Every outcome has its words (the areas' rows are compared without a good direction, so only
    /// higher, similar and lower appear there, but none is left ungrammatical).
    @Test func everyOutcomeHasGrammaticalWords() {
        #expect(
            ComparisonOutcome.allCases.map { $0.wordedAgainstThisArea } == [
                "better than this area", "similar to this area", "worse than this area", "higher than this area", "lower than this area",
                "",
            ])
    }

    /// A comparator published without its name is named from the area list: England, the region
    /// from its authorities' rows, an authority by its own row; a code not in the list by its code.
    @Test func comparatorsPublishedWithoutANameAreNamedFromTheAreaList() throws {
        let id = "test-names"
        let (_, areas) = try Self.tables(
            Self.comparison(id),
            [
                Self.value(id, "E92000001", "", "2024/25", 50, 0...100),
                Self.value(id, "E12000005", "", "2024/25", 50, 0...100),
                Self.value(id, "E06000019", "", "2024/25", 50, 0...100),
                Self.value(id, "E06000049", "Cheshire East (as published)", "2024/25", 50, 0...100),
            ])
        #expect(
            Self.column(areas, "area_name", by: "area_code") == [
                "E06000051": "Shropshire", "E92000001": "England", "E12000005": "West Midlands",
                "E06000019": "Herefordshire, County of", "E06000049": "Cheshire East (as published)",
            ])
    }

    /// On the bundled drop and comparator files, every profile's comparison rows name their area
    /// (the DfE England rows were once blank: the definition did not read `country_name`).
    @Test func everyComparisonRowOnTheBundledDropNamesItsArea() throws {
        let bundled = try BundledBenchmarkInputs.load()
        let profiles = bundled.profiles, benchmarks = bundled.benchmarks, published = bundled.published
        let areas = bundled.areas
        let engine = ProfileEngine(drop: try ingestDrop(TestPaths.sampleDrop), period: try #require(ReportingPeriod("2025-26")), threads: 2)
        var rows = 0, englandRows = 0
        for p in profiles.profiles {
            let definition = try #require(benchmarks.definition(for: p.id))
            let tables = BenchmarkSection(definition: definition, groups: benchmarks.groups, areas: areas, published: published.values)
                .tables(profile: p, engine: engine)
            let t = try #require(tables.first { $0.id == "benchmark_areas" })
            let code = t.columns.firstIndex(of: "area_code")!, name = t.columns.firstIndex(of: "area_name")!
            for row in t.rows {
                rows += 1
                #expect(!row[name].description.trimmingCharacters(in: .whitespaces).isEmpty, "\(p.id): \(row[0]) \(row[code])")
                if row[code].description == "E92000001" {
                    englandRows += 1
                    #expect(row[name].description == "England", "\(p.id): \(row[0])")
                }
            }
        }
        #expect(rows > 50 && englandRows == 10)
    }

    /// The converted DfE table names England, and the regions' parent, as the file does.
    @Test func dfeRowsNameEnglandAndTheRegionsParent() throws {
        let dir = try TemporaryDirectory("dfe")
        defer { dir.remove() }
        let name = "cla_number_and_rate_per_10k_children.csv"
        try FileManager.default.copyItem(atPath: TestPaths.publicData + "/dfe/" + name, toPath: dir.file(name))
        let drop = try ingestDrop(dir.path, sources: "public")
        let values = ComparatorConverters.dfeChildrenLookedAfter(try #require(drop.tables["dfe_children_looked_after"]))
        let england = values.filter { $0.areaCode == "E92000001" }, regions = values.filter { $0.areaType == "Region" }
        #expect(!england.isEmpty && england.allSatisfy { $0.areaName == "England" && $0.areaType == "Country" })
        #expect(
            !regions.isEmpty && regions.allSatisfy { $0.parentCode == "E92000001" && $0.parentName == "England" && !$0.areaName.isEmpty })
        #expect(values.allSatisfy { !$0.areaName.isEmpty })
    }

    /// Published periods that start on the same day are ordered by their last day, then by their
    /// text, so the latest period (and the latest the extracts cover) is the same on every run: of
    /// `2024-0m` and `2024-0m to 2024-0(m+1)`, the longer; of `2024` and `2024-01 to 2024-12` (the
    /// same days), the second. Several ties, each in its own comparison, each has one answer.
    @Test func periodsStartingOnTheSameDayAreOrderedTotally() throws {
        var yaml = "", published: [PublishedValue] = [], expected: [String: String] = [:], uncovered: Set<String> = []
        func tie(_ id: String, _ periods: [String], latest: String, covered: Bool) {
            yaml += Self.comparison(id)
            published += periods.map { Self.value(id, "E92000001", "England", $0, 50, 0...100) }
            expected[id] = latest
            if !covered { uncovered.insert(id) }
        }
        // Covered by the extracts (April 2023 to March 2026): the chosen period is the latest covered.
        for m in 1...6 {
            tie("test-covered-\(m)", ["2024-0\(m)", "2024-0\(m) to 2024-0\(m + 1)"], latest: "2024-0\(m) to 2024-0\(m + 1)", covered: true)
        }
        tie("test-same-days", ["2024", "2024-01 to 2024-12"], latest: "2024-01 to 2024-12", covered: true)
        // Beyond the extracts: the chosen period is the latest published, and the note names it.
        for m in 1...4 {
            tie(
                "test-latest-\(m)", ["2030-0\(m) to 2030-0\(m + 2)", "2030-0\(m)", "2030-0\(m) to 2030-0\(m + 1)"],
                latest: "2030-0\(m) to 2030-0\(m + 2)", covered: false)
        }
        tie("test-latest-same-days", ["2030-01 to 2030-12", "2030"], latest: "2030-01 to 2030-12", covered: false)
        let (benchmark, _) = try Self.tables(yaml, published)
        #expect(Self.column(benchmark, "period", by: "comparison") == expected)
        let notes = Self.column(benchmark, "note", by: "comparison")
        for (id, latest) in expected {
            #expect(notes[id]?.hasPrefix("The local data does not cover \(latest):") == uncovered.contains(id), "\(id): \(notes[id] ?? "")")
        }
    }
}
