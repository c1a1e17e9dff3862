import Definitions
import Foundation
import TestSupport
import Testing

/// Age bands live in `profiles/codes/bands.yaml`, not in Swift (issue 17).
@Suite("Definitions: bandings")
struct BandingTests {
    @Test func theShippedAgeBands() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let age = try #require(catalogue.bandings.first { $0.name == Banding.defaultName })
        #expect(
            age.bands.map(\.label) == [
                "0-4", "5-9", "10-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+",
            ])
        #expect(age.bands.first?.range == 0...4 && age.bands.last?.range == 85...200)
    }

    @Test(
        arguments: [
            ("bands:\n  age:\n    \"0-9\": [0, 9]\n    \"5-14\": [5, 14]\n", 4, "bands.age.5-14", "overlaps band '0-9'"),
            ("bands:\n  age:\n    \"0-9\": [9, 0]\n", 3, "bands.age.0-9", "a band is [first, last]"),
            ("bands:\n  age:\n    description: nothing\n", 2, "bands.age", "a banding needs at least one band"),
        ] as [(String, Int, String, String)])
    func aBadBandingNamesFileLineAndKey(_ yaml: String, _ line: Int, _ key: String, _ message: String) throws {
        let dir = try TemporaryDirectory("bands")
        defer { dir.remove() }
        _ = try dir.write("bands.yaml", yaml)
        #expect {
            _ = try SharedCodeLists.loadAll(directory: dir.path)
        } throws: { error in
            guard let e = (error as? DefinitionErrors)?.errors.first else { return false }
            #expect(e.line == line && e.key == key && e.message.contains(message), "\(e)")
            return e.file.hasSuffix("bands.yaml")
        }
    }
}
