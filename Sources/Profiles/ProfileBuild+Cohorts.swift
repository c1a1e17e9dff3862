import Columnar
import Definitions

/// The tables that are not a breakdown of measures: people by how many agencies saw them, a
/// cohort followed from one age to a later one; and every table's description.
extension ProfileBuild {
    /// People by the number of agencies that saw them in the year (1, 2, 3 or more).
    func agencyTable(_ t: TableDefinition, _ chosen: [EventSet]) -> ProfileTable {
        let (all, _) = events(chosen, by: [])
        var rows: [[ProfileTable.Cell]] = [[.text("1")], [.text("2")], [.text("3 or more")]]
        for y in 0..<2 {
            var agencies: [UInt32: Set<String>] = [:]
            for e in all where yearOf(e.day) == y && e.person != 0 { agencies[e.person, default: []].insert(chosen[e.set].agency) }
            var counts = [0, 0, 0]
            for (_, a) in agencies { counts[min(a.count, 3) - 1] += 1 }
            for i in 0..<3 { rows[i].append(.count(counts[i])) }
        }
        let columns = ["agencies", "people_" + period.columnSuffixes.current, "people_" + period.columnSuffixes.previous]
        let people = [period.columnSuffixes.current, period.columnSuffixes.previous].map {
            countMeaning(Measure("people"), chosen, year: $0)
        }
        return ProfileEngine.withMeaning(
            ProfileTable(
                profile: "", id: t.id, section: t.section.rawValue, title: t.title,
                description: describe(t, chosen) + " Each person is counted once, by how many of the agencies ("
                    + Set(chosen.map(\.agency)).sorted().joined(separator: ", ") + ") recorded them in the year.",
                columns: columns, rows: rows, kinds: [.label, .count, .count]),
            axes: [axis(.agencyCount, chosen)], columns: [1: people[0]!, 2: people[1]!])
    }

    /// People with an event of the first sets at the first ages, seen later in the other sets at
    /// the later ages, in the year; by the agency that saw them later.
    /// The people of a cohort seen later in year `year`, by the agency that saw them (and in all).
    func cohortPeople(_ cohort: TableDefinition.Cohort, _ chosen: [EventSet], _ profile: ProfileDefinition, year: Int) -> (
        agencies: [String], byAgency: [Int], any: Int
    ) {
        let (before, _) = events(chosen, by: [])
        let laterSets = sets(cohort.laterEvents, profile)
        let (after, _) = events(laterSets, by: [])
        var firstSeen: [UInt32: Int32] = [:]
        for e in before where e.person != 0 && e.age != IntegerColumn.null && cohort.ages.contains(Int(e.age)) {
            firstSeen[e.person] = min(firstSeen[e.person] ?? .max, e.day)
        }
        let agencies = Array(Set(laterSets.map(\.agency))).sorted()
        var byAgency = [Set<UInt32>](repeating: [], count: agencies.count)
        var any = Set<UInt32>()
        for e in after where yearOf(e.day) == year && e.person != 0 && e.age != IntegerColumn.null && cohort.laterAges.contains(Int(e.age))
        {
            guard let first = firstSeen[e.person], first < e.day else { continue }
            byAgency[agencies.firstIndex(of: laterSets[e.set].agency)!].insert(e.person)
            any.insert(e.person)
        }
        return (agencies, byAgency.map(\.count), any.count)
    }

    func cohortTable(_ t: TableDefinition, _ cohort: TableDefinition.Cohort, _ chosen: [EventSet], _ profile: ProfileDefinition)
        -> ProfileTable
    {
        let agencies = Array(Set(sets(cohort.laterEvents, profile).map(\.agency))).sorted()
        var rows: [[ProfileTable.Cell]] = agencies.map { [.text($0)] } + [[.text("Any adult service")]]
        for y in 0..<2 {
            let counts = cohortPeople(cohort, chosen, profile, year: y)
            for i in agencies.indices { rows[i].append(.count(counts.byAgency[i])) }
            rows[agencies.count].append(.count(counts.any))
        }
        let columns = ["later_seen_by", "people_" + period.columnSuffixes.current, "people_" + period.columnSuffixes.previous]
        return ProfileTable(
            profile: profile.id, id: t.id, section: t.section.rawValue, title: t.title,
            description: describe(t, chosen)
                + " Counts people seen at ages \(cohort.ages.lowerBound)-\(cohort.ages.upperBound) in those events, at any time in the data, and seen again at ages \(cohort.laterAges.lowerBound)-\(cohort.laterAges.upperBound) in the year by: \(cohort.laterEvents.joined(separator: ", ")).",
            columns: columns, rows: rows, kinds: [.label, .count, .count])
    }

    func describe(_ t: TableDefinition, _ chosen: [EventSet]) -> String {
        var text = t.description.isEmpty ? "" : t.description + " "
        text +=
            "Events: "
            + chosen.map { set in
                "\(set.name) (\(set.source)"
                    + (set.conditions.isEmpty ? "" : " where " + set.conditions.map(describe).joined(separator: " and "))
                    + (set.alsoIn.isEmpty
                        ? "" : ", people also in " + set.alsoIn.map(\.name).joined(separator: " or ") + " in the same year") + ")"
            }.joined(separator: "; ") + "."
        if !t.by.isEmpty { text += " By " + t.by.map(\.description).joined(separator: ", ") + "." }
        text += " Measures: " + t.measures.map(\.description).joined(separator: ", ") + "."
        return text
    }

    private func describe(_ c: Condition) -> String {
        switch c.test {
        case .oneOf(let v): "\(c.field) is \(v.joined(separator: " or "))"
        case .noneOf(let v): "\(c.field) is not \(v.joined(separator: " or "))"
        case .anyOf(let v): "\(c.field) includes \(v.joined(separator: " or "))"
        case .atLeast(let n): "\(c.field) >= \(n)"
        case .atMost(let n): "\(c.field) <= \(n)"
        case .between(let a, let b): "\(c.field) from \(a) to \(b)"
        case .present: "\(c.field) is recorded"
        case .blank: "\(c.field) is blank"
        case .wardWithSite(let v): "\(c.field) is in a ward with a \(v.joined(separator: " or ")) service site"
        }
    }
}
