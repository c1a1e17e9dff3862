import ArgumentParser
import Benchmarking
import Definitions
import Disclosure
import Export
import Foundation
import Profiles
import TestSupport
import Testing

@testable import Ingest
@testable import ProfilerCLI

@Suite("Groups: protected outputs")
struct GroupOutputTests {
    /// On the bundled drop, under the public rule chosen over every table at once, no released
    /// table shows a count of 1 to 9, the intruder's LP audit of the whole release finds nothing,
    /// a rate beside a withheld count is withheld too, and most tables are released.
    @Test func publicTablesOfTheBundledDropShowNoSmallCounts() throws {
        let tables = try bundledDropTables(benchmarks: true)
        let release = DisclosureControl.protect(tables, rule: DisclosureRule(threshold: 10))
        #expect(DisclosureControl.audit(original: tables, released: release.tables, rule: DisclosureRule(threshold: 10)).isEmpty)
        var released = 0, withheldCells = 0
        for (table, out) in zip(tables, release.tables) {
            guard let out else { continue }
            released += 1
            for (c, kind) in out.kinds.enumerated() {
                for row in out.rows {
                    if kind == .count, case .count(let n) = row[c] {
                        #expect(n == 0 || n >= 10, "\(table.profile)/\(table.id) \(table.columns[c])")
                    }
                    if case .derived(let bases) = kind, bases.contains(where: { row[$0] == .suppressed }) {
                        #expect(row[c] == .suppressed || row[c] == .missing, "\(table.profile)/\(table.id) \(table.columns[c])")
                    }
                    if row[c] == .suppressed { withheldCells += 1 }
                }
            }
        }
        #expect(released > 80 && withheldCells > 100)
    }

