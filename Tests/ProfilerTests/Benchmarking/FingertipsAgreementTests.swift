import Columnar
import Foundation
import Statistics
import TestSupport
import Testing

@testable import Ingest

/// The real Fingertips export (indicator 93356, Campylobacter incidence per 100,000, County & UA,
/// 2015-2017), read through profiles/public/fingertips_indicators.yaml: the engine's statistics
/// reproduce its published intervals and its comparisons with England.
@Suite("Benchmarking: agreement with Fingertips")
struct FingertipsAgreementTests {
    struct Row {
        let area: String, areaType: String, sex: String, age: String, category: String, period: String
        let value: Double?, lower95: Double?, upper95: Double?, count: Double?, denominator: Double?
        let comparedToEngland: String?, comparedToParent: String?
    }

    static func rows() throws -> (rows: [Row], report: FileReport) {
        let drop = try ingestDrop(TestPaths.publicData + "/fingertips", sources: "public")
        let table = try #require(drop.tables["fingertips_indicators"])
        let report = try #require(drop.reports.first)
        func text(_ name: String, _ i: Int) -> String {
            guard case .code(let c)? = table[name] else { return "" }
            return c.value(i) ?? ""
        }
        func number(_ name: String, _ i: Int) -> Double? {
            guard case .decimal(let c)? = table[name], !c.values[i].isNaN else { return nil }
            return c.values[i]
        }
        let rows = (0..<table.rowCount).map { i in
            Row(
                area: text("area_code", i), areaType: text("area_type", i), sex: text("sex", i), age: text("age", i),
                category: text("category", i), period: text("time_period", i), value: number("value", i),
                lower95: number("lower_ci_95", i), upper95: number("upper_ci_95", i), count: number("count", i),
                denominator: number("denominator", i), comparedToEngland: text("compared_to_england", i),
                comparedToParent: text("compared_to_parent", i))
        }
        return (rows, report)
    }

    /// Every row is read (852, each with one field fewer than the header), and both comparison
    /// columns are found by their "Compared to" prefix.
    @Test func theExportIsReadInFull() throws {
        let (rows, report) = try Self.rows()
        #expect(report.rowsRead == 852 && report.accepted == 852 && report.rejected == 0)
        #expect(Set(rows.map(\.comparedToEngland)) == ["Better", "Similar", "Worse", "Not compared"])
        #expect(rows.contains { $0.area == "E06000051" && $0.period == "2016" && $0.age == "All ages" && $0.comparedToParent == "Worse" })
    }

    /// For every area row with a count and a denominator, the crude rate's 95% interval is within
    /// 0.05% of the published limits. Indicator 93356's metadata names Byar's method for every
    /// count (its rows with counts below 10 use it too), so that is the method used here; with the
    /// engine's default for crude rates (exact Poisson below 10, Byar's from 10) the rows with
    /// counts of 10 or more agree as well, and only those with fewer differ.
    @Test func recomputedIntervalsAgreeWithThePublishedOnes() throws {
        let (rows, _) = try Self.rows()
        var checked = 0, small = 0
        for r in rows {
            guard let count = r.count, let denominator = r.denominator, denominator > 0,
                let lower = r.lower95, let upper = r.upper95
            else { continue }
            let place = "\(r.area) \(r.period) \(r.age) (count \(count))"
            let byar = try PoissonInterval.byar(count: count, level: .ninetyFive).scaled(by: 100_000 / denominator)
            #expect(abs(byar.lower - lower) <= 0.0005 * lower, "\(place): \(byar.lower) against \(lower)")
            #expect(abs(byar.upper - upper) <= 0.0005 * upper, "\(place): \(byar.upper) against \(upper)")
            let standard = try PoissonInterval.rate(count: count, denominator: denominator, multiplier: 100_000, level: .ninetyFive)
            #expect(abs(standard.value - (r.value ?? .nan)) <= 1e-9 * standard.value, "\(place)")
            let agrees = abs(standard.interval.lower - lower) <= 0.0005 * lower && abs(standard.interval.upper - upper) <= 0.0005 * upper
            #expect(agrees == (count >= 10), "\(place)")
            if count < 10 { small += 1 }
            checked += 1
        }
        #expect(checked == 755 && small == 20)
    }

    /// Against England's value for the same sex, age and period, the comparison at 95% (polarity:
    /// low is good, as Fingertips marks this indicator) equals the published "Compared to England"
    /// on every row that has one.
    @Test func comparisonsWithEnglandMatchThePublishedOnes() throws {
        let (rows, _) = try Self.rows()
        var england: [String: Double] = [:]
        for r in rows where r.area == "E92000001" && r.category.isEmpty { england["\(r.sex)|\(r.age)|\(r.period)"] = r.value }
        var checked = 0
        for r in rows where ["Better", "Similar", "Worse", "Higher", "Lower"].contains(r.comparedToEngland ?? "") {
            guard let count = r.count, let denominator = r.denominator else {
                Issue.record("\(r.area) \(r.period): a comparison without a count"); continue
            }
            let benchmark = try #require(england["\(r.sex)|\(r.age)|\(r.period)"])
            let rate = try PoissonInterval.rate(count: count, denominator: denominator, multiplier: 100_000, level: .ninetyFive)
            let outcome = ComparisonOutcome(interval: rate.interval, benchmark: benchmark, polarity: .lowIsGood)
            #expect(outcome.rawValue == r.comparedToEngland, "\(r.area) \(r.sex) \(r.age) \(r.period)")
            checked += 1
        }
        #expect(checked == 750)
    }
}
