import Definitions

/// A table's rows in display order, from its grouped events and each group's measure cells.
extension ProfileBuild {
    /// Whether every value of the dimension should be listed even when nothing happened there.
    private func listsAllValues(_ d: Breakdown) -> Bool {
        switch d {
        case .month, .ageBand, .ward, .locality, .deprivation: true
        default: false
        }
    }

    /// Every combination of the breakdowns' labels that occurs, or that a breakdown listing every
    /// value (months, age bands, areas) asks for.
    func denseRows(
        _ by: [Breakdown], _ grouped: GroupedEvents, occurs: (Int) -> Bool,
        cells: (Int) -> [ProfileTable.Cell]
    ) -> [[ProfileTable.Cell]] {
        var rows: [[ProfileTable.Cell]] = []
        func emit(_ depth: Int, _ group: Int, _ stride: Int, _ labels: [ProfileTable.Cell], _ complete: Bool) {
            if depth == by.count {
                if occurs(group) || complete { rows.append(labels + cells(group)) }
                return
            }
            let table = grouped.labels[depth]
            for label in table.order {
                let isSpecial = LabelTable.special.contains(table.labels[label])
                emit(
                    depth + 1, group + label * stride, stride * grouped.sizes[depth], labels + [.text(table.labels[label])],
                    complete && listsAllValues(by[depth]) && !isSpecial)
            }
        }
        emit(0, 0, 1, [], true)
        return rows
    }

    /// Only the combinations that occur, in display order (for breakdowns with too many
    /// combinations to list).
    func sparseRows(_ grouped: GroupedEvents, occurs: (Int) -> Bool, cells: (Int) -> [ProfileTable.Cell]) -> [[ProfileTable.Cell]] {
        let position = grouped.labels.map { table -> [Int] in
            var p = [Int](repeating: 0, count: max(1, table.count))
            for (i, l) in table.order.enumerated() { p[l] = i }
            return p
        }
        let keyed = (0..<grouped.groups).filter(occurs).map { g -> ([Int], [Int], Int) in
            let codes = grouped.codes(of: g)
            return (codes, codes.enumerated().map { position[$0.offset][$0.element] }, g)
        }
        return keyed.sorted { $0.1.lexicographicallyPrecedes($1.1) }.map { codes, _, g in
            codes.enumerated().map { ProfileTable.Cell.text(grouped.labels[$0.offset].labels[$0.element]) } + cells(g)
        }
    }
}
