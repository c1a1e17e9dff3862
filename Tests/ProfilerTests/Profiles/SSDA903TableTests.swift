import Columnar
import Definitions
import Foundation
import Ingest
import Profiles
import TestSupport
import Testing

/// The SSDA903 tables of the neglect, exploitation and transitional safeguarding profiles, built
/// from the fake return of `Fixtures/ssda903` (with a small referrals extract of the same children
/// for exploitation), against plain counts over the raw CSV: rows by label, records, distinct
/// children and shares, for 2017-18 and the year before.
@Suite("Profiles: the SSDA903 tables against plain counts", .serialized)
struct SSDA903TableTests {
    static let period = ReportingPeriod(startYear: 2017)
    static let header = try! CSVTable(path: TestPaths.ssda903 + "/header.csv")
    static let episodes = try! CSVTable(path: TestPaths.ssda903 + "/episodes.csv")
    static let catalogue = try! SourceCatalogue.load(profiles: TestPaths.profiles)

    /// Every fifth child of the header referred with child criminal exploitation (24A) on the day
    /// of their first episode; the next with neglect only (16A); the next with exploitation two
    /// years before their first episode (so in another year).
    static let referrals: [(child: String, date: String, factors: String)] = {
        var first: [String: String] = [:]
        for row in episodes.rows where first[row[0]] == nil { first[row[0]] = row[1] }
        var out: [(String, String, String)] = []
        for (i, row) in header.rows.enumerated() {
            guard let start = first[row[0]] else { continue }
            let parts = start.split(separator: "/")
            switch i % 5 {
            case 0: out.append((row[0], start, "24A,10A"))
            case 1: out.append((row[0], start, "16A"))
            case 2: out.append((row[0], "\(parts[0])/\(parts[1] == "02" ? "03" : parts[1])/\(Int(parts[2])! - 2)", "24A"))
            default: break
            }
        }
        return out
    }()

    /// The fixture's return with the referrals above, ingested.
    static let drop: IngestedDrop = {
        let dir = try! TemporaryDirectory("ssda903-tables")
        _ = try! dir.write("ssda903_header.csv", try! String(contentsOfFile: TestPaths.ssda903 + "/header.csv", encoding: .utf8))
        _ = try! dir.write("ssda903_episodes.csv", try! String(contentsOfFile: TestPaths.ssda903 + "/episodes.csv", encoding: .utf8))
        var text =
            "ReferralID,PersonID,Forename,Surname,DOB,Gender,Ethnicity,NHSNumber,Postcode,ReferralDate,ReferralSource,PrimaryNeed,AssessmentFactors,ReferralOutcome\n"
        let dob = Dictionary(uniqueKeysWithValues: header.rows.map { ($0[0], $0[2]) })
        for (i, r) in referrals.enumerated() {
            text +=
                csvLine([
                    "R\(i)", r.child, "", "", dob[r.child]!, "", "", "", "", r.date, "2A", "N1", r.factors, "Child and family assessment",
                ]) + "\n"
        }
        _ = try! dir.write("childrens_referrals.csv", text)
        let drop = try! ingestDrop(dir.path, demo: false)
        dir.remove()
        return drop
    }()

    static let profiles = try! ProfileCatalogue.load(
        directory: TestPaths.profiles + "/priorities", sources: catalogue, measures: MeasureLibrary.grammars)

    static let built: [String: ProfileTable] = {
        let engine = ProfileEngine(drop: drop, period: period)
        var out: [String: ProfileTable] = [:]
        for id in ["neglect", "exploitation", "transitional_safeguarding"] {
            for t in engine.build(profiles.profile(id)!) { out["\(id)/\(t.id)"] = t }
        }
        return out
    }()

