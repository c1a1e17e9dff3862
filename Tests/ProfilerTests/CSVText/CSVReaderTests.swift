import Foundation
import TestSupport
import Testing

@testable import CSVText

@Suite("CSV reader")
struct CSVReaderTests {
    private func records(_ text: String, file: String = "t.csv") throws -> [(line: Int, fields: [String])] {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(file, text)
        var out: [(Int, [String])] = []
        try CSVReader(path: path, chunkSize: 7).forEachRecord { r in
            out.append((r.line, r.strings()))
            return true
        }
        return out
    }

    @Test func quotedFieldsDoubledQuotesAndEmbeddedNewlines() throws {
        let r = try records("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n3,,\n")
        #expect(r.map(\.fields) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "two\nlines", "z"], ["3", "", ""]])
        // Record 4 starts on line 5 because record 3 spans lines 3 and 4.
        #expect(r.map(\.line) == [1, 2, 3, 5])
    }

    @Test func crlfBomAndNoFinalNewline() throws {
        let r = try records("\u{FEFF}id,name\r\n1,Ann\r\n2,Bob")
        #expect(r.map(\.fields) == [["id", "name"], ["1", "Ann"], ["2", "Bob"]])
        #expect(r.map(\.line) == [1, 2, 3])
    }

    @Test func emptyFileHasNoRecords() throws {
        #expect(try records("").isEmpty)
    }

    @Test func unterminatedQuoteIsAnErrorWithItsLine() throws {
        #expect {
            _ = try records("a,b\n1,2\n3,\"never closed\n4,5\n")
        } throws: { error in
            guard let e = error as? CSVReadError else { return false }
            return e.kind == .unterminatedQuote && e.line == 3
        }
    }

    @Test func multiMemberGzipReadsAsOneFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let a = try dir.write("a.csv", "x,y\n1,2\n")
        let b = try dir.write("b.csv", "3,4\n")
        for f in [a, b] { try run("/usr/bin/env", ["gzip", "-n", f]) }
        let joined =
            (FileManager.default.contents(atPath: a + ".gz") ?? Data()) + (FileManager.default.contents(atPath: b + ".gz") ?? Data())
        let path = try dir.write("joined.csv.gz", bytes: Array(joined))
        var rows: [[String]] = []
        try CSVReader(path: path).forEachRecord {
            rows.append($0.strings()); return true
        }
        #expect(rows == [["x", "y"], ["1", "2"], ["3", "4"]])
    }

    @Test func truncatedGzipIsReportedNotSilentlyShort() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var text = "id,value\n"
        for i in 0..<5000 { text += "\(i),\(i * 7919 % 104729)\n" }
        let plain = try dir.write("big.csv", text)
        try run("/usr/bin/env", ["gzip", "-n", plain])
        let whole = Array(FileManager.default.contents(atPath: plain + ".gz")!)
        let cut = try dir.write("cut.csv.gz", bytes: Array(whole[0..<(whole.count * 2 / 3)]))
        #expect(throws: CSVReadError.self) {
            try CSVReader(path: cut).forEachRecord { _ in true }
        }
    }

    @Test func missingFileCannotBeOpened() {
        #expect {
            try CSVReader(path: "/nonexistent/x.csv").forEachRecord { _ in true }
        } throws: { ($0 as? CSVReadError)?.kind == .cannotOpen }
    }

    /// The real Fingertips export: 26 header fields, 25 per data row, a newline inside quotes.
    @Test func realFingertipsExport() throws {
        var count = 0
        var widths = Set<Int>()
        var lines: [Int] = []
        try CSVReader(path: TestPaths.publicData + "/fingertips/indicators-CountyUA.data.csv").forEachRecord { r in
            count += 1
            if r.index > 1 { widths.insert(r.count) }
            if r.index <= 3 { lines.append(r.line) }
            return true
        }
        #expect(count == 853)
        #expect(widths == [25])
        #expect(lines == [1, 2, 4])
    }

    /// Real police.uk files, plain and gzipped, give the record counts Python's csv module gives.
    @Test(arguments: [
        ("policeuk/2018-12-west-mercia-street.csv", 10137),
        ("policeuk/national/2024-02/2024-02-west-mercia-street.csv.gz", 7655),
    ])
    func realPoliceUKFiles(file: String, records: Int) throws {
        var count = 0
        var header: [String] = []
        try CSVReader(path: TestPaths.publicData + "/" + file).forEachRecord { r in
            if r.index == 1 { header = r.strings() }
            count += 1
            return true
        }
        #expect(count == records)
        #expect(header.first == "Crime ID")
        #expect(header.count == 12)
    }

    /// Fields are quoted by their bytes: a CR LF pair, or a comma followed by a combining mark, is
    /// one character equal to none of CR, LF or comma (so was written bare), yet a CSV reader sees
    /// them; each now reads back as the one field it was.
    @Test func fieldsAreQuotedByTheirBytes() throws {
        let awkward = ["two\r\nlines", "a,\u{301}b", "say \"hi\"", "=1+1", "plain"]
        #expect(awkward.map(CSVFormat.text) == ["\"two\r\nlines\"", "\"a,\u{301}b\"", "\"say \"\"hi\"\"\"", "'=1+1", "plain"])
        let r = try records(CSVFormat.line(["id"] + awkward.indices.map { "f\($0)" }) + CSVFormat.line(["1"] + awkward.map(CSVFormat.text)))
        #expect(r.count == 2 && r[1].fields == ["1"] + awkward.dropLast(2) + ["'=1+1", "plain"])
    }
}
