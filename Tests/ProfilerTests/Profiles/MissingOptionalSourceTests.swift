import Definitions
import Foundation
import Ingest
import Profiles
import TestSupport
import Testing

/// A table of an optional source the drop has no file for (the SSDA903 return, for most drops)
/// is built empty, whatever its breakdown and measures: a rate per children by ward compares no
/// area (it crashed, the area breakdown having no labels to find residents by).
@Suite("Profiles: a table of an optional source without its file")
struct MissingOptionalSourceTests {
    @Test func aRateByWardOfASourceWithNoFileIsEmpty() throws {
        let source = try SourceDefinition.parse(
            """
            source: looked_after
            agency: council
            file: looked_after
            optional: true
            date_format: dd/MM/yyyy
            fields:
              date: { column: DECOM, type: date }
            people:
              child:
                local_id: CHILD
                fields:
                  home_postcode: { column: HOME_POST, type: postcode }
            """, file: "looked_after.yaml")
        let shipped = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let catalogue = SourceCatalogue(sources: shipped.sources + [source])
        let profile = try ProfileDefinition.parse(
            """
            profile: demo
            title: Demo
            events:
              care: { source: looked_after }
            tables:
              - id: by_ward
                section: where
                events: [care]
                by: [ward(child.home_postcode)]
                measures: [records, rate_per_10000_children]
            """, file: "demo.yaml", sources: catalogue, measures: MeasureLibrary.grammars)
        let drop = try ingestDrop(TestPaths.sampleDrop)
        #expect(drop.tables["looked_after"] == nil, "the bundled drop has no such file")
        let tables = ProfileEngine(drop: drop.data, period: ProfileReferenceTests.period).build(profile)
        let t = try #require(tables.first { $0.id == "by_ward" })
        #expect(t.rows.isEmpty)
        #expect(t.columns.prefix(3) == ["ward", "records_2025_26", "records_2024_25"])
    }
}
