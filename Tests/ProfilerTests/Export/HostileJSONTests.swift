import Foundation
import TestSupport
import Testing

/// Labels a browser, a spreadsheet or a JSON parser would trip on, planted in a drop, come out of
/// every JSON file a build writes as valid JSON holding them exactly, with no raw `<` anywhere (so
/// each file can sit in a page): a school's reason code that the code list keeps as written (in
/// the groups' `profiles.json` and as an unknown code in `quality.json`), a column no definition
/// reads (`quality.json`), and the drop's own folder name (`manifest.json`, `quality.json`, and a
/// failed build's `OUT.failed-quality.json`). `validate --json` prints the same report as `quality.json`.
@Suite("Export: hostile labels through every JSON output")
struct HostileJSONTests {
    /// (A NUL byte is refused at ingest, so it cannot reach an output: the writer's tests cover it.)
    static let labels = [
        "\"quoted\"", "back\\slash", "line\nbreak", "tab\there", "</script><script>alert(1)</script>",
        "=HYPERLINK(\"http://x\")", "line\u{2028}separator", "emoji 😀",
    ]
    static let column =
        "Note \"quoted\" back\\slash line\nbreak\ttab </script><script>alert(1)</script> =HYPERLINK(\"http://x\") \u{2028} 😀"
    /// Under the test's folder: the `/` of `</b>` makes it three folders deep.
    static let dropFolder = "drop \"q\" back\\slash line\nbreak\ttab\u{2028} 😀 </b><script>alert(1)</script>"

    /// A plain copy of the bundled drop at a hostile path, each label on every fourth suspension's
    /// reason, and a hostile extra column in the education extract.
    private func hostileDrop(in work: TemporaryDirectory) throws -> String {
        let copy = try plainSampleDropCopy()
        defer { copy.remove() }
        let drop = work.file(Self.dropFolder)
        let parent = String(drop[..<drop.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: copy.path, toPath: drop)
        let path = drop + "/education.csv"
        let table = try CSVTable(path: path)
        let type = table.column("EventType"), reason = table.column("Reason")
        var lines = [csvLine(table.header + [Self.column])]
        var suspensions = 0
        for var row in table.rows {
            if row[type] == "Suspension" {
                if suspensions % 4 == 0 { row[reason] = Self.labels[(suspensions / 4) % Self.labels.count] }
                suspensions += 1
            }
            lines.append(csvLine(row + [""]))
        }
        #expect(suspensions > 40 * Self.labels.count)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return drop
    }

    /// A JSON file, parsed: it must parse and hold no raw `<`.
    private func parsed(_ path: String) throws -> Any {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(!data.contains(UInt8(ascii: "<")), "a raw < in \(path)")
        return try JSONSerialization.jsonObject(with: data)
    }

    /// Every `.json` file under `folder`, parsed, by path inside it.
    private func documents(under folder: String) throws -> [String: Any] {
        var found: [String: Any] = [:]
        for name in FileManager.default.subpaths(atPath: folder) ?? [] where name.hasSuffix(".json") {
            found[name] = try parsed(folder + "/" + name)
        }
        return found
    }

    /// The education file's entry in a quality report holds the labels as unknown codes and the
    /// hostile column as unread; the report names the drop as given.
    private func checkQuality(_ object: Any?, drop: String, _ name: String) throws {
        let quality = try #require(object as? [String: Any], "\(name)")
        #expect(quality["drop"] as? String == drop, "\(name)")
        let files = quality["files"] as? [[String: Any]] ?? []
        let education = try #require(files.first { $0["source"] as? String == "education" }, "\(name)")
        let codes = (education["unknownCodes"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
        #expect(Set(codes) == Set(Self.labels), "\(name): \(codes)")
        #expect(education["unreadColumns"] as? [String] == [Self.column], "\(name)")
    }

    @Test func everyJSONFileOfABuildParsesAndHoldsTheLabelsAsPlanted() throws {
        let work = try TemporaryDirectory("hostile-json")
        defer { work.remove() }
        let drop = try hostileDrop(in: work)
        let key = try work.write("key", "hostile-json-test-key-0123456789abcdefghij")
        let out = work.file("out")
        let status = try runProfiler([
            "build", "--data", drop, "--key-file", key, "--out", out, "--format", "json", "--profile", "exploitation",
        ])
        #expect(status == 0 || status == 1)
        let json = try documents(under: out)
        #expect(json.keys.filter { $0.hasSuffix("/profiles.json") }.count >= 8 && json["manifest.json"] != nil)

        // profiles.json: the labels are rows of the table by reason, in each group that has it.
        var groupsWithTheTable = 0
        for (name, document) in json where name.hasSuffix("/profiles.json") {
            let profiles = (document as? [String: Any])?["profiles"] as? [[String: Any]] ?? []
            for table in profiles.flatMap({ $0["tables"] as? [[String: Any]] ?? [] }) where table["id"] as? String == "school_sessions_lost"
            {
                groupsWithTheTable += 1
                let reasons = (table["rows"] as? [[Any]] ?? []).compactMap { $0.first as? String }
                #expect(Set(Self.labels).isSubset(of: reasons), "\(name): \(reasons)")
            }
        }
        #expect(groupsWithTheTable >= 2)
        try checkQuality(json["quality.json"], drop: drop, "quality.json")
        let manifest = try #require(json["manifest.json"] as? [String: Any])
        #expect(manifest["drop"] as? String == drop)
        let outputs = (manifest["outputs"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(outputs.contains("quality.json") && outputs.contains("exploitation/profiles.json"))

        // A build that fails (a dataset missing) leaves its report beside the output.
        try FileManager.default.moveItem(atPath: drop + "/homelessness.csv", toPath: work.file("homelessness.csv"))
        let failed = work.file("failed")
        #expect(try runProfiler(["build", "--data", drop, "--key-file", key, "--out", failed, "--format", "json"]) == 2)
        try checkQuality(try parsed(failed + ".failed-quality.json"), drop: drop, "failed-quality.json")
    }
}
