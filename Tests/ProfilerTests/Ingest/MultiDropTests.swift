import Columnar
import Definitions
import Foundation
import TestSupport
import Testing

@testable import Ingest
@testable import ProfilerCLI

/// A build over several drops: a record a later drop gives again is kept from the latest drop only,
/// and the build says how many it replaced; row accounting per file stays read = accepted + rejected.
@Suite("Batch: several drops")
struct MultiDropTests {
    private static let key = "a-test-key-that-is-long-enough-0123456789"

    private func ingest(_ drops: [String], profiles: String = TestPaths.profiles) throws -> IngestedDrop {
        let catalogue = try SourceCatalogue.load(profiles: profiles, sources: "sources")
        let reference = try ReferenceData.load(drop: drops[0], defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
        let key = try LinkageKey.resolve(keyFile: nil, environment: [LinkageKey.environmentVariable: Self.key], isDemoDrop: false)
        return try DropIngestor.ingest(
            drops: drops, catalogue: catalogue, reference: reference, key: key, options: IngestOptions(threads: 2))
    }

    private func codes(_ table: ColumnTable, _ field: String, rows: some Sequence<Int>) -> [String: Int] {
        guard case .code(let c)? = table[field] else { return [:] }
        var counts: [String: Int] = [:]
        for r in rows { counts[c.value(r) ?? "", default: 0] += 1 }
        return counts
    }

    /// Drop 2 holds only homelessness: the first 150 records of drop 1 (one of them edited), two
    /// new records, one record twice, and a copy of record 200 that is refused (no approach date).
    @Test func aLaterDropReplacesTheRecordsItGivesAgain() throws {
        let first = try plainSampleDropCopy()
        let second = try TemporaryDirectory("drop2")
        defer { first.remove(); second.remove() }
        let original = try CSVTable(path: first.file("homelessness.csv"))
        #expect(original.rows.count == 212)
        let ref = original.column("CaseRef"), duty = original.column("DutyOwed"), approach = original.column("ApproachDate")
        var rows = Array(original.rows[0..<150])
        let editedFrom = rows[2][duty]
        rows[2][duty] = editedFrom == "Main duty" ? "Relief" : "Main duty"
        var new1 = rows[0], new2 = rows[0]
        new1[ref] = "HL/NEW/1"
        new2[ref] = "HL/NEW/2"
        var refused = original.rows[199]
        refused[approach] = ""
        let accepted2 = rows + [new1, new2, rows[1]]
        try second.write("homelessness.csv", ([original.header] + accepted2 + [refused]).map(csvLine).joined(separator: "\n") + "\n")

        let merged = try ingest([first.path, second.path])
        let merge = try #require(merged.merge)
        let homelessness = try #require(merge.datasets.first { $0.source == "homelessness" })
        #expect(homelessness.accepted == 212 + 153)
        #expect(homelessness.replaced == 150)
        #expect(homelessness.kept == 215)
        #expect(merged.tables["homelessness"]?.rowCount == 215)
        // Nothing else is replaced: every other dataset comes from drop 1 alone.
        #expect(merge.datasets.filter { $0.source != "homelessness" }.allSatisfy { $0.replaced == 0 })
        #expect(merge.replaced == 150)
        // Per file: read = accepted + rejected, and replaced apart.
        let firstFile = try #require(
            merged.reports.first { $0.file == "\(URL(fileURLWithPath: first.path).lastPathComponent)/homelessness.csv" })
        let secondFile = try #require(
            merged.reports.first { $0.file == "\(URL(fileURLWithPath: second.path).lastPathComponent)/homelessness.csv" })
        #expect(firstFile.rowsRead == 212 && firstFile.accepted == 212 && firstFile.rejected == 0 && firstFile.replaced == 150)
        #expect(secondFile.rowsRead == 154 && secondFile.accepted == 153 && secondFile.rejected == 1 && secondFile.replaced == 0)
        for r in merged.reports { #expect(r.rowsRead == r.accepted + r.rejected, "\(r.file)") }
        // The rows kept are drop 1's records 151-212 (200 among them: its later copy was refused)
        // and drop 2's accepted rows, the edit included.
        let alone = try ingest([first.path])
        let one = try #require(alone.tables["homelessness"]), table = try #require(merged.tables["homelessness"])
        var expected = codes(one, "duty", rows: 150..<212)
        for r in accepted2 { expected[r[duty], default: 0] += 1 }
        #expect(codes(table, "duty", rows: 0..<table.rowCount) == expected)
        #expect(codes(one, "duty", rows: 0..<212) != codes(table, "duty", rows: 0..<table.rowCount))
    }