    /// Formula-like labels planted in a code list reach the group CSVs neutralised; negative
    /// numbers (a fall in a success measure) stay numbers; a label that is markup is escaped in the
    /// HTML report.
    @Test func formulaLikeTextIsNeutralisedInEveryExportedCSV() throws {
        let dir = try TemporaryDirectory("profiles")
        defer { dir.remove() }
        try FileManager.default.removeItem(atPath: dir.path)
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: dir.path)
        let path = dir.path + "/sources/police_crimes.yaml"
        var yaml = try String(contentsOfFile: path, encoding: .utf8)
        let planted = [
            "Robbery": "=HYPERLINK(\"http://example.org\",\"x\")", "Burglary": "+1", "Shoplifting": "-2+3", "Bicycle theft": "@SUM(1)",
            "Other theft": "<script>alert(1)</script>",
        ]
        for (label, formula) in planted {
            let quoted = "'" + formula + "'"
            yaml = yaml.replacingOccurrences(of: "      \(label): [", with: "      \(quoted): [")
        }
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let out = try TemporaryDirectory("out")
        defer { out.remove() }
        #expect(try runProfiler(["build", "--profiles", dir.path, "--out", out.path, "--group", "community_safety"]) == 0)
        let csv = try String(contentsOfFile: out.file("community_safety/preventing_offending/offence_groups.csv"), encoding: .utf8)
        let table = try CSVTable(path: out.file("community_safety/preventing_offending/offence_groups.csv"))
        let labels = table.values("offence")
        for formula in planted.values where formula.first != "<" {
            #expect(labels.contains("'" + formula), "\(formula) in \(labels)")
            #expect(!labels.contains(formula))
        }
        // Markup from the data is text in the HTML report, not markup.
        #expect(labels.contains("<script>alert(1)</script>"))
        let report = try String(contentsOfFile: out.file("community_safety/report.html"), encoding: .utf8)
        #expect(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!report.contains("<script"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://example.org\"\",\"\"x\"\")\""))
        // A negative change in the success measures is a number, not neutralised.
        let success = try CSVTable(path: out.file("community_safety/preventing_offending/success_measures.csv"))
        let changes = success.values("change")
        #expect(changes.contains { $0.hasPrefix("-") && Double($0) != nil })
        #expect(!changes.contains { $0.hasPrefix("'") })
    }

    /// Group outputs go to OUT/<group>/, with a DISCLOSURE.txt saying what was withheld; the
    /// Executive group has the scorecard of every profile's measures of success.
    @Test func everyGroupGetsItsProfilesAndTheExecutiveItsScorecard() throws {
        // A folder of its own around the output, so that other tests' builds are not seen in it.
        let parent = try TemporaryDirectory("parent")
        defer { parent.remove() }
        let out = (path: parent.file("out"), file: { (name: String) in parent.file("out/" + name) })
        #expect(try runProfiler(["build", "--out", out.path]) == 0)
        let groups = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasSuffix(".json") && $0 != "tables" }
            .sorted()
        #expect(
            groups == [
                "adults", "childrens", "community_safety", "domestic_abuse", "executive", "exploitation", "public_summary", "transitions",
            ])
        for g in groups { #expect(FileManager.default.fileExists(atPath: out.file("\(g)/DISCLOSURE.txt")), "\(g)") }
        let card = try CSVTable(path: out.file("executive/scorecard.csv"))
        #expect(Set(card.values("priority")).count == 7)
        #expect(!FileManager.default.fileExists(atPath: out.file("domestic_abuse/neglect")))
        // Nothing but the output is left beside it (no staging folder, no old output).
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted() == ["out", "out.lock"])
    }

    /// A group definition whose id could escape the output folder is refused with its file and line.
    @Test func groupIdsCannotEscapeTheOutputFolder() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
        #expect {
            _ = try GroupDefinition.parse(
                "group: ../escape\nprofiles: [neglect]\n", file: "g.yaml", profiles: profiles,
                audiences: try AudiencePolicy.load(profiles: TestPaths.profiles))
        } throws: { ($0 as? DefinitionErrors)?.errors.first.map { $0.line == 1 && $0.key == "group" } ?? false }
        #expect {
            _ = try GroupDefinition.parse(
                "group: open\nprofiles: [neglect, nothing]\naudience: public\nsuppress_below: 5\n", file: "g.yaml", profiles: profiles,
                audiences: try AudiencePolicy.load(profiles: TestPaths.profiles))
        } throws: { ($0 as? DefinitionErrors)?.errors.map(\.key).sorted() == ["profiles", "suppress_below"] }
    }
}

@Suite("Groups: formats and publication")
struct PublicationTests {
    private func shell(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try ProcessRun.tool(executable, arguments)
        return (run.status, run.stdout)
    }

