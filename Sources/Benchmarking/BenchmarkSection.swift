import Columnar
import Definitions
import Foundation
import Profiles
import Reference
import Statistics

/// The "how we compare" section of a profile: each local measure with its intervals beside
/// England, the region and the nearest neighbours, the comparisons at 95% and 99.8%, the rank
/// among neighbours and the recent trend; a measure with no published counterpart says so.
public struct BenchmarkSection: Sendable {
    public let definition: BenchmarkDefinition
    public let groups: ComparatorGroups
    public let areas: AreaLookup
    public let published: [PublishedValue]

    public init(definition: BenchmarkDefinition, groups: ComparatorGroups, areas: AreaLookup, published: [PublishedValue]) {
        self.definition = definition
        self.groups = groups
        self.areas = areas
        self.published = published
    }

    /// Two tables: `benchmark` (one row per comparison) and `benchmark_areas` (every area's
    /// published value with its interval, for the charts).
    public func tables(profile: ProfileDefinition, engine: ProfileEngine) -> [ProfileTable] {
        var rows: [[ProfileTable.Cell]] = [], areaRows: [[ProfileTable.Cell]] = []
        // What each comparison's local count counts, for disclosure control.
        var meaningOf: [String: ProfileTable.CountMeaning] = [:]
        for c in definition.comparisons {
            let compared = compare(c, profile: profile, engine: engine)
            rows.append(compared.row)
            areaRows += compared.areaRows
            meaningOf[c.id] = compared.meaning
        }
        return tables(rows: rows, areaRows: areaRows, meaningOf: meaningOf)
    }

    private static func number(_ d: Double?, _ places: Int = 2) -> ProfileTable.Cell { d.map { .number($0, decimals: places) } ?? .missing }

    /// One comparison: its row of `benchmark`, its rows of `benchmark_areas`, and what its local count counts.
    private func compare(_ c: BenchmarkDefinition.Comparison, profile: ProfileDefinition, engine: ProfileEngine)
        -> (row: [ProfileTable.Cell], areaRows: [[ProfileTable.Cell]], meaning: ProfileTable.CountMeaning?)
    {
        let n = Self.number
        let polarity: Polarity =
            switch c.polarity {
            case .lowIsGood: .lowIsGood
            case .highIsGood: .highIsGood
            case .noJudgement: .noJudgement
            }
        let blanks = [ProfileTable.Cell](repeating: .missing, count: 16)
        guard let indicator = c.indicator else {
            return ([.text(c.id), .text(c.title), .missing] + blanks + [.text("No published counterpart: " + c.note)], [], nil)
        }
        let mine = published.filter { $0.indicatorID == indicator && $0.sex == c.sex && $0.age == c.age }
        guard let (chosen, days, periodNotes) = period(of: mine, covering: engine.coverage(c.events, of: profile), engine: engine) else {
            return (
                [.text(c.id), .text(c.title), .text(indicator)] + blanks
                    + [.text("Indicator \(indicator) is not in the comparator files (for \(c.sex), \(c.age)). " + c.note)], [], nil
            )
        }
        var notes = periodNotes
        let count = Double(engine.count(c.events, of: profile, people: c.count == .people, days: days))
        let meaning = engine.countMeaning(c.events, of: profile, people: c.count == .people, days: days)
        let denominator = Double(c.per == .residents ? engine.residents : engine.children)
        let at = mine.filter { $0.period == chosen }
        func value(_ code: String) -> PublishedValue? { at.first { $0.areaCode == code } }
        let england = value(AreaLookup.englandCode), region = areas.areas[groups.area].flatMap { value($0.regionCode) }
        let local95 = try? PoissonInterval.rate(count: count, denominator: denominator, multiplier: c.multiplier, level: .ninetyFive)
        let local998 = try? PoissonInterval.rate(
            count: count, denominator: denominator, multiplier: c.multiplier, level: .ninetyNinePointEight)
        let neighbourList = groups.neighbours(
            in: Int(PublishedValue.days(of: chosen).map { DayNumber.civil(Int($0.lowerBound)).year } ?? 0))
        let neighbours = (neighbourList?.areas ?? []).compactMap(value)
        var groupValue: Double?
        let groupCount = neighbours.compactMap(\.count).reduce(0, +), groupDenominator = neighbours.compactMap(\.denominator).reduce(0, +)
        if groupDenominator > 0 && neighbours.allSatisfy({ $0.count != nil && $0.denominator != nil }) {
            groupValue = groupCount * c.multiplier / groupDenominator
        }
        let vsEngland = TwoLevelComparison(
            interval95: local95?.interval, interval998: local998?.interval, benchmark: england?.value, polarity: polarity)
        let vsRegion = ComparisonOutcome(interval: local95?.interval, benchmark: region?.value, polarity: polarity)
        let vsGroup = ComparisonOutcome(interval: local95?.interval, benchmark: groupValue, polarity: polarity)
        let ranked = [local95?.value] + neighbours.map(\.value)
        let rank = Ranking.ranks(ranked, polarity: polarity)[0]
        let quintile = Ranking.fingertipsQuintiles(ranked)[0]
        let (trend, points) = recentTrend(mine, polarity: polarity)
        if points < RecentTrend.pointsUsed { notes.append("Trend: \(points) published period(s) for the area, five needed.") }
        if neighbours.count < (neighbourList?.areas.count ?? 0) {
            notes.append(
                "\((neighbourList?.areas.count ?? 0) - neighbours.count) of the \(neighbourList?.areas.count ?? 0) neighbours have no published value."
            )
        }
        if !c.note.isEmpty { notes.append(c.note) }
        let places = c.multiplier >= 1000 ? 2 : 1
        let row: [ProfileTable.Cell] = [
            .text(c.id), .text(c.title), .text(indicator), .text(chosen), .count(Int(count)), .number(denominator, decimals: 0),
            n(local95?.value, places), n(local95?.interval.lower, places), n(local95?.interval.upper, places),
            n(england?.value, places), n(region?.value, places), n(groupValue, places),
            .text(vsEngland.at95.rawValue), .text(vsEngland.at998.rawValue), .text(vsRegion.rawValue), .text(vsGroup.rawValue),
            rank.map { .text("\($0) of \(ranked.compactMap { $0 }.count)") } ?? .missing,
            quintile.map { .number(Double($0), decimals: 0) } ?? .missing,
            .text(trend.rawValue), .text(notes.joined(separator: " ")),
        ]
        var listed: [(String, PublishedValue?)] = [("England", england)]
        if let region { listed.append(("region", region)) }
        listed += neighbours.map { ("neighbour", $0) }
        return (row, areaRows(c.id, local: local95, count: count, listed: listed, places: places), meaning)
    }

