import Foundation
import TestSupport
import Testing

@testable import Definitions

/// `scripts/check-schemas` (run by CI) passes on the shipped definitions, and prints file, line, key
/// and message for each mistake of a definition that does not fit the JSON Schema of its kind
/// (`profiles/schemas`) or does not name it on its first line. The schemas name the keys and
/// values the loader accepts.
@Suite("Definitions: JSON Schemas")
struct SchemaTests {
    /// A mistake made in a copy of the shipped definitions, and what the script prints for it.
    struct Mistake: Sendable, CustomTestStringConvertible {
        let file: String
        let old: String
        let new: String
        /// Text of the line the mistakes are at, in the edited file (nil: the first line).
        let at: String?
        /// The printed lines without `FILE:LINE: `.
        let expected: [String]
        var testDescription: String { "\(file): \(expected[0])" }
    }

    static let mistakes: [Mistake] = [
        Mistake(
            file: "priorities/neglect.yaml", old: "  - id: co_occurring_factors\n    section: what\n",
            new: "  - id: co_occurring_factors\n    colour: red\n    section: what\n", at: "    colour: red",
            expected: [
                "tables[0].colour: unknown key (expected one of: ages, by, description, events, id, measures, section, then, then_ages, title)"
            ]),
        Mistake(
            file: "public/policeuk_street.yaml", old: "agency: police\n", new: "agency: polise\n", at: "agency: polise",
            expected: ["agency: unknown value 'polise' (expected one of: police, health, council, probation, fire, other)"]),
        Mistake(
            file: "groups/executive.yaml", old: "group: executive\n", new: "", at: "title: Executive group",
            expected: ["group: missing required key"]),
        Mistake(
            file: "groups/childrens.yaml", old: "# yaml-language-server: $schema=../schemas/group.schema.json\n", new: "", at: nil,
            expected: ["the first line must name the file's schema: # yaml-language-server: $schema=../schemas/group.schema.json"]),
        Mistake(
            file: "codes/ethnicity.yaml", old: "(18+1 codes)\n    unknown: {label: Not stated}", new: "(18+1 codes)\n    unknown: Reject",
            at: "unknown: Reject",
            expected: ["codes.ethnicity_police.unknown: expected reject, keep or {label: ...} (a label is written as one)"]),
        Mistake(
            file: "codes/bands.yaml", old: "\"0-4\": [0, 4]", new: "\"0-4\": [4, x, 0]", at: "\"0-4\": [4, x, 0]",
            expected: [
                "bands.age.0-4: a band is [first, last], whole numbers with first <= last", "bands.age.0-4[1]: expected a whole number",
            ]),
    ]

    /// Runs the script on a definitions folder (the project's own when nil).
    private func check(_ folder: String? = nil) throws -> ProcessRun {
        try ProcessRun.tool("/usr/bin/env", ["python3", TestPaths.root + "/scripts/check-schemas"] + (folder.map { [$0] } ?? []))
    }

    @Test func theShippedDefinitionsFitTheirSchemas() throws {
        let run = try check()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("check-schemas: ") && run.stdout.hasSuffix(" files valid against 9 schemas\n"), "\(run.stdout)")
    }

    @Test(arguments: SchemaTests.mistakes)
    func aMistakeIsPrintedWithFileLineAndKey(_ mistake: Mistake) throws {
        let dir = try TemporaryDirectory("schemas")
        defer { dir.remove() }
        let (folder, changed) = try editedDefinitions(in: dir, file: mistake.file, replacing: mistake.old, with: mistake.new)
        var line = 1
        if let at = mistake.at {
            line = try #require(changed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(at) }) + 1
        }
        let run = try check(folder)
        let printed = run.stdout.split(separator: "\n").map(String.init)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(Array(printed.dropLast()) == mistake.expected.map { "\(folder)/\(mistake.file):\(line): \($0)" }, "\(run.stdout)")
        let count = mistake.expected.count
        #expect(printed.last?.hasPrefix("check-schemas: \(count) mistake\(count == 1 ? "" : "s") in ") == true, "\(run.stdout)")
    }

    /// The schemas' keys and enumerations are the loader's: a key the loader gains is a key of the
    /// schema too (and the other way round).
    @Test func theSchemasNameWhatTheLoaderAccepts() throws {
        let source = try schema("source"), profile = try schema("profile")
        let benchmark = try schema("benchmark"), group = try schema("group")
        #expect(keys(source, "properties") == SourceDefinition.topKeys)
        #expect(keys(source, "$defs", "field", "properties") == SourceDefinition.fieldKeys)
        #expect(keys(source, "$defs", "person", "properties") == SourceDefinition.personKeys)
        #expect(Set(words(source, "properties", "agency", "enum")) == SourceDefinition.agencies)
        #expect(words(source, "$defs", "field", "properties", "type", "enum") == FieldType.allCases.map(\.rawValue))
        #expect(keys(profile, "properties") == ProfileDefinition.topKeys)
        #expect(keys(profile, "$defs", "eventSet", "properties") == ProfileDefinition.eventKeys)
        #expect(keys(profile, "$defs", "table", "properties") == ProfileDefinition.tableKeys)
        #expect(keys(profile, "$defs", "success", "properties") == ProfileDefinition.successKeys)
        #expect(words(profile, "$defs", "table", "properties", "section", "enum") == TableDefinition.Section.allCases.map(\.rawValue))
        #expect(keys(benchmark, "properties") == BenchmarkDefinition.topKeys)
        let comparison = ["$defs", "comparison", "properties"]
        #expect(keys(benchmark, comparison) == BenchmarkDefinition.comparisonKeys)
        #expect(words(benchmark, comparison + ["count", "enum"]) == BenchmarkDefinition.Count.allCases.map(\.rawValue))
        #expect(words(benchmark, comparison + ["per", "enum"]) == BenchmarkDefinition.Denominator.allCases.map(\.rawValue))
        #expect(words(benchmark, comparison + ["polarity", "enum"]) == BenchmarkDefinition.Polarity.allCases.map(\.rawValue))
        #expect(keys(group, "properties") == GroupDefinition.keys)
        #expect(words(group, "properties", "audience", "enum") == GroupDefinition.Audience.allCases.map(\.rawValue))
    }

    private func schema(_ kind: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.profiles + "/schemas/\(kind).schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func value(_ schema: [String: Any], _ path: [String]) -> Any? {
        path.reduce(schema as Any?) { node, key in (node as? [String: Any])?[key] }
    }

    private func keys(_ schema: [String: Any], _ path: String...) -> Set<String> { keys(schema, path) }

    private func keys(_ schema: [String: Any], _ path: [String]) -> Set<String> {
        Set((value(schema, path) as? [String: Any])?.keys.map { $0 } ?? [])
    }

    private func words(_ schema: [String: Any], _ path: String...) -> [String] { words(schema, path) }

    private func words(_ schema: [String: Any], _ path: [String]) -> [String] { value(schema, path) as? [String] ?? [] }
}