    /// Each group's database opens with the sqlite3 tool; its catalogue names every table in it,
    /// with a description, and every column; the JSON document parses and holds the same tables.
    @Test func databasesAndJSONHoldEveryReleasedTable() throws {
        let out = try TemporaryDirectory("out")
        defer { out.remove() }
        #expect(try runProfiler(["build", "--out", out.path, "--group", "executive", "--group", "public_summary"]) == 0)
        for g in ["executive", "public_summary"] {
            let db = out.file("\(g)/profiles.sqlite")
            let tables = try shell(
                "/usr/bin/sqlite3",
                [db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('catalogue', 'columns') ORDER BY name"])
            #expect(tables.status == 0)
            let catalogued = try shell(
                "/usr/bin/sqlite3", [db, "SELECT table_name FROM catalogue WHERE description <> '' ORDER BY table_name"])
            #expect(tables.output == catalogued.output && tables.output.split(separator: "\n").count > 20, "\(g)")
            let columns = try shell("/usr/bin/sqlite3", [db, "SELECT count(DISTINCT table_name) FROM columns"])
            #expect(Int(columns.output.trimmingCharacters(in: .whitespacesAndNewlines)) == tables.output.split(separator: "\n").count)
            // The same tables as the CSV files of the group.
            let csvs = (FileManager.default.subpaths(atPath: out.file(g)) ?? []).filter { $0.hasSuffix(".csv") }
            #expect(csvs.count == tables.output.split(separator: "\n").count)
            let json =
                try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out.file("\(g)/profiles.json"))))
                as? [String: Any]
            let inJSON =
                ((json?["profiles"] as? [[String: Any]]) ?? []).flatMap { ($0["tables"] as? [[String: Any]]) ?? [] }.count
                + ((json?["tables"] as? [[String: Any]]) ?? []).count
            #expect(inJSON == csvs.count)
        }
        // The public database shows no count from 1 to 9 in a count column.
        let small = try shell(
            "/usr/bin/sqlite3",
            [
                out.file("public_summary/profiles.sqlite"),
                "SELECT c.table_name || '.' || c.column_name FROM columns c WHERE c.kind = 'count'",
            ])
        var checked = 0
        for line in small.output.split(separator: "\n") {
            let parts = line.split(separator: ".", maxSplits: 1).map(String.init)
            let count = try shell(
                "/usr/bin/sqlite3",
                [
                    out.file("public_summary/profiles.sqlite"),
                    "SELECT count(*) FROM \"\(parts[0])\" WHERE typeof(\"\(parts[1])\") = 'integer' AND \"\(parts[1])\" BETWEEN 1 AND 9",
                ])
            #expect(count.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(line)")
            checked += 1
        }
        #expect(checked > 50)
    }

    /// Two builds of the same drop give the same bytes in every file but the manifest's time, and
    /// the manifest lists every output with its SHA-256.
    @Test func twoBuildsOfTheSameDropAreByteIdentical() throws {
        let a = try TemporaryDirectory("a"), b = try TemporaryDirectory("b")
        defer { a.remove(); b.remove() }
        #expect(try runProfiler(["build", "--out", a.path, "--group", "community_safety"]) == 0)
        #expect(try runProfiler(["build", "--out", b.path, "--group", "community_safety"]) == 0)
        #expect(try differingFiles(a.path, b.path) == ["manifest.json"])
        let manifest =
            try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: a.file("manifest.json")))) as? [String: Any]
        let outputs = (manifest?["outputs"] as? [[String: Any]]) ?? []
        let files = (FileManager.default.subpaths(atPath: a.path) ?? []).filter { p in
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: a.file(p), isDirectory: &d) && !d.boolValue && p != "manifest.json"
        }
        #expect(outputs.count == files.count)
        let quality = outputs.first { $0["file"] as? String == "quality.json" }
        #expect(quality?["sha256"] as? String == Export.Manifest.sha256(ofFile: a.file("quality.json")))
        #expect(((manifest?["inputs"] as? [[String: Any]]) ?? []).count == 11)
    }

    /// A build that fails (a drop over its tolerance) leaves the previous output as it was.
    @Test func aFailedBuildLeavesThePreviousOutput() throws {
        let out = try TemporaryDirectory("out")
        defer { out.remove(); try? FileManager.default.removeItem(atPath: out.path + ".failed-quality.json") }
        #expect(try runProfiler(["build", "--out", out.path, "--group", "transitions", "--format", "csv"]) == 0)
        let before = FileManager.default.contents(atPath: out.file("manifest.json"))
        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        try FileManager.default.removeItem(atPath: drop.file("police_crimes.csv"))
        let key = try drop.write("key", "a-test-key-that-is-long-enough-0123456789")
        #expect(try runProfiler(["build", "--data", drop.path, "--key-file", key, "--out", out.path]) == 2)
        #expect(FileManager.default.contents(atPath: out.file("manifest.json")) == before)
        #expect(FileManager.default.fileExists(atPath: out.file("transitions/transitional_safeguarding/success_measures.csv")))
        #expect(!FileManager.default.fileExists(atPath: out.file("transitions/profiles.json")))
        #expect(FileManager.default.fileExists(atPath: out.path + ".failed-quality.json"))
    }
}

