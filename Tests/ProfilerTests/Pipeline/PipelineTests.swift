import Foundation
import Logging
import Pipeline
import TestSupport
import Testing

/// The build as a library: a request run from definitions to published outputs, without the
/// command line.
@Suite("Pipeline: a build from a request")
struct PipelineTests {
    static let layout = ProjectLayout(root: TestPaths.root)
    static let log = Logger(label: "pipeline-tests") { _ in SwiftLogNoOpLogHandler() }

    /// The bundled drop's analyst tables: every table the summary counts is a CSV file under
    /// `tables/<profile>/`, beside the quality report and the manifest.
    @Test func theBundledDropsTablesAreBuilt() throws {
        let dir = try TemporaryDirectory("pipeline")
        defer { dir.remove() }
        var request = BuildRequest()
        request.out = dir.file("out")
        request.tablesOnly = true
        var printed: [String] = []
        let result = try BuildPipeline.run(request, layout: Self.layout, log: Self.log) { printed.append($0) }
        #expect(!result.warnings)
        #expect(printed == [result.summary])
        let tables = try #require(result.summary.firstMatch(of: /built 7 profiles \((\d+) tables\)/)).1
        let files = try FileManager.default.subpathsOfDirectory(atPath: request.out + "/tables").filter { $0.hasSuffix(".csv") }
        #expect(files.count == Int(tables)!)
        #expect(Set(files.map { $0.split(separator: "/")[0] }).count == 7)
        for file in ["quality.json", "manifest.json"] { #expect(FileManager.default.fileExists(atPath: request.out + "/" + file)) }
        #expect(leftovers(beside: request.out).isEmpty)
    }

    /// A mistake in a definition stops the build before anything is read or written.
    @Test func aBadDefinitionStopsTheBuild() throws {
        let dir = try TemporaryDirectory("pipeline-bad")
        defer { dir.remove() }
        let edited = try editedDefinitions(
            in: dir, file: "priorities/neglect.yaml", replacing: "measures: [records", with: "measures: [recrods")
        var request = BuildRequest()
        request.out = dir.file("out")
        request.drop.profiles = edited.folder
        #expect(throws: PipelineFailure.configuration) {
            _ = try BuildPipeline.run(request, layout: Self.layout, log: Self.log) { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: request.out))
    }

    /// What the drop says about the definitions: a condition on a field without a code list that
    /// no row meets, and a table with nothing in the year, are warnings (exit 1) at their file,
    /// line and key, in the log and in quality.json; the build still publishes.
    @Test func aConditionThatMatchesNothingIsAWarning() throws {
        let dir = try TemporaryDirectory("pipeline-unmatched")
        defer { dir.remove() }
        let (folder, changed) = try editedDefinitions(
            in: dir, file: "priorities/preventing_offending.yaml",
            replacing: "  hate: { source: police_crimes, where: { hate_crime: \"yes\" }, person: victim }",
            with: "  hate: { source: police_crimes, where: { hate_crime: \"yes\", victim.age: { min: 119 } }, person: victim }")
        let line = try #require(changed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  hate:") }) + 1
        var request = BuildRequest()
        request.out = dir.file("out")
        request.tablesOnly = true
        request.drop.profiles = folder
        let result = try BuildPipeline.run(request, layout: Self.layout, log: Self.log) { _ in }
        #expect(result.warnings)
        let quality =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: request.out + "/quality.json"))) as? [String: Any]
        let warnings = try #require(quality?["definitionWarnings"] as? [[String: Any]])
        let messages = warnings.map { "\($0["line"] ?? ""): \($0["key"] ?? ""): \($0["message"] ?? "")" }
        #expect(
            messages.contains("\(line): events.hate.where.victim.age: condition victim.age >= 119 matched no row of police_crimes"),
            "\(messages)")
        // Every table of hate crime counts nothing in the year.
        #expect(messages.contains { $0.hasSuffix("table hate_strands counts nothing in 2025-26") }, "\(messages)")
        // The bundled definitions give none.
        request.drop.profiles = nil
        request.out = dir.file("clean")
        #expect(try !BuildPipeline.run(request, layout: Self.layout, log: Self.log) { _ in }.warnings)
        let clean =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: request.out + "/quality.json"))) as? [String: Any]
        #expect(clean?["definitionWarnings"] == nil)
    }
}
