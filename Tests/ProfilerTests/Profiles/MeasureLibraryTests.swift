import Definitions
import Foundation
import Profiles
import TestSupport
import Testing

/// The measures the engine knows: each is one type named once in `MeasureLibrary`, which the
/// definitions loader checks measures against; every measure the bundled profiles use is built
/// into a column of its own heading or a success measure's row.
@Suite("Profiles: the measure library")
struct MeasureLibraryTests {
    @Test func eachMeasureIsNamedOnceAndListedInTheLoadersMessage() throws {
        let names = MeasureLibrary.grammars.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(
            MeasureLibrary.grammars.map(\.usage) == [
                "records", "people[:role]", "repeat_people[:role]", "repeat_within_year[:role]", "people_repeat_within_year[:role]",
                "serial:role:role", "rate_per_1000", "rate_per_10000_children", "share", "sum:field", "mean:field", "sites:category",
            ])
        let text = ProfileDefinitionTests.valid.replacingOccurrences(of: "measures: [records]", with: "measures: [median]")
        #expect {
            _ = try ProfileDefinition.parse(
                text, file: "demo.yaml", sources: ProfileDefinitionTests.sources, measures: MeasureLibrary.grammars)
        } throws: { error in
            let message = (error as? DefinitionErrors)?.errors.first?.message ?? ""
            return MeasureLibrary.grammars.allSatisfy { message.contains($0.usage) }
        }
    }

    /// A loader given fewer grammars refuses the measures it was not given: what a profile may
    /// name is exactly what the library holds.
    @Test func theLoaderKnowsOnlyTheGrammarsItIsGiven() throws {
        let withoutShare = MeasureLibrary.grammars.filter { $0.name != "share" }
        let text = ProfileDefinitionTests.valid.replacingOccurrences(of: "measures: [records]", with: "measures: [records, share]")
        _ = try ProfileDefinition.parse(text, file: "demo.yaml", sources: ProfileDefinitionTests.sources, measures: MeasureLibrary.grammars)
        #expect(throws: DefinitionErrors.self) {
            _ = try ProfileDefinition.parse(text, file: "demo.yaml", sources: ProfileDefinitionTests.sources, measures: withoutShare)
        }
    }

    @Test func everyMeasureTheProfilesUseIsBuiltUnderItsHeading() throws {
        let engine = ProfileEngine(drop: ProfileReferenceTests.fixture.ingested, period: ProfileReferenceTests.period)
        var used = Set<String>()
        for profile in ProfileReferenceTests.profiles.profiles {
            let built = Dictionary(uniqueKeysWithValues: engine.build(profile).map { ($0.id, $0) })
            for t in profile.tables where t.cohort == nil && !t.by.contains(.agencyCount) {
                let table = try #require(built[t.id])
                for m in t.measures {
                    used.insert(m.name)
                    let columns = table.columns.filter { $0.hasPrefix(m.heading) }
                    #expect(!columns.isEmpty, "\(profile.id)/\(t.id): no column for \(m)")
                    // Some group of the table has a value of the measure in some year.
                    let values = columns.compactMap(table.columns.firstIndex).flatMap { c in table.rows.map { $0[c] } }
                    #expect(values.contains { if case .missing = $0 { false } else { true } }, "\(profile.id)/\(t.id): \(m) has no value")
                }
            }
            // A success measure is a row of the success table, with a value for the reporting year.
            let success = try #require(built["success_measures"])
            for m in profile.success {
                used.insert(m.measure.name)
                let row = try #require(success.rows.first { $0[0] == .text(m.id) }, "\(profile.id): no row for \(m.id)")
                #expect(row[3] != .missing, "\(profile.id)/\(m.id): no value")
            }
        }
        #expect(
            used == Set(MeasureLibrary.grammars.map(\.name)),
            "measures no bundled profile uses: \(Set(MeasureLibrary.grammars.map(\.name)).subtracting(used))")
    }
}