/// Builds killed (SIGKILL, so nothing of the engine's runs after it) at random points of each
/// phase, found from the build's JSON log: while reading the drop, while building the profiles,
/// while writing the outputs, and as the output is put in place. Whatever the moment, the published
/// output is the last complete one, no lock is left held, and the next build clears what the
/// killed ones left. 8 rounds (2 per phase); 28 with PROFILER_LONG_TESTS=1 (result in
/// Benchmarks/RESULTS.md).
@Suite("Groups: killed builds")
struct KilledBuildTests {
    /// Where to kill: after the log line starting with `message`, a random wait of up to `delay` ms.
    private struct Target {
        let phase: String
        let message: String
        let delay: UInt32
    }

    /// The JSON log lines completed by `chunk` (the rest kept in `pending`): each line's message and
    /// its phase, where it names one.
    static func logLines(_ chunk: Data, pending: inout Data, _ body: (String, String?) -> Void) {
        pending.append(chunk)
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = pending[pending.startIndex..<newline]
            pending = Data(pending[(newline + 1)...])
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                let message = object["message"] as? String
            else { continue }
            body(message, (object["metadata"] as? [String: Any])?["phase"] as? String)
        }
    }

    @Test func aKilledBuildNeverChangesThePublishedOutput() throws {
        let binary = TestPaths.profilerBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("no \(binary): run swift build first"); return
        }
        let parent = try TemporaryDirectory("kills")
        defer { parent.remove() }
        let out = parent.file("out")
        func build() throws -> (process: RunningProcess, log: FileHandle) {
            let p = try ProcessRun.start(
                binary, ["build", "--out", out, "--group", "community_safety", "--group", "executive", "--log-format", "json"])
            return (p, p.stderr)
        }
        func finish(_ b: (process: RunningProcess, log: FileHandle)) -> Int32 { b.process.wait().status }
        // A first build, timing how long each phase lasts on this machine (from its line in the
        // log to the next phase's), so that kills aimed at a phase land inside it.
        let messages = ["reading ", "building profiles", "writing the tables", "publishing "]
        var seenAt: [String: Date] = [:]
        let first = try build()
        var firstPending = Data()
        while true {
            let chunk = first.log.availableData
            if chunk.isEmpty { break }
            Self.logLines(chunk, pending: &firstPending) { message, _ in
                for m in messages where message.hasPrefix(m) && seenAt[m] == nil { seenAt[m] = Date() }
            }
        }
        let ended = Date()
        #expect(finish(first) == 0)
        #expect(seenAt.count == messages.count, "phases seen in the log: \(seenAt.keys.sorted())")
        /// Milliseconds from a phase's line to the next phase's (at least 1).
        func window(_ i: Int) -> UInt32 {
            guard let start = seenAt[messages[i]] else { return 1 }
            let end = i + 1 < messages.count ? (seenAt[messages[i + 1]] ?? ended) : ended
            return max(1, UInt32(end.timeIntervalSince(start) * 1000))
        }
        let published = outputSnapshot(out)
        #expect(published.count > 50)
        let targets = [
            Target(phase: "ingest", message: messages[0], delay: window(0)),
            Target(phase: "aggregate", message: messages[1], delay: window(1)),
            Target(phase: "publish", message: messages[2], delay: window(2)),
            Target(phase: "commit", message: messages[3], delay: min(3, window(3))),
        ]
        let rounds = ProcessInfo.processInfo.environment["PROFILER_LONG_TESTS"] == nil ? 8 : 28
        var generator = SystemRandomNumberGenerator()
        var hits: [String: Int] = [:]
        var stagingLeft = 0
        for round in 0..<rounds {
            let target = targets[round % targets.count]
            let b = try build()
            // Read the log until the target's line, then wait a little and kill.
            var pending = Data(), last = "start", found = false
            func take(_ chunk: Data) {
                Self.logLines(chunk, pending: &pending) { message, phase in
                    last = message.hasPrefix("publishing ") ? "commit" : phase ?? last
                    if message.hasPrefix(target.message) { found = true }
                }
            }
            while !found {
                let chunk = b.log.availableData
                if chunk.isEmpty { break }
                take(chunk)
            }
            // Within the first half of the phase: the line is read a little after it is written,
            // and a loaded machine stretches phases unevenly.
            if found { usleep(UInt32.random(in: 0..<max(1, target.delay * 500), using: &generator)) }
            b.process.kill()
            take(b.log.readDataToEndOfFile())
            let hit = b.process.wait().signalled ? (last == "done" ? "after publication" : last) : "finished"
            hits[hit, default: 0] += 1
            if !leftovers(beside: out).isEmpty { stagingLeft += 1 }
            // The kernel released the killed build's lock.
            #expect((try? OutputLock(output: out))?.path == out + ".lock", "round \(round): the lock is still held")
            // Whatever the moment, the output is one complete build: the same files as before
            // (a build that finished before the kill published identical tables), with a manifest.
            if !FileManager.default.fileExists(atPath: out) {
                // Killed between moving the old output aside and renaming the new one in: the
                // next build puts the old one back (checked below).
                #expect(finish(try build()) == 0, "round \(round)")
            }
            #expect(outputSnapshot(out) == published, "round \(round), killed in \(hit)")
            #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"), "round \(round)")
        }
        print(
            "killed builds: \(rounds) rounds, killed in "
                + hits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + "; \(stagingLeft) left a staging folder; published output unchanged each time")
        // The kills spread over the phases: each phase hit in the long loop (seven aimed at each);
        // in the short one (two aimed at each), at least three different phases, as timing on a
        // loaded machine can carry a kill aimed at one phase into the next.
        let phasesHit = ["ingest", "aggregate", "publish", "commit"].filter { hits[$0, default: 0] > 0 }
        if rounds >= 28 {
            for phase in ["ingest", "aggregate", "publish"] { #expect(hits[phase, default: 0] > 0, "no kill landed in \(phase): \(hits)") }
        } else {
            #expect(phasesHit.count >= 3, "kills landed in \(hits)")
        }
        // The next build succeeds and leaves no staging folder behind.
        #expect(finish(try build()) == 0)
        #expect(outputSnapshot(out) == published)
        #expect(leftovers(beside: out).isEmpty, "\(leftovers(beside: out))")
    }
}

