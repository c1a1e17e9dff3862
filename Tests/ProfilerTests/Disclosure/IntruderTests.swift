import Benchmarking
import Definitions
import Disclosure
import Foundation
import Pipeline
import Profiles
import Reference
import SyntheticDrop
import TestSupport
import Testing

@testable import Ingest

/// The intruder's attack on what a build publishes, read back from the files it wrote: for each
/// group, everything in the group's `profiles.json` and in the public summary's (which any partner
/// can also read), each table matched to the engine's own version of it (which carries what each
/// count counts), and every relation of the disclosure model between them. Linear programming
/// then gives the least and greatest value of every withheld small count; none may be narrowed
/// below its whole small range.
@Suite("Disclosure control: the intruder")
struct IntruderTests {
    struct Attack {
        /// Per group: what the intruder learns (empty when the release is safe).
        var findings: [String: [String]] = [:]
        /// Per group: tables the group's folder has, and withheld whole.
        var released: [String: Int] = [:]
        var withheld: [String: Int] = [:]
    }

    /// Builds `drop` with the command line (JSON outputs), then attacks every group.
    static func attack(drop: String, demo: Bool) throws -> Attack {
        let out = try TemporaryDirectory("intruder")
        defer { out.remove() }
        var arguments = ["build", "--data", drop, "--out", out.file("out"), "--period", "2025-26", "--format", "json"]
        if !demo { arguments += ["--key-file", try out.write("key", "a-test-key-that-is-long-enough-0123456789")] }
        let code = try runProfiler(arguments)
        #expect(code == 0 || code == 1, "build exit code \(code)")
        return try attack(outputs: out.file("out"), drop: drop, demo: demo)
    }

    /// Attacks the groups whose `profiles.json` is in `outputs` (built from `drop`).
    /// `linkage`: the linkage the outputs were built with, when not the shipped definition's.
    static func attack(outputs: String, drop: String, demo: Bool, linkage: LinkageDefinition.Method? = nil) throws -> Attack {
        let out = (file: { (name: String) in outputs + "/" + name.dropFirst("out/".count) }, path: outputs)

        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)
        let groups = try GroupDefinition.loadAll(
            directory: TestPaths.profiles + "/groups", profiles: profiles, audiences: try AudiencePolicy.load(profiles: TestPaths.profiles))
        let engine = ProfileEngine(
            drop: try ingestDrop(drop, demo: demo, linkage: linkage), period: try #require(ReportingPeriod("2025-26")), threads: 2)
        // Every profile's tables and its comparison section, as the build makes them.
        let benchmarks = try BenchmarkCatalogue.load(directory: TestPaths.profiles + "/benchmarks", profiles: profiles)
        let published = try ComparatorFiles.load(
            folders: [TestPaths.comparators, drop + "/reference/comparators"],
            profilesDirectory: TestPaths.profiles, geography: TestPaths.geography)
        let areas = try AreaLookup(folder: TestPaths.comparators)
        var built: [String: [ProfileTable]] = [:]
        for p in profiles.profiles {
            built[p.id] = engine.build(p)
            if let definition = benchmarks.definition(for: p.id) {
                built[p.id]! += BenchmarkSection(
                    definition: definition, groups: benchmarks.groups, areas: areas, published: published.values
                )
                .tables(profile: p, engine: engine)
            }
        }
        let titles = Dictionary(uniqueKeysWithValues: profiles.profiles.map { ($0.id, $0.title) })
        func card(_ ids: [String]) -> ProfileTable? {
            Scorecard.table(ids.compactMap { id in built[id]?.first { $0.id == "success_measures" }.map { (titles[id] ?? id, $0) } })
        }
        let publicGroup = try #require(groups.first { $0.audience == .public })
        let publicJSON = try document(out.file("out/\(publicGroup.id)/profiles.json"))

        var attack = Attack()
        for g in groups where FileManager.default.fileExists(atPath: out.file("out/\(g.id)/profiles.json")) {
            let own = try document(out.file("out/\(g.id)/profiles.json"))
            // The intruder's universe: the group's profiles and the public summary's, each table once,
            // and each scorecard it can read.
            var original: [ProfileTable] = []
            var released: [ProfileTable?] = []
            for id in Array(Set(g.profiles + publicGroup.profiles)).sorted() {
                for t in built[id] ?? [] {
                    original.append(t)
                    released.append(merge(t, [own.tables[id + "/" + t.id], publicJSON.tables[id + "/" + t.id]].compactMap { $0 }))
                }
            }
            for (group, doc) in [(g, own), (publicGroup, publicJSON)] where group.scorecard {
                guard var t = card(group.profiles), let shown = doc.extra["scorecard"] else { continue }
                // The group's own rows of its audience's scorecard.
                let keep = t.rows.indices.filter { r in shown.rows.contains { $0.first as? String == t.rows[r][0].description } }
                t.rows = keep.map { t.rows[$0] }
                if var meaning = t.meaning {
                    meaning.counts = meaning.counts.mapValues { cells in keep.map { cells[$0] } }
                    t.meaning = meaning
                }
                original.append(t)
                released.append(merge(t, [shown]))
            }
            attack.findings[g.id] = DisclosureControl.audit(
                original: original, released: released, rule: DisclosureRule(threshold: g.threshold))
            attack.released[g.id] = own.tables.count
            attack.withheld[g.id] = g.profiles.reduce(0) { n, id in
                n + (built[id] ?? []).filter { own.tables[id + "/" + $0.id] == nil }.count
            }
        }
        return attack
    }

