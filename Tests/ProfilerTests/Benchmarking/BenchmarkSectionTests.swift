import ArgumentParser
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
@testable import ProfilerCLI

@Suite("Benchmarking: comparators and the profiles' sections")
struct BenchmarkSectionTests {
    /// Two forces' real police.uk months: each upper-tier authority's count by crime type is a plain
    /// count of the rows whose LSOA name starts with one of its authorities' names, its rate per
    /// 1,000 uses the population file, and rows of other forces' areas are left out.
    @Test func policeUKCountsPerAuthorityMatchAPlainCount() throws {
        let dir = try TemporaryDirectory("policeuk")
        defer { dir.remove() }
        for force in ["west-mercia", "cheshire"] {
            let name = "2024-02-\(force)-street.csv.gz"
            try FileManager.default.copyItem(atPath: TestPaths.publicData + "/policeuk/national/2024-02/" + name, toPath: dir.file(name))
        }
        let drop = try ingestDrop(dir.path, sources: "public")
        let areas = try AreaLookup(folder: TestPaths.comparators)
        let (values, unplaced) = ComparatorConverters.policeUK(try #require(drop.tables["policeuk_street"]), areas: areas)
        // Independent: the rows of each file by the LSOA name's authority.
        var expected: [String: Int] = [:], rows = 0
        let served = [
            "Shropshire": "E06000051", "Telford and Wrekin": "E06000020", "Herefordshire": "E06000019", "Cheshire East": "E06000049",
            "Cheshire West and Chester": "E06000050", "Warrington": "E06000007", "Halton": "E06000006",
            "Worcester": "E10000034", "Wyre Forest": "E10000034", "Wychavon": "E10000034", "Malvern Hills": "E10000034",
            "Bromsgrove": "E10000034", "Redditch": "E10000034",
        ]
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let t = try CSVTable(path: dir.file(file))
            for row in t.rows {
                rows += 1
                let name = row[t.column("LSOA name")]
                guard let space = name.lastIndex(of: " "), let code = served[String(name[..<space])],
                    row[t.column("Crime type")] == "Anti-social behaviour"
                else { continue }
                expected[code, default: 0] += 1
            }
        }
        let asb = values.filter { $0.indicatorID == "policeuk-anti-social-behaviour" && $0.areaType == "County & UA" }
        #expect(Dictionary(uniqueKeysWithValues: asb.map { ($0.areaCode, Int($0.count ?? -1)) }) == expected)
        let shropshire = try #require(asb.first { $0.areaCode == "E06000051" })
        let population = try #require(areas.population("E06000051", age: "all", year: 2024))
        #expect(shropshire.denominator == population.value && population.year == 2017)
        #expect(abs((shropshire.value ?? 0) - Double(expected["E06000051"]!) * 1000 / population.value) < 1e-9)
        #expect(shropshire.period == "2024-02")
        // Every row is counted once: placed in an authority of the two forces, or not placed.
        let all = values.filter { $0.areaType == "County & UA" && $0.indicatorID != "policeuk-all-crime" }.compactMap(\.count).reduce(0, +)
        #expect(Int(all) + unplaced == rows)
        // England here is the areas of the two forces.
        let england = try #require(
            asb.isEmpty ? nil : values.first { $0.indicatorID == "policeuk-anti-social-behaviour" && $0.areaCode == "E92000001" })
        #expect(england.count == Double(expected.values.reduce(0, +)))
    }

    /// Month by month, each authority's count of a crime type is a plain count of that month's rows.
    @Test func policeUKCountsByMonthMatchAPlainCount() throws {
        let dir = try TemporaryDirectory("policeuk")
        defer { dir.remove() }
        for month in ["2024-02", "2024-03"] {
            let name = "\(month)-west-mercia-street.csv.gz"
            try FileManager.default.copyItem(atPath: TestPaths.publicData + "/policeuk/national/\(month)/" + name, toPath: dir.file(name))
        }
        let drop = try ingestDrop(dir.path, sources: "public")
        let values = ComparatorConverters.policeUKByMonth(
            try #require(drop.tables["policeuk_street"]), areas: try AreaLookup(folder: TestPaths.comparators))
        var expected: [String: Int] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let t = try CSVTable(path: dir.file(file))
            for row in t.rows where row[t.column("LSOA name")].hasPrefix("Shropshire ") {
                expected["\(row[t.column("Month")])|\(row[t.column("Crime type")])", default: 0] += 1
            }
        }
        let shropshire = values.filter { $0.areaCode == "E06000051" }
        #expect(
            Dictionary(
                uniqueKeysWithValues: shropshire.map {
                    ("\($0.period)|\($0.indicatorName.components(separatedBy: ":")[0])", Int($0.count ?? -1))
                }) == expected)
        #expect(Set(shropshire.map(\.period)) == ["2024-02", "2024-03"])
    }

    /// The committed comparator file is what `profiler comparators` makes from the police.uk and DfE
    /// files in Fixtures/public (as from the published files: see Fixtures/public/README.md).
    @Test func bundledComparatorFileIsRegeneratedExactly() throws {
        let dir = try TemporaryDirectory("comparators")
        defer { dir.remove() }
        let out = dir.file("indicators-engine.csv.gz")
        var command = try ProfilerCommand.parseAsRoot([
            "comparators", "--data", TestPaths.publicData + "/policeuk/national",
            "--data", TestPaths.publicData + "/dfe", "--out", out,
        ])
        try command.run()
        #expect(
            FileManager.default.contents(atPath: out)
                == FileManager.default.contents(atPath: TestPaths.comparators + "/indicators-engine.csv.gz"))
    }

    /// Every profile has a benchmark section on the bundled drop, with at least one comparison
    /// filled from the bundled comparator files (the engine's real ones, and the demonstration
    /// drop's synthetic ones, every value of which says it is synthetic): England, the region and
    /// the neighbours are there, and the local count is a plain count of the events in the
    /// published period. A measure with no counterpart says so.
    @Test func everyProfileHasItsSectionOnTheBundledDrop() throws {
        let bundled = try BundledBenchmarkInputs.load()
        let profiles = bundled.profiles, benchmarks = bundled.benchmarks, published = bundled.published
        let synthetic = published.values.filter { $0.indicatorID.hasPrefix("synthetic-") }
        #expect(
            synthetic.count > 1000 && synthetic.allSatisfy { $0.note.hasPrefix("Synthetic") && $0.indicatorName.hasSuffix("(synthetic)") })
        #expect(!synthetic.contains { $0.areaCode == "E06000051" })
        let areas = bundled.areas
        let drop = try ingestDrop(TestPaths.sampleDrop)
        let engine = ProfileEngine(drop: drop, period: try #require(ReportingPeriod("2025-26")), threads: 2)
        var compared = 0
        for p in profiles.profiles {
            var filled = 0
            let definition = try #require(benchmarks.definition(for: p.id), "\(p.id) has no benchmarks")
            let tables = BenchmarkSection(definition: definition, groups: benchmarks.groups, areas: areas, published: published.values)
                .tables(profile: p, engine: engine)
            let section = try #require(tables.first { $0.id == "benchmark" })
            #expect(section.rows.count == definition.comparisons.count)
            for (c, row) in zip(definition.comparisons, section.rows) {
                let cell = { (name: String) in row[section.columns.firstIndex(of: name)!].description }
                guard c.indicator != nil else {
                    #expect(cell("note").hasPrefix("No published counterpart"), "\(p.id).\(c.id)")
                    continue
                }
                for name in [
                    "england", "region", "neighbours", "local_value", "local_lower_95", "vs_england_95", "vs_england_998",
                    "rank_among_neighbours",
                ] {
                    #expect(!cell(name).isEmpty, "\(p.id).\(c.id): \(name)")
                }
                // The local count, independently: rows of the event sets dated in the published period.
                let days = try #require(PublishedValue.days(of: cell("period")))
                var plain = 0
                var people = Set<UInt32>()
                for set in c.events.compactMap(p.eventSet) {
                    let table = try #require(drop.tables[set.source])
                    guard case .day(let dates)? = table["date"] else { continue }
                    let person: PersonColumn? = {
                        if case .person(let x)? = table[set.person ?? ""] { return x }; return nil
                    }()
                    for i in 0..<table.rowCount
                    where days.contains(dates.days[i]) && set.conditions.allSatisfy({ naivelyPasses($0, table, i) }) {
                        plain += 1
                        if let id = person?.ids[i], id != 0 { people.insert(id) }
                    }
                }
                #expect(Int(cell("local_count")) == (c.count == .people ? people.count : plain), "\(p.id).\(c.id)")
                compared += 1
                filled += 1
            }
            #expect(filled >= 1, "\(p.id): no comparison filled")
        }
        #expect(compared == 10)
    }

    /// A mistake in a benchmark definition is reported with its file, line and key.
    @Test func badBenchmarkDefinitionsNameFileLineAndKey() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
        let yaml = """
            profile: preventing_offending
            comparisons:
              - id: asb_rate
                events: [asb, nonsense]
                polarity: lower_is_better
                indicator: policeuk-anti-social-behaviour
              - id: hate
                events: [hate]
            """
        #expect {
            _ = try BenchmarkDefinition.parse(yaml, file: "bad.yaml", profiles: profiles)
        } throws: { error in
            let errors = (error as? DefinitionErrors)?.errors ?? []
            let found = errors.map { "\($0.line):\($0.key)" }
            return found.contains("4:comparisons[0].events") && found.contains("5:comparisons[0].polarity")
                && found.contains("7:comparisons[1].indicator") && errors.allSatisfy { $0.file == "bad.yaml" }
        }
        #expect(throws: DefinitionErrors.self) {
            _ = try ComparatorGroups.parse(
                "area: E06000051\nnearest_neighbours:\n  - from: 2019\n    areas: [E06000051, X1]\n", file: "areas.yaml")
        }
    }
}
