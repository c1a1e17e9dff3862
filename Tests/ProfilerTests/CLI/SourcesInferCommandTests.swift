import Foundation
import TestSupport
import Testing

/// `profiler sources infer` as an analyst runs it: the draft written where asked (and never over
/// a file already there), the evidence of each guess in its comments, and a clear message with the
/// file (and line) and exit code 2 for what cannot be drafted from, as `validate` gives them.
@Suite("CLI: profiler sources infer")
struct SourcesInferCommandTests {
    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let message: String
        var testDescription: String { name }
    }

    static let changing: String = {
        var rows = ["a,b,c"]
        for i in 0..<30 { rows.append("\(i),x,\(i * 2)") }
        for i in 0..<20 { rows.append("\(i),x,\(i),extra") }
        return rows.joined(separator: "\n") + "\n"
    }()

    static let bad: [Bad] = [
        Bad(name: "an empty file", bytes: [], message: "the file is empty: no header row"),
        Bad(
            name: "no header", bytes: Array("12,2024-01-03,5\n13,2024-01-04,6\n".utf8),
            message: "1: the first row looks like data, not a header ('12', '2024-01-03', '5')"),
        Bad(
            name: "an Excel workbook", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00] + Array(repeating: 0, count: 64),
            message: "1: the file is a zip archive (an Excel .xlsx workbook named .csv?), not CSV text"),
        Bad(
            name: "an old Excel workbook", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 64),
            message: "1: the file is an Office document (an Excel .xls workbook named .csv?), not CSV text"),
        Bad(
            name: "UTF-16 text", bytes: [0xFF, 0xFE] + Array("a,b\n1,2\n".utf8).flatMap { [$0, 0] },
            message: "1: the file is UTF-16 text"),
        Bad(
            name: "columns that change part way", bytes: Array(changing.utf8),
            message: "32: the columns change part way: from this line to the end rows have 4 fields, the header 3; draft each part apart"),
        Bad(
            name: "a header naming a column twice", bytes: Array("id,when,id\n1,2024-01-01,3\n".utf8),
            message: "1: the header names column 'id' twice"),
    ]

    @Test(arguments: bad)
    func whatCannotBeDraftedFromSaysWhy(_ c: Bad) throws {
        let dir = try TemporaryDirectory("infer-bad")
        defer { dir.remove() }
        let file = try dir.write("extract.csv", bytes: c.bytes)
        let run = try ProcessRun.profiler(["sources", "infer", file, "--out", dir.file("draft.yaml")])
        #expect(run.status == 2, "\(c.name): \(run.stderr)")
        #expect(
            run.stderr.contains("profiler sources infer: extract.csv:" + (c.message.first!.isNumber ? "" : " ") + c.message),
            "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("draft.yaml")))
    }

    @Test func theDraftIsWrittenWhereAskedAndNeverOverAnother() throws {
        let dir = try TemporaryDirectory("infer-out")
        defer { dir.remove() }
        let file = try dir.write(
            "referrals.csv",
            "ReferralID,ReferralDate,ChildID,DOB,Sex,Postcode\nR1,13/04/2025,C1,02/05/2012,F,SY1 1AA\nR2,01/05/2025,C2,,M,SY2 6ND\nR3,02/05/2025,C1,02/05/2012,F,\n"
        )
        let draft = dir.file("referrals.yaml")
        let run = try ProcessRun.profiler(["sources", "infer", file, "--out", draft])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("drafted source 'referrals' from 3 rows of 1 file(s)"))
        let text = try String(contentsOfFile: draft, encoding: .utf8)
        #expect(text.contains("record_id: \"ReferralID\"  # unique on all 3 rows, never blank"))
        #expect(
            text.contains(
                "# ReferralDate: 3 of 3 values parse as dd/MM/yyyy; from 2025-04-13 to 2025-05-02; day-first: 1 have a first part above 12")
        )
        #expect(text.contains("  date: { column: \"ReferralDate\", type: date }"))
        #expect(text.contains("    local_id: \"ChildID\""))
        // Never over an existing file; --force replaces it; - writes to standard output.
        let again = try ProcessRun.profiler(["sources", "infer", file, "--out", draft])
        #expect(again.status == 3 && again.stderr.contains("exists; give another --out, or --force to replace it"))
        #expect(try ProcessRun.profiler(["sources", "infer", file, "--out", draft, "--force"]).status == 0)
        let printed = try ProcessRun.profiler(["sources", "infer", file, "--out", "-", "--name", "child_referrals"])
        #expect(printed.status == 0 && printed.stdout.contains("source: child_referrals\n"))
        // Month-first dates are found by their second part.
        let american = try dir.write("us.csv", "When,N\n04/13/2025,1\n05/01/2025,2\n")
        let us = try ProcessRun.profiler(["sources", "infer", american, "--out", "-"])
        #expect(us.stdout.contains("values parse as MM/dd/yyyy") && us.stdout.contains("month-first: 1 have a second part above 12"))
        // Dates that read either way say so.
        let either = try dir.write("either.csv", "When,N\n04/03/2025,1\n05/01/2025,2\n")
        let both = try ProcessRun.profiler(["sources", "infer", either, "--out", "-"])
        #expect(both.stdout.contains("ambiguous: every value also reads month-first (MM/dd/yyyy)"))
    }

    /// A drop with a file no source reads: validate names the command that drafts one.
    @Test func validateNamesTheCommandForAFileNoSourceReads() throws {
        let dir = try TemporaryDirectory("infer-unread")
        defer { dir.remove() }
        let drop = dir.file("drop")
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: drop)
        _ = try dir.write("drop/new_extract.csv", "Ref,When\nA,2025-05-01\n")
        let key = try dir.write("key", String(repeating: "k", count: 40))
        let run = try ProcessRun.profiler(["validate", "--data", drop, "--key-file", key])
        #expect(
            run.stdout.contains(
                "note: new_extract.csv is not read by any source definition; draft one with: profiler sources infer \(drop)/new_extract.csv"
            ), "\(run.stdout)")
    }
}
