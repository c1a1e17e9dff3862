import Columnar
import Definitions

extension ProfileEngine {
    /// Above this many combinations of breakdown values, groups are numbered through a hash table.
    static let denseGroupLimit = 1 << 20

    /// Every table of the profile, then its success measures as one table.
    public func build(_ profile: ProfileDefinition) -> [ProfileTable] {
        defer { cache.clear() }
        return profile.tables.map { table($0, profile) } + [successTable(profile)]
    }

    private func sets(_ names: [String], _ profile: ProfileDefinition) -> [EventSet] { names.compactMap(profile.eventSet) }

    /// Whether every value of the dimension should be listed even when nothing happened there.
    private func listsAllValues(_ d: Breakdown) -> Bool {
        switch d {
        case .month, .ageBand, .ward, .locality, .deprivation: true
        default: false
        }
    }

    func table(_ t: TableDefinition, _ profile: ProfileDefinition) -> ProfileTable {
        let chosen = sets(t.events, profile)
        if let cohort = t.cohort { return cohortTable(t, cohort, chosen, profile) }
        if t.by.contains(.agencyCount) { return agencyTable(t, chosen) }
        var serialRoles: (String, String)? = nil
        for m in t.measures { if case .serial(let a, let b) = m { serialRoles = (a, b) } }
        var sumField: String? = nil
        for m in t.measures { if case .sum(let f) = m { sumField = f } }
        var (all, labels) = events(chosen, by: t.by, sumField: sumField)
        let sizes = labels.map { max(1, $0.count) }
        var serialEvents: [Event] = []
        if let (a, b) = serialRoles {
            serialEvents = events(chosen.map { $0.counting(a) }, by: t.by, otherRole: b).0
        }
        // A people measure of another role (`people:suspect` of victim-crimes) counts that role's
        // people over the same rows.
        var roleEvents: [String: [Event]] = [:]
        for m in t.measures {
            if let r = m.role, roleEvents[r] == nil { roleEvents[r] = events(chosen.map { $0.counting(r) }, by: t.by).0 }
        }
        // Dense arrays over every combination of values when that is small; otherwise only the
        // combinations that occur, numbered through a hash table.
        var groups = sizes.reduce(1, *)
        var fullGroup: [Int] = []
        let dense = groups <= Self.denseGroupLimit
        if !dense {
            var index: [Int: Int] = [:]
            func compact(_ events: inout [Event]) {
                for i in events.indices {
                    let g = events[i].group
                    if let c = index[g] { events[i].group = c } else {
                        index[g] = fullGroup.count
                        events[i].group = fullGroup.count
                        fullGroup.append(g)
                    }
                }
            }
            compact(&all)
            compact(&serialEvents)
            for r in roleEvents.keys { compact(&roleEvents[r]!) }
            groups = max(1, fullGroup.count)
        }
        let byMonth = t.by.contains { if case .month = $0 { true } else { false } }
        func split(_ e: [Event]) -> [[Event]] {
            byMonth ? [e.filter { yearOf($0.day) < 2 }] : [e.filter { yearOf($0.day) == 0 }, e.filter { yearOf($0.day) == 1 }]
        }
        let years = split(all)
        let serialYears = serialRoles == nil ? [] : split(serialEvents)
        let roleYears = roleEvents.mapValues(split)
        let areaDim = t.by.firstIndex { switch $0 { case .ward, .locality, .deprivation: true; default: false } }
        let denominators = areaDim.map { residentsByLabel(t.by[$0], labels[$0]) }

        var columns = t.by.map(\.heading)
        let yearNames = byMonth ? [""] : ["_" + period.columnSuffixes.current, "_" + period.columnSuffixes.previous]
        for m in t.measures { for y in yearNames { columns.append(m.heading + y) } }
        // For disclosure control: which columns are counts, and which rates and shares come from
        // which count (the records of the same year, kept hidden when the table does not show them).
        var kinds: [ProfileTable.ColumnKind] = t.by.map { _ in .label }
        let recordsAt = t.measures.firstIndex(of: .records)
        let hiddenRecords = recordsAt == nil && t.measures.contains { $0 == .share || $0 == .ratePer1000 || $0 == .ratePer10000Children }
        func recordsColumn(_ y: Int) -> Int {
            if let r = recordsAt { return t.by.count + r * yearNames.count + y }
            return t.by.count + t.measures.count * yearNames.count + y
        }
        for m in t.measures {
            for y in yearNames.indices {
                switch m {
                case .share, .ratePer1000, .ratePer10000Children: kinds.append(.derived(bases: [recordsColumn(y)]))
                default: kinds.append(.count)
                }
            }
        }
        var hidden: Set<Int> = []
        if hiddenRecords {
            for y in yearNames.indices {
                hidden.insert(columns.count)
                columns.append("records" + yearNames[y])
                kinds.append(.count)
            }
        }

        // What each count column counts, for disclosure control to link it with other tables.
        let suffixes = [period.columnSuffixes.current, period.columnSuffixes.previous]
        var meanings: [Int: ProfileTable.CountMeaning] = [:]
        for (mi, m) in t.measures.enumerated() {
            for y in yearNames.indices {
                meanings[t.by.count + mi * yearNames.count + y] = countMeaning(m, chosen, year: byMonth ? nil : suffixes[y])
            }
        }
        if hiddenRecords {
            for y in yearNames.indices { meanings[recordsColumn(y)] = countMeaning(.records, chosen, year: byMonth ? nil : suffixes[y]) }
        }
        let axes = t.by.map { axis($0, chosen) }

        var values: [[Double?]] = []   // per (measure, year): per group
        var recordsPerYear: [[Int]] = []
        for y in years.indices { recordsPerYear.append(Measures.records(years[y], groups: groups)) }
        for m in t.measures {
            for y in years.indices {
                let records = recordsPerYear[y]
                let (year, every) = m.role.map { (roleYears[$0]![y], roleEvents[$0]!) } ?? (years[y], all)
                let column: [Double?]
                switch m {
                case .records: column = records.map(Double.init)
                case .people: column = Measures.people(year, groups: groups).map(Double.init)
                case .repeatPeople: column = Measures.people(year, groups: groups, minimumEvents: 2).map(Double.init)
                case .serial: column = Measures.serial(serialYears[y], groups: groups).map(Double.init)
                case .repeatWithinYear: column = Measures.repeatsWithinYear(year: year, all: every, groups: groups).map(Double.init)
                case .peopleRepeatWithinYear:
                    column = Measures.repeatsWithinYear(year: year, all: every, groups: groups, distinctPeople: true).map(Double.init)
                case .sum:
                    var totals = [Double](repeating: 0, count: groups)
                    for e in years[y] { totals[e.group] += e.value }
                    column = totals
                case .share:
                    let total = Double(records.reduce(0, +))
                    column = records.map { total == 0 ? nil : 100 * Double($0) / total }
                case .ratePer1000, .ratePer10000Children:
                    let children = m == .ratePer10000Children
                    let scale = children ? 10_000.0 : 1_000.0
                    let totalResidents = Double((children ? drop.area.children : drop.area.residents).reduce(0, +))
                    column = (0..<groups).map { g in
                        var denominator = totalResidents
                        if let a = areaDim, let d = denominators {
                            let full = dense ? g : fullGroup[g]
                            let label = (full / sizes[..<a].reduce(1, *)) % sizes[a]
                            denominator = Double(children ? d.children[label] : d.residents[label])
                        }
                        return denominator > 0 ? Double(records[g]) * scale / denominator : nil
                    }
                }
                values.append(column)
            }
        }
        func measureCells(_ group: Int) -> [ProfileTable.Cell] {
            var row: [ProfileTable.Cell] = []
            var k = 0
            for m in t.measures {
                for _ in years.indices {
                    let v = values[k][group]
                    switch m {
                    case .share, .ratePer1000, .ratePer10000Children: row.append(v.map { .number($0, decimals: 1) } ?? .missing)
                    default: row.append(v.map { .count(Int($0)) } ?? .missing)
                    }
                    k += 1
                }
            }
            if hiddenRecords { for y in years.indices { row.append(.count(recordsPerYear[y][group])) } }
            return row
        }
        var rows: [[ProfileTable.Cell]] = []
        if !dense {
            // Only the combinations that occur, in display order.
            let position = labels.map { table -> [Int] in
                var p = [Int](repeating: 0, count: max(1, table.count))
                for (i, l) in table.order.enumerated() { p[l] = i }
                return p
            }
            func decode(_ full: Int) -> [Int] {
                var rest = full
                return sizes.map { size in defer { rest /= size }; return rest % size }
            }
            let present = (0..<groups).filter { g in recordsPerYear.contains { $0[g] > 0 } }
            let keyed = present.map { g -> ([Int], Int) in (decode(fullGroup[g]), g) }
            let ordered = keyed.sorted { a, b in
                let pa = a.0.enumerated().map { position[$0.offset][$0.element] }, pb = b.0.enumerated().map { position[$0.offset][$0.element] }
                return pa.lexicographicallyPrecedes(pb)
            }
            for (codes, g) in ordered {
                rows.append(codes.enumerated().map { ProfileTable.Cell.text(labels[$0.offset].labels[$0.element]) } + measureCells(g))
            }
            return Self.withMeaning(ProfileTable(profile: profile.id, id: t.id, section: t.section.rawValue, title: t.title,
                                                 description: describe(t, chosen), columns: columns, rows: rows, kinds: kinds, hidden: hidden),
                                    axes: axes, columns: meanings)
        }
        // Rows in display order: every combination of the dimensions' values.
        func emit(_ depth: Int, _ group: Int, _ stride: Int, _ cells: [ProfileTable.Cell], _ complete: Bool) {
            if depth == t.by.count {
                let hasEvents = recordsPerYear.contains { $0[group] > 0 }
                guard hasEvents || complete else { return }
                rows.append(cells + measureCells(group))
                return
            }
            for label in labels[depth].order {
                let isSpecial = LabelTable.special.contains(labels[depth].labels[label])
                emit(depth + 1, group + label * stride, stride * sizes[depth], cells + [.text(labels[depth].labels[label])],
                     complete && listsAllValues(t.by[depth]) && !isSpecial)
            }
        }
        emit(0, 0, 1, [], true)
        return Self.withMeaning(ProfileTable(profile: profile.id, id: t.id, section: t.section.rawValue, title: t.title,
                                             description: describe(t, chosen), columns: columns, rows: rows, kinds: kinds, hidden: hidden),
                                axes: axes, columns: meanings)
    }

