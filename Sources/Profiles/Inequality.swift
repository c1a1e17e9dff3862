import Definitions
import Statistics

/// The slope and relative index of inequality of a deprivation table's rates (`phe_sii`): the
/// deciles from the most deprived to the least, each with its residents, rate and the standard
/// error of its log rate from its Poisson interval; intervals by 10,000 seeded simulations (PHE's
/// default is 100,000: 10,000 keeps a build quick, and its limits move by about 1% of their width).
enum InequalityIndex {
    static let repetitions = 10_000

    /// The index of each compared rate in the reporting year; none where a decile has no events or
    /// residents, or fewer than five deciles are in the table (`phe_sii` needs five).
    static func of(
        _ t: TableDefinition, layout: TableLayout, records: [[Int]], residents: GroupResidents, grouped: GroupedEvents
    ) -> [ProfileTable.Inequality] {
        guard t.by.count == 1, case .deprivation = t.by[0], let current = records.first else { return [] }
        // Deciles 1 (most deprived) to 10, by their labels; those with no residents are not in the area.
        let deciles = (0..<grouped.groups).compactMap { g -> (decile: Int, group: Int)? in
            let label = grouped.labels[0].labels[grouped.label(of: g, dimension: 0)]
            guard residents.of(g, children: false) > 0 else { return nil }
            return Int(label.prefix { $0.isNumber }).map { ($0, g) }
        }.sorted { $0.decile < $1.decile }
        guard deciles.count >= 5 else { return [] }
        return layout.compared.compactMap { mi, rate in
            do {
                let groups = try deciles.map { d throws(StatisticsError) in
                    try SlopeIndexOfInequality.Group.rate(
                        count: Double(current[d.group]), population: residents.of(d.group, children: rate.children), multiplier: rate.per)
                }
                let s = try SlopeIndexOfInequality(
                    groups: groups, valueType: .rate, multiplier: 1, repetitions: repetitions, levels: [.ninetyFive])
                guard let si = s.siiInterval(at: .ninetyFive), let ri = s.riiInterval(at: .ninetyFive) else { return nil }
                return ProfileTable.Inequality(
                    rate: t.by.count + mi * records.count, sii: s.sii, siiLower95: si.lower, siiUpper95: si.upper, rii: s.rii,
                    riiLower95: ri.lower, riiUpper95: ri.upper,
                    method: "slope index of inequality (PHEindicatormethods phe_sii), intervals by \(s.intervalMethod)")
            } catch {
                return nil
            }
        }
    }
}
