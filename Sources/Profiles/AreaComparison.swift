import Columnar
import Definitions
import Statistics

/// Each area of a ward, locality or deprivation-decile table against the whole area: its rate's
/// significance inside the funnel of the area's rate at its residents, at 95% and 99.8%
/// (PHEindicatormethods `assign_funnel_significance` for crude rates: the row's Poisson interval,
/// exact below 10 events and Byar's from 10, against the average of the areas; `FunnelPlot`).
public enum AreaComparison {
    static func isArea(_ d: Breakdown) -> Bool {
        switch d {
        case .ward, .locality, .deprivation: true
        default: false
        }
    }

    /// The words a comparison is published as, highest first.
    public static let words = ["higher (99.8%)", "higher (95%)", "similar", "lower (95%)", "lower (99.8%)"]

    /// Each group's comparison; nil for a group with no residents (a place not in the area, or not
    /// recorded), which is neither in the average nor compared.
    static func labels(records: [Int], residents: GroupResidents, rate: any RateMeasure) -> (labels: [String?], average: Double?) {
        let groups = records.indices
        let denominators = groups.map { residents.of($0, children: rate.children) }
        let areas = groups.filter { denominators[$0] > 0 }
        guard
            let average = try? FunnelPlot.average(
                counts: areas.map { Double(records[$0]) }, denominators: areas.map { denominators[$0] })
        else { return (groups.map { _ in nil }, nil) }
        let labels = groups.map { g -> String? in
            guard denominators[g] > 0,
                let s = try? FunnelPlot.rateSignificance(count: Double(records[g]), denominator: denominators[g], average: average)
            else { return nil }
            return word(s)
        }
        return (labels, average)
    }

    /// Below this share of the year's records in the area with an age, the comparison is not
    /// standardised for age.
    static let leastShareWithAge = 0.8

    /// Each group's comparison with the whole area allowing for the ages of its residents, or nil
    /// where the population is not given by age or fewer than `leastShareWithAge` of the records
    /// have an age. The area's own age-specific rates (its records in each age band over its
    /// residents there; records without an age shared among the bands as those with one are) give
    /// each area's expected records E at its residents' ages; its records O against E are judged
    /// as PHEindicatormethods `calculate_ISRatio` and `assign_funnel_significance(statistic =
    /// "ratio")` do: 1 against O's interval (exact below 10, Byar's from 10) over E. A rate per
    /// children is standardised over the children's bands, its records aged 18 or over counted as
    /// without an age.
    static func standardisedLabels(
        events: [ProfileEngine.Event], records: [Int], residents: GroupResidents, rate: any RateMeasure, bands: [AgeBand]
    ) -> [String?]? {
        let used = bands.indices.filter { !rate.children || (bands[$0].upper.map { $0 < 18 } ?? false) }
        guard !used.isEmpty else { return nil }
        let groups = records.indices
        let inArea = groups.map { residents.of($0, children: rate.children) > 0 }
        let populations = groups.map { g in inArea[g] ? used.map { Double(residents.byAge(g)[$0]) } : [] }
        var areaPopulation = [Double](repeating: 0, count: used.count)
        for g in groups where inArea[g] { for k in used.indices { areaPopulation[k] += populations[g][k] } }
        // The area's records in each band, and its records with no (usable) age.
        var banded = [Double](repeating: 0, count: used.count)
        var total = 0.0
        for e in events where e.group < inArea.count && inArea[e.group] {
            total += 1
            guard e.age != IntegerColumn.null,
                let k = used.firstIndex(where: { bands[$0].contains(Int(e.age)) }), areaPopulation[k] > 0
            else { continue }
            banded[k] += 1
        }
        let withAge = banded.reduce(0, +)
        guard total > 0, withAge >= leastShareWithAge * total else { return nil }
        let rates = used.indices.map { k in areaPopulation[k] > 0 ? banded[k] * (total / withAge) / areaPopulation[k] : 0 }
        return groups.map { g -> String? in
            guard inArea[g] else { return nil }
            let expected = zip(rates, populations[g]).reduce(0) { $0 + $1.0 * $1.1 }
            guard let s = try? FunnelPlot.ratioSignificance(observed: Double(records[g]), expected: expected) else { return nil }
            return word(s)
        }
    }

    static func word(_ s: FunnelPlot.Significance) -> String? {
        switch s {
        case .highAt0001: words[0]
        case .highAt0025: words[1]
        case .notSignificant: words[2]
        case .lowAt0025: words[3]
        case .lowAt0001: words[4]
        case .notApplicableBelowTenEvents: nil
        }
    }
}
