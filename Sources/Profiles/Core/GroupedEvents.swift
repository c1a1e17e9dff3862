import Definitions

/// A table's events grouped by its breakdowns: the events of each selection its measures read,
/// every year's and each year's. Groups are numbered over every combination of the breakdowns'
/// labels when there are few enough (dense); otherwise only the combinations that occur are,
/// through a hash table, and `fullGroup` maps them back.
struct GroupedEvents {
    typealias Event = ProfileEngine.Event

    /// Each breakdown's labels (from the table's own rows).
    let labels: [LabelTable]
    let sizes: [Int]
    /// What a label of each breakdown adds to a group's number: the product of the sizes before it.
    private let strides: [Int]
    let dense: Bool
    private(set) var groups: Int
    private(set) var fullGroup: [Int] = []
    /// Per selection, the events of every year.
    private(set) var every: [MeasureSelection: [Event]] = [:]
    /// Per selection, the events of each year: the reporting year and the year before, or both
    /// as one when a breakdown by month tells them apart.
    private(set) var years: [MeasureSelection: [[Event]]] = [:]

    init(_ build: ProfileBuild, sets: [EventSet], by dims: [Breakdown], selections: [MeasureSelection]) {
        var wanted: [MeasureSelection] = [.rows]
        for s in selections where !wanted.contains(s) { wanted.append(s) }
        var selected = wanted.map { build.events($0, sets, by: dims) }
        labels = selected[0].1
        sizes = labels.map { max(1, $0.count) }
        strides = sizes.reduce(into: [1]) { $0.append($0.last! * $1) }.dropLast()
        groups = sizes.reduce(1, *)
        dense = groups <= ProfileEngine.denseGroupLimit
        if !dense {
            var index: [Int: Int] = [:]
            for k in selected.indices {
                for i in selected[k].0.indices {
                    let g = selected[k].0[i].group
                    if let c = index[g] {
                        selected[k].0[i].group = c
                    } else {
                        index[g] = fullGroup.count
                        selected[k].0[i].group = fullGroup.count
                        fullGroup.append(g)
                    }
                }
            }
            groups = max(1, fullGroup.count)
        }
        let byMonth = dims.contains { if case .month = $0 { true } else { false } }
        for (s, (events, _)) in zip(wanted, selected) {
            every[s] = events
            years[s] =
                byMonth
                ? [events.filter { build.yearOf($0.day) < 2 }]
                : [events.filter { build.yearOf($0.day) == 0 }, events.filter { build.yearOf($0.day) == 1 }]
        }
    }

    /// The label of breakdown `dimension` that a group has.
    func label(of group: Int, dimension: Int) -> Int { ((dense ? group : fullGroup[group]) / strides[dimension]) % sizes[dimension] }

    /// Each breakdown's label of a group.
    func codes(of group: Int) -> [Int] {
        var rest = dense ? group : fullGroup[group]
        return sizes.map { size in
            defer { rest /= size }
            return rest % size
        }
    }
}
