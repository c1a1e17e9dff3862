import Definitions
import Foundation
import Profiles
import Statistics
import TestSupport
import Testing

/// On the bundled drop, every measure of success is called significantly better or worse only when
/// its own test says so: a count's two years by the exact test on the counts, a share's by
/// Newcombe's interval on its numerators and denominators; a change that chance explains is "no
/// significant change", however large it looks.
@Suite("Significance: the scorecard's words follow the tests")
struct ScorecardSignificanceTests {
    @Test func everyRowIsCalledWhatItsTestSays() throws {
        let engine = ProfileEngine(drop: try ingestDrop(TestPaths.sampleDrop, demo: true), period: ReportingPeriod(startYear: 2025))
        let catalogue = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: SourceCatalogue.load(profiles: TestPaths.profiles),
            measures: MeasureLibrary.grammars)
        var judged = 0, unchangedButDifferent = 0, significant = 0
        for profile in catalogue.profiles {
            let table = try #require(engine.build(profile).first { $0.id == "success_measures" })
            func at(_ row: [ProfileTable.Cell], _ column: String) -> Double? {
                Double(row[table.columns.firstIndex(of: column)!].description)
            }
            for (m, row) in zip(profile.success, table.rows) {
                let news = row[table.columns.firstIndex(of: "news")!].description
                guard let now = at(row, "value_2025_26"), let then = at(row, "value_2024_25"), m.measure.name != "sum" else { continue }
                let change: YearOnYearChange
                if m.shareOf != nil {
                    change = try YearOnYearChange.proportions(
                        thisYearCount: at(row, "numerator_2025_26")!, thisYearDenominator: at(row, "denominator_2025_26")!,
                        lastYearCount: at(row, "numerator_2024_25")!, lastYearDenominator: at(row, "denominator_2024_25")!)
                } else if let n1 = at(row, "numerator_2025_26"), let n2 = at(row, "numerator_2024_25") {
                    change = try YearOnYearChange.counts(thisYear: n1, lastYear: n2)  // a rate: its records
                } else {
                    change = try YearOnYearChange.counts(thisYear: now, lastYear: then)
                }
                let up = change.at95 == .significantlyHigher, down = change.at95 == .significantlyLower
                let better = (up && m.good == .up) || (down && m.good == .down)
                let level = change.at998 == change.at95 ? "99.8%" : "95%"
                let expected =
                    change.at95 == .notTestable
                    ? "not testable" : (up || down ? "significantly \(better ? "better" : "worse") (\(level))" : "no significant change")
                #expect(news == expected, "\(profile.id)/\(m.id): \(now) against \(then)")
                judged += 1
                if news == "no significant change" && now != then { unchangedButDifferent += 1 }
                if news.hasPrefix("significantly") { significant += 1 }
            }
        }
        #expect(judged >= 25)
        #expect(unchangedButDifferent >= 10, "most year-on-year movement on counts this small is noise")
        #expect(significant >= 1)
    }
}
