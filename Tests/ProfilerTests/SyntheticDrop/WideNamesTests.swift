import Foundation
import SyntheticDrop
import TestSupport
import Testing

/// `sample --names wide`: surnames from 30,000 invented ones as well as the common ones.
@Suite("Synthetic drop: wide names")
struct WideNamesTests {
    /// The distinct surnames (case and spacing folded) of the police crimes' victims and suspects.
    private func surnames(wide: Bool) throws -> Set<String> {
        let dir = try TemporaryDirectory("wide-names")
        defer { dir.remove() }
        var options = SampleDropOptions(people: 6_000, years: 1, seed: 4, geographyPath: TestPaths.geography)
        options.wideNames = wide
        _ = try SampleDropGenerator.generate(options, into: dir.path)
        let crimes = try CSVTable(path: dir.file("police_crimes.csv"))
        var names = Set<String>()
        for column in ["V_Surname", "S_Surname"] {
            for value in crimes.values(column) where !value.isEmpty {
                names.insert(value.uppercased().filter(\.isLetter))
            }
        }
        return names
    }

    @Test func wideNamesTellMorePeopleApartAndCommonOnesStayAsTheyWere() throws {
        let common = try surnames(wide: false), wide = try surnames(wide: true)
        // The common list has 120 surnames (typos add a few); a few hundred crimes meet far more.
        #expect(common.count < 200, "\(common.count)")
        #expect(wide.count > 2 * common.count, "\(wide.count) against \(common.count)")
        // Invented ones are letters only and look like place names.
        #expect(wide.contains { $0.hasSuffix("FORD") || $0.hasSuffix("BURY") || $0.hasSuffix("TON") })
    }
}