    /// A group's profiles.json: each table's columns and rows, by "profile/table".
    struct Document {
        struct Table { let columns: [String]; let rows: [[Any]] }
        var tables: [String: Table] = [:]
        var extra: [String: Table] = [:]
    }

    static func document(_ path: String) throws -> Document {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        func table(_ t: [String: Any]) -> Document.Table {
            Document.Table(columns: t["columns"] as? [String] ?? [], rows: t["rows"] as? [[Any]] ?? [])
        }
        var doc = Document()
        for p in json["profiles"] as? [[String: Any]] ?? [] {
            for t in p["tables"] as? [[String: Any]] ?? [] { doc.tables["\(p["id"]!)/\(t["id"]!)"] = table(t) }
        }
        for t in json["tables"] as? [[String: Any]] ?? [] { doc.extra["\(t["id"]!)"] = table(t) }
        return doc
    }

    /// The engine's table as the intruder sees it across the published copies: a cell is known if
    /// any copy shows it; a hidden count (behind a rate or a share) is known while a figure worked
    /// out from it is shown. Nil when no copy is published. Every shown figure must be the true one,
    /// rounded as the CSV shows it.
    static func merge(_ t: ProfileTable, _ copies: [Document.Table]) -> ProfileTable? {
        guard !copies.isEmpty else { return nil }
        var out = t
        var rowOf: [[String]: Int] = [:]
        let labels = t.kinds.indices.filter {
            t.kinds[$0] == .label || (t.kinds[$0] == .other && t.columns[$0] == "measure") || t.columns[$0] == "priority"
                || t.columns[$0] == "comparison" || t.columns[$0] == "area_code"
        }
        for r in t.rows.indices { rowOf[labels.map { t.rows[r][$0].description }] = r }
        for c in t.columns.indices where !t.hidden.contains(c) { for r in t.rows.indices { out.rows[r][c] = .suppressed } }
        for copy in copies {
            let at = Dictionary(uniqueKeysWithValues: copy.columns.enumerated().map { ($1, $0) })
            for row in copy.rows {
                let key = labels.map { c -> String in
                    guard let i = at[t.columns[c]] else { return "" }
                    return row[i] as? String ?? (row[i] as? NSNumber)?.stringValue ?? ""
                }
                guard let r = rowOf[key] else {
                    Issue.record("\(t.profile)/\(t.id): a published row \(key) the engine does not have")
                    continue
                }
                for c in t.columns.indices where !t.hidden.contains(c) {
                    guard let i = at[t.columns[c]] else { continue }
                    if (row[i] as? String) == "c" { continue }
                    out.rows[r][c] = t.rows[r][c]
                    if let n = row[i] as? NSNumber, case .count(let v) = t.rows[r][c] {
                        #expect(n.intValue == v, "\(t.profile)/\(t.id) \(t.columns[c]) row \(r + 1)")
                    }
                    if let n = row[i] as? NSNumber, case .number = t.rows[r][c] {
                        #expect(
                            abs(n.doubleValue - Double(t.rows[r][c].description)!) < 1e-9,
                            "\(t.profile)/\(t.id) \(t.columns[c]) row \(r + 1)")
                    }
                }
            }
        }
        // A hidden count is known while a figure worked out from it is shown.
        for c in t.hidden.sorted() {
            for r in t.rows.indices {
                var revealing: [Int] = []
                for (d, kind) in t.kinds.enumerated() {
                    if case .derived(let bases) = kind, bases.contains(c) { revealing.append(d) }
                    if kind == .count, t.meaning?.numberBases[d]?.contains(c) == true, case .number = t.rows[r][d] { revealing.append(d) }
                }
                let shown = revealing.contains { out.rows[r][$0] != .suppressed && out.rows[r][$0] != .missing }
                out.rows[r][c] = shown ? t.rows[r][c] : (t.rows[r][c] == .missing ? .missing : .suppressed)
            }
        }
        // A missing figure stays missing (it was never a count).
        for c in t.columns.indices { for r in t.rows.indices where t.rows[r][c] == .missing { out.rows[r][c] = .missing } }
        return out
    }

    /// The bundled drop: no group's readers, with the public summary besides, can narrow a withheld
    /// small count.
    @Test func noGroupOfTheBundledDropGivesAwayASmallCount() throws {
        let attack = try Self.attack(drop: TestPaths.sampleDrop, demo: true)
        #expect(attack.findings.count == 8)
        for (g, found) in attack.findings.sorted(by: { $0.key < $1.key }) {
            #expect(found.isEmpty, "\(g): \(found.prefix(5).joined(separator: "; "))")
        }
    }

    /// The regression input: the bundled drop's outputs as the table-by-table control published
    /// them (Fixtures/disclosure/before), beside the drop they were built from (before-drop), by an
    /// engine that linked people by exact keys only. Each table passed its own audit; attacked
    /// together, the public summary and the Adults group's folder give small counts away.
    @Test func theTableByTableOutputsOfBeforeGiveSmallCountsAway() throws {
        let attack = try Self.attack(
            outputs: TestPaths.root + "/Fixtures/disclosure/before", drop: TestPaths.root + "/Fixtures/disclosure/before-drop", demo: true,
            linkage: .exact)
        #expect(Set(attack.findings.keys) == ["adults", "public_summary"])
        // Adults: the outcomes of self-neglect enquiries, against the share of risk removed or
        // reduced in the success measures.
        #expect(attack.findings["adults"]?.contains("self_neglect/outcomes records_2025_26 row 1: can be narrowed to 1...2") == true)
        #expect(attack.findings["adults"]?.count ?? 0 >= 4)
        // The public: shares in the success measures and the scorecard whose counts are small.
        #expect(
            attack.findings["public_summary"]?.contains("self_neglect/success_measures numerator_2025_26 row 1: a count of 8 is shown")
                == true)
        #expect(attack.findings["public_summary"]?.count ?? 0 >= 10)
    }

    /// Generated drops of 100,000 and 320,000 residents (Shropshire's size) with other seeds; on the
    /// larger one no table is withheld whole. Long (a minute or two in a debug build): run with
    /// PROFILER_LONG_TESTS=1; results recorded in Benchmarks/RESULTS.md.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROFILER_LONG_TESTS"] != nil), arguments: [(100_000, 7), (320_000, 11)])
    func noGroupOfAGeneratedDropGivesAwayASmallCount(people: Int, seed: Int) throws {
        let dir = try TemporaryDirectory("drop")
        defer { dir.remove() }
        _ = try SampleDropGenerator.generate(
            SampleDropOptions(people: people, years: 3, seed: UInt64(seed), geographyPath: TestPaths.geography), into: dir.path)
        let attack = try Self.attack(drop: dir.path, demo: false)
        for (g, found) in attack.findings.sorted(by: { $0.key < $1.key }) {
            #expect(found.isEmpty, "\(g): \(found.prefix(5).joined(separator: "; "))")
            print(
                "intruder \(people) seed \(seed): \(g): \(attack.released[g] ?? 0) tables released, \(attack.withheld[g] ?? 0) withheld whole, \(found.count) findings"
            )
        }
        if people >= 320_000 { #expect(attack.withheld.values.allSatisfy { $0 == 0 }, "\(attack.withheld)") }
    }
}
