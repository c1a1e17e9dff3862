import CSVText
import Columnar
import Definitions
import Foundation
import TestSupport
import Testing

@testable import Ingest

@Suite("Ingest: drops")
struct IngestDropTests {
    @Test func bundledDropIngestsWithZeroRejects() throws {
        let drop = try ingestDrop(TestPaths.sampleDrop)
        #expect(drop.status == .clean)
        #expect(drop.reports.count == 11)
        for r in drop.reports {
            #expect(r.rejected == 0, "\(r.file): \(r.rejects)")
            #expect(r.rowsRead == r.accepted)
            #expect(drop.tables[r.source]?.rowCount == r.accepted)
        }
        // Health extracts key nearly everyone by NHS number; the police rarely can.
        let ae = try #require(drop.reports.first { $0.source == "ae_attendances" }?.linkage.first)
        #expect(Double(ae.byNHSNumber) / Double(ae.keyed + ae.unkeyed) > 0.95)
        let crimes = try #require(drop.reports.first { $0.source == "police_crimes" }?.linkage.first)
        #expect(Double(crimes.byNHSNumber) / Double(crimes.keyed + crimes.unkeyed) < 0.5)
        #expect(crimes.bridgedToNHSNumber > 0)
        // 20,000 residents, seen by some agency: thousands of people, not more than live there plus typos.
        #expect(drop.people > 5_000 && drop.people < 25_000, "people: \(drop.people)")
    }

    @Test func oneThreadAndManyGiveIdenticalTables() throws {
        let one = try ingestDrop(TestPaths.sampleDrop, threads: 1)
        let many = try ingestDrop(TestPaths.sampleDrop, threads: 4)
        #expect(one.people == many.people)
        for (name, t) in one.tables {
            let u = try #require(many.tables[name])
            #expect(t.columnNames == u.columnNames)
            for (c, column) in t.columns {
                #expect(fingerprint(column) == fingerprint(u[c]!), "\(name).\(c)")
            }
        }
    }

    private func fingerprint(_ c: Column) -> [String] {
        switch c {
        case .code(let x): return x.codes.map { x.values[Int($0)] }
        case .day(let x): return x.days.map(String.init)
        case .integer(let x): return x.values.map(String.init)
        case .decimal(let x): return x.values.map { "\($0)" }
        case .flag(let x): return x.values.map(String.init)
        case .flagSet(let x): return x.masks.map(String.init) + x.labels
        case .area(let x): return x.areas.map(String.init)
        case .person(let x): return x.ids.map(String.init)
        }
    }

