import Definitions

/// A table's columns: the breakdowns' labels, then each measure in each year; then, for a table of
/// one area breakdown (ward, locality, deprivation decile), each rate's comparison with the whole
/// area in each year, then (where the population is given by age) the same allowing for age; then
/// the population the rates are per; then each mean's 95% interval in each year; then, when a share or rate is shown without its records, those records as
/// hidden columns (disclosure control treats the share as giving them away), and each mean's number
/// of values (which the mean and its interval are withheld with, as with the records). With what each count column counts.
struct TableLayout {
    var columns: [String]
    var kinds: [ProfileTable.ColumnKind]
    var hidden: Set<Int> = []
    var meanings: [Int: ProfileTable.CountMeaning] = [:]
    let hiddenRecords: Bool
    /// The rates (with their measure's index) each area is compared on with the whole area's.
    let compared: [(index: Int, rate: any RateMeasure)]
    /// Which compared rates are also compared allowing for age (each with a column per year).
    let standardised: [Bool]
    /// The populations the compared rates are per, in the order of their columns (false: residents,
    /// true: children), each after the comparisons.
    let populations: [Bool]
    /// The indices of the measures that are means.
    let means: [Int]

    /// The funnel plot of each compared rate in each year, given each one's average.
    func funnels(_ averages: [Double?], measures: Int, years: Int, first: Int) -> [ProfileTable.Funnel] {
        var out: [ProfileTable.Funnel] = []
        let comparisonsAt = first + measures * years
        let populationsAt = comparisonsAt + (compared.count + standardised.filter { $0 }.count) * years
        for (k, (mi, rate)) in compared.enumerated() {
            for y in 0..<years {
                guard let average = averages[k * years + y] else { continue }
                out.append(
                    ProfileTable.Funnel(
                        rate: first + mi * years + y, comparison: comparisonsAt + k * years + y,
                        denominator: populationsAt + populations.firstIndex(of: rate.children)!, average: average,
                        multiplier: rate.per, year: y))
            }
        }
        return out
    }

    /// The rates of a table of one area breakdown, each with its measure's index: those compared
    /// with the whole area.
    static func comparedRates(_ t: TableDefinition, _ measures: [any MeasureKind]) -> [(index: Int, rate: any RateMeasure)] {
        guard t.by.count == 1 && AreaComparison.isArea(t.by[0]) else { return [] }
        return measures.enumerated().compactMap { i, m in (m as? any RateMeasure).map { (i, $0) } }
    }

    /// `standardised`: for each of `comparedRates`, whether it is also compared allowing for age.
    init(_ t: TableDefinition, _ measures: [any MeasureKind], sets: [EventSet], period: ReportingPeriod, standardised: [Bool]) {
        let byMonth = t.by.contains { if case .month = $0 { true } else { false } }
        let suffixes = [period.columnSuffixes.current, period.columnSuffixes.previous]
        let years: [String?] = byMonth ? [nil] : suffixes
        let names = years.map { $0.map { "_" + $0 } ?? "" }
        let recordsAt = measures.firstIndex { $0 is Records }
        hiddenRecords = recordsAt == nil && measures.contains { $0.output == .fromRecords || $0.output == .mean }
        compared = Self.comparedRates(t, measures)
        self.standardised = standardised
        let first = t.by.count
        populations = Array(Set(compared.map(\.rate.children))).sorted { !$0 && $1 }
        means = measures.indices.filter { measures[$0].output == .mean }
        let comparisons = compared.count + standardised.filter { $0 }.count
        let hiddenAt = first + (measures.count + comparisons) * years.count + populations.count + means.count * 2 * years.count
        func recordsColumn(_ y: Int) -> Int { recordsAt.map { first + $0 * years.count + y } ?? hiddenAt + y }
        let valuesAt = hiddenAt + (hiddenRecords ? years.count : 0)
        func valuesColumn(_ mi: Int, _ y: Int) -> Int { valuesAt + means.firstIndex(of: mi)! * years.count + y }
        columns = t.by.map(\.heading)
        kinds = t.by.map { _ in .label }
        let events = CanonicalEvents(sets: sets)
        for (mi, m) in measures.enumerated() {
            for y in years.indices {
                columns.append(t.measures[mi].heading + names[y])
                switch m.output {
                case .fromRecords: kinds.append(.derived(bases: [recordsColumn(y)]))
                // A mean times its number of values gives a sum: withheld with its records too, or
                // a published sum would give a withheld number of records away.
                case .mean: kinds.append(.derived(bases: [valuesColumn(mi, y), recordsColumn(y)]))
                case .count: kinds.append(.count)
                case .reference: kinds.append(.other)
                }
                meanings[first + mi * years.count + y] = m.meaning(events, year: years[y])
            }
        }
        // A comparison is worked out from the row's records, and withheld with them.
        for (mi, _) in compared {
            for y in years.indices {
                columns.append(t.measures[mi].heading + "_vs_area" + names[y])
                kinds.append(.derived(bases: [recordsColumn(y)]))
            }
        }
        for ((mi, _), byAge) in zip(compared, standardised) where byAge {
            for y in years.indices {
                columns.append(t.measures[mi].heading + "_vs_area_for_age" + names[y])
                kinds.append(.derived(bases: [recordsColumn(y)]))
            }
        }
        // The population each area's rate is per: a figure about places, not a count of events.
        for children in populations {
            columns.append(children ? "children" : "residents")
            kinds.append(.other)
        }
        // A mean's interval, worked out from its values, and withheld with their number.
        for mi in means {
            for y in years.indices {
                for end in ["_lower_95", "_upper_95"] {
                    columns.append(t.measures[mi].heading + end + names[y])
                    kinds.append(.derived(bases: [valuesColumn(mi, y), recordsColumn(y)]))
                }
            }
        }
        if hiddenRecords {
            for y in years.indices {
                hidden.insert(columns.count)
                meanings[recordsColumn(y)] = Records(.records).meaning(events, year: years[y])
                columns.append("records" + names[y])
                kinds.append(.count)
            }
        }
        for mi in means {
            for y in years.indices {
                hidden.insert(columns.count)
                meanings[columns.count] = (measures[mi] as? Mean)?.valuesMeaning(events, year: years[y])
                columns.append(t.measures[mi].heading + "_values" + names[y])
                kinds.append(.count)
            }
        }
    }
}
