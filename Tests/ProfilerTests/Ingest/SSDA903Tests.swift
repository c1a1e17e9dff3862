import Columnar
import Definitions
import Foundation
import Ingest
import TestSupport
import Testing

/// The councils' SSDA903 return read by the bundled definitions: the fake files of
/// `Fixtures/ssda903` as a drop's `ssda903_header.csv` and `ssda903_episodes.csv`.
@Suite("Ingest: the SSDA903 return")
struct SSDA903Tests {
    static let key = "a-test-key-that-is-long-enough-0123456789"

    /// A drop holding the fixture files under the names the sources read, as given (nil: left out).
    static func drop(header: String?, episodes: String?) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("ssda903")
        if let header { _ = try dir.write("ssda903_header.csv", header) }
        if let episodes { _ = try dir.write("ssda903_episodes.csv", episodes) }
        return dir
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: TestPaths.ssda903 + "/" + name, encoding: .utf8)
    }

    /// Ingests `drop` with the definitions under `profiles` (the bundled ones by default).
    static func ingest(_ drop: String, profiles: String = TestPaths.profiles) throws -> IngestedDrop {
        let catalogue = try SourceCatalogue.load(profiles: profiles)
        let reference = try ReferenceData.load(drop: drop, defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
        let key = try LinkageKey.resolve(
            keyFile: nil, environment: [LinkageKey.environmentVariable: Self.key], isDemoDrop: false)
        return DropIngestor.ingest(drop: drop, catalogue: catalogue, reference: reference, key: key, options: IngestOptions(threads: 2))
    }

    static func report(_ drop: IngestedDrop, _ source: String) throws -> FileReport {
        try #require(drop.reports.first { $0.source == source }, "no report for \(source)")
    }

    /// `file:line:column` of a source definition's `join:` mapping, found in its text.
    static func joinPlace(_ source: String = "ssda903_episodes") throws -> String {
        let path = TestPaths.profiles + "/sources/\(source).yaml"
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.hasPrefix("join:") }) + 1
        let column = try #require(lines[line - 1].firstIndex(of: "{")).utf16Offset(in: lines[line - 1]) + 1
        return "\(path):\(line):\(column)"
    }

    @Test func theSharedFilesLoadWithZeroRejects() throws {
        let dir = try Self.drop(header: try Self.fixture("header.csv"), episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let drop = try Self.ingest(dir.path)
        for (source, rows) in [("ssda903_header", 2675), ("ssda903_episodes", 5050), ("ssda903_leaving_care", 5050)] {
            let r = try Self.report(drop, source)
            #expect(r.fatalError == nil, "\(source): \(r.fatalError ?? "")")
            #expect(r.rowsRead == rows && r.accepted == rows && r.rejected == 0, "\(source): \(r.rowsRead) \(r.accepted) \(r.rejected)")
            #expect(r.unknownCodes.isEmpty, "\(source): \(r.unknownCodes.map(\.value))")
            #expect(try #require(drop.tables[source]).rowCount == rows)
        }
        // The three sources name the same children (2,123 of the header's have episodes): their ids
        // come from one system.
        var children: [String: Set<UInt32>] = [:]
        for source in ["ssda903_header", "ssda903_episodes", "ssda903_leaving_care"] {
            guard case .person(let ids)? = drop.tables[source]?["child"] else { Issue.record("\(source) has no child"); continue }
            children[source] = Set(ids.ids)
        }
        #expect(children["ssda903_header"]?.count == 2675 && !(children["ssda903_header"]?.contains(0) ?? true))
        let withEpisodes = Set(try CSVTable(path: TestPaths.ssda903 + "/episodes.csv").values("CHILD")).count
        #expect(children["ssda903_episodes"]?.count == withEpisodes && children["ssda903_leaving_care"] == children["ssda903_episodes"])
        #expect(children["ssda903_episodes"]?.isSubset(of: children["ssda903_header"] ?? []) == true)
    }

    /// Every value of every code column of the files is a code of the column's list (or a blank
    /// the list gives a label): none is left to the list's `unknown:`.
    @Test func everyCodeIsInItsCodeList() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        for (source, file, columns) in [
            ("ssda903_header", "header.csv", ["SEX", "ETHNIC"]),
            ("ssda903_episodes", "episodes.csv", ["RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE"]),
        ] {
            let definition = try #require(catalogue.source(source))
            let raw = try CSVTable(path: TestPaths.ssda903 + "/" + file)
            let fields = definition.fields + definition.people.flatMap(\.fields)
            for column in columns {
                let field = try #require(fields.first { $0.column == column }, "\(source) reads \(column)")
                let list = try #require(field.codeList.flatMap(definition.codeList(named:)), "\(column) has a code list")
                let codes = Set(list.entries.map(\.code))
                let outside = Set(raw.values(column).filter { !codes.contains($0) })
                #expect(outside.isEmpty, "\(source).\(column): \(outside.sorted()) not in \(list.name)")
            }
        }
    }

    /// The episodes take the child's date of birth and sex from the header by CHILD: each row's
    /// age at the episode's start is the plain difference of the two dates.
    @Test func theJoinBringsTheHeadersDateOfBirthAndSex() throws {
        let dir = try Self.drop(header: try Self.fixture("header.csv"), episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let drop = try Self.ingest(dir.path)
        let header = try CSVTable(path: TestPaths.ssda903 + "/header.csv")
        let episodes = try CSVTable(path: TestPaths.ssda903 + "/episodes.csv")
        var birth: [String: String] = [:], sex: [String: String] = [:]
        for row in header.rows {
            birth[row[header.column("CHILD")]] = row[header.column("DOB")]
            sex[row[header.column("CHILD")]] = row[header.column("SEX")] == "1" ? "Male" : "Female"
        }
        let table = try #require(drop.tables["ssda903_episodes"])
        guard case .integer(let ages)? = table["child.age_at_event"], case .code(let sexes)? = table["child.sex"] else {
            Issue.record("no child.age_at_event or child.sex")
            return
        }
        for (i, row) in episodes.rows.enumerated() {
            let child = row[episodes.column("CHILD")]
            let dob = try #require(birth[child])
            #expect(ages.values[i] == Int64(Self.age(dob, on: row[episodes.column("DECOM")])), "line \(i + 2)")
            #expect(sexes.value(i) == sex[child], "line \(i + 2)")
        }
    }

    /// Whole years from `dob` to `day`, both dd/mm/yyyy.
    static func age(_ dob: String, on day: String) -> Int {
        let b = dob.split(separator: "/").map { Int($0)! }, d = day.split(separator: "/").map { Int($0)! }
        return d[2] - b[2] - ((d[1], d[0]) < (b[1], b[0]) ? 1 : 0)
    }

    @Test func aJoinToAMissingFileRefusesTheFileAndSaysWhere() throws {
        let dir = try Self.drop(header: nil, episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let drop = try Self.ingest(dir.path)
        for source in ["ssda903_episodes", "ssda903_leaving_care"] {
            let r = try Self.report(drop, source)
            #expect(r.fatalError == "the drop has no file 'ssda903_header.csv' (or .csv.gz) for the join at \(try Self.joinPlace(source))")
            #expect(r.status == .failed && r.accepted == 0)
        }
        #expect(drop.status == .failed)
    }

    @Test func aJoinedColumnMissingFromTheOtherFileIsNamed() throws {
        let text = try Self.fixture("header.csv").replacingOccurrences(of: "ETHNIC", with: "ETHNICITY")
        let dir = try Self.drop(header: text, episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let r = try Self.report(try Self.ingest(dir.path), "ssda903_episodes")
        #expect(r.fatalError == "ssda903_header.csv lacks column(s) 'ETHNIC' named by the join at \(try Self.joinPlace())")
    }

    /// A child twice in the header: which date of birth to take is not known, so the episodes are
    /// refused, naming the two lines (never the id).
    @Test func aRepeatedKeyInTheOtherFileIsReportedWithItsLines() throws {
        let header = try Self.fixture("header.csv")
        let second = header.components(separatedBy: "\n")[1]
        let dir = try Self.drop(header: header + second + "\n", episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let r = try Self.report(try Self.ingest(dir.path), "ssda903_episodes")
        #expect(
            r.fatalError
                == "ssda903_header.csv line 2677 repeats the CHILD of line 2: the join at \(try Self.joinPlace()) needs one row per key")
        #expect(!(r.fatalError ?? "").contains(second.components(separatedBy: ",")[0]))
    }

    @Test func anEpisodeOfAChildNotInTheHeaderIsRejectedAtItsLine() throws {
        let episodes = try Self.fixture("episodes.csv") + "999999999,01/05/2017,S,C2,N1,U6,PR1,,,,,,\n"
        let dir = try Self.drop(header: try Self.fixture("header.csv"), episodes: episodes)
        defer { dir.remove() }
        let r = try Self.report(try Self.ingest(dir.path), "ssda903_episodes")
        #expect(r.rowsRead == 5051 && r.accepted == 5050 && r.rejected == 1)
        #expect(r.rejects["unmatched-join-key"]?.count == 1 && r.rejects["unmatched-join-key"]?.firstPlaces == ["5052:1"])
    }

    /// A misspelt column in a definition: the file is refused, naming the column and the line of
    /// the definition that reads it.
    @Test func aMisspeltCodeColumnIsNamedWithItsDefinitionLine() throws {
        let dir = try Self.drop(header: try Self.fixture("header.csv"), episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let profiles = try TemporaryDirectory("ssda903-profiles")
        defer { profiles.remove() }
        try FileManager.default.removeItem(atPath: profiles.path)
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: profiles.path)
        let path = profiles.file("sources/ssda903_episodes.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "column: CIN,", with: "column: CINN,").write(toFile: path, atomically: true, encoding: .utf8)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains("column: CIN,") }) + 1
        let r = try Self.report(try Self.ingest(dir.path, profiles: profiles.path), "ssda903_episodes")
        #expect(r.fatalError == "the header lacks column(s) 'CINN' named by \(path) at line(s) \(line)")
    }

    /// An optional field whose column a file lacks is blank in every row, beside the joined columns.
    @Test func anOptionalColumnAbsentBesideAJoinIsBlank() throws {
        let dir = try Self.drop(header: try Self.fixture("header.csv"), episodes: try Self.fixture("episodes.csv"))
        defer { dir.remove() }
        let profiles = try TemporaryDirectory("ssda903-optional")
        defer { profiles.remove() }
        try FileManager.default.removeItem(atPath: profiles.path)
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: profiles.path)
        let path = profiles.file("sources/ssda903_episodes.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(
            of: "fields:\n  date:", with: "fields:\n  care_plan: { column: CARE_PLAN, type: text, optional: true }\n  date:"
        ).write(toFile: path, atomically: true, encoding: .utf8)
        let drop = try Self.ingest(dir.path, profiles: profiles.path)
        let r = try Self.report(drop, "ssda903_episodes")
        #expect(r.fatalError == nil && r.accepted == 5050 && r.absentColumns == ["CARE_PLAN"])
        guard case .code(let plan)? = drop.tables["ssda903_episodes"]?["care_plan"],
            case .integer(let ages)? = drop.tables["ssda903_episodes"]?["child.age_at_event"]
        else {
            Issue.record("no care_plan or age column")
            return
        }
        #expect((0..<5050).allSatisfy { plan.value($0) == nil } && !ages.values.contains(IntegerColumn.null))
    }
}
