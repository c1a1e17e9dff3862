import Foundation
import TestSupport
import Testing

@testable import Definitions

@Suite("Source definitions")
struct SourceDefinitionTests {
    @Test func bundledDefinitionsLoad() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        #expect(catalogue.sources.count == 14)
        let crimes = try #require(catalogue.source("police_crimes"))
        #expect(crimes.agency == "police")
        #expect(crimes.people.map(\.name) == ["victim", "suspect"])
        #expect(crimes.fields.first { $0.name == "date" }?.dateFormat?.text == "dd/MM/yyyy HH:mm")
        #expect(crimes.codeList(named: "offence_group")?.label(for: "8N") == "Violence with injury")
        // Shared code lists from profiles/codes are available to every source.
        #expect(crimes.codeList(named: "ethnicity_police")?.label(for: "A1") == "Asian")
        let admissions = try #require(catalogue.source("hospital_admissions"))
        let alcohol = try #require(admissions.codeList(named: "alcohol_specific"))
        #expect(alcohol.label(for: "K703") == "Alcohol-specific")  // prefix entry K70*
        #expect(alcohol.label(for: "G312") == "Alcohol-specific")
        #expect(alcohol.label(for: "J181") == nil)
        #expect(alcohol.unknown == .label("Not alcohol-specific"))
    }

    /// Each bundled source names its identity columns, so ingest can pseudonymise every person, and
    /// dates its events by a required date: but for the SSDA903 header, whose rows are children
    /// (the episodes take it in by their join), and a source that reads another's file again by a
    /// date that may be blank (the day an episode of care ended).
    @Test func everyPersonHasAnIdentity() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        for source in catalogue.sources {
            #expect(!source.people.isEmpty, "\(source.id) names no person")
            let date = source.fields.first { $0.name == "date" }
            if source.id == "ssda903_header" {
                #expect(date == nil && catalogue.sources.contains { $0.join?.file == source.file })
                continue
            }
            #expect(date?.type == .date && (date?.required == true || source.rereads != nil), "\(source.id) has no required date")
        }
    }

    private static let valid = """
        source: demo
        agency: police
        file: demo
        date_format: dd/MM/yyyy
        fields:
          date: { column: When, type: date, required: true }
          kind: { column: Kind, type: code, codes: kinds }
        people:
          victim:
            nhs_number: NHS
        codes:
          kinds:
            map:
              A: Alpha
        """

    @Test func anUnknownLabelIsWrittenAsOne() throws {
        let text = Self.valid.replacingOccurrences(of: "kinds:\n    map:", with: "kinds:\n    unknown: {label: Other}\n    map:")
        let source = try SourceDefinition.parse(text, file: "demo.yaml")
        #expect(source.codeList(named: "kinds")?.unknown == .label("Other"))
        #expect(source.acceptedValues(of: "kind") == ["Alpha", "Other"])
    }

    @Test func aValidDefinitionParses() throws {
        let s = try SourceDefinition.parse(Self.valid, file: "demo.yaml")
        #expect(s.fields.map(\.name) == ["date", "kind"])
        #expect(s.columnReferences.map(\.column) == ["When", "Kind", "NHS"])
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        let name: String
        let replace: String
        let with: String
        let line: Int
        let key: String
        let message: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(
            name: "unknown top-level key", replace: "file: demo", with: "file: demo\nfiel: x", line: 4, key: "fiel", message: "unknown key"),
        BadCase(
            name: "unknown field key", replace: "type: date, required", with: "type: date, requird", line: 6, key: "fields.date.requird",
            message: "unknown key"),
        BadCase(
            name: "unknown type", replace: "type: code, codes", with: "type: cod, codes", line: 7, key: "fields.kind.type",
            message: "unknown type 'cod'"),
        BadCase(
            name: "unknown code list", replace: "codes: kinds }", with: "codes: kind }", line: 7, key: "fields.kind.codes",
            message: "unknown code list 'kind'"),
        BadCase(
            name: "bad date format", replace: "date_format: dd/MM/yyyy", with: "date_format: dd/QQ/yyyy", line: 4, key: "date_format",
            message: "'QQ' is not a date token"),
        BadCase(
            name: "missing required key", replace: "agency: police\n", with: "", line: 1, key: "agency", message: "missing required key"),
        BadCase(
            name: "unknown agency", replace: "agency: police", with: "agency: polise", line: 2, key: "agency", message: "unknown agency"),
        BadCase(
            name: "person without identity", replace: "nhs_number: NHS", with: "surname: Name", line: 9, key: "people.victim",
            message: "a person needs"),
        BadCase(
            name: "YAML syntax error", replace: "kinds:\n    map:", with: "kinds:\n    map: [", line: 15, key: "",
            message: "YAML syntax error"),
        BadCase(
            name: "codes on a date field", replace: "type: date, required: true", with: "type: date, codes: kinds", line: 6,
            key: "fields.date.codes", message: "only to fields of type code"),
        // The reserved words of unknown: are exact, and a label is written as one (issue 17).
        BadCase(
            name: "unknown word in capitals", replace: "kinds:\n    map:", with: "kinds:\n    unknown: Reject\n    map:", line: 13,
            key: "codes.kinds.unknown", message: "unknown: is reject, keep or {label: ...}, not 'Reject'; did you mean 'reject'?"),
        BadCase(
            name: "unknown label not written as one", replace: "kinds:\n    map:", with: "kinds:\n    unknown: Other\n    map:", line: 13,
            key: "codes.kinds.unknown", message: "for a label write unknown: {label: Other}"),
        BadCase(
            name: "unknown label empty", replace: "kinds:\n    map:", with: "kinds:\n    unknown: {label: \"\"}\n    map:", line: 13,
            key: "codes.kinds.unknown", message: "unknown: {label: ...} needs a label"),
        BadCase(
            name: "path in file name", replace: "file: demo", with: "file: ../demo.csv", line: 3, key: "file",
            message: "without folder or extension"),
    ]

    @Test(arguments: badCases)
    func badDefinitionsNameLineAndKey(_ c: BadCase) throws {
        let text = Self.valid.replacingOccurrences(of: c.replace, with: c.with)
        #expect(text != Self.valid, "the case must change the text")
        #expect {
            _ = try SourceDefinition.parse(text, file: "profiles/sources/demo.yaml")
        } throws: { error in
            guard let errors = error as? DefinitionErrors, let first = errors.errors.first else { return false }
            #expect(first.file == "profiles/sources/demo.yaml")
            #expect(first.line == c.line, "line of \(c.name): \(first)")
            #expect(first.key == c.key, "key of \(c.name): \(first)")
            #expect(first.message.contains(c.message), "message of \(c.name): \(first)")
            return true
        }
    }

    @Test func allMistakesOfAFileAreReportedTogether() throws {
        let text = Self.valid
            .replacingOccurrences(of: "type: code, codes", with: "type: cod, codes")
            .replacingOccurrences(of: "file: demo", with: "file: demo\nfiel: x")
        #expect {
            _ = try SourceDefinition.parse(text, file: "demo.yaml")
        } throws: { ($0 as? DefinitionErrors)?.errors.count == 2 }
    }

    @Test func catalogueRejectsTwoFilesReadingTheSameDrop() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("sources"), withIntermediateDirectories: true)
        try dir.write("sources/a.yaml", Self.valid)
        try dir.write("sources/b.yaml", Self.valid.replacingOccurrences(of: "source: demo", with: "source: demo_two"))
        #expect {
            _ = try SourceCatalogue.load(profiles: dir.path)
        } throws: { error in
            let e = (error as? DefinitionErrors)?.errors.first
            return e?.key == "file" && e?.file.hasSuffix("b.yaml") == true && e?.message.contains("also read by") == true
        }
    }

    @Test(arguments: ["dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss", "dd-MMM-yy", "yyyyMMdd", "yyyy-MM-dd'T'HH:mm"])
    func datePatternsParse(_ text: String) throws {
        #expect(try DatePattern(text).text == text)
    }

    @Test(arguments: ["dd/MM", "yyyy-MM-dd HH:mm:ss.SSS", "dd/MM/yyyy 'T", "yyyy"])
    func badDatePatternsAreRejected(_ text: String) {
        #expect(throws: DatePattern.PatternError.self) { try DatePattern(text) }
    }
}