    /// The label of each code of an SSDA903 code list.
    static func labels(_ list: String) -> [String: String] {
        let entries = catalogue.source("ssda903_episodes")!.codeList(named: list)!.entries
        return Dictionary(entries.map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
    }

    /// 0 for 2017-18, 1 for 2016-17, nil otherwise (a date dd/mm/yyyy).
    static func year(_ date: String) -> Int? {
        let p = date.split(separator: "/").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        let start = p[1] >= 4 ? p[2] : p[2] - 1
        return start == 2017 ? 0 : (start == 2016 ? 1 : nil)
    }

    static func age(_ dob: String, on day: String) -> Int {
        let b = dob.split(separator: "/").map { Int($0)! }, d = day.split(separator: "/").map { Int($0)! }
        return d[2] - b[2] - ((d[1], d[0]) < (b[1], b[0]) ? 1 : 0)
    }

    static let ageBands: [(String, ClosedRange<Int>)] = [
        ("Under 1", 0...0), ("1 to 4", 1...4), ("5 to 9", 5...9), ("10 to 15", 10...15), ("16 and over", 16...17),
    ]

    /// Records and children of each label in each year, counted row by row.
    struct Plain {
        var records: [String: [Int]] = [:]
        var children: [String: [Set<String>]] = [:]
        mutating func add(_ label: String, _ y: Int, _ child: String) {
            records[label, default: [0, 0]][y] += 1
            children[label, default: [[], []]][y].insert(child)
        }
        var total: Int { records.values.map { $0[0] }.reduce(0, +) }
    }

    /// Each row of the engine's table against the plain counts: records, people and share per
    /// year where the table has them; a label the plain counts have is a row of the table, and a
    /// row they lack counts nothing.
    static func check(_ id: String, _ plain: Plain) throws {
        let table = try #require(built[id], "no table \(id)")
        let suffixes = [period.columnSuffixes.current, period.columnSuffixes.previous]
        let seen = Set(table.rows.map { $0[0].description })
        for label in plain.records.keys { #expect(seen.contains(label), "\(id): no row \(label)") }
        var checked = 0
        for (y, suffix) in suffixes.enumerated() {
            let total = plain.records.values.map { $0[y] }.reduce(0, +)
            for row in table.rows {
                let label = row[0].description
                func cell(_ measure: String) -> String? { table.columns.firstIndex(of: "\(measure)_\(suffix)").map { row[$0].description } }
                let records = plain.records[label]?[y] ?? 0
                if let c = cell("records") { #expect(c == String(records), "\(id) \(label) records \(suffix)") }
                if let c = cell("people") { #expect(c == String(plain.children[label]?[y].count ?? 0), "\(id) \(label) people \(suffix)") }
                if let c = cell("share"), total > 0 {
                    #expect(c == String(format: "%.1f", 100 * Double(records) / Double(total)), "\(id) \(label) share \(suffix)")
                }
                checked += 1
            }
        }
        #expect(checked > 0 && plain.total > 0, "\(id): nothing counted in 2017-18")
    }

    static let birth = Dictionary(uniqueKeysWithValues: header.rows.map { ($0[0], $0[2]) })
    static func column(_ name: String) -> Int { episodes.column(name) }

    @Test func childrenStartingCareForAbuseOrNeglect() throws {
        let status = Self.labels("ssda903_legal_status")
        var byStatus = Plain(), byAge = Plain()
        for row in Self.episodes.rows where row[Self.column("RNE")] == "S" && row[Self.column("CIN")] == "N1" {
            guard let y = Self.year(row[Self.column("DECOM")]) else { continue }
            let child = row[Self.column("CHILD")]
            byStatus.add(try #require(status[row[Self.column("LS")]]), y, child)
            let age = Self.age(try #require(Self.birth[child]), on: row[Self.column("DECOM")])
            byAge.add(try #require(Self.ageBands.first { $0.1.contains(age) }?.0, "age \(age)"), y, child)
        }
        try Self.check("neglect/looked_after_for_neglect_by_legal_status", byStatus)
        try Self.check("neglect/looked_after_for_neglect_by_age", byAge)
    }

    @Test func placementMovesAndEpisodesOfExploitedChildren() throws {
        let reasons = Self.labels("ssda903_placement_change_reason"), began = Self.labels("ssda903_new_episode_reason")
        var exploited: [Set<String>] = [[], []]
        for r in Self.referrals where r.factors.contains("24A") {
            if let y = Self.year(r.date) { exploited[y].insert(r.child) }
        }
        var moves = Plain(), ofExploited = Plain()
        for row in Self.episodes.rows {
            guard let y = Self.year(row[Self.column("DECOM")]) else { continue }
            let child = row[Self.column("CHILD")], rne = row[Self.column("RNE")]
            if ["P", "T", "U", "B"].contains(rne) { moves.add(try #require(reasons[row[Self.column("REASON_PLACE_CHANGE")]]), y, child) }
            if exploited[y].contains(child) { ofExploited.add(try #require(began[rne]), y, child) }
        }
        try Self.check("exploitation/placement_moves_by_reason", moves)
        try Self.check("exploitation/care_episodes_of_exploited_children", ofExploited)
        // Children referred with exploitation in another year than their episodes are not counted.
        #expect(ofExploited.children.values.map { $0[0].union($0[1]).count }.reduce(0, +) > 0)
    }

    @Test func careLeaversAged16To21() throws {
        let reasons = Self.labels("ssda903_reason_ceased")
        var byAge = Plain(), byReason = Plain()
        for row in Self.episodes.rows where !["X1", "E2", "E3", ""].contains(row[Self.column("REC")]) {
            guard let y = Self.year(row[Self.column("DEC")]) else { continue }
            let child = row[Self.column("CHILD")]
            let age = Self.age(try #require(Self.birth[child]), on: row[Self.column("DEC")])
            guard (16...21).contains(age) else { continue }
            byAge.add(String(age), y, child)
            byReason.add(try #require(reasons[row[Self.column("REC")]]), y, child)
        }
        try Self.check("transitional_safeguarding/care_leavers_by_age", byAge)
        try Self.check("transitional_safeguarding/care_leavers_by_reason", byReason)
    }

    /// A drop without the optional SSDA903 files (the bundled one) gets no warning for the tables
    /// of those sources; a drop with them, in a year they count nothing, does.
    @Test func emptyTablesOfAnAbsentOptionalSourceAreNotWarnings() throws {
        let ssda903Tables = Set(["looked_after_for_neglect_by_legal_status", "looked_after_for_neglect_by_age"])
        let neglect = try #require(Self.profiles.profile("neglect"))
        let bundled = try ingestDrop(TestPaths.sampleDrop)
        #expect(bundled.tables["ssda903_episodes"] == nil)
        let engine = ProfileEngine(drop: bundled, period: ReportingPeriod(startYear: 2025))
        let warned = engine.emptyTables(engine.build(neglect), of: neglect).map(\.message)
        #expect(!warned.contains { w in ssda903Tables.contains { w.contains($0) } }, "\(warned)")
        let later = ProfileEngine(drop: Self.drop, period: ReportingPeriod(startYear: 2025))
        let messages = later.emptyTables(later.build(neglect), of: neglect).map(\.message)
        for id in ssda903Tables { #expect(messages.contains("table \(id) counts nothing in 2025-26"), "\(messages)") }
    }
}
