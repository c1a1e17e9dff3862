import Definitions
import Foundation
import Profiles

/// How small numbers are withheld for one audience.
public struct DisclosureRule: Sendable, Equatable, CustomStringConvertible {
    /// Counts from 1 to `threshold - 1` are suppressed; zeros are shown.
    public let threshold: Int

    public init(threshold: Int) { self.threshold = max(1, threshold) }

    public var description: String {
        threshold <= 1
            ? "no suppression"
            : "counts of 1 to \(threshold - 1) withheld (c), with further cells withheld so none can be worked out from totals; rates and shares from a withheld count withheld too; zeros shown"
    }
}

/// Primary and secondary suppression across every table an audience is shown, chosen together and
/// proved by an intruder's audit (see `DisclosureModel` for what the intruder knows and
/// `SuppressionSearch` for how the pattern is chosen).
public enum DisclosureControl {
    /// The tables as one audience may see them.
    public struct Release: Sendable {
        /// Each input table as released (withheld cells `.suppressed`, and the rates, shares and
        /// comparisons worked out from them), or nil when the table is withheld whole.
        public let tables: [ProfileTable?]
        /// Why each table withheld whole was withheld, by its index.
        public let withheldTables: [Int: String]
        /// Per table: count cells shown, small counts withheld, and other counts withheld to protect them.
        public let published: [Int]
        public let primary: [Int]
        public let secondary: [Int]
        /// The withheld count cells (table, row, column), for an audience that also reads this one's.
        public let withheldCells: Set<[Int]>
    }

