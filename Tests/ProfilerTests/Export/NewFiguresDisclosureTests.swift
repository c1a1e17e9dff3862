import Foundation
import TestSupport
import Testing

/// The figures significance testing adds are withheld with the counts they are worked out from, in
/// every group's every table: an area's comparison with the whole area (crude, and allowing for
/// age) with its rate, a change's
/// interval and its words with the measure's value; and the funnel plot, which shows the areas'
/// total of the year, only where no area's rate of the year is withheld.
@Suite("Disclosure control: the significance figures")
struct NewFiguresDisclosureTests {
    @Test func everySignificanceFigureIsWithheldWithItsCounts() throws {
        let dir = try TemporaryDirectory("significance-disclosure")
        defer { dir.remove() }
        #expect(try runProfiler(["build", "--out", dir.file("out"), "--format", "csv", "--format", "html"]) == 0)
        let out = dir.file("out")
        let files = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.hasSuffix(".csv") && !$0.hasPrefix("tables/") }
        var comparisons = 0, withheldComparisons = 0, intervals = 0, forAge = 0
        for file in files {
            let t = try CSVTable(path: out + "/" + file)
            for (c, name) in t.header.enumerated() where name.contains("_vs_area_") {
                let rate = t.column(
                    name.replacingOccurrences(of: "_vs_area_for_age", with: "").replacingOccurrences(of: "_vs_area", with: ""))
                for row in t.rows where !row[c].isEmpty {
                    comparisons += 1
                    if name.contains("_for_age") { forAge += 1 }
                    #expect((row[c] == "c") == (row[rate] == "c"), "\(file) \(name) \(row[0])")
                    if row[c] == "c" { withheldComparisons += 1 }
                }
            }
            guard t.header.contains("change_lower_95") else { continue }
            for row in t.rows {
                intervals += 1
                let values = ["value_2025_26", "value_2024_25"].map { row[t.column($0)] }
                if values.contains("c") {
                    for name in ["change", "news", "change_lower_95", "change_upper_95"] {
                        #expect(row[t.column(name)] == "c", "\(file) \(name)")
                    }
                }
            }
        }
        #expect(comparisons > 100 && withheldComparisons > 10 && intervals > 50 && forAge > 100)
        // A report draws a funnel plot only where no area's rate (or comparison) of the year is withheld.
        var funnels = 0
        for group in try FileManager.default.contentsOfDirectory(atPath: out) where group != "tables" {
            guard let report = try? String(contentsOfFile: out + "/" + group + "/report.html", encoding: .utf8) else { continue }
            for part in report.components(separatedBy: "<h4>").dropFirst() where part.contains("aria-label=\"Funnel plot") {
                funnels += 1
                let table = part.components(separatedBy: "</table>").first ?? ""
                let headings = table.components(separatedBy: "<th>").dropFirst().map { $0.components(separatedBy: "</th>")[0] }
                let rows = table.components(separatedBy: "<tr>").dropFirst(2).map { row in
                    row.components(separatedBy: "<td").dropFirst().map {
                        $0.components(separatedBy: ">").dropFirst().first?
                            .components(separatedBy: "<")[0] ?? ""
                    }
                }
                for (c, heading) in headings.enumerated() where heading.hasPrefix("rate per") && heading.hasSuffix("2025 26") {
                    #expect(rows.allSatisfy { c >= $0.count || $0[c] != "c" }, "\(group): a funnel plot beside a withheld \(heading)")
                }
            }
        }
        #expect(funnels >= 1)
    }

    /// A mean of fewer values than the group withholds (1 to 4 for the adults group) would give
    /// them away: it is withheld with its interval, and every mean shown is of 5 values or more;
    /// so is a mean whose records are withheld.
    /// The values counted plainly from the bundled drop's enquiries.
    @Test func aMeanOfFewValuesIsWithheldWithItsInterval() throws {
        let dir = try TemporaryDirectory("mean-disclosure")
        defer { dir.remove() }
        #expect(try runProfiler(["build", "--out", dir.file("out"), "--format", "csv"]) == 0)
        let enquiries = try CSVTable(path: TestPaths.sampleDrop + "/adult_safeguarding_enquiries.csv.gz")
        var values: [String: Int] = [:]  // kind of self-neglect -> enquiries started, 2025-26
        for row in enquiries.rows where row[enquiries.column("TypeOfRisk")] == "Self-neglect" {
            let (received, started) = (row[enquiries.column("ConcernReceived")], row[enquiries.column("EnquiryStart")])
            guard received >= "2025-04-01", received <= "2026-03-31", !started.isEmpty, started >= received else { continue }
            values[row[enquiries.column("SelfNeglectType")], default: 0] += 1
        }
        let t = try CSVTable(path: dir.file("out") + "/adults/self_neglect/days_to_enquiry.csv")
        var withheld = 0
        for row in t.rows {
            let n = values[row[0], default: 0]
            let cells = ["mean_enquiry_start_2025_26", "mean_enquiry_start_lower_95_2025_26", "mean_enquiry_start_upper_95_2025_26"].map {
                row[t.column($0)]
            }
            // With its records withheld, a mean (a sum over a number of values) is withheld too.
            if row[t.column("records_2025_26")] == "c" { #expect(cells.allSatisfy { $0 == "c" }, "\(row[0]): \(cells)") }
            if (1..<5).contains(n) {
                #expect(cells.allSatisfy { $0 == "c" }, "\(row[0]): \(n) values, \(cells)")
                withheld += 1
            } else if cells[0] != "c" && !cells[0].isEmpty {
                #expect(n >= 5, "\(row[0]): a mean of \(n) values shown")
            }
        }
        #expect(withheld >= 2, "\(withheld) means of few values")
    }
}
