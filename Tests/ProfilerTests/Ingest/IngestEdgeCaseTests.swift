import Columnar
import Definitions
import Foundation
import Reference
import TestSupport
import Testing

@testable import Ingest

/// Parser and row-account edge cases: each file gives exactly the rows, or the error, it should.
@Suite("Ingest: edge cases")
struct IngestEdgeCaseTests {
    static let definition = """
        source: t
        agency: other
        file: t
        date_format: dd/MM/yyyy
        encoding: ENCODING
        fields:
          id: { column: id, type: integer, required: true }
          when: { column: when, type: date }
          kind: { column: kind, type: code, codes: kinds }
          note: { column: note, type: text }
        codes:
          kinds:
            unknown: reject
            map: { A: Alpha, B: Beta }
        """

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var gzip = false
        var truncate = false
        var encoding = "utf-8"
        /// Notes of the accepted rows, in order.
        var notes: [String] = []
        /// Rejects as "kind@line:column".
        var rejects: [String] = []
        var fatal: String? = nil
        var testDescription: String { name }
    }

    /// Reads one file of one source, with no area geography and the demo drop's key.
    static func ingest(_ source: SourceDefinition, _ path: String) throws -> IngestedDrop {
        DropIngestor.ingest(
            [(source, [path])], reference: ReferenceData(geography: AreaGeography(lsoas: [])),
            key: try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true))
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }
    static let header = "id,when,kind,note\n"

    static let cases: [Case] = [
        Case(name: "quoted comma and doubled quotes", bytes: text(header + "1,01/02/2025,A,\"x, \"\"y\"\"\"\n"), notes: ["x, \"y\""]),
        Case(
            name: "newline inside quotes keeps later lines right", bytes: text(header + "1,,A,\"two\nlines\"\n2,31/02/2025,A,z\n"),
            notes: ["two\nlines"], rejects: ["cast@4:2"]),
        Case(name: "CRLF line ends", bytes: text("id,when,kind,note\r\n1,,A,a\r\n2,,B,b\r\n"), notes: ["a", "b"]),
        Case(name: "UTF-8 byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + text(header + "1,,A,a\n"), notes: ["a"]),
        Case(name: "no newline at the end", bytes: text(header + "1,,A,a\n2,,B,b"), notes: ["a", "b"]),
        Case(name: "gzip", bytes: text(header + "1,,A,a\n2,,B,b\n"), gzip: true, notes: ["a", "b"]),
        Case(
            name: "Windows-1252 bytes in a UTF-8 source", bytes: text(header + "1,,A,caf") + [0xE9] + text("\n2,,A,ok\n"),
            notes: ["ok"], rejects: ["invalid-encoding@2:4"]),
        Case(
            name: "Windows-1252 source", bytes: text(header + "1,,A,caf") + [0xE9, 0x20, 0x80] + text("\n"), encoding: "windows-1252",
            notes: ["café €"]),
        Case(name: "empty file", bytes: [], fatal: "empty"),
        Case(name: "header only", bytes: text(header)),
        Case(name: "duplicate header name that is read", bytes: text("id,when,kind,note,note\n1,,A,a,b\n"), fatal: "more than once"),
        Case(name: "duplicate header name that is not read", bytes: text("id,when,kind,note,x,x\n1,,A,a,,\n"), notes: ["a"]),
        Case(
            name: "truncated gzip", bytes: text(header + (1...3000).map { "\($0),01/01/2025,A,note \($0)\n" }.joined()),
            gzip: true, truncate: true, fatal: "corrupt-compression"),
        Case(
            name: "unterminated quote at the end", bytes: text(header + "1,,A,a\n2,,A,\"never closed\n3,,A,c\n"),
            notes: ["a"], rejects: ["unterminated-quote@3:0"]),
        Case(name: "too many fields", bytes: text(header + "1,,A,a,extra\n2,,A,b\n"), notes: ["b"], rejects: ["too-many-columns@2:5"]),
        Case(name: "too few fields", bytes: text(header + "1,,A\n2,,A,b\n"), notes: ["b"], rejects: ["missing-columns@2:4"]),
        Case(name: "impossible date", bytes: text(header + "1,31/02/2025,A,a\n2,29/02/2024,A,b\n"), notes: ["b"], rejects: ["cast@2:2"]),
        Case(name: "month 13", bytes: text(header + "1,01/13/2025,A,a\n"), rejects: ["cast@2:2"]),
        Case(name: "unknown code", bytes: text(header + "1,,Z,a\n2,,B,b\n"), notes: ["b"], rejects: ["unknown-code@2:3"]),
        Case(
            name: "missing required field", bytes: text(header + ",,A,a\n2,,A,b\n"), notes: ["b"], rejects: ["missing-required-field@2:1"]),
        Case(name: "not a number", bytes: text(header + "1a,,A,a\n"), rejects: ["cast@2:1"]),
        Case(name: "truncated UTF-8 sequence", bytes: text(header + "1,,A,") + [0xC3] + text("\n"), rejects: ["invalid-encoding@2:4"]),
    ]

    @Test(arguments: cases)
    func edgeCase(_ c: Case) throws {
        let dir = try TemporaryDirectory("edge")
        defer { dir.remove() }
        var path = try dir.write("t.csv", bytes: c.bytes)
        if c.gzip {
            try run("/usr/bin/env", ["gzip", "-n", path])
            path += ".gz"
            if c.truncate {
                let whole = Array(FileManager.default.contents(atPath: path)!)
                try Data(whole[0..<(whole.count / 2)]).write(to: URL(fileURLWithPath: path))
            }
        }
        let source = try SourceDefinition.parse(Self.definition.replacingOccurrences(of: "ENCODING", with: c.encoding), file: "t.yaml")
        let drop = try Self.ingest(source, path)
        let report = try #require(drop.reports.first)
        if let fatal = c.fatal {
            #expect(report.fatalError?.contains(fatal) == true, "fatal: \(report.fatalError ?? "none")")
            #expect(report.status == .failed)
            return
        }
        #expect(report.fatalError == nil, "\(report.fatalError ?? "")")
        #expect(report.rowsRead == report.accepted + report.rejected)
        #expect(report.accepted == c.notes.count)
        var places: [String] = []
        for (kind, s) in report.rejects { places += s.firstPlaces.map { "\(kind)@\($0)" } }
        #expect(places.sorted() == c.rejects.sorted())
        let table = try #require(drop.tables["t"])
        guard case .code(let notes)? = table["note"] else { Issue.record("no note column"); return }
        #expect((0..<table.rowCount).map { notes.value($0) ?? "" } == c.notes)
    }

    @Test func typedValuesAreParsedFromBytes() throws {
        let dir = try TemporaryDirectory("typed")
        defer { dir.remove() }
        let path = try dir.write("t.csv", Self.header + "7,05/04/2025,A,x\n-3,,B,\n")
        let source = try SourceDefinition.parse(Self.definition.replacingOccurrences(of: "ENCODING", with: "utf-8"), file: "t.yaml")
        let drop = try Self.ingest(source, path)
        let t = try #require(drop.tables["t"])
        guard case .integer(let ids)? = t["id"], case .day(let days)? = t["when"], case .code(let kinds)? = t["kind"],
            case .code(let notes)? = t["note"]
        else { Issue.record("wrong column types"); return }
        #expect(ids.values == [7, -3])
        #expect(days.days == [Int32(DateParser.dayNumber(year: 2025, month: 4, day: 5)), DayColumn.null])
        #expect(kinds.value(0) == "Alpha" && kinds.value(1) == "Beta")
        #expect(notes.value(1) == nil)
    }

    /// An optional field's column may be missing from a file (an extract from before it was
    /// added): the field is blank in every row and the report names the column; a column that is
    /// not optional is still fatal when missing, and a required field cannot be optional.
    @Test func anOptionalColumnMayBeAbsent() throws {
        let dir = try TemporaryDirectory("optional")
        defer { dir.remove() }
        let text = Self.definition.replacingOccurrences(of: "ENCODING", with: "utf-8")
            .replacingOccurrences(of: "note: { column: note, type: text }", with: "note: { column: note, type: text, optional: true }")
        let source = try SourceDefinition.parse(text, file: "t.yaml")
        let drop = try Self.ingest(source, try dir.write("t.csv", "id,when,kind\n7,05/04/2025,A\n8,,B\n"))
        #expect(drop.reports.first?.absentColumns == ["note"] && drop.reports.first?.accepted == 2)
        guard case .code(let notes)? = drop.tables["t"]?["note"] else { Issue.record("no note column"); return }
        #expect(notes.value(0) == nil && notes.value(1) == nil)
        // With the column there, it is read as ever.
        let full = try Self.ingest(source, try dir.write("u.csv", Self.header + "7,,A,x\n"))
        #expect(full.reports.first?.absentColumns == [] && full.reports.first?.accepted == 1)
        // Not optional: missing is fatal.
        let strict = try SourceDefinition.parse(Self.definition.replacingOccurrences(of: "ENCODING", with: "utf-8"), file: "t.yaml")
        let failed = try Self.ingest(strict, try dir.write("v.csv", "id,when,kind\n7,,A\n"))
        #expect(failed.reports.first?.fatalError?.hasPrefix("the header lacks column(s) 'note'") == true)
        #expect {
            _ = try SourceDefinition.parse(
                text.replacingOccurrences(of: "type: integer, required: true }", with: "type: integer, required: true, optional: true }"),
                file: "t.yaml")
        } throws: { error in
            let e = (error as? DefinitionErrors)?.errors.first
            return e?.key == "fields.id.optional" && e?.line == 7 && e?.message == "a required field's column cannot be optional"
        }
    }

    /// Flag fields read every one-byte value (through a table) and longer ones (through the
    /// vocabulary) alike: yes and no words in any case, blanks as no, a null marker as unknown, a
    /// blank in a required flag as missing, anything else refused as a cast.
    @Test func flagsReadEveryByteByTheirVocabulary() throws {
        let definition = """
            source: f
            agency: other
            file: f
            flags: { yes: [Y, "1", "T", Yes], no: [N, "0", "F", No] }
            fields:
              n: { column: n, type: integer, required: true }
              plain: { column: v, type: flag }
              marked: { column: v, type: flag, null_values: ["?", U, "n/k"] }
              needed: { column: v, type: flag, required: true, null_values: ["?"] }
            """
        let source = try SourceDefinition.parse(definition, file: "f.yaml")
        var values: [String] = (1...126).map { String(UnicodeScalar(UInt8($0))) }.filter {
            $0 != "," && $0 != "\"" && $0 != "\n" && $0 != "\r"
        }
        values += ["", " ", " y", "n ", "yes", "YES", "no", "nO", "n/k", "yy", "10", "true"]
        let dir = try TemporaryDirectory("flags")
        defer { dir.remove() }
        let csv = "n,v\n" + values.enumerated().map { "\($0.offset),\($0.element)\n" }.joined()
        let path = try dir.write("f.csv", csv)
        let drop = try Self.ingest(source, path)
        // What each value means, worked out from the vocabulary here rather than by the engine.
        let yes: Set = ["Y", "1", "T", "YES"], no: Set = ["N", "0", "F", "NO", ""]
        func meaning(_ v: String, nulls: Set<String>) -> UInt8? {
            let t = v.trimmingCharacters(in: .whitespaces)
            if nulls.contains(t) { return FlagColumn.null }
            if yes.contains(t.uppercased()) { return 1 }
            if no.contains(t.uppercased()) { return 0 }
            return nil
        }
        var expected: [[UInt8]] = [], kept: [Int] = [], refusedLines: [Int] = []
        for (i, v) in values.enumerated() {
            let row = [meaning(v, nulls: []), meaning(v, nulls: ["?", "U", "n/k"]), meaning(v, nulls: ["?"])]
            let t = v.trimmingCharacters(in: .whitespaces)
            if row.contains(nil) || t.isEmpty || t == "?" {
                refusedLines.append(i + 2)
            } else {
                expected.append(row.map { $0! })
                kept.append(i)
            }
        }
        let t = try #require(drop.tables["f"])
        guard case .integer(let n)? = t["n"], case .flag(let plain)? = t["plain"], case .flag(let marked)? = t["marked"],
            case .flag(let needed)? = t["needed"]
        else { Issue.record("wrong column types"); return }
        #expect(n.values == kept.map(Int64.init))
        #expect((0..<t.rowCount).map { [plain.values[$0], marked.values[$0], needed.values[$0]] } == expected)
        let report = try #require(drop.reports.first)
        #expect(report.rejected == refusedLines.count)
        // Refusals say why: a blank in the required flag is missing, the rest are not yes/no values.
        let blanks = values.filter { $0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        #expect(report.rejects["missing-required-field"]?.count == blanks && blanks == 4)
        #expect(report.rejects["cast"]?.count == refusedLines.count - blanks)
        #expect(refusedLines.count > 90 && kept.count > 10)
    }

    /// One-byte codes are remembered once read, but a code the list does not know is counted on
    /// every row it is met, blanks and null markers keep their meaning, and text keeps its values.
    @Test func oneByteCodesKeepCountsAndMeanings() throws {
        let definition = """
            source: c
            agency: other
            file: c
            fields:
              kept: { column: v, type: code, codes: kept, null_values: ["?"] }
              labelled: { column: v, type: code, codes: labelled }
              strict: { column: w, type: code, codes: strict }
              note: { column: v, type: text }
            codes:
              kept: { unknown: keep, map: { A: Alpha, "1": One } }
              labelled: { unknown: { label: Other }, map: { A: Alpha } }
              strict: { unknown: reject, map: { X: Ex } }
            """
        let source = try SourceDefinition.parse(definition, file: "c.yaml")
        let rows = [("A", "X"), ("B", "X"), ("1", "X"), ("B", "X"), ("?", "X"), ("A", "Y"), ("", "X"), ("B", "X"), ("A", "Y"), ("1", "X")]
        let dir = try TemporaryDirectory("codes")
        defer { dir.remove() }
        let path = try dir.write("c.csv", "v,w\n" + rows.map { "\($0.0),\($0.1)\n" }.joined())
        let drop = try Self.ingest(source, path)
        let t = try #require(drop.tables["c"])
        guard case .code(let kept)? = t["kept"], case .code(let labelled)? = t["labelled"], case .code(let note)? = t["note"] else {
            Issue.record("wrong column types"); return
        }
        let n = t.rowCount
        #expect((0..<n).map { kept.value($0) ?? "-" } == ["Alpha", "B", "One", "B", "-", "-", "B", "One"])
        #expect((0..<n).map { labelled.value($0) ?? "-" } == ["Alpha", "Other", "Other", "Other", "Other", "Other", "Other", "Other"])
        #expect((0..<n).map { note.value($0) ?? "-" } == ["A", "B", "1", "B", "?", "-", "B", "1"])
        let report = try #require(drop.reports.first)
        #expect(report.rejects["unknown-code"]?.firstPlaces == ["7:2", "10:2"])
        // Unknown codes of accepted and refused rows alike, one count per row met. A blank (or a
        // null marker) under a list that keeps unknown codes stays blank, not an unknown code; under
        // a list that labels them it is one (it gets the label).
        let unknown = Dictionary(uniqueKeysWithValues: report.unknownCodes.map { ("\($0.field)=\($0.value)", $0.count) })
        #expect(unknown == ["kept=B": 3, "labelled=B": 3, "labelled=1": 2, "labelled=?": 1, "labelled=": 1, "strict=Y": 2])
    }

    /// A byte that is not valid text in an identity column (read for the person key, never as a
    /// field) refuses the row at that column, without echoing the value; other rows are keyed.
    @Test func invalidBytesInAnIdentityColumnRefuseTheRow() throws {
        let definition = """
            source: p
            agency: other
            file: p
            date_format: dd/MM/yyyy
            fields:
              n: { column: n, type: integer, required: true }
            people:
              person:
                surname: surname
                forename: forename
                date_of_birth: dob
            """
        let source = try SourceDefinition.parse(definition, file: "p.yaml")
        let dir = try TemporaryDirectory("identity")
        defer { dir.remove() }
        let bytes =
            Array("n,surname,forename,dob\n1,Smith,Ann,01/02/1990\n2,Sm".utf8) + [0xFF]
            + Array("th,Bob,02/03/1991\n3,Jones,Cy,03/04/1992\n".utf8)
        let path = dir.path + "/p.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let drop = try Self.ingest(source, path)
        let report = try #require(drop.reports.first)
        #expect(report.rowsRead == 3 && report.accepted == 2)
        #expect(report.rejects["invalid-encoding"]?.firstPlaces == ["3:2"])
        let t = try #require(drop.tables["p"])
        guard case .integer(let n)? = t["n"], case .person(let people)? = t["person"] else { Issue.record("wrong column types"); return }
        #expect(n.values == [1, 3])
        #expect(people.ids.count == 2 && Set(people.ids).count == 2 && !people.ids.contains(0))
    }

    /// A text field of nearly all different values (a reference number) stops using the lookup
    /// cache after its first few thousand values; values read before and after, new or repeated,
    /// keep their text, and a field of few values keeps the cache.
    @Test func referenceNumbersReadTheSameWithOrWithoutTheCache() throws {
        let definition = """
            source: r
            agency: other
            file: r
            fields:
              ref: { column: ref, type: text }
              kind: { column: kind, type: code }
            """
        let source = try SourceDefinition.parse(definition, file: "r.yaml")
        // 9,000 references, each new, then the first 3,000 again; kinds repeat from a handful.
        let refs = (0..<9_000).map { "22/\(30_000 + $0)/18" } + (0..<3_000).map { "22/\(30_000 + $0)/18" }
        let kinds = refs.indices.map { "K\($0 % 7)" }
        let dir = try TemporaryDirectory("refs")
        defer { dir.remove() }
        let path = try dir.write("r.csv", "ref,kind\n" + zip(refs, kinds).map { "\($0),\($1)\n" }.joined())
        let drop = try Self.ingest(source, path)
        let t = try #require(drop.tables["r"])
        guard case .code(let ref)? = t["ref"], case .code(let kind)? = t["kind"] else { Issue.record("wrong column types"); return }
        #expect((0..<t.rowCount).map { ref.value($0) ?? "" } == refs)
        #expect((0..<t.rowCount).map { kind.value($0) ?? "" } == kinds)
        #expect(ref.values.count == 9_001 && kind.values.count == 8)
        #expect(ref.codes[9_000] == ref.codes[0] && ref.codes[11_999] == ref.codes[2_999])
    }

    @Test(arguments: [
        ("dd/MM/yyyy", "29/02/2024", "2024-02-29"), ("dd/MM/yyyy HH:mm", "07/04/2025 23:59", "2025-04-07"),
        ("yyyy-MM-dd HH:mm:ss", "2025-04-07 14:05:00", "2025-04-07"), ("yyyyMMdd", "20250407", "2025-04-07"),
        ("dd-MMM-yy", "07-APR-25", "2025-04-07"), ("dd-MMM-yyyy", "07-Apr-2025", "2025-04-07"), ("yyyy-MM", "2018-12", "2018-12-01"),
        ("d/M/yyyy", "7/4/2025", "2025-04-07"), ("yyyy-MM-dd", "2024-02-29", "2024-02-29"), ("yyyy-MM-dd", "1800-01-01", "1800-01-01"),
        ("yyyy-MM-dd", "2200-12-31", "2200-12-31"),
    ])
    func datesParse(pattern: String, text: String, iso: String) throws {
        let parser = DateParser(try DatePattern(pattern))
        let day = Array(text.utf8).withUnsafeBufferPointer { parser.day($0) }
        #expect(day.map(DateParser.isoString) == iso)
    }

    @Test(arguments: [
        ("dd/MM/yyyy", "31/02/2025"), ("dd/MM/yyyy", "2025-02-01"), ("yyyy-MM-dd", "2025-13-01"),
        ("dd/MM/yyyy", "45678"), ("dd/MM/yyyy HH:mm", "07/04/2025 24:00"), ("dd-MMM-yy", "07-Foo-25"),
        ("dd/MM/yyyy", "01/02/2025 "), ("dd/MM/yyyy", ""),
        ("yyyy-MM-dd", "2025-02-29"), ("yyyy-MM-dd", "2025-4-07"), ("yyyy-MM-dd", "2025-04-0a"), ("yyyy-MM-dd", "1799-12-31"),
        ("yyyy-MM-dd", "2201-01-01"), ("yyyy-MM-dd", "2025/04/07"), ("yyyy-MM-dd", "2025-04-07 "), ("yyyy-MM-dd", "2025-00-10"),
    ])
    func badDatesAreRefused(pattern: String, text: String) throws {
        let parser = DateParser(try DatePattern(pattern))
        #expect(Array(text.utf8).withUnsafeBufferPointer { parser.day($0) } == nil)
    }

    /// Every day from 1800 to 2200, written as an ISO date and as dd/MM/yyyy, reads as the day
    /// number the calendar algorithm gives; every day past the end of its month is refused.
    @Test func everyDayOfFourCenturiesReadsExactly() throws {
        let iso = DateParser(try DatePattern("yyyy-MM-dd")), uk = DateParser(try DatePattern("dd/MM/yyyy"))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var wrong: [String] = []
        for year in 1800...2200 {
            for month in 1...12 {
                let days = DateParser.daysIn(month: month, year: year)
                for day in 1...31 {
                    let expected = day <= days ? Int32(DayNumber.from(year: year, month: month, day: day)) : nil
                    let a = Array("\(year)-\(two(month))-\(two(day))".utf8).withUnsafeBufferPointer { iso.day($0) }
                    let b = Array("\(two(day))/\(two(month))/\(year)".utf8).withUnsafeBufferPointer { uk.day($0) }
                    if a != expected || b != expected { wrong.append("\(year)-\(month)-\(day)") }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    /// Postcodes are looked up packed as they are normalised: every postcode of the bundled lookup,
    /// written in lower case, without its space or with extra blanks, finds its area, and the
    /// packed form agrees with the array form on which texts have a postcode's shape.
    @Test func postcodesResolveHoweverTheyAreWritten() throws {
        let reference = try ReferenceData.load(drop: TestPaths.sampleDrop, defaultGeography: TestPaths.geography)
        let listed = try String(contentsOfFile: TestPaths.sampleDrop + "/reference/postcodes.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(listed.count > 1000)
        func area(_ text: String) -> UInt16 { Array(text.utf8).withUnsafeBufferPointer { reference.area(postcode: $0) } }
        var wrong: [String] = []
        for p in listed {
            let a = area(p)
            if !AreaColumn.isInArea(a) { wrong.append(p) }
            for variant in [
                p.lowercased(), p.replacingOccurrences(of: " ", with: ""), " \(p)\t", p.replacingOccurrences(of: " ", with: "  "),
            ]
            where area(variant) != a { wrong.append(variant) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        for text in [
            "SY1 1AB", "sy11ab", "SY1", "S1 1AB", "1Y1 1AB", "SY1 1A1", "SY10 1ABC", "A9A 9AA", "EC1A 1BB", "SY1-1AB", "", "ZZ99 9ZZ",
        ] {
            var normal: [UInt8] = []
            let shaped = Array(text.utf8).withUnsafeBufferPointer { ReferenceData.normalisePostcode($0, into: &normal) }
            let a = area(text)
            #expect(text.isEmpty ? a == AreaColumn.missing : shaped == (a != AreaColumn.unknown), "\(text)")
        }
    }
}
