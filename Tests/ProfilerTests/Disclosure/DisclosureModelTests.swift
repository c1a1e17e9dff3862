import Benchmarking
import Definitions
import Disclosure
import Foundation
import Profiles
import TestSupport
import Testing

@testable import Ingest

@Suite("Disclosure control: the linked model")
struct DisclosureModelTests {
    /// Every relation the intruder is given (the same population across tables, wards in
    /// localities, months in years, subsets of events, people against records) holds on the true
    /// figures of the bundled drop: the model says nothing false about the data.
    @Test func theModelsRelationsHoldOnTheBundledDrop() throws {
        let tables = try bundledDropTables(benchmarks: true)
        let found = DisclosureControl.contradictions(tables)
        #expect(found.isEmpty, "\(found.prefix(5).joined(separator: "\n"))")
    }
}