    /// The latest published period the local data covers, else the latest published (with a
    /// note, and the local value then for the reporting year); nil when nothing is published.
    /// Ordered totally (first day, last day, text): periods starting on the same day ("2024-02",
    /// "2024-02 to 2024-03") must not be left in the set's order, which differs run to run.
    private func period(of mine: [PublishedValue], covering coverage: ClosedRange<Int32>?, engine: ProfileEngine)
        -> (period: String, days: ClosedRange<Int32>, notes: [String])?
    {
        let periods = Set(mine.filter { $0.areaCode == AreaLookup.englandCode }.map(\.period))
            .compactMap { p in PublishedValue.days(of: p).map { (p, $0) } }
            .sorted { ($0.1.lowerBound, $0.1.upperBound, $0.0) < ($1.1.lowerBound, $1.1.upperBound, $1.0) }
        guard let latest = periods.last else { return nil }
        // Covered: the extracts run from within the period's first month to within its last.
        if let coverage,
            let covered = periods.last(where: { coverage.lowerBound <= $0.1.lowerBound + 30 && coverage.upperBound >= $0.1.upperBound - 30 }
            )
        {
            return (covered.0, covered.1, [])
        }
        return (latest.0, engine.period.current, ["The local data does not cover \(latest.0): the local value is for \(engine.period)."])
    }

    /// The recent trend of the area's own published series (its last five periods), and how many
    /// periods it has.
    private func recentTrend(_ mine: [PublishedValue], polarity: Polarity) -> (TrendOutcome, Int) {
        let series = mine.filter { $0.areaCode == groups.area }
            .compactMap { v -> (ClosedRange<Int32>, Estimate)? in
                guard let d = PublishedValue.days(of: v.period), let x = v.value, let l = v.lower95, let u = v.upper95 else { return nil }
                return (d, Estimate(value: x, interval: ConfidenceInterval(lower: l, upper: u, level: .ninetyFive)))
            }.sorted { $0.0.lowerBound < $1.0.lowerBound }.map(\.1)
        return (RecentTrend.values(Array(series.suffix(RecentTrend.pointsUsed))).outcome(polarity: polarity), series.count)
    }

