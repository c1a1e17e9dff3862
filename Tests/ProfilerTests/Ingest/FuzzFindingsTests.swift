import CSVText
import Columnar
import Foundation
import Reference
import TestSupport
import Testing

@testable import Definitions
@testable import Ingest

/// What the fuzz targets (Fuzz/README.md) found, each kept as a case here; the inputs that found
/// them are seeds of their target.
@Suite("Ingest: fuzzing findings")
struct FuzzFindingsTests {
    static let definition = """
        source: t
        agency: other
        file: t
        fields:
          id: { column: id, type: integer, required: true }
          amount: { column: amount, type: decimal }
        """

    static func ingest(_ text: String, partBytes: Int) throws -> FileReport {
        let dir = try TemporaryDirectory("fuzz-finding")
        defer { dir.remove() }
        let path = try dir.write("t.csv", text)
        let source = try SourceDefinition.parse(definition, file: "t.yaml")
        let drop = DropIngestor.ingest(
            [(source, [path])], reference: ReferenceData(geography: AreaGeography(lsoas: [])),
            key: try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true),
            options: IngestOptions(threads: 2, partBytes: partBytes))
        let report = try #require(drop.reports.first)
        #expect(drop.tables["t"]?.rowCount == report.accepted)
        return report
    }

    /// `Double(String)` stops at a NUL byte and reads hexadecimal: a decimal field holding either
    /// was read as a number (fuzz-parsers: `0\0\u{2}%` read as 0).
    @Test(arguments: [
        "0\0\u{2}%", "12\0abc", "0x1p3", "0x10", "1e", "inf", "nan", "1 2", "--1",
        // decimal commas, and commas that group nothing (fuzz-parsers: `,,-,8` read as -8)
        "0,5", "1,25", ",5", ",,-,8", "1234,567", "1,2345", "1.234,5",
    ])
    func decimalsRefuseWhatIsNotADecimal(text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { NumberParser.decimal($0) } == nil)
    }

    @Test(arguments: [
        ("1,234.5", 1234.5), ("12,345,678", 12_345_678), ("-1,000", -1000), ("-0.25", -0.25), ("1e3", 1000), ("+7", 7), (".5", 0.5),
        ("2.", 2), ("1E-2", 0.01),
    ])
    func decimalsStillRead(text: String, value: Double) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { NumberParser.decimal($0) } == value)
    }

    /// A file cut into parts whose first part holds only blank lines had no header for the later
    /// parts: it was refused as empty, where read whole it is fine (fuzz-ingest: ` \n/`).
    /// YAML anchors and aliases that stay small are read as written; ones that would expand a
    /// file past the limit are refused at the alias that passes it, before the file is composed
    /// (a mapping key made of aliases was hashed whole: a timeout found by fuzzing).
    @Test func aliasesAreReadUntilTheyWouldExpandTooFar() throws {
        let small = """
            source: s
            agency: other
            file: s
            record_id: &id [Ref]
            fields:
              ref: { column: Ref, type: text, description: &d Shared words }
              other: { column: Other, type: text, description: *d }
            """
        let source = try SourceDefinition.parse(small, file: "s.yaml")
        #expect(source.fields.map(\.description) == ["Shared words", "Shared words"])
        // Nine lists of nine aliases of the one before: 9^5 = 59,049 values pass; 9^6 do not.
        func bomb(_ levels: Int) -> String {
            var lines = [
                "source: b", "agency: other", "file: b", "title: t", "fields:", "  d: { column: D, type: date, format: yyyy-MM-dd }",
                "description: [&a0 [x, x, x, x, x, x, x, x, x]",
            ]
            for i in 1..<levels {
                lines[lines.count - 1] += ", &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]"
            }
            lines[lines.count - 1] += "]"
            return lines.joined(separator: "\n") + "\n"
        }
        #expect(AliasGuard.firstExcess(in: bomb(5)) == nil)
        let place = try #require(AliasGuard.firstExcess(in: bomb(6)))
        #expect(place.line == 7 && place.column > 100)
        do {
            _ = try SourceDefinition.parse(bomb(6), file: "b.yaml")
            Issue.record("the alias bomb was loaded")
        } catch {
            #expect(error.errors.first.map { "\($0.line):\($0.column)" } == "\(place.line):\(place.column)")
            #expect(error.errors.first?.message.contains("would expand the file to more than 100000 values") == true)
        }
    }

    @Test func aFirstPartOfBlankLinesStillFindsTheHeader() throws {
        let text = String(repeating: "\n", count: 100) + "id,amount\n1,2.5\n2,x\n3,\n"
        let whole = try Self.ingest(text, partBytes: 0)
        let parts = try Self.ingest(text, partBytes: 40)
        for r in [whole, parts] {
            #expect(r.fatalError == nil)
            #expect(r.rowsRead == 3 && r.accepted == 2 && r.rejected == 1)
            #expect(r.rejects["cast"]?.firstPlaces == ["103:2"])
        }
    }

    /// zlib reads a gzip stream whatever the file's name, but a plain-named file was cut into
    /// parts by its raw bytes: a large gzip file named `.csv` read whole gave its rows, read in
    /// parts gave the compressed bytes as rows (fuzz-csv: a gzip stream as the input).
    @Test func aGzipStreamUnderAPlainNameIsNotCut() throws {
        let dir = try TemporaryDirectory("fuzz-gzip-name")
        defer { dir.remove() }
        let text = "id,amount\n" + (1...200).map { "\($0),\($0).5\n" }.joined()
        let plain = try dir.write("plain.csv", text)
        _ = try ProcessRun.tool("/usr/bin/env", ["gzip", "-n", "-k", "-S", ".gz", plain])
        let compressed = dir.file("t.csv")
        try FileManager.default.moveItem(atPath: plain + ".gz", toPath: compressed)
        let size = fileSize(compressed)
        #expect(CSVSplitter.parts(of: compressed, size: size, partBytes: 64, threads: 2) == nil)
        #expect(CSVSplitter.parts(of: plain, size: fileSize(plain), partBytes: 64, threads: 2) != nil)
        let source = try SourceDefinition.parse(Self.definition, file: "t.yaml")
        let drop = DropIngestor.ingest(
            [(source, [compressed])], reference: ReferenceData(geography: AreaGeography(lsoas: [])),
            key: try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true),
            options: IngestOptions(threads: 2, partBytes: 64))
        #expect(drop.reports.first?.rowsRead == 200 && drop.reports.first?.accepted == 200)
    }

    /// A first read of one byte, 0xFE, was taken for half a UTF-16 byte-order mark (the missing
    /// second byte stood in as 0xFF): a one-byte file, or a truncated gzip stream that gave one
    /// byte, was refused as UTF-16 text (fuzz-gzip: `\xfe@t` in gzip members cut short).
    @Test func oneByteIsNotUTF16() throws {
        let dir = try TemporaryDirectory("fuzz-one-byte")
        defer { dir.remove() }
        let path = try dir.write("t.csv", bytes: [0xFE])
        var fields: [[UInt8]] = []
        try CSVReader(path: path).forEachRecord {
            fields.append(Array($0.field(0))); return true
        }
        #expect(fields == [[0xFE]])
        let utf16 = try dir.write("u.csv", bytes: [0xFE, 0xFF, 0x00, 0x61])
        #expect(throws: CSVReadError.self) { try CSVReader(path: utf16).forEachRecord { _ in true } }
    }

    /// A file whose header lacks a column, cut into parts, counted a quote left open in a later
    /// part as a row read and refused, where read whole it reads no row (fuzz-ingest: `6\n"\x93`).
    @Test func aBadHeaderReadsNoRowsInPartsEither() throws {
        // Cut after the header: the second part is only the unfinished record.
        let text = "identifier,amount\n\"3,4\n"
        let whole = try Self.ingest(text, partBytes: 0)
        let parts = try Self.ingest(text, partBytes: 8)
        for r in [whole, parts] {
            #expect(r.fatalError?.hasPrefix("the header lacks column(s) 'id'") == true)
            #expect(r.rowsRead == 0 && r.accepted == 0 && r.rejected == 0 && r.rejects.isEmpty)
        }
    }

    /// A header whose second column began with the bytes of a byte-order mark (EF BB BF) was drafted
    /// as the column `\uFEFFe`, which the YAML loader reads as `e`, a column ingest did not find in
    /// the header (fuzz-infer). Header names are now read without a byte-order mark, everywhere.
    @Test func aByteOrderMarkInsideTheHeaderIsDraftedAsIngestReadsIt() throws {
        let dir = try TemporaryDirectory("fuzz-bom-header")
        defer { dir.remove() }
        let path = try dir.write("extract.csv", bytes: Array("id,".utf8) + [0xEF, 0xBB, 0xBF] + Array("e,note\n1,a,x\n2,a,y\n".utf8))
        let (_, report) = try Self.draftAndIngest(path)
        #expect(report.fatalError == nil)
        #expect(report.accepted == 2)
    }

    /// `path` drafted as source `extract`, and ingested with the draft: the draft and the report.
    static func draftAndIngest(_ path: String) throws -> (draft: String, report: FileReport) {
        let draft = try SourceDraft.infer([path], id: "extract", threads: 1, reference: nil)
        let source = try SourceDefinition.parse(draft.yaml, file: "extract.yaml")
        let drop = DropIngestor.ingest(
            [(source, [path])], reference: ReferenceData(geography: AreaGeography(lsoas: [])),
            key: try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true), options: IngestOptions(threads: 1))
        return (draft.yaml, try #require(drop.reports.first))
    }

    /// A code value that began with a byte-order mark (`\uFEFF0` beside `0`) was drafted as a code
    /// of its own, which the YAML loader reads back as `0`: the draft did not load ("key given
    /// twice", fuzz-infer). Values differing only by byte-order marks in front are now one code; the
    /// row that has one is kept, its code not in the list.
    @Test func aByteOrderMarkInFrontOfACodeIsDraftedAsTheLoaderReadsIt() throws {
        let dir = try TemporaryDirectory("fuzz-bom-code")
        defer { dir.remove() }
        let bytes = Array("id,flag\n1,0\n2,".utf8) + [0xEF, 0xBB, 0xBF] + Array("0\n3,0\n4,".utf8) + [0xEF, 0xBB, 0xBF] + Array("\n".utf8)
        let (draft, report) = try Self.draftAndIngest(try dir.write("extract.csv", bytes: bytes))
        #expect(draft.contains("\"0\": \"0\"  # 3 rows"))
        #expect(!draft.contains("\\uFEFF"))
        #expect(report.fatalError == nil)
        #expect(report.accepted == 4 && report.rejected == 0)
    }

    /// A part of a source whose named rows give no NHS number, match key or local id (victims
    /// without a date of birth) was never pseudonymised: its identities had no encodings, and
    /// probabilistic matching read past the end of its table (fuzz-ingest: a police incidents
    /// file cut into parts).
    @Test func namesWithoutOtherIdentifiersAreEncoded() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let source = try #require(catalogue.sources.first { $0.id == "police_incidents" })
        let path = TestPaths.root + "/Fuzz/seeds/ingest/finding-names-without-other-identifiers.csv"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let reads = try [(0, 1), (size / 3, 2)].map { partBytes, threads in
            DropIngestor.ingest(
                [(source, [path])], reference: ReferenceData(geography: AreaGeography(lsoas: [])),
                key: try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true),
                options: IngestOptions(threads: threads, partBytes: partBytes))
        }
        let (whole, parts) = (reads[0], reads[1])
        #expect(whole.reports.first?.accepted ?? 0 > 0)
        #expect(parts.reports.first?.accepted == whole.reports.first?.accepted)
        #expect(parts.tables["police_incidents"]?.rowCount == whole.tables["police_incidents"]?.rowCount)
        #expect(parts.people == whole.people && whole.people > 0)
    }

    /// An NHS number column headed `NHSNumberDate` made a person `date`, and the event date was
    /// named `date` too: the draft did not load ("person role 'date' has the same name as a field",
    /// fuzz-infer). A person that takes a field's name is now renamed.
    @Test func aPersonNamedLikeAFieldIsRenamed() throws {
        let path = TestPaths.root + "/Fuzz/seeds/infer/finding-person-named-like-a-field.csv"
        let draft = try SourceDraft.infer([path], id: "extract", threads: 1, reference: nil)
        let fields = Set(draft.fields.map(\.name))
        #expect(!draft.people.isEmpty)
        #expect(draft.people.allSatisfy { !fields.contains($0.name) }, "\(draft.people.map(\.name)) against \(fields.sorted())")
        let source = try SourceDefinition.parse(draft.yaml, file: "extract.yaml")
        #expect(source.people.count == draft.people.count)
    }
}
