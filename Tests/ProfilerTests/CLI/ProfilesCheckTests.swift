import Foundation
import TestSupport
import Testing

/// `profiler profiles check`: the definitions' checks for an analyst's edit loop, writing nothing,
/// with validate's exit codes.
@Suite("CLI: profiles check")
struct ProfilesCheckTests {
    /// A copy of the project's definitions with one profile line changed.
    private func definitions(_ file: String, replacing old: String, with new: String) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("profiles-check")
        _ = try editedDefinitions(in: dir, file: "priorities/" + file, replacing: old, with: new)
        return dir
    }

    @Test func theShippedDefinitionsAreClean() throws {
        #expect(try runProfiler(["profiles", "check"]) == 0)
    }

    /// The misspelling: refused before any data is read (exit 3).
    @Test func aMisspeltValueIsAConfigurationError() throws {
        let dir = try definitions(
            "drug_and_alcohol.yaml", replacing: "discharge_outcome: Successful completion", with: "discharge_outcome: Sucessful completion")
        defer { dir.remove() }
        #expect(try runProfiler(["profiles", "check", "--profiles", dir.file("profiles")]) == 3)
    }

    /// A condition that matches nothing in the drop: a warning (exit 1), and nothing written.
    @Test func aConditionMatchingNothingIsAWarning() throws {
        let dir = try definitions(
            "preventing_offending.yaml", replacing: "where: { hate_crime: \"yes\" }",
            with: "where: { hate_crime: \"yes\", victim.age: { min: 119 } }")
        defer { dir.remove() }
        let before = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath).sorted()
        #expect(try runProfiler(["profiles", "check", "--profiles", dir.file("profiles")]) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath).sorted() == before)
    }
}
