import Foundation
import Statistics
import TestSupport
import Testing

/// A real change planted in the bundled drop (one ward's domestic abuse crimes in the reporting
/// year quadrupled) is found where it is and nowhere it is not: the ward is higher than the area at
/// 99.8% in the ward table and red on the map, no other ward becomes higher, and the scorecard's
/// crimes and incidents reported is judged at the level its own test gives.
@Suite("Significance: a planted change is found", .serialized)
struct PlantedChangeTests {
    /// Builds `drop` (csv and html) and returns the output folder.
    static func build(_ drop: String, in dir: TemporaryDirectory, _ name: String) throws -> String {
        let key = try dir.write("key", "a-test-key-that-is-long-enough-0123456789")
        let out = dir.file(name)
        let status = try runProfiler(["build", "--data", drop, "--key-file", key, "--out", out, "--format", "csv", "--format", "html"])
        #expect(status == 0 || status == 1)
        return out
    }

    /// Each ward's comparison with the area this year, from the domestic abuse group's table.
    static func comparisons(_ out: String) throws -> [String: String] {
        let t = try CSVTable(path: out + "/domestic_abuse/domestic_abuse/by_ward.csv")
        return Dictionary(uniqueKeysWithValues: t.rows.map { ($0[0], $0[t.column("rate_per_1000_vs_area_2025_26")]) })
    }

    /// The reporting year's domestic abuse crimes of `ward`, each copied `copies` more times with a
    /// reference of its own.
    static func plant(_ drop: String, ward: String, copies: Int) throws -> Int {
        let geography = try CSVTable(path: drop + "/reference/geography.csv")
        let lsoas = Set(geography.rows.filter { $0[geography.column("ward_name")] == ward }.map { $0[geography.column("lsoa_code")] })
        let path = drop + "/police_crimes.csv"
        let crimes = try CSVTable(path: path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == crimes.rows.count + 1, "one line a record")
        var planted = 0
        for (i, row) in crimes.rows.enumerated() where row[crimes.column("DA_Flag")] == "Y" && lsoas.contains(row[crimes.column("LSOA")]) {
            let date = row[crimes.column("RecordedDateTime")]
            let (year, month) = (Int(date.dropFirst(6).prefix(4))!, Int(date.dropFirst(3).prefix(2))!)
            guard (year == 2025 && month >= 4) || (year == 2026 && month <= 3) else { continue }
            let line = lines[i + 1]
            let rest = line[line.firstIndex(of: ",")!...]
            for k in 0..<copies { lines.append("PLANT/\(i)/\(k)" + rest) }
            planted += 1
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return planted
    }

    @Test func aPlantedChangeIsFlaggedInTheScorecardTheWardTableAndTheMap() throws {
        let dir = try TemporaryDirectory("planted")
        defer { dir.remove() }
        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        let before = try Self.comparisons(try Self.build(drop.path, in: dir, "before"))
        // The most populous ward that is like the area this year.
        let population = try CSVTable(path: drop.path + "/reference/population.csv")
        let geography = try CSVTable(path: drop.path + "/reference/geography.csv")
        var wardOf: [String: String] = [:], residents: [String: Int] = [:]
        for row in geography.rows { wardOf[row[geography.column("lsoa_code")]] = row[geography.column("ward_name")] }
        for row in population.rows { residents[wardOf[row[0]] ?? "", default: 0] += Int(row[population.column("population")]) ?? 0 }
        let ward = try #require(before.filter { $0.value == "similar" }.keys.max { residents[$0, default: 0] < residents[$1, default: 0] })
        let planted = try Self.plant(drop.path, ward: ward, copies: 3)
        #expect(planted >= 5, "\(ward) has \(planted) crimes this year")

        let out = try Self.build(drop.path, in: dir, "after")
        let after = try Self.comparisons(out)
        #expect(after[ward] == "higher (99.8%)")
        for (w, label) in after where w != ward {
            #expect(!label.hasPrefix("higher") || before[w]?.hasPrefix("higher") == true, "\(w): \(before[w] ?? "") -> \(label)")
        }
        // The map: the ward in the colour of higher at 99.8%.
        let report = try String(contentsOfFile: out + "/domestic_abuse/report.html", encoding: .utf8)
        #expect(report.contains("fill=\"#b2182b\" stroke=\"#666\" stroke-width=\"0.6\"><title>\(ward)</title>"))
        // The scorecard: crimes and incidents reported, judged by its own test on the two counts.
        let card = try CSVTable(path: out + "/executive/scorecard.csv")
        let row = try #require(card.rows.first { $0[card.column("measure")] == "reported" })
        let (now, then) = (try #require(Double(row[card.column("value_2025_26")])), try #require(Double(row[card.column("value_2024_25")])))
        let change = try YearOnYearChange.counts(thisYear: now, lastYear: then)
        let level = change.at998 == .significantlyHigher ? "99.8%" : "95%"
        #expect(change.at95 == .significantlyHigher)
        #expect(row[card.column("news")] == "significantly better (\(level))")
        let beforeCard = try CSVTable(path: dir.file("before") + "/executive/scorecard.csv")
        let beforeRow = try #require(beforeCard.rows.first { $0[beforeCard.column("measure")] == "reported" })
        #expect(Double(beforeRow[beforeCard.column("value_2025_26")])! + Double(3 * planted) == now)
    }
}
