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

    /// `profiles explain` says which test each figure uses: the change of a share and of a count
    /// since last year, and the comparison of each ward with the whole area.
    @Test func explainNamesEachFiguresTest() throws {
        let run = try ProcessRun.profiler(["profiles", "explain", "drug_and_alcohol"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func after(_ prefix: String) -> String? { lines.firstIndex { $0.hasPrefix(prefix) }.map { lines[$0 + 1] } }
        #expect(
            after("successful_completions (up is good)")?.hasPrefix("change tested by: difference of the two years' proportions") == true)
        #expect(after("alcohol_specific_admissions (down is good)")?.contains("Exact conditional test on the binomial split") == true)
        #expect(after("[where] admissions_by_ward:")?.hasPrefix("compared: each area's rate against the whole area's") == true)
        #expect(after("[what] treatment_by_substance:")?.hasPrefix("compared:") == false)
        #expect(lines.contains { $0.hasPrefix("compared: ") && $0.contains("allowing for age: ") && $0.contains("calculate_ISRatio") })
        // A table with a mean names its interval's method; one without says nothing of means.
        let selfNeglect = try ProcessRun.profiler(["profiles", "explain", "self_neglect"])
        let blocks = selfNeglect.stdout.components(separatedBy: "\n[")
        let days = try #require(blocks.first { $0.hasPrefix("what] days_to_enquiry:") })
        #expect(days.contains("averaged: the mean of the rows with a value") && days.contains("Student's t"))
        #expect(blocks.filter { $0.contains("averaged:") }.count == 1)
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
