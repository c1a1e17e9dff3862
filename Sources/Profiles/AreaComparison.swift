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
            switch s {
            case .highAt0001: return words[0]
            case .highAt0025: return words[1]
            case .notSignificant: return words[2]
            case .lowAt0025: return words[3]
            case .lowAt0001: return words[4]
            case .notApplicableBelowTenEvents: return nil
            }
        }
        return (labels, average)
    }
}
