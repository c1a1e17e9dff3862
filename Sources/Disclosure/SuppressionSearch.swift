import Columnar
import Foundation
import Profiles

/// The intruder's audit and the search for a suppression pattern, over one audience's model.
///
/// A pattern is a set of withheld cells (and of tables withheld whole). The intruder knows every
/// shown cell, that a withheld cell is at least 1 (zeros are shown), that a cell of a withheld
/// table or a latent margin is at least 0, and every relation of the model. A primary cell (a
/// count of 1 to threshold - 1) is protected when linear programming over all of it leaves it free
/// over its whole small range, 1 to threshold - 1.
///
/// The search is tau-Argus' modular idea: withhold the primaries, audit, and for each primary left
/// exposed withhold one more shown cell, chosen among the cells of the relations that hold it
/// back (the rows with a non-zero dual at GLPK's optimum), the cheapest (smallest count) that
/// protects it as tried by the same LP, else the one that widens it most; repeat until the audit
/// passes. A primary that no shown cell can protect (a count that is the sum of two withheld cells
/// is at least 2) withholds a table: of those whose cells hold it back, the one showing fewest
/// counts whose withholding protects it, else its own.
struct SuppressionSearch: Sendable {
    let model: DisclosureModel
    let threshold: Int
    /// Blocks and candidate cells are solved this many at a time (GLPK keeps its state per thread).
    var threads = ProcessInfo.processInfo.activeProcessorCount
    private(set) var withheld: Set<Int> = []
    private(set) var removedTables: [Int: String] = [:]
    private(set) var primaries: Set<Int> = []

    init(model: DisclosureModel, threshold: Int, forced: Set<Int> = [], removed: [Int: String] = [:]) {
        self.model = model
        self.threshold = threshold
        primaries = Set(model.cells.indices.filter { isSmall($0) })
        withheld = primaries.union(forced)
        removedTables = removed
    }

    /// Audits the given pattern as it is: only the small counts it withholds are checked.
    mutating func restrict(to pattern: Set<Int>) {
        primaries = primaries.intersection(pattern)
        withheld = pattern
    }

    func isSmall(_ node: Int) -> Bool { node < model.cells.count && model.values[node] >= 1 && model.values[node] < Double(threshold) }

    /// Whether the node's value is known to the intruder.
    private func isFixed(_ node: Int, extra: Int? = nil) -> Bool {
        node < model.cells.count && node != extra && !withheld.contains(node) && removedTables[model.cells[node].table] == nil
    }

    /// Whether the intruder has the relation under this pattern.
    private func isActive(_ relation: Int, extra: Int? = nil) -> Bool {
        guard let activators = model.conditions[relation] else { return true }
        return activators.contains { isFixed($0, extra: extra) }
    }

