import Profiles

/// Every count an audience could be shown, and the linear relations an intruder knows between
/// them, whatever is withheld: the same population in other tables (wards within localities,
/// months within years, a breakdown within a coarser one or within the total), people against
/// records and repeats against people, a subset of events against the breakdown of their
/// superset by the field that picks them (the success measures' shares), the column totals that
/// shares give away, and, for a table whose counts say nothing of what they count, every line
/// total within it.
///
/// Nodes are the tables' count cells (`cells`), then latent counts that no table shows (a margin
/// two tables share, a grand total). A pattern of withheld cells turns the relations into a linear
/// programme (see `SuppressionSearch`).
struct DisclosureModel {
    struct Cell: Hashable { let table: Int; let row: Int; let column: Int }
    struct Relation {
        var terms: [(node: Int, coefficient: Double)]
        var lower: Double
        var upper: Double
    }

    let tables: [ProfileTable]
    private(set) var cells: [Cell] = []
    private(set) var values: [Double] = []
    private(set) var nodeCount = 0
    private(set) var relations: [Relation] = []
    /// The relations each node takes part in.
    private(set) var relationsOf: [[Int]] = []
    private var cellIndex: [Cell: Int] = [:]
    /// Relations that hold for the intruder only while one of these cells is shown (a column's
    /// total is given away by its shares only while a share of a non-zero count is shown).
    private(set) var conditions: [Int: [Int]] = [:]
    /// The tables' derived figures (rates, shares, changes, comparison words) and what they come from.
    private(set) var derived: [(cell: Cell, bases: [Int])] = []

    func node(of cell: Cell) -> Int? { cellIndex[cell] }

    init(tables: [ProfileTable]) {
        self.tables = tables
        for (t, table) in tables.enumerated() {
            for c in table.kinds.indices where table.kinds[c] == .count {
                for r in table.rows.indices {
                    if case .count(let n) = table.rows[r][c] {
                        cellIndex[Cell(table: t, row: r, column: c)] = cells.count
                        cells.append(Cell(table: t, row: r, column: c))
                        values.append(Double(n))
                    }
                }
            }
        }
        nodeCount = cells.count
        relationsOf = Array(repeating: [], count: nodeCount)
        addDerived()
        var views = ViewBuilder()
        for (t, table) in tables.enumerated() {
            if let meaning = table.meaning {
                views.add(table: t, table, meaning: meaning, cellIndex: cellIndex)
            } else {
                addLines(t, table)
            }
            addShareTotals(t, table)
        }
        views.relate(into: &self)
    }

    /// A latent count (a margin or total no table shows); returns its node.
    mutating func addLatent(value: Double) -> Int {
        values.append(value)
        relationsOf.append([])
        nodeCount += 1
        return nodeCount - 1
    }

    mutating func addRelation(_ terms: [(Int, Double)], lower: Double, upper: Double) {
        let merged = terms.filter { $0.1 != 0 }
        guard !merged.isEmpty else { return }
        relations.append(Relation(terms: merged.map { ($0.0, $0.1) }, lower: lower, upper: upper))
        for n in Set(merged.map(\.0)) { relationsOf[n].append(relations.count - 1) }
    }

    /// `whole == sum(parts)`.
    mutating func addSum(_ whole: Int, _ parts: [Int]) { addRelation([(whole, -1)] + parts.map { ($0, 1) }, lower: 0, upper: 0) }
    /// `small <= large`.
    mutating func addAtMost(_ small: Int, _ large: Int) {
        guard small != large else { return }
        addRelation([(small, 1), (large, -1)], lower: -.infinity, upper: 0)
    }
    /// `whole <= sum(parts)`.
    mutating func addAtMostSum(_ whole: Int, _ parts: [Int]) {
        addRelation([(whole, -1)] + parts.map { ($0, 1) }, lower: 0, upper: .infinity)
    }

    /// Derived figures: each derived column's cells, and each number among counts (a share or rate
    /// in the success measures), with the count cells of the row they come from.
    private mutating func addDerived() {
        for (t, table) in tables.enumerated() {
            for c in table.kinds.indices {
                var bases: [Int]? = nil
                if case .derived(let b) = table.kinds[c] { bases = b }
                for r in table.rows.indices {
                    var from = bases
                    if table.kinds[c] == .count, case .number = table.rows[r][c] { from = table.meaning?.numberBases[c] ?? [] }
                    guard let from else { continue }
                    switch table.rows[r][c] {
                    case .missing, .suppressed: continue
                    default: break
                    }
                    derived.append((Cell(table: t, row: r, column: c), from.compactMap { cellIndex[Cell(table: t, row: r, column: $0)] }))
                }
            }
        }
    }

    /// A table that says nothing of what its counts count: every line within it (rows sharing all
    /// labels but one, and the whole column) is taken to have a published total.
    private mutating func addLines(_ t: Int, _ table: ProfileTable) {
        let labelColumns = table.kinds.indices.filter { table.kinds[$0] == .label }
        for c in table.kinds.indices where table.kinds[c] == .count {
            for line in Self.lines(table, labelColumns: labelColumns) {
                let nodes = line.compactMap { cellIndex[Cell(table: t, row: $0, column: c)] }
                guard nodes.count > 1 else { continue }
                let total = nodes.reduce(0.0) { $0 + values[$1] }
                addRelation(nodes.map { ($0, 1) }, lower: total, upper: total)
            }
        }
    }

    /// A share column shown beside its counts gives away the column's total (each share is a count
    /// over it): the total is taken as published while any share of a non-zero count is shown.
    private mutating func addShareTotals(_ t: Int, _ table: ProfileTable) {
        for c in table.kinds.indices where table.columns[c].hasPrefix("share") {
            guard case .derived(let bases) = table.kinds[c], let base = bases.first else { continue }
            let nodes = table.rows.indices.compactMap { cellIndex[Cell(table: t, row: $0, column: base)] }
            let total = nodes.reduce(0.0) { $0 + values[$1] }
            let before = relations.count
            addRelation(nodes.map { ($0, 1) }, lower: total, upper: total)
            if relations.count > before { conditions[before] = nodes.filter { values[$0] > 0 } }
        }
    }

    /// Rows sharing every breakdown value but one, for each breakdown; and all rows (the total).
    static func lines(_ t: ProfileTable, labelColumns: [Int]) -> [[Int]] {
        guard !labelColumns.isEmpty else { return [] }
        var out: [[Int]] = [Array(t.rows.indices)]
        if labelColumns.count > 1 {
            for free in labelColumns {
                var groups: [[String]: [Int]] = [:]
                for r in t.rows.indices {
                    groups[labelColumns.filter { $0 != free }.map { t.rows[r][$0].description }, default: []].append(r)
                }
                out += groups.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
            }
        }
        return out
    }
}
