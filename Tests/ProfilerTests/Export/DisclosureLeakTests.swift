import Definitions
import Foundation
import Profiles
import TestSupport
import Testing

/// The side channels an intruder used on earlier outputs, each closed: what DISCLOSURE.txt says,
/// comparison words beside a withheld value, unrounded figures in the database, partners' and the
/// public's patterns chosen apart; and what the manifest reports of the loss.
@Suite("Disclosure control: side channels")
struct DisclosureLeakTests {
    /// One build of the bundled drop in every format, shared by the tests of this suite.
    static let build: Result<String, any Error> = Result {
        let dir = try TemporaryDirectory("leaks")
        let out = dir.file("out")
        guard try runProfiler(["build", "--out", out]) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return out
    }

    private func groups(_ out: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasSuffix(".json") && $0 != "tables" }.sorted()
    }

    /// DISCLOSURE.txt gives the rule and the tables withheld whole, never rows, intervals or how
    /// many cells of a table were withheld (which told an intruder which cells were small).
    @Test func disclosureNotesSayTheRuleAndTheTablesOnly() throws {
        let out = try Self.build.get()
        for g in try groups(out) {
            let lines = try String(contentsOfFile: out + "/\(g)/DISCLOSURE.txt", encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("withheld") == true, "\(g)")
            for line in lines.dropFirst() {
                #expect(
                    line == "Every table is released."
                        || line.hasSuffix("not released (no pattern of withheld cells protects all its small counts)."), "\(g): \(line)")
                #expect(!line.contains("row ") && !line.contains("narrowed") && !line.contains("..."), "\(g): \(line)")
            }
        }
    }

    /// Where this area's value is withheld, every comparator's word comparing it with this area is
    /// withheld too (with the published intervals, the words pinned the count).
    @Test func comparisonWordsAreWithheldWithTheAreasValue() throws {
        let out = try Self.build.get()
        var checked = 0
        for g in try groups(out) {
            let folder = out + "/\(g)"
            for profile in try FileManager.default.contentsOfDirectory(atPath: folder) {
                let path = folder + "/\(profile)/benchmark_areas.csv"
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let t = try CSVTable(path: path)
                let comparisons = t.values("comparison"), roles = t.values("role"), values = t.values("value"),
                    words = t.values("against_this_area")
                for (i, c) in comparisons.enumerated() where roles[i] == "this area" && values[i] == "c" {
                    checked += 1
                    for j in comparisons.indices where comparisons[j] == c && roles[j] != "this area" {
                        #expect(words[j] == "c", "\(g)/\(profile) \(c): '\(words[j])'")
                    }
                }
            }
        }
        #expect(checked > 0)
    }

    /// Every real number in every group's database is rounded as its CSV shows it (72.727... was
    /// stored whole, so a ratio was exact where the CSV rounded).
    @Test func theDatabasesHoldNumbersRoundedAsShown() throws {
        let out = try Self.build.get()
        for g in try groups(out) {
            let db = out + "/\(g)/profiles.sqlite"
            let columns = try sqlite(
                db, "SELECT m.name || '|' || p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
            )
            .split(separator: "\n").map { $0.split(separator: "|", maxSplits: 1).map(String.init) }
            let query = columns.map { "SELECT '\($0[0]).\($0[1])|' || \"\($0[1])\" FROM \"\($0[0])\" WHERE typeof(\"\($0[1])\") = 'real';" }
                .joined(separator: "\n")
            var reals = 0
            for line in try sqlite(db, query).split(separator: "\n") {
                reals += 1
                let parts = line.split(separator: "|")
                let x = try #require(Double(parts.last ?? ""))
                #expect(abs(x * 100 - (x * 100).rounded()) < 1e-6, "\(g) \(line)")
            }
            #expect(reals > 0, "\(g)")
        }
    }

    private func sqlite(_ db: String, _ query: String) throws -> String {
        try ProcessRun.tool("/usr/bin/sqlite3", ["-noheader", db, query]).stdout
    }

    /// Partners also read the public summary: every cell withheld from a partner group is withheld
    /// from the public too, so reading both shows a partner nothing more.
    @Test func thePublicWithholdsEverythingPartnersDo() throws {
        let out = try Self.build.get()
        var compared = 0
        for g in try groups(out) where g != "public_summary" {
            for profile in try FileManager.default.contentsOfDirectory(atPath: out + "/\(g)") {
                let folder = out + "/\(g)/\(profile)"
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { continue }
                for file in try FileManager.default.contentsOfDirectory(atPath: folder) {
                    let publicPath = out + "/public_summary/\(profile)/\(file)"
                    guard FileManager.default.fileExists(atPath: publicPath) else { continue }
                    let partner = try CSVTable(path: folder + "/" + file), open = try CSVTable(path: publicPath)
                    #expect(partner.rows.count == open.rows.count && partner.header == open.header, "\(profile)/\(file)")
                    for (a, b) in zip(partner.rows, open.rows) {
                        for (x, y) in zip(a, b) where x == "c" {
                            compared += 1
                            #expect(y == "c", "\(g) \(profile)/\(file): \(a) against \(b)")
                        }
                    }
                }
            }
        }
        #expect(compared > 100)
    }

    /// The manifest reports what disclosure control cost each group; on the bundled drop far fewer
    /// tables are withheld whole than the 65 of the table-by-table audit.
    @Test func theManifestReportsTheLoss() throws {
        let out = try Self.build.get()
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as? [String: Any])
        let entries = try #require(manifest["disclosure"] as? [[String: Any]])
        #expect(entries.count == 8)
        var withheld = 0
        for e in entries {
            #expect((e["cells_published"] as? Int ?? 0) > 50, "\(e)")
            #expect((e["primary_withheld"] as? Int ?? 0) > 0, "\(e)")
            #expect(e["secondary_withheld"] is Int)
            let tables = try #require(e["tables_withheld"] as? [[String: Any]])
            for t in tables { #expect((t["reason"] as? String)?.isEmpty == false) }
            withheld += tables.count
        }
        #expect(withheld < 65)
    }

    /// Two builds in two processes (each with its own hash seed, so its own dictionary orders)
    /// withhold the same cells: the pattern is part of what the same drop always gives.
    @Test(.enabled(if: ProcessRun.profilerIsBuilt)) func twoProcessesWithholdTheSameCells() throws {
        let dir = try TemporaryDirectory("twice")
        defer { dir.remove() }
        for name in ["a", "b"] {
            #expect(try ProcessRun.profiler(["build", "--out", dir.file(name), "--format", "csv"], environment: [:]).status == 0)
        }
        #expect(try differingFiles(dir.file("a"), dir.file("b")) == ["manifest.json"])
    }

    /// A threshold below 2 or above 100 is refused with file, line and key; so is a partners'
    /// threshold above the public summary's (partners read the public outputs too).
    @Test func groupThresholdsAreChecked() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
        for bad in [1, 0, 101] {
            #expect {
                _ = try GroupDefinition.parse(
                    "group: g\nprofiles: [neglect]\nsuppress_below: \(bad)\n", file: "g.yaml", profiles: profiles,
                    audiences: try AudiencePolicy.load(profiles: TestPaths.profiles))
            } throws: { error in
                let e = (error as? DefinitionErrors)?.errors.first
                return e?.file == "g.yaml" && e?.line == 3 && e?.key == "suppress_below" && e?.message.contains("2 to 100") == true
            }
        }
        let dir = try TemporaryDirectory("groups")
        defer { dir.remove() }
        try dir.write("open.yaml", "group: open\nprofiles: [all]\naudience: public\nsuppress_below: 10\n")
        try dir.write("partners.yaml", "group: partners\nprofiles: [neglect]\naudience: partners\nsuppress_below: 20\n")
        #expect {
            _ = try GroupDefinition.loadAll(
                directory: dir.path, profiles: profiles, audiences: try AudiencePolicy.load(profiles: TestPaths.profiles))
        } throws: { error in
            let e = (error as? DefinitionErrors)?.errors.first
            return e?.file.hasSuffix("partners.yaml") == true && e?.line == 4 && e?.key == "suppress_below"
                && e?.message.contains("public") == true
        }
    }
}
