import Benchmarking
import Definitions
import Disclosure
import Foundation
import Profiles
import Testing
import TestSupport
@testable import Ingest

@Suite("Disclosure control: the linked model")
struct DisclosureModelTests {
    /// Every relation the intruder is given (the same population across tables, wards in
    /// localities, months in years, subsets of events, people against records) holds on the true
    /// figures of the bundled drop: the model says nothing false about the data.
    @Test func theModelsRelationsHoldOnTheBundledDrop() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(directory: TestPaths.profiles + "/priorities", sources: catalogue)
        let engine = ProfileEngine(drop: try ingestDrop(TestPaths.sampleDrop), period: try #require(ReportingPeriod("2025-26")), threads: 2)
        let bundled = try BundledBenchmarkInputs.load()
        let tables = profiles.profiles.flatMap { p in
            engine.build(p) + (bundled.benchmarks.definition(for: p.id).map {
                BenchmarkSection(definition: $0, groups: bundled.benchmarks.groups, areas: bundled.areas, published: bundled.published.values)
                    .tables(profile: p, engine: engine)
            } ?? [])
        }
        let found = DisclosureControl.contradictions(tables)
        #expect(found.isEmpty, "\(found.prefix(5).joined(separator: "\n"))")
    }
}