    /// Faults planted at known places are each reported at that line and column, and every row is
    /// accounted for.
    /// (Also with files cut into parts of a few kilobytes, read at once: the same lines and columns.)
    @Test(arguments: [0, 4096])
    func plantedFaultsAreReportedWhereTheyAre(partBytes: Int) throws {
        let dir = try plainSampleDropCopy()
        defer { dir.remove() }
        let path = dir.file("police_crimes.csv")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        func edit(_ line: Int, _ change: (inout [String]) -> Void) throws {
            var fields: [String] = []
            let tmp = try TemporaryDirectory()
            defer { tmp.remove() }
            try CSVReader(path: try tmp.write("l.csv", lines[line - 1] + "\n")).forEachRecord {
                fields = $0.strings(); return false
            }
            change(&fields)
            lines[line - 1] = csvLine(fields)
        }
        try edit(10) { $0[column("RecordedDateTime")] = "31/02/2025 10:00" }
        try edit(20) { $0[column("OutcomeCode")] = "99" }
        try edit(30) { $0.append("extra") }
        try edit(40) { $0[column("DA_Flag")] = "maybe" }
        try edit(50) { $0[column("V_Age")] = "abc" }
        try edit(60) { $0[column("RecordedDateTime")] = "" }
        try edit(80) { $0 = Array($0.prefix(10)) }
        var bytes = Array(lines.joined(separator: "\n").utf8)
        // Line 70: a byte that is not UTF-8 inside the offence description.
        var lineStart = 0, seen = 1
        while seen < 70 { if bytes[lineStart] == 0x0A { seen += 1 }; lineStart += 1 }
        var commas = 0, at = lineStart
        while commas < column("OffenceDescription") { if bytes[at] == 0x2C { commas += 1 }; at += 1 }
        bytes.insert(0xFF, at: at)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let quarantine = try TemporaryDirectory("quarantine")
        defer { quarantine.remove() }
        let drop = try ingestDrop(dir.path, demo: false, quarantine: quarantine.path, partBytes: partBytes)
        let report = try #require(drop.reports.first { $0.source == "police_crimes" })
        var places: [String] = []
        for (kind, s) in report.rejects { places += s.firstPlaces.map { "\(kind)@\($0)" } }
        let c = { String(column($0) + 1) }
        #expect(
            places.sorted()
                == [
                    "cast@10:\(c("RecordedDateTime"))", "unknown-code@20:\(c("OutcomeCode"))", "too-many-columns@30:\(header.count + 1)",
                    "cast@40:\(c("DA_Flag"))", "cast@50:\(c("V_Age"))", "missing-required-field@60:\(c("RecordedDateTime"))",
                    "invalid-encoding@70:\(c("OffenceDescription"))", "missing-columns@80:11",
                ].sorted())
        #expect(report.rowsRead == lines.count - 2)  // the header, and the empty string after the last newline
        #expect(report.rowsRead == report.accepted + report.rejected)
        #expect(report.rejected == 8)
        #expect(report.status == .warnings)  // 8 of ~3,400 rows is within the 1% tolerance
        let rejects = try CSVTable(path: quarantine.file("police_crimes.rejects.csv"))
        #expect(rejects.values("line").sorted { Int($0)! < Int($1)! } == ["10", "20", "30", "40", "50", "60", "70", "80"])
        #expect(
            Set(rejects.values("error")) == [
                "cast", "unknown-code", "too-many-columns", "missing-required-field", "invalid-encoding", "missing-columns",
            ])
    }

    /// Large files are cut at record boundaries and read on several cores; the tables, people,
    /// reports and quarantine are what reading each file whole gives, also when a stray quote
    /// makes a cut land inside a quoted field (that file is then read whole).
    @Test func filesCutIntoPartsGiveWhatWholeFilesGive() throws {
        let dir = try plainSampleDropCopy()
        defer { dir.remove() }
        let path = dir.file("police_crimes.csv")
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let offence = try #require(header.firstIndex(of: "OffenceDescription"))
        func setOffence(_ line: Int, raw: String) {
            var fields = lines[line - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[offence] = raw
            lines[line - 1] = fields.joined(separator: ",")
        }
        // A stray quote inside an unquoted field (kept as a character), then quoted line breaks.
        setOffence(5, raw: "Theft \"from a vehicle")
        for line in stride(from: 40, to: lines.count - 1, by: 25) { setOffence(line, raw: "\"Assault\nwith injury, \"\"serious\"\"\"") }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        // The cuts of this file: contiguous, and at least one ends inside a quoted field.
        let parts = try #require(CSVSplitter.parts(of: path, size: fileSize(path), partBytes: 2048, threads: 2))
        #expect(parts.first?.bytes.lowerBound == 0 && parts.last?.bytes.upperBound == fileSize(path))
        #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.bytes.upperBound == $1.bytes.lowerBound })
        let held = try parts.map { p in try CSVReader(path: path, part: p).forEachRecord { _ in true } }
        #expect(held.contains(false))
        // A clean file of the drop is cut into parts that each end between records.
        let clean = dir.file("ae_attendances.csv")
        let cleanParts = try #require(CSVSplitter.parts(of: clean, size: fileSize(clean), partBytes: 8192, threads: 2))
        #expect(cleanParts.count > 10)
        #expect(try cleanParts.allSatisfy { p in try CSVReader(path: clean, part: p).forEachRecord { _ in true } })

        // Parts of whole MiB (counted in 1 MiB blocks on both cores): each starts just after a line
        // feed outside quotes, on the line it says.
        let big = dir.file("big.csv")
        var text = "id,note\n"
        var n = 0
        while text.utf8.count < (3 << 20) + 12345 {
            text += n % 9 == 0 ? "\(n),\"two\nlines, \"\"quoted\"\"\"\n" : "\(n),plain value \(n)\n"
            n += 1
        }
        try text.write(toFile: big, atomically: true, encoding: .utf8)
        let bytes = Array(text.utf8)
        let mib = try #require(CSVSplitter.parts(of: big, size: bytes.count, partBytes: 1 << 20, threads: 2))
        #expect(mib.count == 4)
        for p in mib.dropFirst() {
            let before = bytes[..<p.bytes.lowerBound]
            #expect(before.last == 0x0A && before.filter { $0 == 0x22 }.count % 2 == 0)
            #expect(p.firstLine == 1 + before.filter { $0 == 0x0A }.count)
        }
        #expect(try mib.allSatisfy { p in try CSVReader(path: big, part: p).forEachRecord { _ in true } })
        try FileManager.default.removeItem(atPath: big)

        let q1 = try TemporaryDirectory("whole"), q2 = try TemporaryDirectory("parts")
        defer { q1.remove(); q2.remove() }
        let whole = try ingestDrop(dir.path, demo: false, quarantine: q1.path, partBytes: 0)
        let cut = try ingestDrop(dir.path, demo: false, quarantine: q2.path, partBytes: 8192)
        #expect(whole.people == cut.people)
        #expect(whole.tables.keys.sorted() == cut.tables.keys.sorted())
        for (name, t) in whole.tables {
            let u = try #require(cut.tables[name])
            #expect(t.columnNames == u.columnNames)
            for (c, column) in t.columns { #expect(fingerprint(column) == fingerprint(u[c]!), "\(name).\(c)") }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(whole.reports) == encoder.encode(cut.reports))
        let crimes = try #require(cut.reports.first { $0.source == "police_crimes" })
        #expect(crimes.rowsRead == crimes.accepted + crimes.rejected && crimes.rowsRead > 3000)
        // Quarantine files alike, and no part's spool left behind.
        let names1 = try FileManager.default.contentsOfDirectory(atPath: q1.path).sorted()
        let names2 = try FileManager.default.contentsOfDirectory(atPath: q2.path).sorted()
        #expect(names1 == names2)
        for n in names1 {
            #expect(FileManager.default.contents(atPath: q1.file(n)) == FileManager.default.contents(atPath: q2.file(n)), "\(n)")
        }
    }

    /// A file over its source's tolerance fails the drop; within it, the drop only warns.
    @Test func toleranceDecidesBetweenWarningAndFailure() throws {
        let dir = try plainSampleDropCopy()
        defer { dir.remove() }
        let path = dir.file("child_protection_plans.csv")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "CPP99999,P1,Ann,Smith,01/01/2015,F,WBRI,,SY1 1AA,not-a-date,,NEG,1\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let drop = try ingestDrop(dir.path, demo: false)
        let report = try #require(drop.reports.first { $0.source == "child_protection_plans" })
        #expect(report.rejected == 1)
        #expect(report.status == .failed)  // 1 of 37 rows is over the 1% tolerance
        #expect(drop.status == .failed)
    }
}
