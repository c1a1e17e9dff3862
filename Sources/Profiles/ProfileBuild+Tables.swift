import Columnar
import Definitions

extension ProfileEngine {
    /// Above this many combinations of breakdown values, groups are numbered through a hash table.
    static let denseGroupLimit = 1 << 20

    /// Every table of the profile, then its success measures as one table.
    public func build(_ profile: ProfileDefinition) -> [ProfileTable] {
        let build = ProfileBuild(self)
        return profile.tables.map { build.table($0, profile) } + [build.successTable(profile)]
    }
}

extension ProfileBuild {
    func sets(_ names: [String], _ profile: ProfileDefinition) -> [EventSet] { names.compactMap(profile.eventSet) }

    /// A table: its events grouped by its breakdowns, each measure computed per group for each
    /// year, and the rows in display order.
    func table(_ t: TableDefinition, _ profile: ProfileDefinition) -> ProfileTable {
        let chosen = sets(t.events, profile)
        if let cohort = t.cohort { return cohortTable(t, cohort, chosen, profile) }
        if t.by.contains(.agencyCount) { return agencyTable(t, chosen) }
        let measures = t.measures.map(MeasureLibrary.kind)
        let grouped = GroupedEvents(self, sets: chosen, by: t.by, selections: measures.map(\.selection))
        let records = grouped.years[.rows]!.map { Records.count($0, groups: grouped.groups) }
        let residents = groupResidents(t.by, grouped)
        // Each area's rate against the whole area's allowing for age, where the population and
        // the records give ages (per compared rate and year).
        let forAge = TableLayout.comparedRates(t, measures).map { c in
            records.indices.map { y in
                AreaComparison.standardisedLabels(
                    events: grouped.years[.rows]![y], records: records[y], residents: residents, rate: c.rate,
                    bands: drop.area.ageBands)
            }
        }
        let layout = TableLayout(t, measures, sets: chosen, period: period, standardised: forAge.map { $0.contains { $0 != nil } })
        // Each mean's values per group in each year: the mean, its interval and their number.
        let means = layout.means.map { mi in
            let mean = measures[mi] as! Mean
            return records.indices.map { y in mean.means(grouped.years[mean.selection]![y], groups: grouped.groups) }
        }
        var values: [[Double?]] = []  // per (measure, year): per group
        for m in measures {
            for y in records.indices {
                let input = MeasureInput(
                    year: grouped.years[m.selection]![y], all: grouped.every[m.selection]!, records: records[y],
                    groups: grouped.groups, residents: residents)
                values.append(m.compute(input))
            }
        }
        // Each area's rate against the whole area's, per rate measure and year (funnel limits).
        let compared = layout.compared.flatMap { c in
            records.indices.map { y in AreaComparison.labels(records: records[y], residents: residents, rate: c.rate) }
        }
        func cells(_ group: Int) -> [ProfileTable.Cell] {
            var row: [ProfileTable.Cell] = []
            for (k, column) in values.enumerated() {
                let v = column[group]
                switch measures[k / records.count].output {
                case .fromRecords, .mean: row.append(v.map { .number($0, decimals: 1) } ?? .missing)
                case .count, .reference: row.append(v.map { .count(Int($0)) } ?? .missing)
                }
            }
            for c in compared { row.append(c.labels[group].map { .text($0) } ?? .missing) }
            for years in forAge where years.contains(where: { $0 != nil }) {
                for labels in years { row.append(labels?[group].map { .text($0) } ?? .missing) }
            }
            for children in layout.populations {
                let n = residents.of(group, children: children)
                row.append(n > 0 ? .count(Int(n)) : .missing)
            }
            for years in means {
                for stats in years {
                    let i = stats[group]?.interval(at: .ninetyFive)
                    row.append(i.map { .number($0.lower, decimals: 1) } ?? .missing)
                    row.append(i.map { .number($0.upper, decimals: 1) } ?? .missing)
                }
            }
            if layout.hiddenRecords { for y in records.indices { row.append(.count(records[y][group])) } }
            for years in means { for stats in years { row.append(.count(stats[group]?.count ?? 0)) } }
            return row
        }
        let occurs = { (g: Int) in records.contains { $0[g] > 0 } }
        let rows =
            grouped.dense ? denseRows(t.by, grouped, occurs: occurs, cells: cells) : sparseRows(grouped, occurs: occurs, cells: cells)
        var table = ProfileEngine.withMeaning(
            ProfileTable(
                profile: profile.id, id: t.id, section: t.section.rawValue, title: t.title,
                description: describe(t, chosen), columns: layout.columns, rows: rows,
                kinds: layout.kinds, hidden: layout.hidden),
            axes: t.by.map { axis($0, chosen) }, columns: layout.meanings)
        table.funnels = layout.funnels(compared.map(\.average), measures: measures.count, years: records.count, first: t.by.count)
        table.inequality = InequalityIndex.of(t, layout: layout, records: records, residents: residents, grouped: grouped)
        return table
    }

    /// The whole area's residents, children and service sites.
    var areaCounts: GroupResidents.Counts {
        .init(
            residents: drop.area.residents.reduce(0, +), children: drop.area.children.reduce(0, +),
            sites: drop.area.services.map { $0.category.lowercased() },
            byAge: drop.area.residentsByAge.reduce(into: [Int](repeating: 0, count: drop.area.ageBands.count)) { sum, lsoa in
                for k in sum.indices where k < lsoa.count { sum[k] += lsoa[k] }
            })
    }

    /// The residents, children and service sites behind each group: the area's, or its row's area
    /// when the table is broken down by ward, locality or deprivation decile.
    private func groupResidents(_ by: [Breakdown], _ grouped: GroupedEvents) -> GroupResidents {
        guard let a = by.firstIndex(where: AreaComparison.isArea) else {
            return GroupResidents(total: areaCounts, perGroup: nil)
        }
        let perLabel = countsByLabel(by[a], grouped.labels[a])
        return GroupResidents(total: areaCounts) { g in
            // A table of a source the drop has no file for has no labels: no area, no residents.
            let label = grouped.label(of: g, dimension: a)
            return label < perLabel.count ? perLabel[label] : .init()
        }
    }

    /// Residents, children and service sites per label of an area dimension, from the reference.
    private func countsByLabel(_ d: Breakdown, _ labels: LabelTable) -> [GroupResidents.Counts] {
        let bands = drop.area.ageBands.count
        var counts = [GroupResidents.Counts](
            repeating: .init(byAge: [Int](repeating: 0, count: bands)), count: labels.count)
        func label(_ l: AreaReference.LSOA) -> Int? {
            switch d {
            case .ward: labels.find(l.wardName)
            case .locality: labels.find(l.locality)
            default: labels.find(l.imdDecile == 1 ? "1 (most deprived)" : (l.imdDecile == 10 ? "10 (least deprived)" : String(l.imdDecile)))
            }
        }
        for (i, l) in drop.area.lsoas.enumerated() where i < drop.area.residents.count {
            guard let k = label(l) else { continue }
            counts[k].residents += drop.area.residents[i]
            counts[k].children += drop.area.children[i]
            if i < drop.area.residentsByAge.count {
                for (b, n) in drop.area.residentsByAge[i].prefix(bands).enumerated() { counts[k].byAge[b] += n }
            }
        }
        for site in drop.area.services where site.lsoa < drop.area.lsoas.count {
            if let k = label(drop.area.lsoas[site.lsoa]) { counts[k].sites.append(site.category.lowercased()) }
        }
        return counts
    }
}