    /// The same drop given twice: every record is replaced once, and the outputs are those of one
    /// drop (the manifest and the quality report aside, which list both drops).
    @Test func identicalDropsGiveTheOutputOfOne() throws {
        let parent = try TemporaryDirectory("twice")
        defer { parent.remove() }
        let key = try parent.write("key", Self.key)
        let a = parent.file("2025-04"), b = parent.file("2025-05")
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: a)
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: b)
        let once = parent.file("once"), twice = parent.file("twice")
        #expect(try runProfiler(["build", "--data", a, "--key-file", key, "--out", once]) == 0)
        #expect(try runProfiler(["build", "--data", a, "--data", b, "--key-file", key, "--out", twice]) == 0)
        #expect(try differingFiles(once, twice) == ["manifest.json", "quality.json"])
        let quality =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: twice + "/quality.json"))) as? [String: Any]
        let datasets = try #require((quality?["merge"] as? [String: Any])?["datasets"] as? [[String: Any]])
        #expect(datasets.count == 11)
        for d in datasets {
            let accepted = try #require(d["accepted"] as? Int), replaced = try #require(d["replaced"] as? Int)
            #expect(accepted > 0 && replaced * 2 == accepted, "\(d["source"] ?? "")")
        }
        let files = try #require(quality?["files"] as? [[String: Any]])
        #expect(files.count == 22)
        #expect(
            files.filter { ($0["file"] as? String)?.hasPrefix("2025-04/") == true }.allSatisfy {
                ($0["replaced"] as? Int) == ($0["accepted"] as? Int)
            })
        #expect(files.filter { ($0["file"] as? String)?.hasPrefix("2025-05/") == true }.allSatisfy { ($0["replaced"] as? Int) == 0 })
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: twice + "/manifest.json"))) as? [String: Any]
        #expect((manifest?["drops"] as? [String]) == [a, b])
        #expect(((manifest?["inputs"] as? [[String: Any]]) ?? []).allSatisfy { ($0["sha256"] as? String)?.count == 64 })
    }

    /// A source with no record_id read from two drops cannot be de-duplicated: every row of both
    /// is kept, and the run says so and ends with warnings (exit 1).
    @Test func aSourceWithoutARecordIDKeepsEveryRowAndWarns() throws {
        let profiles = try TemporaryDirectory("profiles")
        defer { profiles.remove() }
        try FileManager.default.removeItem(atPath: profiles.path)
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: profiles.path)
        let yaml = profiles.path + "/sources/homelessness.yaml"
        try (try String(contentsOfFile: yaml, encoding: .utf8)).replacingOccurrences(of: "record_id: CaseRef\n", with: "")
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        let parent = try TemporaryDirectory("drops")
        defer { parent.remove() }
        let a = parent.file("a"), b = parent.file("b")
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: a)
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: b)
        let merged = try ingest([a, b], profiles: profiles.path)
        #expect(merged.merge?.notDeduplicated == ["homelessness"])
        #expect(merged.tables["homelessness"]?.rowCount == 2 * 212)
        // A source with a record_id keeps one copy of each record: as many rows as one drop gives.
        let single = try ingest([a], profiles: profiles.path)
        #expect(merged.tables["police_crimes"]?.rowCount == single.tables["police_crimes"]?.rowCount)
        #expect((single.tables["police_crimes"]?.rowCount ?? 0) > 3000)
        #expect(merged.status == .warnings)
        let key = try parent.write("key", Self.key)
        #expect(try runProfiler(["validate", "--profiles", profiles.path, "--data", a, "--data", b, "--key-file", key]) == 1)
    }
}