    /// The primary cells the intruder can narrow, with the interval left for each.
    /// - Parameter among: only these primaries (all when nil). Withholding more only widens what
    ///   the intruder is left with (a cell set free, a relation dropped), so a primary once
    ///   protected stays protected and only those exposed before need checking again.
    func exposed(among: Set<Int>? = nil) -> [(node: Int, lo: Double, hi: Double)] {
        var audited = (among ?? primaries).filter { primaries.contains($0) && removedTables[model.cells[$0].table] == nil }
        // The blocks: the unknown nodes reachable from a primary through the relations.
        var blocks: [Block] = []
        for p in audited.sorted() where audited.contains(p) {
            let b = block(from: p, extra: nil, among: audited)
            for t in b.targets { audited.remove(t) }
            blocks.append(b)
        }
        let solved = parallelMap(blocks, threads: threads) { solve($0, extra: nil) }
        var out: [(Int, Double, Double)] = []
        for (b, ranges) in zip(blocks, solved) {
            for (t, r) in zip(b.targets, ranges) where !isProtected(r) { out.append((t, r.lo, r.hi)) }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    private func isProtected(_ r: (lo: Double, hi: Double)) -> Bool { r.lo <= 1 && r.hi >= Double(threshold - 1) }

    /// Unknown nodes joined by the relations the intruder has, the relations, and the primaries
    /// among the nodes whose range is asked for.
    struct Block: Sendable {
        let nodes: [Int]
        let rows: [Int]
        let targets: [Int]
    }

    /// The block joined to `start` (with `extra` withheld too).
    private func block(from start: Int, extra: Int?, only: Int? = nil, among: Set<Int>? = nil) -> Block {
        var nodes: Set<Int> = [start], queue = [start], rows = Set<Int>()
        while let n = queue.popLast() {
            for r in model.relationsOf[n] where isActive(r, extra: extra) && rows.insert(r).inserted {
                for (m, _) in model.relations[r].terms where !isFixed(m, extra: extra) && nodes.insert(m).inserted { queue.append(m) }
            }
        }
        let targets =
            only.map { [$0] }
            ?? nodes.filter {
                primaries.contains($0) && removedTables[model.cells[$0].table] == nil && among?.contains($0) != false
            }.sorted()
        return Block(nodes: nodes.sorted(), rows: rows.sorted(), targets: targets)
    }

    /// The range of each target of the block. A block whose relations the true figures break (a
    /// fault in the model) protects nothing: each target gets its own value.
    private func solve(_ b: Block, extra: Int?, least: Bool = true, greatest: Bool = true) -> [(lo: Double, hi: Double)] {
        let (lp, variable) = program(b, extra: extra)
        return lp.ranges(of: b.targets.map { variable[$0]! }, least: least, greatest: greatest)
            ?? b.targets.map { (model.values[$0], model.values[$0]) }
    }

    /// The block's linear programme: its unknown nodes as variables, shown cells as constants.
    private func program(_ b: Block, extra: Int?) -> (LinearProgram, [Int: Int]) {
        var lp = LinearProgram()
        var variable: [Int: Int] = [:]
        for node in b.nodes {
            let known = node < model.cells.count && removedTables[model.cells[node].table] == nil
            variable[node] = lp.addVariable(lower: known ? 1 : 0)
        }
        for r in b.rows {
            let relation = model.relations[r]
            var constant = 0.0
            var terms: [(Int, Double)] = []
            for (node, a) in relation.terms {
                if isFixed(node, extra: extra) { constant += a * model.values[node] } else { terms.append((variable[node]!, a)) }
            }
            lp.addRow(terms, lower: relation.lower - constant, upper: relation.upper - constant)
        }
        return (lp, variable)
    }

    /// The nodes of the relations that hold a primary back on its exposed side(s): those with a
    /// non-zero dual at GLPK's optimum.
    private func bindingNodes(of node: Int, least: Bool, greatest: Bool) -> [Int] {
        ((least ? [false] : []) + (greatest ? [true] : [])).flatMap { bindingNodes(of: node, maximise: $0) }
    }

    /// The nodes of the relations that hold a primary back when it is minimised (or maximised).
    private func bindingNodes(of node: Int, maximise: Bool) -> [Int] {
        let b = block(from: node, extra: nil, only: node)
        let (lp, variable) = program(b, extra: nil)
        return (lp.bindingRows(of: variable[node]!, maximise: maximise) ?? []).flatMap { model.relations[b.rows[$0]].terms.map(\.node) }
    }

    /// For an exposed primary, side by side: its range now (when `check`: this round's choices
    /// may already protect it), and the shown cells of the relations that hold it back on each
    /// exposed side (wasted when the check finds it protected, but solved on a core that would
    /// otherwise wait). On one thread, the check first and the rest only when needed.
    private func checkAndBinding(_ w: (node: Int, lo: Double, hi: Double), check: Bool) -> (protected: Bool, binding: Set<Int>) {
        let least = w.lo > 1, greatest = w.hi < Double(threshold - 1)
        func shown(_ nodes: [Int]) -> Set<Int> { Set(nodes.filter { isFixed($0) && model.values[$0] > 0 }) }
        guard threads > 1 else {
            if check && isProtected(range(of: w.node, extra: nil)) { return (true, []) }
            return (false, shown(bindingNodes(of: w.node, least: least, greatest: greatest)))
        }
        // -1: the check; 0 and 1: the relations binding when minimised and when maximised.
        let tasks: [Int] = (check ? [-1] : []) + (least ? [0] : []) + (greatest ? [1] : [])
        let solved = parallelMap(tasks, threads: threads) { task -> (Bool, [Int]) in
            task < 0 ? (isProtected(range(of: w.node, extra: nil)), []) : (false, bindingNodes(of: w.node, maximise: task == 1))
        }
        if check && solved[0].0 { return (true, []) }
        return (false, shown(solved.flatMap { $0.1 }))
    }

    /// The range of one primary, with `extra` withheld too; only the bounds asked for are solved
    /// (the other is given as 1 or infinity: withholding more never narrows a range, so a bound
    /// already wide enough stays so).
    private func range(of node: Int, extra: Int?, least: Bool = true, greatest: Bool = true) -> (lo: Double, hi: Double) {
        let b = block(from: node, extra: extra, only: node)
        let r = solve(b, extra: extra, least: least, greatest: greatest)[0]
        return (least ? r.lo : 1, r.hi)
    }

    /// Withholds more until no primary is exposed.
    mutating func run(maxRounds: Int = 60) {
        var weak = exposed()
        for _ in 0..<maxRounds {
            if weak.isEmpty { return }
            var chosen = Set<Int>()
            for w in weak {
                // Choices made this round for other cells may already protect this one.
                let (protected, binding) = checkAndBinding(w, check: !chosen.isEmpty)
                if protected { continue }
                if let extra = protector(of: w.node, lo: w.lo, hi: w.hi, binding: binding) {
                    chosen.insert(extra)
                    withheld.insert(extra)
                } else if removedTables[model.cells[w.node].table] == nil {
                    let t = tableToWithhold(for: w.node, lo: w.lo, hi: w.hi)
                    removedTables[t] = Self.noPattern
                }
            }
            weak = exposed(among: Set(weak.map(\.node)))
        }
        for w in weak where removedTables[model.cells[w.node].table] == nil {
            removedTables[model.cells[w.node].table] = Self.noPattern
        }
    }

    /// The table to withhold whole for a primary no pattern of cells protects: of the tables whose
    /// withheld cells hold it back (a locality that is the sum of two withheld wards is at least 2),
    /// the one showing fewest counts whose withholding protects it; else its own table.
    private mutating func tableToWithhold(for node: Int, lo: Double, hi: Double) -> Int {
        let own = model.cells[node].table
        let least = lo > 1, greatest = hi < Double(threshold - 1)
        let tables = Set(
            bindingNodes(of: node, least: least, greatest: greatest)
                .filter { $0 < model.cells.count && !isFixed($0) }.map { model.cells[$0].table })
        var shownCounts: [Int: Int] = [:]
        for n in model.cells.indices where isFixed(n) { shownCounts[model.cells[n].table, default: 0] += 1 }
        let shown = { (t: Int) in shownCounts[t] ?? 0 }
        for t in tables.filter({ $0 != own && removedTables[$0] == nil }).sorted(by: { (shown($0), $0) < (shown($1), $1) }) {
            removedTables[t] = Self.noPattern
            let r = range(of: node, extra: nil)
            removedTables[t] = nil
            if isProtected(r) && shown(t) <= shown(own) { return t }
        }
        return own
    }

    static let noPattern = "no pattern of withheld cells protects all its small counts"

    /// The cell to withhold next for an exposed primary: among the shown counts in relations
    /// through it (or one or two relations further, through unknown nodes), the cheapest (the
    /// smallest count) that protects it on its own, else the one that widens its range most, tried
    /// by the same LP the audit solves. Nil when no shown cell is in reach.
    /// `binding`: the shown cells of the relations that hold it back (`checkAndBinding`).
    private func protector(of node: Int, lo: Double, hi: Double, binding: Set<Int>) -> Int? {
        var frontier = [node], seen: Set<Int> = [node], seenRelations = Set<Int>()
        var candidates: [Int] = []
        for _ in 0..<3 {
            var next: [Int] = []
            for n in frontier {
                for r in model.relationsOf[n] where isActive(r) && seenRelations.insert(r).inserted {
                    for (m, _) in model.relations[r].terms where seen.insert(m).inserted {
                        if isFixed(m) {
                            if model.values[m] > 0 { candidates.append(m) }
                        } else {
                            next.append(m)
                        }
                    }
                }
            }
            if next.isEmpty { break }
            frontier = next
        }
        guard !candidates.isEmpty else { return nil }
        let least = lo > 1, greatest = hi < Double(threshold - 1)
        // The cells of the relations that bind first (GLPK's duals), then the rest in reach.
        candidates.sort { (binding.contains($0) ? 0 : 1, model.values[$0], $0) < (binding.contains($1) ? 0 : 1, model.values[$1], $1) }
        // Tried a few at a time (a fixed number, so the choice is the same on any number of
        // threads), cheapest first: the first that protects wins;
        // else, from the first batch that widens the exposed side, the one that widens it most.
        let tried = Array(candidates.prefix(Self.trials))
        var start = 0
        while start < tried.count {
            let batch = Array(tried[start..<min(tried.count, start + Self.batch)])
            let ranges = parallelMap(batch, threads: threads) { range(of: node, extra: $0, least: least, greatest: greatest) }
            var best: (node: Int, gain: Double)? = nil
            for (c, r) in zip(batch, ranges) {
                if isProtected(r) { return c }
                let gain = (least ? lo - r.lo : 0) + (greatest ? r.hi - hi : 0)
                if gain > 0, best == nil || gain > best!.gain { best = (c, gain) }
            }
            if let best { return best.node }
            start += batch.count
        }
        return candidates[0]
    }

    /// How many candidates are tried together (on as many threads as there are).
    static let batch = 4

    /// How many of the cheapest candidates are tried by LP for each exposed cell.
    static let trials = 8
}
