import ArgumentParser
import Columnar
import Definitions
import Foundation
import Pipeline
import Reference
import TestSupport
import Testing

@testable import Ingest
@testable import ProfilerCLI

/// Clear identifiers never leave ingest except in the quarantine file.
@Suite("Ingest: personal data")
struct PersonalDataTests {
    static let surname = "Quaxlebyplant"
    static let forename = "Zebedeeplant"
    static let nhs = "9990000026"  // test range, valid check digit
    static let dobSlash = "13/07/2011"
    static let postcode = "SY1 9ZZ"

    @Test func plantedIdentifiersReachOnlyTheQuarantine() throws {
        #expect(Identifiers.nhsNumber(Self.nhs) == .valid(9_990_000_026))
        let dir = try plainSampleDropCopy()
        defer { dir.remove() }
        let path = dir.file("childrens_referrals.csv")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        // One accepted row and one rejected (bad referral date) carrying the planted identity.
        let accepted = [
            "REF999998", "P9999998", Self.forename, Self.surname, Self.dobSlash, "F", "WBRI", Self.nhs, Self.postcode, "01/06/2025", "6",
            "N1", "3B", "Child and family assessment",
        ]
        var rejected = accepted
        rejected[0] = "REF999999"
        rejected[9] = "99/99/2025"
        text += csvLine(accepted) + "\n" + csvLine(rejected) + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        // The postcode must also resolve: add it to the drop's lookup.
        try (String(contentsOfFile: dir.file("reference/postcodes.csv"), encoding: .utf8) + "\(Self.postcode),E01028945\n")
            .write(toFile: dir.file("reference/postcodes.csv"), atomically: true, encoding: .utf8)

        let quarantine = try TemporaryDirectory("quarantine")
        defer { quarantine.remove() }
        let drop = try ingestDrop(dir.path, demo: false, quarantine: quarantine.path)
        let report = try #require(drop.reports.first { $0.source == "childrens_referrals" })
        #expect(report.rejected == 1 && report.accepted == report.rowsRead - 1)

        let reportJSON = try QualityReport(drop: dir.path, keyOrigin: "environment", ingested: drop, seconds: 0).json()
        let reportText = QualityReport(drop: dir.path, keyOrigin: "environment", ingested: drop, seconds: 0).text()
        let tableStrings = drop.tables.values.flatMap(allStrings).joined(separator: "\n")
        let planted = [
            Self.surname, Self.surname.uppercased(), Self.forename, Self.nhs, "999 000 0026", Self.dobSlash, "2011-07-13", Self.postcode,
        ]
        for output in [reportJSON, reportText, tableStrings] {
            for value in planted { #expect(!output.contains(value), "leaked \(value)") }
        }
        // Every identity column of every source is absent from the tables.
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        for s in catalogue.sources {
            // (The optional SSDA903 sources have no file in the bundled drop.)
            guard let table = drop.tables[s.id] else {
                #expect(s.optional, "\(s.id) read nothing")
                continue
            }
            let identity = Set(s.people.flatMap { $0.identity.map(\.column) })
            for name in table.columnNames { #expect(!identity.contains(name)) }
        }
        // The quarantine holds the refused row, identifiers and all, and is private to its owner.
        let qpath = quarantine.file("childrens_referrals.rejects.csv")
        let q = try String(contentsOfFile: qpath, encoding: .utf8)
        #expect(q.contains(Self.surname) && q.contains(Self.nhs) && q.contains("99/99/2025"))
        #expect(!q.contains("REF999998"))
        let mode = try FileManager.default.attributesOfItem(atPath: qpath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // The whole job, as a batch would run it: every byte of every file it writes but the quarantine.
        let out = try TemporaryDirectory("out")
        let keyFile = try out.write("../key-\(UUID().uuidString)", "a-test-key-that-is-long-enough-0123456789")
        defer { out.remove(); try? FileManager.default.removeItem(atPath: keyFile) }
        var build = try ProfilerCommand.parseAsRoot([
            "build", "--data", dir.path, "--out", out.path, "--key-file", keyFile,
            "--quarantine", quarantine.path + "/build",
        ])
        do { try build.run() } catch let code as ExitCode where code.rawValue == 1 {}
        let written = (FileManager.default.subpaths(atPath: out.path) ?? []).filter { !$0.hasPrefix("key") }
        #expect(written.filter { $0.hasSuffix(".csv") }.count > 70)
        for file in written {
            guard let data = FileManager.default.contents(atPath: out.file(file)) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for value in planted { #expect(!text.contains(value), "\(file) holds \(value)") }
        }
        #expect(FileManager.default.fileExists(atPath: quarantine.path + "/build/childrens_referrals.rejects.csv"))
    }

    /// Match keys of short surnames (packed) and long ones (over 15 bytes with initial and date of
    /// birth) link a person across two sources and two roles, however the name is written; people
    /// who differ in surname, initial or date of birth stay apart; a row without a full key has none.
    @Test func matchKeysLinkShortAndLongSurnames() throws {
        func definition(_ id: String, roles: [String]) -> String {
            "source: \(id)\nagency: other\nfile: \(id)\ndate_format: dd/MM/yyyy\nfields:\n  n: { column: n, type: integer }\npeople:\n"
                + roles.map { "  \($0):\n    surname: \($0)_surname\n    forename: \($0)_forename\n    date_of_birth: \($0)_dob\n" }
                .joined()
        }
        let a = try SourceDefinition.parse(definition("a", roles: ["victim", "suspect"]), file: "a.yaml")
        let b = try SourceDefinition.parse(definition("b", roles: ["child"]), file: "b.yaml")
        let dir = try TemporaryDirectory("matchkeys")
        defer { dir.remove() }
        let pa = try dir.write(
            "a.csv",
            """
            n,victim_surname,victim_forename,victim_dob,suspect_surname,suspect_forename,suspect_dob
            1,Fox,Ann,01/02/1990,Wisniewski-Smythe,Bob,02/03/1985
            2,FOX,a,01/02/1990,Fox,Ann,02/02/1990
            3,Wiśniewski Smythe,bobby,02/03/1985,,,
            4,Fox,Ben,01/02/1990,Fox,Ann,

            """)
        let pb = try dir.write(
            "b.csv",
            """
            n,child_surname,child_forename,child_dob
            1,wisniewskismythe,B,02/03/1985
            2,F'ox,Annie,01/02/1990

            """)
        let drop = DropIngestor.ingest(
            [(a, [pa]), (b, [pb])], reference: ReferenceData(geography: AreaGeography(lsoas: [])),
            key: try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true))
        guard case .person(let victim)? = drop.tables["a"]?["victim"], case .person(let suspect)? = drop.tables["a"]?["suspect"],
            case .person(let child)? = drop.tables["b"]?["child"]
        else { Issue.record("person columns"); return }
        let annFox = victim.ids[0], robert = suspect.ids[0]
        #expect(annFox != 0 && robert != 0 && annFox != robert)
        #expect(victim.ids[1] == annFox && child.ids[1] == annFox)
        #expect(victim.ids[2] == robert && child.ids[0] == robert)
        // Another date of birth, another initial, no date of birth: not Ann Fox.
        #expect(suspect.ids[1] != annFox && suspect.ids[1] != 0)
        #expect(victim.ids[3] != annFox && victim.ids[3] != 0)
        #expect(suspect.ids[2] == 0 && suspect.ids[3] == 0)
        #expect(drop.people == 4)
    }

    @Test func theSamePersonGetsOneIdAcrossAgencies() throws {
        let drop = try ingestDrop(TestPaths.sampleDrop)
        // A&E (NHS number only) and adult safeguarding (NHS number with spaces) share people.
        guard case .person(let ae)? = drop.tables["ae_attendances"]?["patient"],
            case .person(let asc)? = drop.tables["adult_safeguarding_enquiries"]?["adult"]
        else { Issue.record("columns"); return }
        let shared = Set(ae.ids).intersection(asc.ids).subtracting([0])
        #expect(shared.count > 50)
    }
}

extension Identifiers {
    static func nhsNumber(_ s: String) -> NHSCheck {
        Array(s.utf8).withUnsafeBufferPointer { nhsNumber($0) }
    }
}

@Suite("Ingest: identifiers and linkage")
struct LinkageTests {
    @Test(arguments: [
        ("4010232137", Identifiers.NHSCheck.valid(4_010_232_137)), ("401 023 2137", .valid(4_010_232_137)),
        ("401-023-2137", .valid(4_010_232_137)), ("7000000015", .valid(7_000_000_015)), ("0101234562", .valid(101_234_562)),
        ("9990000026", .valid(9_990_000_026)), ("4010232138", .invalid),
        ("9434765919", .invalid),  // the documentation's example: a valid check digit, but no issued range
        ("0000000000", .invalid), ("9999999999", .invalid), ("1111111111", .invalid),  // placeholders
        ("943476591", .invalid), ("94347659190", .invalid), ("abc", .invalid), ("", .absent), ("   ", .absent),
        ("8000000008", .invalid),  // valid check digit but not an issued range
    ])
    func nhsNumbers(_ text: String, _ expected: Identifiers.NHSCheck) {
        #expect(Identifiers.nhsNumber(text) == expected)
    }

    @Test(arguments: [
        ("O'Brien", "OBRIEN"), ("o brien", "OBRIEN"), ("Smith-Jones", "SMITHJONES"), (" SMITH ", "SMITH"),
        ("Wiśniewski", "WISNIEWSKI"), ("D'Souza", "DSOUZA"), ("Van Der Merwe", "VANDERMERWE"),
    ])
    func namesNormalise(_ raw: String, _ expected: String) {
        var out: [UInt8] = []
        Array(raw.utf8).withUnsafeBufferPointer { Identifiers.normalisedName($0, into: &out) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func pseudonymsDependOnTheKeyAndNeverOnEmptiness() throws {
        let a = try LinkageKey.resolve(
            keyFile: nil, environment: [LinkageKey.environmentVariable: String(repeating: "a", count: 40)], isDemoDrop: false)
        let b = try LinkageKey.resolve(
            keyFile: nil, environment: [LinkageKey.environmentVariable: String(repeating: "b", count: 40)], isDemoDrop: false)
        let ka = PersonKeyer(key: a), kb = PersonKeyer(key: b)
        let n = Array("9434765919".utf8)
        let pa = n.withUnsafeBufferPointer { ka.pseudonym(.nhs, $0) }
        #expect(pa == n.withUnsafeBufferPointer { ka.pseudonym(.nhs, $0) })
        #expect(pa != n.withUnsafeBufferPointer { kb.pseudonym(.nhs, $0) })
        #expect(pa != n.withUnsafeBufferPointer { ka.pseudonym(.localID, $0) })
        #expect(throws: LinkageKeyError.missing) { _ = try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: false) }
        #expect(throws: LinkageKeyError.tooShort(source: "$\(LinkageKey.environmentVariable)")) {
            _ = try LinkageKey.resolve(keyFile: nil, environment: [LinkageKey.environmentVariable: "short"], isDemoDrop: false)
        }
    }

    /// The bulk keyed hash (pads absorbed once) gives swift-crypto's HMAC-SHA256, for keys shorter
    /// than, equal to and longer than the hash's 64-byte block, and messages of any length.
    @Test(arguments: [32, 64, 65, 200])
    func bulkKeyedHashIsHMACSHA256(keyLength: Int) throws {
        let secret = String((0..<keyLength).map { Character(UnicodeScalar(UInt8(33 + ($0 * 7) % 90))) })
        let key = try LinkageKey.resolve(keyFile: nil, environment: [LinkageKey.environmentVariable: secret], isDemoDrop: false)
        let keyer = PersonKeyer(key: key), bulk = PersonKeyer.PrecomputedHMAC(key: key.key)
        for message in ["", "9434765919", "SMITH\u{1F}J", String(repeating: "x", count: 150)] {
            let bytes = Array(message.utf8)
            let tagged = [PersonKeyer.Domain.matchKey.rawValue] + bytes
            #expect(
                bytes.withUnsafeBufferPointer { keyer.pseudonym(.matchKey, $0) } == tagged.withUnsafeBufferPointer { bulk.mac($0) },
                "key of \(keyLength) bytes, message of \(bytes.count)")
        }
    }

    /// A match key seen with exactly one NHS number links to it; one seen with two does not merge them.
    @Test func bridgingIsConservative() {
        // Pseudonyms by code: 1-3 NHS-based, 4-6 match keys.
        let pseudonyms = PoolPseudonyms(bytes: [0, 100, 200, 300, 7, 8, 9], nhs: [0])
        let rows = PersonLinker.RoleRows(
            nhs: [1, 0, 2, 3, 0, 0, 0],
            matchKey: [4, 4, 5, 5, 5, 6, 0],
            local: [0, 0, 0, 0, 0, 0, 0],
            pseudonyms: pseudonyms)
        let linked = PersonLinker.link([rows])
        let ids = linked.ids[0]
        #expect(ids[1] == ids[0])  // bridged through match key 7
        #expect(ids[4] != ids[2] && ids[4] != ids[3])  // match key 8 belongs to two NHS numbers
        #expect(ids[5] != 0 && ids[6] == 0)
        #expect(linked.via[0] == [.nhs, .bridged, .nhs, .nhs, .matchKey, .matchKey, .none])
        #expect(linked.people == 5)
    }
}

@Suite("Ingest: the linker's key sort")
struct KeySortTests {
    /// Laid out by a byte and each byte's range sorted, on one core and on two (the ranges in
    /// parallel), from pieces: the top byte of any keys, and a lower one for keys that never reach
    /// the top (people's numbers in a key's upper half); the ranges hold the keys of each value of
    /// the byte.
    @Test(arguments: [0, 1, 2, 31, 33, 1_000, 100_000], [1, 2])
    func sortsAnyKeysAsTheStandardSortDoes(count: Int, threads: Int) {
        var state: UInt64 = 0x1234_5678 &+ UInt64(count)
        var entries: [KeyTarget] = []
        for i in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Some keys repeat, some share their top bytes, as pseudonyms of one person do.
            let key = i % 7 == 0 && i > 0 ? entries[i / 2].key : (i % 5 == 0 ? state & 0xFFFF : state)
            entries.append(KeyTarget(key: key, target: UInt64(i)))
        }
        for shift: UInt64 in [56, 40] {
            let keys = shift == 56 ? entries : entries.map { KeyTarget(key: $0.key >> 16, target: $0.target) }
            let piece = max(1, (count + 3) / 4)
            var (sorted, ranges) = KeyTarget.laidOutByTopByte(pieces: (count + piece - 1) / piece, threads: threads, shift: shift) {
                p, emit in
                for e in keys[(p * piece)..<min(count, (p + 1) * piece)] { emit(e) }
            }
            ranges = KeyTarget.sortByTopByteRanges(&sorted, ranges: ranges, threads: threads, shift: shift)
            #expect(sorted.map(\.key) == keys.map(\.key).sorted())
            #expect(Set(sorted.map(\.target)) == Set(keys.map(\.target)))
            #expect(ranges.count == 256 && ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            for (b, r) in ranges.enumerated() {
                #expect(sorted[r].allSatisfy { Int(($0.key >> shift) & 0xFF) == b })
            }
        }
    }
}

@Suite("Ingest: the linker's key layout and the NHS number table")
struct KeyLayoutTests {
    /// Entries produced in pieces come out grouped by top byte, every one once, in piece order
    /// within a top byte, on one core as on two.
    @Test(arguments: [1, 2])
    func piecesAreLaidOutByTopByte(threads: Int) {
        var state: UInt64 = 42
        let pieces: [[KeyTarget]] = [0, 1, 700, 5, 20_000, 3].enumerated().map { p, n in
            (0..<n).map { i in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                // A few top bytes only, so that each holds entries of several pieces.
                return KeyTarget(key: (state & 0x0300_FFFF_FFFF_FFFF) | UInt64(p) << 60, target: UInt64(p) << 32 | UInt64(i))
            }
        }
        let frozen = pieces
        let (entries, ranges) = KeyTarget.laidOutByTopByte(pieces: frozen.count, threads: threads) { i, emit in
            for e in frozen[i] { emit(e) }
        }
        let all = pieces.flatMap { $0 }
        #expect(entries.count == all.count && ranges.count == 256)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == all.count)
        for (d, r) in ranges.enumerated() {
            // Exactly the entries of this top byte, in the order they were produced.
            #expect(entries[r].map(\.target) == all.filter { Int($0.key >> 56) == d }.map(\.target))
        }
    }

    /// NHS numbers get the codes of a first-seen numbering, however the table was sized and
    /// however often it grew.
    @Test(arguments: [0, 10, 100_000])
    func numberCodesMatchAFirstSeenNumbering(reserved: Int) {
        var table = NumberCodes(capacity: 4)
        table.reserve(reserved)
        var reference: [UInt64: UInt32] = [:]
        var state: UInt64 = 7
        var wrong = 0
        for i in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Ten-digit numbers, a third of them repeats of earlier ones, and the extremes.
            var number = 1_000_000_000 + (state >> 20) % 8_999_999_999
            if i % 3 == 0 && i > 0 { number = 1_000_000_000 + ((state >> 7) % UInt64(i)) }
            if i == 10 { number = 9_999_999_999 }
            if i == 11 { number = 1 }
            let expected = reference[number] ?? UInt32(reference.count + 1)
            reference[number] = expected
            let next = UInt32(table.count + 1)
            let code = table.code(number) { next }
            if code != expected { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(table.count == reference.count)
    }
}
