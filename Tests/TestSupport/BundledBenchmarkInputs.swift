import Benchmarking
import Definitions
import Ingest
import Pipeline
import Profiles
import Reference

/// What a build of the bundled drop compares with, loaded as the build loads it: the profiles,
/// their benchmark definitions, the published values (the engine's comparator files and the
/// demonstration drop's synthetic ones) and the area list.
public struct BundledBenchmarkInputs {
    public let profiles: ProfileCatalogue
    public let benchmarks: BenchmarkCatalogue
    public let published: ComparatorFiles.Loaded
    public let areas: AreaLookup

    public static func load() throws -> BundledBenchmarkInputs {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
        return BundledBenchmarkInputs(
            profiles: profiles,
            benchmarks: try BenchmarkCatalogue.load(directory: TestPaths.profiles + "/benchmarks", profiles: profiles),
            published: try ComparatorFiles.load(
                folders: [TestPaths.comparators, TestPaths.sampleDrop + "/reference/comparators"],
                profilesDirectory: TestPaths.profiles, geography: TestPaths.geography),
            areas: try AreaLookup(folder: TestPaths.comparators))
    }
}

/// Every profile's tables of the bundled drop for 2025-26, as the build makes them (with each
/// profile's comparison section when `benchmarks`).
public func bundledDropTables(benchmarks: Bool) throws -> [ProfileTable] {
    let bundled = try BundledBenchmarkInputs.load()
    let engine = ProfileEngine(drop: try ingestDrop(TestPaths.sampleDrop), period: ReportingPeriod("2025-26")!, threads: 2)
    return bundled.profiles.profiles.flatMap { p in
        engine.build(p)
            + (benchmarks
                ? bundled.benchmarks.definition(for: p.id).map {
                    BenchmarkSection(
                        definition: $0, groups: bundled.benchmarks.groups, areas: bundled.areas, published: bundled.published.values
                    )
                    .tables(profile: p, engine: engine)
                } ?? [] : [])
    }
}
