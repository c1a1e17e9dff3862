import Foundation
import TestSupport
import Testing

@testable import Definitions

/// `join:` (columns of another file of the drop by a key), a local id's `system:` and `rereads:`,
/// as the loader reads and checks them: every mistake at its line and key.
@Suite("Source definitions: joins, id systems, files read again")
struct JoinDefinitionTests {
    static let valid = """
        source: episodes
        agency: council
        file: episodes
        date_format: dd/MM/yyyy
        join: { file: header, on: CHILD, columns: [DOB, SEX] }
        fields:
          date: { column: DECOM, type: date, required: true }
        people:
          child:
            local_id: { column: CHILD, system: childrens_social_care }
            date_of_birth: DOB
            fields:
              sex: { column: SEX, type: code }
        """

    @Test func aJoinAndAnIdSystemParse() throws {
        let s = try SourceDefinition.parse(Self.valid, file: "episodes.yaml")
        let join = try #require(s.join)
        #expect(join.file == "header" && join.key == "CHILD" && join.otherKey == "CHILD" && join.columns == ["DOB", "SEX"])
        #expect(join.location.line == 5 && join.location.key == "join")
        #expect(s.people.first?.identity.first { $0.kind == .localID }?.system == "childrens_social_care")
        // The key column is read from the source's own file.
        #expect(s.columnReferences.map(\.column).contains("CHILD"))
        let other = try SourceDefinition.parse(
            Self.valid.replacingOccurrences(of: "on: CHILD,", with: "on: CHILD, other_key: ChildID,"), file: "episodes.yaml")
        #expect(other.join?.otherKey == "ChildID" && other.join?.key == "CHILD")
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let replace: String
        let with: String
        let key: String
        let message: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(
            name: "no key column", replace: "on: CHILD, ", with: "", key: "join.on", message: "missing required key"),
        Bad(
            name: "no columns", replace: ", columns: [DOB, SEX]", with: "", key: "join.columns", message: "missing required key"),
        Bad(
            name: "a file with its extension", replace: "file: header,", with: "file: header.csv,", key: "join.file",
            message: "give the other file's name without folder, extension or '*' ('ssda903_header' for ssda903_header.csv)"),
        Bad(
            name: "a file in a folder", replace: "file: header,", with: "file: ../header,", key: "join.file",
            message: "give the other file's name without folder, extension or '*' ('ssda903_header' for ssda903_header.csv)"),
        Bad(
            name: "a column named twice", replace: "[DOB, SEX]", with: "[DOB, SEX, DOB]", key: "join.columns",
            message: "column 'DOB' is named twice"),
        Bad(
            name: "the key brought in", replace: "[DOB, SEX]", with: "[DOB, CHILD]", key: "join.columns",
            message: "the key column is matched on, not brought in"),
        Bad(
            name: "a misspelt key", replace: "on: CHILD", with: "no: CHILD", key: "join.no",
            message: "unknown key (expected one of: columns, file, on, other_key)"),
        Bad(
            name: "a system on a date of birth", replace: "date_of_birth: DOB",
            with: "date_of_birth: { column: DOB, system: x }", key: "people.child.date_of_birth.system",
            message: "unknown key (expected one of: column, format)"),
    ]

    @Test(arguments: bad)
    func aMistakeIsReportedAtItsLineAndKey(_ c: Bad) throws {
        #expect(Self.valid.components(separatedBy: c.replace).count == 2, "\(c.replace) found once")
        let text = Self.valid.replacingOccurrences(of: c.replace, with: c.with)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains(c.with.isEmpty ? "join:" : c.with) }) + 1
        do {
            _ = try SourceDefinition.parse(text, file: "episodes.yaml")
            Issue.record("\(c.name): loaded without an error")
        } catch {
            let match = error.errors.first { $0.key == c.key }
            #expect(match?.message == c.message, "\(error.errors)")
            #expect(match?.line == line && match?.file == "episodes.yaml", "\(error.errors)")
        }
    }

    /// Two sources may read one file only when one says it `rereads` the other; a `rereads` must
    /// name a source that reads the same file.
    @Test func aFileIsReadByTwoSourcesOnlyWhenOneRereadsTheOther() throws {
        let dir = try TemporaryDirectory("rereads")
        defer { dir.remove() }
        let ended = Self.valid.replacingOccurrences(of: "source: episodes", with: "source: ended")
        _ = try dir.write("a.yaml", Self.valid)
        _ = try dir.write("b.yaml", ended)
        #expect(throws: DefinitionErrors.self) { _ = try SourceCatalogue.load(directory: dir.path) }
        do {
            _ = try SourceCatalogue.load(directory: dir.path)
        } catch {
            #expect(error.errors.map(\.message) == ["file 'episodes' is also read by \(dir.path)/a.yaml"])
        }
        _ = try dir.write("b.yaml", ended.replacingOccurrences(of: "file: episodes", with: "file: episodes\nrereads: episodes"))
        let catalogue = try SourceCatalogue.load(directory: dir.path)
        #expect(catalogue.source("ended")?.rereads == "episodes" && catalogue.sources.count == 2)
        _ = try dir.write("b.yaml", ended.replacingOccurrences(of: "file: episodes", with: "file: other\nrereads: episodes"))
        do {
            _ = try SourceCatalogue.load(directory: dir.path)
            Issue.record("a rereads of a source reading another file loaded")
        } catch {
            #expect(error.errors.map(\.message) == ["rereads 'episodes': no source of that id reads file 'other'"])
            #expect(error.errors.first?.key == "rereads")
        }
    }
}