    /// Each area's figure, for the chart of intervals: this area's, then each comparator's as
    /// published with whether it is significantly above or below this area.
    private func areaRows(_ id: String, local local95: Estimate?, count: Double, listed: [(String, PublishedValue?)], places: Int)
        -> [[ProfileTable.Cell]]
    {
        let n = Self.number
        var rows: [[ProfileTable.Cell]] = [
            [
                .text(id), .text(groups.area), .text(areas.areas[groups.area]?.name ?? groups.area), .text("this area"),
                n(local95?.value, places), n(local95?.interval.lower, places), n(local95?.interval.upper, places), .text(""),
                .count(Int(count)), .count(Int(count)),
            ]
        ]
        for (role, v) in listed {
            guard let v else { continue }
            let outcome = ComparisonOutcome(
                interval: v.lower95.flatMap { l in v.upper95.map { ConfidenceInterval(lower: l, upper: $0, level: .ninetyFive) } },
                benchmark: local95?.value, polarity: .noJudgement)
            // A file that publishes no name (the DfE table's England once had none) is named from the area list.
            let name = v.areaName.trimmingCharacters(in: .whitespaces).isEmpty ? areas.name(of: v.areaCode) ?? v.areaCode : v.areaName
            rows.append([
                .text(id), .text(v.areaCode), .text(name), .text(role), n(v.value, places), n(v.lower95, places), n(v.upper95, places),
                .text(outcome.wordedAgainstThisArea), .missing, .count(Int(count)),
            ])
        }
        return rows
    }

    /// The two tables, with what their counts count.
    private func tables(rows: [[ProfileTable.Cell]], areaRows: [[ProfileTable.Cell]], meaningOf: [String: ProfileTable.CountMeaning])
        -> [ProfileTable]
    {
        let p = definition.profile
        func meaning(_ rows: [[ProfileTable.Cell]], counts: [Int]) -> ProfileTable.Meaning {
            let perRow = rows.map { meaningOf[$0[0].description] }
            return ProfileTable.Meaning(axes: [], counts: Dictionary(uniqueKeysWithValues: counts.map { ($0, perRow) }))
        }
        var tables = [
            ProfileTable(
                profile: p, id: "benchmark", section: "compare", title: "How we compare with other authorities",
                description:
                    "Each measure's local value with its 95% interval (exact Poisson below 10 events, Byar's method from 10) beside England, the region and the nearest neighbours (\(groups.neighbours.last?.name ?? "none defined")) for the same published period; compared with England at 95% and 99.8%, with the region and the neighbours together at 95%; rank 1 is the best of this area and its neighbours (the highest where no direction is good); quintile 1 the lowest values; the trend is that of the area's own published series over its last five periods.",
                columns: [
                    "comparison", "title", "indicator", "period", "local_count", "local_denominator", "local_value", "local_lower_95",
                    "local_upper_95",
                    "england", "region", "neighbours", "vs_england_95", "vs_england_998", "vs_region_95", "vs_neighbours_95",
                    "rank_among_neighbours", "quintile_among_neighbours", "recent_trend", "note",
                ], rows: rows,
                kinds: [
                    .other, .other, .other, .other, .count, .other, .derived(bases: [4]), .derived(bases: [4]), .derived(bases: [4]),
                    .other, .other, .other, .derived(bases: [4]), .derived(bases: [4]), .derived(bases: [4]), .derived(bases: [4]),
                    .derived(bases: [4]), .derived(bases: [4]), .other, .other,
                ]),
            ProfileTable(
                profile: p, id: "benchmark_areas", section: "compare", title: "Each comparator's published value",
                description:
                    "The area (from the drop) and England, the region and each neighbour (as published), with 95% intervals, and whether each is significantly higher or lower than the area.",
                // Each comparator's word compares it with this area's value, so it is
                // withheld with this area's count (kept hidden in every row for that).
                columns: [
                    "comparison", "area_code", "area_name", "role", "value", "lower_95", "upper_95", "against_this_area", "local_count",
                    "local_count_compared",
                ], rows: areaRows,
                kinds: [
                    .other, .other, .other, .other, .derived(bases: [8]), .derived(bases: [8]), .derived(bases: [8]), .derived(bases: [9]),
                    .count, .count,
                ],
                hidden: [8, 9]),
        ]
        tables[0].meaning = meaning(rows, counts: [4])
        tables[1].meaning = meaning(areaRows, counts: [8, 9])
        return tables
    }
}
