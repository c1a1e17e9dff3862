import Columnar
import Definitions
import Ingest

extension ProfileEngine {
    /// The profile's success measures: this year, last year, the change, and whether it is good news.
    func successTable(_ profile: ProfileDefinition) -> ProfileTable {
        var rows: [[ProfileTable.Cell]] = []
        for m in profile.success {
            let current = value(m, profile, year: 0)
            let previous = value(m, profile, year: 1)
            var news = "no change"
            if let c = current, let p = previous, c != p { news = (c > p) == (m.good == .up) ? "good news" : "bad news" }
            if current == nil || previous == nil { news = "not available" }
            let isRate = m.measure == .ratePer1000 || m.measure == .ratePer10000Children
            let decimals = m.shareOf == nil && !isRate ? 0 : 1
            // Counts as counts (small ones are suppressed for some audiences); rates and shares as numbers.
            func cell(_ v: Double?) -> ProfileTable.Cell {
                guard let v else { return .missing }
                return decimals == 0 ? .count(Int(v)) : .number(v, decimals: decimals)
            }
            rows.append([.text(m.id), .text(m.title), .text(m.good == .up ? "up is good" : "down is good"),
                         cell(current), cell(previous),
                         (current != nil && previous != nil) ? .number(current! - previous!, decimals: decimals) : .missing,
                         .text(news)])
        }
        let (y, p) = period.columnSuffixes
        return ProfileTable(profile: profile.id, id: "success_measures", section: "success", title: "\(profile.title): measures of success",
                            description: "Each measure of success for \(period) beside \(period.previousLabel), and whether its change is good news. "
                                + profile.success.map { "\($0.id): \($0.description.isEmpty ? $0.title : $0.description)" }.joined(separator: " "),
                            columns: ["measure", "title", "direction", "value_\(y)", "value_\(p)", "change", "news"], rows: rows,
                            kinds: [.other, .other, .other, .count, .count, .derived(bases: [3, 4]), .derived(bases: [3, 4])])
    }

    private func value(_ m: SuccessMeasure, _ profile: ProfileDefinition, year: Int) -> Double? {
        let chosen = m.events.compactMap(profile.eventSet)
        if let cohort = m.cohort {
            let value = Double(cohortPeople(cohort, chosen, profile, year: year).any)
            guard let shareOf = m.shareOf else { return value }
            // Share of the young people known at the first ages who were later seen at all.
            let known = Double(cohortPeople(TableDefinition.Cohort(ages: cohort.ages, laterEvents: shareOf, laterAges: cohort.laterAges), chosen, profile, year: year).any)
            return known == 0 ? nil : 100 * value / known
        }
        func measureValue(_ chosen: [EventSet]) -> Double {
            // A people measure of another role counts that role's people over the same rows.
            let sets = m.measure.role.map { r in chosen.map { $0.counting(r) } } ?? chosen
            let (all, _) = events(sets, by: [])
            let inYear = all.filter { yearOf($0.day) == year }
            if let minimum = m.minimumAgencies {
                var agencies: [UInt32: Set<String>] = [:]
                for e in inYear where e.person != 0 { agencies[e.person, default: []].insert(sets[e.set].agency) }
                return Double(agencies.values.filter { $0.count >= minimum }.count)
            }
            switch m.measure {
            case .records: return Double(inYear.count)
            case .people: return Double(Measures.people(inYear, groups: 1)[0])
            case .repeatPeople: return Double(Measures.people(inYear, groups: 1, minimumEvents: 2)[0])
            case .repeatWithinYear: return Double(Measures.repeatsWithinYear(year: inYear, all: all, groups: 1)[0])
            case .peopleRepeatWithinYear: return Double(Measures.repeatsWithinYear(year: inYear, all: all, groups: 1, distinctPeople: true)[0])
            case .serial(let a, let b):
                let overridden = sets.map { $0.counting(a) }
                let (ev, _) = events(overridden, by: [], otherRole: b)
                return Double(Measures.serial(ev.filter { yearOf($0.day) == year }, groups: 1)[0])
            case .ratePer1000:
                let r = drop.reference.residents.reduce(0, +)
                return r == 0 ? .nan : Double(inYear.count) * 1000 / Double(r)
            case .ratePer10000Children:
                let r = drop.reference.children.reduce(0, +)
                return r == 0 ? .nan : Double(inYear.count) * 10_000 / Double(r)
            case .share: return 100
            case .sum(let f):
                let (summed, _) = events(sets, by: [], sumField: f)
                return summed.filter { yearOf($0.day) == year }.reduce(0) { $0 + $1.value }
            }
        }
        let v = measureValue(chosen)
        guard let shareOf = m.shareOf else { return v.isNaN ? nil : v }
        let d = measureValue(shareOf.compactMap(profile.eventSet))
        return d == 0 ? nil : 100 * v / d
    }
}