@Suite("profiler diff")
struct DiffTests {
    @Test func changedCellsAddedAndRemovedRowsAndFilesAreListed() throws {
        let a = try TemporaryDirectory("a"), b = try TemporaryDirectory("b")
        defer { a.remove(); b.remove() }
        try FileManager.default.createDirectory(atPath: a.file("g"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: b.file("g"), withIntermediateDirectories: true)
        _ = try a.write("g/by_ward.csv", "ward,records,rate\nAbbey,5,1.0\nBelle Vue,7,c\n")
        _ = try b.write("g/by_ward.csv", "ward,records,rate\nAbbey,6,1.2\nCastle,3,0.5\n")
        _ = try a.write("g/same.csv", "x,n\na,1\n")
        _ = try b.write("g/same.csv", "x,n\na,1\n")
        _ = try b.write("g/new.csv", "x,n\n")
        let changes = try DiffCommand.compare(old: a.path, new: b.path, limit: 10)
        #expect(changes.changedFiles == 2)
        #expect(
            changes.lines == [
                "+ g/new.csv: only in \(b.path)", "~ g/by_ward.csv:", "    row Belle Vue: removed",
                "    Abbey / records: 5 -> 6", "    Abbey / rate: 1.0 -> 1.2", "    row Castle: added",
            ])
        #expect(try DiffCommand.compare(old: a.path, new: a.path, limit: 10).changedFiles == 0)
    }
}
