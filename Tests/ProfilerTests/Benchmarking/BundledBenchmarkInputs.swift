import Benchmarking
import Definitions
import TestSupport

/// What a build of the bundled drop compares with, loaded as the build loads it: the profiles,
/// their benchmark definitions, the published values (the engine's comparator files and the
/// demonstration drop's synthetic ones) and the area list.
struct BundledBenchmarkInputs {
    let profiles: ProfileCatalogue
    let benchmarks: BenchmarkCatalogue
    let published: ComparatorFiles.Loaded
    let areas: AreaLookup

    static func load() throws -> BundledBenchmarkInputs {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(directory: TestPaths.profiles + "/priorities", sources: catalogue)
        return BundledBenchmarkInputs(
            profiles: profiles,
            benchmarks: try BenchmarkCatalogue.load(directory: TestPaths.profiles + "/benchmarks", profiles: profiles),
            published: try ComparatorFiles.load(folders: [TestPaths.comparators, TestPaths.sampleDrop + "/reference/comparators"],
                                                profilesDirectory: TestPaths.profiles, geography: TestPaths.geography),
            areas: try AreaLookup(folder: TestPaths.comparators))
    }
}