    /// Residents (and children) per label of an area dimension, from the population reference.
    private func residentsByLabel(_ d: Breakdown, _ labels: LabelTable) -> (residents: [Int], children: [Int]) {
        var residents = [Int](repeating: 0, count: labels.count), children = residents
        for (i, l) in drop.area.lsoas.enumerated() where i < drop.area.residents.count {
            let name: String
            switch d {
            case .ward: name = l.wardName
            case .locality: name = l.locality
            default: name = l.imdDecile == 1 ? "1 (most deprived)" : (l.imdDecile == 10 ? "10 (least deprived)" : String(l.imdDecile))
            }
            guard let k = labels.find(name) else { continue }
            residents[k] += drop.area.residents[i]
            children[k] += drop.area.children[i]
        }
        return (residents, children)
    }

    /// People by the number of agencies that saw them in the year (1, 2, 3 or more).
    private func agencyTable(_ t: TableDefinition, _ chosen: [EventSet]) -> ProfileTable {
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
        let people = [period.columnSuffixes.current, period.columnSuffixes.previous].map { countMeaning(.people(nil), chosen, year: $0) }
        return Self.withMeaning(ProfileTable(profile: "", id: t.id, section: t.section.rawValue, title: t.title,
                            description: describe(t, chosen) + " Each person is counted once, by how many of the agencies (" +
                            Set(chosen.map(\.agency)).sorted().joined(separator: ", ") + ") recorded them in the year.",
                            columns: columns, rows: rows, kinds: [.label, .count, .count]),
                                axes: [axis(.agencyCount, chosen)], columns: [1: people[0]!, 2: people[1]!])
    }