    /// Chooses the audience's suppression pattern over all of `tables` at once.
    /// - Parameter earlier: another audience's release of the same tables whose readers also read
    ///   this one's (partners read the public summary): everything withheld there is withheld here,
    ///   so the two together say no more than the earlier one alone.
    /// - Parameter threads: blocks of the model and candidate cells are solved this many at a time.
    public static func protect(
        _ tables: [ProfileTable], rule: DisclosureRule, after earlier: Release? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> Release {
        let model = DisclosureModel(tables: tables)
        var forced = Set<Int>()
        for cell in earlier?.withheldCells ?? [] {
            if let n = model.node(of: .init(table: cell[0], row: cell[1], column: cell[2])) { forced.insert(n) }
        }
        var removed: [Int: String] = [:]
        for (i, t) in (earlier?.tables ?? []).enumerated() where t == nil { removed[i] = earlier?.withheldTables[i] }
        guard rule.threshold > 1 || !forced.isEmpty || !removed.isEmpty else {
            return release(model, withheld: [], removed: [:], primaries: [])
        }
        var search = SuppressionSearch(model: model, threshold: rule.threshold, forced: forced, removed: removed)
        search.threads = max(1, threads)
        search.run()
        return release(model, withheld: search.withheld, removed: search.removedTables, primaries: search.primaries)
    }

    /// What an intruder can still learn from `released` (the tables as published, nil for one
    /// withheld whole): a small count shown, a figure shown beside a withheld count it comes from,
    /// or a withheld small count narrowed below its whole small range. Empty when the release is safe.
    /// The findings name rows and intervals: they are for tests and analysts, never published.
    public static func audit(original: [ProfileTable], released: [ProfileTable?], rule: DisclosureRule) -> [String] {
        guard rule.threshold > 1 else { return [] }
        let model = DisclosureModel(tables: original)
        var withheld = Set<Int>(), removed: [Int: String] = [:], out: [String] = []
        for (n, cell) in model.cells.enumerated() {
            guard let table = released[cell.table] else { removed[cell.table] = "withheld"; continue }
            if table.rows[cell.row][cell.column] == .suppressed {
                withheld.insert(n)
            } else if model.values[n] >= 1 && model.values[n] < Double(rule.threshold) {
                out.append("\(name(original[cell.table], cell)): a count of \(Int(model.values[n])) is shown")
            }
        }
        for d in model.derived {
            guard let table = released[d.cell.table], table.rows[d.cell.row][d.cell.column] != .suppressed,
                table.rows[d.cell.row][d.cell.column] != .missing, d.bases.contains(where: withheld.contains)
            else { continue }
            out.append("\(name(original[d.cell.table], d.cell)): shown beside a withheld count")
        }
        var search = SuppressionSearch(model: model, threshold: rule.threshold, forced: withheld, removed: removed)
        search.restrict(to: withheld)
        for e in search.exposed() {
            out.append(
                "\(name(original[model.cells[e.node].table], model.cells[e.node])): can be narrowed to \(Int(e.lo))...\(e.hi.isInfinite ? "any" : String(Int(e.hi)))"
            )
        }
        return out
    }

    /// The relations of the model that the true figures break (each named by the tables whose
    /// cells it relates): a model that contradicts the data would make the audit meaningless, so
    /// this is empty for every build (a test checks it on real drops).
    public static func contradictions(_ tables: [ProfileTable]) -> [String] {
        let model = DisclosureModel(tables: tables)
        var out: [String] = []
        func describe(_ relation: DisclosureModel.Relation) -> String {
            relation.terms.map { n, a in
                n < model.cells.count
                    ? "\(a == 1 ? "" : "\(a)*")\(name(tables[model.cells[n].table], model.cells[n]))=\(Int(model.values[n]))"
                    : "\(a == 1 ? "" : "\(a)*")latent"
            }.joined(separator: " + ") + " in \(relation.lower)...\(relation.upper)"
        }
        // Relations on cells alone are checked directly; the rest a block of latent nodes at a time.
        var parent = Array(0..<model.nodeCount)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for r in model.relations {
            let latent = r.terms.map(\.node).filter { $0 >= model.cells.count }
            if latent.isEmpty {
                let sum = r.terms.reduce(0.0) { $0 + $1.coefficient * model.values[$1.node] }
                if sum < r.lower - 1e-9 || sum > r.upper + 1e-9 { out.append(describe(r)) }
            }
            for n in latent.dropFirst() { let a = find(latent[0]), b = find(n); if a != b { parent[a] = b } }
        }
        var blocks: [Int: [DisclosureModel.Relation]] = [:]
        for r in model.relations {
            guard let l = r.terms.first(where: { $0.node >= model.cells.count }) else { continue }
            blocks[find(l.node), default: []].append(r)
        }
        for (_, relations) in blocks.sorted(by: { $0.key < $1.key }) {
            var lp = LinearProgram()
            var variable: [Int: Int] = [:]
            for r in relations {
                var constant = 0.0
                var terms: [(Int, Double)] = []
                for (n, a) in r.terms {
                    if n < model.cells.count { constant += a * model.values[n]; continue }
                    if variable[n] == nil { variable[n] = lp.addVariable(lower: 0) }
                    terms.append((variable[n]!, a))
                }
                lp.addRow(terms, lower: r.lower - constant, upper: r.upper - constant)
            }
            if lp.ranges(of: [0]) == nil {
                out.append("no latent values satisfy: " + relations.prefix(6).map(describe).joined(separator: "; "))
            }
        }
        return out
    }

    private static func name(_ t: ProfileTable, _ cell: DisclosureModel.Cell) -> String {
        "\(t.profile.isEmpty ? "" : t.profile + "/")\(t.id) \(t.columns[cell.column]) row \(cell.row + 1)"
    }

    /// Applies a pattern: withheld counts as `c`, then every figure worked out from one.
    private static func release(_ model: DisclosureModel, withheld: Set<Int>, removed: [Int: String], primaries: Set<Int>) -> Release {
        var tables: [ProfileTable?] = model.tables.map { $0 }
        var published = [Int](repeating: 0, count: tables.count), primary = published, secondary = published
        var cells = Set<[Int]>()
        for (n, cell) in model.cells.enumerated() {
            guard removed[cell.table] == nil else { continue }
            if withheld.contains(n) {
                tables[cell.table]!.rows[cell.row][cell.column] = .suppressed
                cells.insert([cell.table, cell.row, cell.column])
                if primaries.contains(n) { primary[cell.table] += 1 } else { secondary[cell.table] += 1 }
            } else if !model.tables[cell.table].hidden.contains(cell.column) {
                published[cell.table] += 1
            }
        }
        for t in removed.keys { tables[t] = nil }
        // Derived figures after the counts (numbers among counts first: changes come from them).
        let ordered = model.derived.sorted { a, b in
            let ka = model.tables[a.cell.table].kinds[a.cell.column] == .count ? 0 : 1
            let kb = model.tables[b.cell.table].kinds[b.cell.column] == .count ? 0 : 1
            return ka < kb
        }
        for d in ordered {
            guard var table = tables[d.cell.table] else { continue }
            var bases: [Int] = []
            if case .derived(let b) = table.kinds[d.cell.column] { bases = b }
            if table.kinds[d.cell.column] == .count { bases = table.meaning?.numberBases[d.cell.column] ?? [] }
            if bases.contains(where: { table.rows[d.cell.row][$0] == .suppressed }) {
                table.rows[d.cell.row][d.cell.column] = .suppressed
                tables[d.cell.table] = table
            }
        }
        return Release(
            tables: tables, withheldTables: removed, published: published, primary: primary, secondary: secondary, withheldCells: cells)
    }
}
