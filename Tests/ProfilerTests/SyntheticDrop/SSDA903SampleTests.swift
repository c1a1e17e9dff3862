import Columnar
import Foundation
import Ingest
import TestSupport
import Testing

@testable import SyntheticDrop

/// `profiler sample --ssda903`: the looked-after children of the synthetic drop, also written as
/// the council's SSDA903 return, consistent with its children's extracts and people.
@Suite("Synthetic drop: the SSDA903 return")
struct SSDA903SampleTests {
    static func generate(ssda903: Bool, people: Int = 6_000) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("drop-903")
        var options = SampleDropOptions(people: people, years: 3, seed: 5, geographyPath: TestPaths.geography)
        options.ssda903 = ssda903
        _ = try SampleDropGenerator.generate(options, into: dir.path)
        return dir
    }

    /// Opt-in: the other files are the same bytes with or without it, and it is reproducible.
    @Test func theReturnIsAddedWithoutChangingTheOtherFiles() throws {
        let (without, with, again) = (try Self.generate(ssda903: false), try Self.generate(ssda903: true), try Self.generate(ssda903: true))
        defer { without.remove(); with.remove(); again.remove() }
        #expect(try differingFiles(without.path, with.path) == ["ssda903_episodes.csv", "ssda903_header.csv"])
        #expect(try differingFiles(with.path, again.path) == [])
    }

    /// Every child is a child of the referrals extract (same id; the same date of birth but where the
    /// referrals misspell it, as real extracts now and then do) who came into care after being referred; each child's episodes follow on one from another (the one before
    /// ends with X1 on the day the next starts), begin with S, and end by the 18th birthday.
    @Test func theReturnFitsTheChildrensExtracts() throws {
        let dir = try Self.generate(ssda903: true)
        defer { dir.remove() }
        let header = try CSVTable(path: dir.file("ssda903_header.csv"))
        let episodes = try CSVTable(path: dir.file("ssda903_episodes.csv"))
        let referrals = try CSVTable(path: dir.file("childrens_referrals.csv"))
        #expect(header.header == ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        #expect(header.rows.count >= 5, "\(header.rows.count) children")
        var referred: [String: (dob: String, first: Int32)] = [:]
        for row in referrals.rows {
            let day = try #require(Self.day(row[referrals.column("ReferralDate")]))
            let id = row[referrals.column("PersonID")]
            referred[id] = (row[referrals.column("DOB")], min(day, referred[id]?.first ?? .max))
        }
        var sameBirth = 0
        var byChild: [String: [[String]]] = [:]
        for row in episodes.rows { byChild[row[0], default: []].append(row) }
        #expect(Set(byChild.keys) == Set(header.values("CHILD")))
        for row in header.rows {
            let child = row[0], dob = row[2]
            let known = try #require(referred[child], "\(child) is not in the referrals")
            if known.dob == dob { sameBirth += 1 }
            let birth = DayNumber.civil(Int(try #require(Self.day(dob))))
            let spells = try #require(byChild[child]?.sorted { Self.day($0[1])! < Self.day($1[1])! })
            #expect(spells[0][2] == "S" && spells.dropFirst().allSatisfy { $0[2] != "S" }, "\(child)")
            #expect(try #require(Self.day(spells[0][1])) >= known.first, "\(child) came into care before a referral")
            for (a, b) in zip(spells, spells.dropFirst()) { #expect(a[7] == b[1] && a[8] == "X1", "\(child): \(a) then \(b)") }
            let adult = DayNumber.from(year: birth.year + 18, month: birth.month, day: birth.month == 2 ? min(birth.day, 28) : birth.day)
            for e in spells { #expect(Self.day(e[7]).map { Int($0) <= adult } ?? true, "\(child) is looked after past 18") }
        }
        #expect(Double(sameBirth) >= 0.9 * Double(header.rows.count), "\(sameBirth) of \(header.rows.count) dates of birth agree")
    }

    /// Read by the bundled definitions: no row refused, and the children linked to the same people
    /// as their referrals (their ids are of the same case system).
    @Test func theReturnLoadsAndLinksToTheReferrals() throws {
        let dir = try Self.generate(ssda903: true)
        defer { dir.remove() }
        let drop = try ingestDrop(dir.path, demo: false)
        for source in ["ssda903_header", "ssda903_episodes", "ssda903_leaving_care"] {
            let r = try #require(drop.reports.first { $0.source == source })
            #expect(r.fatalError == nil && r.rejected == 0 && r.accepted > 0, "\(source)")
        }
        guard case .person(let looked)? = drop.tables["ssda903_episodes"]?["child"],
            case .person(let referred)? = drop.tables["childrens_referrals"]?["child"]
        else {
            Issue.record("no person columns")
            return
        }
        #expect(!looked.ids.contains(0))
        // A child none of whose referrals carries an NHS number is keyed there by name and date of
        // birth, and here by the case system's id: the linker bridges an id to an NHS number only.
        let children = Set(looked.ids), linked = children.intersection(referred.ids)
        #expect(Double(linked.count) >= 0.8 * Double(children.count), "\(linked.count) of \(children.count) linked")
    }

    static func day(_ text: String) -> Int32? {
        let p = text.split(separator: "/").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return Int32(DayNumber.from(year: p[2], month: p[1], day: p[0]))
    }
}