    /// People with an event of the first sets at the first ages, seen later in the other sets at
    /// the later ages, in the year; by the agency that saw them later.
    /// The people of a cohort seen later in year `year`, by the agency that saw them (and in all).
    func cohortPeople(_ cohort: TableDefinition.Cohort, _ chosen: [EventSet], _ profile: ProfileDefinition, year: Int) -> (agencies: [String], byAgency: [Int], any: Int) {
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
        for e in after where yearOf(e.day) == year && e.person != 0 && e.age != IntegerColumn.null && cohort.laterAges.contains(Int(e.age)) {
            guard let first = firstSeen[e.person], first < e.day else { continue }
            byAgency[agencies.firstIndex(of: laterSets[e.set].agency)!].insert(e.person)
            any.insert(e.person)
        }
        return (agencies, byAgency.map(\.count), any.count)
    }

    private func cohortTable(_ t: TableDefinition, _ cohort: TableDefinition.Cohort, _ chosen: [EventSet], _ profile: ProfileDefinition) -> ProfileTable {
        let agencies = Array(Set(sets(cohort.laterEvents, profile).map(\.agency))).sorted()
        var rows: [[ProfileTable.Cell]] = agencies.map { [.text($0)] } + [[.text("Any adult service")]]
        for y in 0..<2 {
            let counts = cohortPeople(cohort, chosen, profile, year: y)
            for i in agencies.indices { rows[i].append(.count(counts.byAgency[i])) }
            rows[agencies.count].append(.count(counts.any))
        }
        let columns = ["later_seen_by", "people_" + period.columnSuffixes.current, "people_" + period.columnSuffixes.previous]
        return ProfileTable(profile: profile.id, id: t.id, section: t.section.rawValue, title: t.title,
                            description: describe(t, chosen) + " Counts people seen at ages \(cohort.ages.lowerBound)-\(cohort.ages.upperBound) in those events, at any time in the data, and seen again at ages \(cohort.laterAges.lowerBound)-\(cohort.laterAges.upperBound) in the year by: \(cohort.laterEvents.joined(separator: ", ")).",
                            columns: columns, rows: rows, kinds: [.label, .count, .count])
    }

    func describe(_ t: TableDefinition, _ chosen: [EventSet]) -> String {
        var text = t.description.isEmpty ? "" : t.description + " "
        text += "Events: " + chosen.map { set in
            "\(set.name) (\(set.source)" + (set.conditions.isEmpty ? "" : " where " + set.conditions.map(describe).joined(separator: " and ")) + ")"
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
        }
    }
}
