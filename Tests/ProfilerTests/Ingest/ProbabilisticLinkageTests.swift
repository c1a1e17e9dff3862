import Columnar
import Crypto
import Definitions
import Foundation
import Reference
import TestSupport
import Testing

@testable import Ingest

/// Probabilistic matching: keyed encodings, the weights it estimates, and the joins it refuses.
@Suite("Ingest: probabilistic matching", .serialized)
struct ProbabilisticLinkageTests {
    static let key = SymmetricKey(data: Data("a-test-key-that-is-long-enough-0123456789".utf8))

    private func filter(_ name: String, _ builder: EncodingBuilder) -> (UInt64, UInt64) {
        Array(name.utf8).withUnsafeBufferPointer { builder.filter($0) }
    }

    @Test func nameFiltersAreKeyedAndAgreeAsTheNamesDo() {
        let builder = EncodingBuilder(key: Self.key)
        let other = EncodingBuilder(key: SymmetricKey(data: Data("another-key-that-is-long-enough-9876543210".utf8)))
        let smith = filter("SMITH", builder)
        #expect(smith == filter("SMITH", builder))
        // The bits depend on the key: without it, a list of names cannot be encoded to compare.
        #expect(smith != filter("SMITH", other))
        #expect(MatchPattern.dice(smith, smith) == 1)
        let typo = MatchPattern.dice(smith, filter("SMTIH", builder))
        #expect(typo > 0.3 && typo < 0.85, "\(typo)")
        #expect(MatchPattern.dice(filter("WILLIAMS", builder), filter("WILIAMS", builder)) >= 0.85)
        #expect(MatchPattern.dice(smith, filter("PATEL", builder)) < 0.4)
        // Each letter pair sets at most 4 of 128 bits.
        let bits = smith.0.nonzeroBitCount + smith.1.nonzeroBitCount
        #expect(bits > 4 && bits <= 6 * EncodingBuilder.bitsPerPair)
    }

    @Test func missingFieldsWeighNothingAndAgreementWeighsMore() {
        var w = MatchWeights(
            lambda: 1e-5, m: MatchPattern.levels.map { n in (0..<n).map { $0 == 0 ? 0.9 : 0.1 / Double(n - 1) } },
            u: MatchPattern.levels.map { n in (0..<n).map { $0 == 0 ? 0.01 : 0.99 / Double(n - 1) } })
        // A date of birth given on one side only (level 3) weighs nothing.
        #expect(w.weight(2, 3) == 0)
        #expect(w.weight(0, 0) > 0 && w.weight(0, 3) < 0)
        let agreeing = w.posterior([0, 0, 0, 2, 0, 2])
        let noBirthDate = w.posterior([0, 0, 3, 2, 0, 2])
        #expect(agreeing > noBirthDate)
        // A rare name weighs more than the average one.
        #expect(w.posterior([0, 0, 3, 0, 0, 2], nameFrequency: 1e-5) > w.posterior([0, 0, 3, 0, 0, 2], nameFrequency: 1e-2))
        // EM for λ with m and u fixed: pairs of which a tenth agree in everything.
        var counts = [Double](repeating: 0, count: MatchPattern.count)
        counts[0 + 4 * (0 + 5 * (0 + 4 * (2 + 3 * (0 + 3 * 2))))] = 100
        counts[3 + 4 * (3 + 5 * (2 + 4 * (2 + 3 * (1 + 3 * 2))))] = 900
        w.lambda = 0.5
        let estimated = MatchWeights.estimate(pairs: counts, start: w)
        #expect(abs(estimated.lambda - 0.1) < 0.01, "\(estimated.lambda)")
        #expect(estimated.m == w.m && estimated.u == w.u)
    }

    /// The bundled drop with four invented records added to the police crimes: two victims with
    /// one name and date of birth but different valid NHS numbers, and
    /// one with the same name and date of birth and no NHS number; and a victim whose surname
    /// misspells a suspect's of the drop, forename and date of birth agreeing.
    @Test func validNHSNumbersStayAuthoritativeAndTyposLink() throws {
        let dir = try TemporaryDirectory("nhs-authoritative")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: dir.file("drop"))
        let path = dir.file("drop/police_crimes.csv.gz")
        var lines = try ProcessRun.tool("/usr/bin/env", ["gzip", "-dc", path]).stdout.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let template = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func row(victim: [String: String]) -> String {
            var f = template
            for (column, value) in victim { f[header.firstIndex(of: column)!] = value }
            return f.joined(separator: ",")
        }
        // A suspect of the drop with a keyed match (surname, forename, date of birth given).
        let suspects = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { !$0[header.firstIndex(of: "S_Surname")!].isEmpty && !$0[header.firstIndex(of: "S_DOB")!].isEmpty }
        let known = try #require(suspects.first { $0[header.firstIndex(of: "S_Surname")!].count >= 6 })
        let (surname, forename, birth) = (
            known[header.firstIndex(of: "S_Surname")!], known[header.firstIndex(of: "S_Forenames")!], known[header.firstIndex(of: "S_DOB")!]
        )
        let misspelt = String(surname.prefix(2)) + String(surname.dropFirst(3))
        let sex = known[header.firstIndex(of: "S_Sex")!]
        let person = ["VictimType": "Person", "V_Age": "", "V_Postcode": "", "V_Sex": "M", "V_Ethnicity": ""]
        let quentin = person.merging(["V_Surname": "Zzyzx", "V_Forenames": "Quentin", "V_DOB": "01/01/1970"]) { $1 }
        lines += [
            row(victim: quentin.merging(["CrimeRef": "T/1", "V_NHSNumber": "9990000018"]) { $1 }),
            row(victim: quentin.merging(["CrimeRef": "T/2", "V_NHSNumber": "9990000026"]) { $1 }),
            row(victim: quentin.merging(["CrimeRef": "T/4", "V_NHSNumber": ""]) { $1 }),
            row(
                victim: person.merging([
                    "CrimeRef": "T/3", "V_Surname": misspelt, "V_Forenames": forename, "V_DOB": birth, "V_NHSNumber": "", "V_Sex": sex,
                ]) { $1 }),
        ]
        try FileManager.default.removeItem(atPath: path)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir.file("drop/police_crimes.csv")))
        let drop = try ingestDrop(dir.file("drop"))
        let crimes = try #require(drop.tables["police_crimes"])
        guard case .person(let victim)? = crimes["victim"], case .person(let suspect)? = crimes["suspect"],
            case .code(let refs)? = crimes["crime_ref"]
        else {
            Issue.record("columns")
            return
        }
        func victimOf(_ ref: String) -> UInt32 { victim.ids[(0..<crimes.rowCount).first { refs.value($0) == ref }!] }
        let knownID = suspect.ids[(0..<crimes.rowCount).first { refs.value($0) == known[0] && suspect.ids[$0] != 0 }!]
        // Two valid, different NHS numbers are two people, however alike the rest; a record with the
        // same name and date of birth and no NHS number joins one of them at most.
        #expect(victimOf("T/1") != 0 && victimOf("T/2") != 0 && victimOf("T/1") != victimOf("T/2"))
        #expect(victimOf("T/4") != 0)
        // The misspelt surname, with forename and date of birth agreeing, is the suspect already known.
        #expect(victimOf("T/3") == knownID)
        let p = try #require(drop.probabilisticLinkage)
        #expect(p.links > 0 && p.candidatePairs > p.links && p.scoreHistogram.reduce(0, +) == p.candidatePairs)
        #expect(p.weights.map { $0.lambda > 0 && $0.lambda < 1e-3 } == true)
    }
}
