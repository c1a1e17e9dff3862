import Foundation
import TestSupport
import Testing

/// Formula and markup values fed through an extract (a school's reason code that the code list
/// keeps as written) reach every CSV the engine writes, the analysts' tables included, as text a
/// spreadsheet shows and never runs (issue 17).
@Suite("Export: every CSV is spreadsheet-safe")
struct SpreadsheetSafetyTests {
    // (A leading tab is trimmed at ingest, as every field's surrounding white space is.)
    static let planted = ["=HYPERLINK(\"http://example.org\",\"x\")", "+1", "-2+3", "@SUM(1)", "<b>bold</b>"]

    @Test func noCSVTheEngineWritesHoldsAFormula() throws {
        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        let path = drop.file("education.csv")
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let header = rows[0].split(separator: ",").map(String.init)
        let reason = try #require(header.firstIndex(of: "Reason")), type = try #require(header.firstIndex(of: "EventType"))
        var planted = 0
        var written = [rows[0]]
        for line in rows.dropFirst() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // Every 20th suspension, the planted values in turn (quoted as a CSV field must be).
            if fields.count == header.count, fields[type] == "Suspension", written.count % 20 == 0 {
                let value = Self.planted[planted % Self.planted.count]
                fields[reason] = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                planted += 1
            }
            written.append(fields.joined(separator: ","))
        }
        #expect(planted > 20)
        try written.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let work = try TemporaryDirectory("spreadsheet-safe")
        defer { work.remove() }
        let key = try work.write("key", "a-test-key-that-is-long-enough-0123456789")
        let status = try runProfiler(["build", "--data", drop.path, "--key-file", key, "--out", work.file("out"), "--format", "csv"])
        #expect(status == 0 || status == 1)
        // Every cell of every CSV: one a spreadsheet would run as a formula must be a number.
        let files = try FileManager.default.subpathsOfDirectory(atPath: work.file("out")).filter { $0.hasSuffix(".csv") }
        var cells = 0
        for file in files {
            let table = try CSVTable(path: work.file("out/" + file))
            for cell in table.header + table.rows.flatMap({ $0 }) {
                cells += 1
                guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r", "\n"].contains(first) else { continue }
                #expect(Double(cell) != nil, "\(file): \(cell)")
            }
        }
        #expect(files.count > 150 && cells > 10_000)
        // The planted values are there, as text: in the analysts' table and the exploitation group's.
        for table in ["tables/exploitation/school_sessions_lost.csv", "exploitation/exploitation/school_sessions_lost.csv"] {
            let labels = try CSVTable(path: work.file("out/" + table)).values("reason")
            for value in Self.planted {
                let shown = ["=", "+", "-", "@"].contains(value.first.map(String.init) ?? "") ? "'" + value : value
                #expect(labels.contains(shown), "\(table): \(shown) in \(labels)")
            }
        }
    }
}
