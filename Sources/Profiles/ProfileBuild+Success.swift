import Columnar
import Definitions

extension ProfileBuild {
    /// The profile's success measures: this year, last year, the change, and whether it is good news.
    func successTable(_ profile: ProfileDefinition) -> ProfileTable {
        var rows: [[ProfileTable.Cell]] = []
        let suffixes = [period.columnSuffixes.current, period.columnSuffixes.previous]
        var meanings: [Int: [ProfileTable.CountMeaning?]] = [3: [], 4: [], 7: [], 8: [], 9: [], 10: []]
        for m in profile.success {
            let current = value(m, profile, year: 0)
            let previous = value(m, profile, year: 1)
            let judged = change(m, current: current, previous: previous)
            let isRate = MeasureLibrary.kind(m.measure).output == .fromRecords
            let decimals = m.shareOf == nil && !isRate ? 0 : 1
            // Counts as counts (small ones are suppressed for some audiences); rates and shares as numbers.
            func cell(_ v: Double?) -> ProfileTable.Cell {
                guard let v else { return .missing }
                return decimals == 0 ? .count(Int(v)) : .number(v, decimals: decimals)
            }
            // The counts behind a share or rate, kept hidden for disclosure control.
            func count(_ v: Double?) -> ProfileTable.Cell { decimals == 0 ? .missing : v.map { .count(Int($0)) } ?? .missing }
            rows.append([
                .text(m.id), .text(m.title), .text(m.good == .up ? "up is good" : "down is good"),
                cell(current.value), cell(previous.value),
                (current.value != nil && previous.value != nil) ? .number(current.value! - previous.value!, decimals: decimals) : .missing,
                .text(judged.news), count(current.numerator), count(previous.numerator), count(current.denominator),
                count(previous.denominator), .text(judged.measuredAs),
                judged.interval95.map { .number($0.lower, decimals: 2) } ?? .missing,
                judged.interval95.map { .number($0.upper, decimals: 2) } ?? .missing, .text(judged.test),
            ])
            // What the counts count: a cohort or an agency threshold links to nothing else.
            let opaque = m.cohort != nil
            let events = m.events.compactMap(profile.eventSet), base = m.shareOf?.compactMap(profile.eventSet)
            for y in 0..<2 {
                var own = opaque ? nil : countMeaning(isRate ? .records : m.measure, events, year: suffixes[y])
                // People known to at least k agencies: the agencies breakdown's rows of k and more.
                if let k = m.minimumAgencies, let people = own {
                    own = .init(population: people.population + "|agencies>=\(k)", additivity: .distinct, year: people.year)
                }
                meanings[3 + y]!.append(decimals == 0 ? own : nil)
                meanings[7 + y]!.append(decimals == 0 ? nil : own)
                meanings[9 + y]!.append(opaque ? nil : base.flatMap { countMeaning(m.measure, $0, year: suffixes[y]) })
            }
        }
        let (y, p) = period.columnSuffixes
        var table = ProfileTable(
            profile: profile.id, id: "success_measures", section: "success", title: "\(profile.title): measures of success",
            description:
                "Each measure of success for \(period) beside \(period.previousLabel), and whether it changed by more than chance: "
                + "a share by the difference of the two proportions (Newcombe's interval), a count or rate by the exact test on the "
                + "two counts (the ratio this year / last and its interval); significantly better or worse at 95% or 99.8%, by "
                + "which way is good. "
                + profile.success.map { "\($0.id): \($0.description.isEmpty ? $0.title : $0.description)" }.joined(separator: " "),
            columns: [
                "measure", "title", "direction", "value_\(y)", "value_\(p)", "change", "news",
                "numerator_\(y)", "numerator_\(p)", "denominator_\(y)", "denominator_\(p)",
                "change_measured_as", "change_lower_95", "change_upper_95", "test",
            ], rows: rows,
            kinds: [
                .other, .other, .other, .count, .count, .derived(bases: [3, 4]), .derived(bases: [3, 4]), .count, .count, .count, .count,
                .other, .derived(bases: [3, 4]), .derived(bases: [3, 4]), .other,
            ],
            hidden: [7, 8, 9, 10])
        table.meaning = ProfileTable.Meaning(axes: [], counts: meanings, numberBases: [3: [7, 9], 4: [8, 10]])
        return table
    }

    /// The measure's value in the year, with the counts a share or rate is worked out from.
    private func value(_ m: SuccessMeasure, _ profile: ProfileDefinition, year: Int) -> (
        value: Double?, numerator: Double?, denominator: Double?
    ) {
        let chosen = m.events.compactMap(profile.eventSet)
        if let cohort = m.cohort {
            let value = Double(cohortPeople(cohort, chosen, profile, year: year).any)
            guard let shareOf = m.shareOf else { return (value, nil, nil) }
            // Share of the young people known at the first ages who were later seen at all.
            let known = Double(
                cohortPeople(
                    TableDefinition.Cohort(ages: cohort.ages, laterEvents: shareOf, laterAges: cohort.laterAges), chosen, profile,
                    year: year
                ).any)
            return (known == 0 ? nil : 100 * value / known, value, known)
        }
        func measureValue(_ chosen: [EventSet], as measure: Measure? = nil) -> Double {
            let kind = MeasureLibrary.kind(measure ?? m.measure)
            let (all, _) = events(kind.selection, chosen, by: [])
            let inYear = all.filter { yearOf($0.day) == year }
            if let minimum = m.minimumAgencies {
                var agencies: [UInt32: Set<String>] = [:]
                for e in inYear where e.person != 0 { agencies[e.person, default: []].insert(chosen[e.set].agency) }
                return Double(agencies.values.filter { $0.count >= minimum }.count)
            }
            let area = GroupResidents(total: areaCounts, perGroup: nil)
            let input = MeasureInput(year: inYear, all: all, records: [inYear.count], groups: 1, residents: area)
            return kind.compute(input)[0] ?? .nan
        }
        let v = measureValue(chosen)
        guard let shareOf = m.shareOf else {
            let isRate = MeasureLibrary.kind(m.measure).output == .fromRecords
            return (v.isNaN ? nil : v, isRate ? measureValue(chosen, as: .records) : nil, nil)
        }
        let d = measureValue(shareOf.compactMap(profile.eventSet))
        return (d == 0 ? nil : 100 * v / d, v, d)
    }
}
