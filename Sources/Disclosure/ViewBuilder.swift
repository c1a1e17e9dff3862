import Profiles

/// Gathers the count cells of each population into views (one per set of breakdowns: attribute
/// and level, the year a breakdown too), adds the latent views two published ones share (their
/// common margin, and the grand total), and relates every view to each coarser one.
struct ViewBuilder {
    struct Attribute: Hashable, Comparable {
        let name: String
        let level: ProfileTable.Axis.Level
        static func < (a: Attribute, b: Attribute) -> Bool { (a.name, a.level) < (b.name, b.level) }
    }
    /// A view's breakdowns, sorted by attribute name (one level per attribute).
    typealias Key = [Attribute]

    struct View {
        var rows: [[String]: Int] = [:]
        var published = false
        /// Attributes of which a record may count under several labels.
        var multi: Set<String> = []
        /// Each attribute's labels one level up.
        var parents: [String: [String: String]] = [:]
        /// Published only in part (some of its rows): never summed into a coarser view.
        var partial = false
    }

    struct Population {
        var additivity: ProfileTable.CountMeaning.Additivity
        var records: String?
        var views: [Key: View] = [:]
    }

    private(set) var populations: [String: Population] = [:]
    private var duplicates: [(Int, Int)] = []

    /// The table's count cells, each in its population's view.
    mutating func add(table t: Int, _ table: ProfileTable, meaning: ProfileTable.Meaning, cellIndex: [DisclosureModel.Cell: Int]) {
        let labelColumns = table.kinds.indices.filter { table.kinds[$0] == .label }
        guard labelColumns.count == meaning.axes.count else { return }
        for (c, perRow) in meaning.counts {
            for r in table.rows.indices where r < perRow.count {
                guard let m = perRow[r], let node = cellIndex[DisclosureModel.Cell(table: t, row: r, column: c)] else { continue }
                var parts: [(Attribute, String, ProfileTable.Axis?)] = zip(meaning.axes, labelColumns).map { axis, column in
                    (Attribute(name: axis.attribute, level: axis.level), table.rows[r][column].description, axis)
                }
                if let year = m.year { parts.append((Attribute(name: "period:date", level: .year), year, nil)) }
                parts.sort { $0.0 < $1.0 }
                // A table breaking down one attribute twice is not a view this model knows.
                guard Set(parts.map(\.0.name)).count == parts.count else { continue }
                let key = parts.map(\.0), labels = parts.map(\.1)
                var population = populations[m.population] ?? Population(additivity: m.additivity, records: m.records)
                var view = population.views[key] ?? View()
                view.published = true
                if m.partial { view.partial = true }
                for (attribute, _, axis) in parts {
                    guard let axis else { continue }
                    if axis.multiLabel { view.multi.insert(attribute.name) }
                    if !axis.parent.isEmpty { view.parents[attribute.name] = axis.parent }
                }
                if let existing = view.rows[labels] { duplicates.append((existing, node)) } else { view.rows[labels] = node }
                population.views[key] = view
                populations[m.population] = population
            }
        }
    }

    /// A records population whose events are another's with one more condition `field = values`,
    /// where the other is published broken down by that field: each view of the subset is a sum of
    /// the wider set's view with the field added.
    struct SubsetLink {
        let subset: String, subsetKey: Key
        let superset: String, key: Key
        let field: String
        let values: Set<String>
    }

    func subsetLinks() -> [SubsetLink] {
        var out: [SubsetLink] = []
        for (name, p) in populations.sorted(by: { $0.key < $1.key })
        where name.hasPrefix("records:") && !name.contains("+") && p.additivity == .additive {
            let body = name.dropFirst("records:".count)
            guard let open = body.firstIndex(of: "{"), body.hasSuffix("}") else { continue }
            let source = body[..<open]
            let conditions = body[body.index(after: open)..<body.index(before: body.endIndex)].split(separator: ";").map(String.init)
            for condition in conditions {
                guard let eq = condition.firstIndex(of: "="), !condition.contains(".."), !condition.contains("!="),
                    !condition.contains(">="), !condition.contains("<=")
                else { continue }
                let field = "field:" + condition[..<eq]
                let values = Set(condition[condition.index(after: eq)...].split(separator: "|").map { $0.lowercased() })
                let wider = "records:" + source + "{" + conditions.filter { $0 != condition }.joined(separator: ";") + "}"
                guard let q = populations[wider],
                    q.views.contains(where: { k, v in v.published && k.contains { $0.name == field && $0.level == .plain } }),
                    !q.views.values.contains(where: { $0.multi.contains(field) })
                else { continue }
                for (key, view) in Self.ordered(p.views) where view.published && !key.contains(where: { $0.name == field }) {
                    let target = (key + [Attribute(name: field, level: .plain)]).sorted()
                    // Only where a published view of the wider set can give the target's rows.
                    guard q.views.contains(where: { k, v in v.published && !v.partial && Self.isCoarser(target, than: k) }) else {
                        continue
                    }
                    out.append(SubsetLink(subset: name, subsetKey: key, superset: wider, key: target, field: field, values: values))
                }
            }
        }
        // People known to at least k agencies: the rows of k and more of the breakdown by agencies.
        for (name, p) in populations.sorted(by: { $0.key < $1.key }) {
            guard let at = name.range(of: "|agencies>="), let k = Int(name[at.upperBound...]) else { continue }
            let wider = String(name[..<at.lowerBound])
            let field = "agencies"
            guard let q = populations[wider] else { continue }
            var labels = Set<String>()
            for (key, view) in q.views where view.published {
                guard let i = key.firstIndex(where: { $0.name == field }) else { continue }
                for row in view.rows.keys where Int(row[i].prefix { $0.isNumber }).map({ $0 >= k }) == true {
                    labels.insert(row[i].lowercased())
                }
            }
            for (key, view) in Self.ordered(p.views) where view.published && !key.contains(where: { $0.name == field }) {
                let target = (key + [Attribute(name: field, level: .plain)]).sorted()
                guard q.views.contains(where: { k, v in v.published && !v.partial && Self.isCoarser(target, than: k) }) else { continue }
                out.append(SubsetLink(subset: name, subsetKey: key, superset: wider, key: target, field: field, values: labels))
            }
        }
        return out.sorted {
            ($0.subset, $0.superset, $0.key.map(\.name).joined(separator: ",")) < (
                $1.subset, $1.superset, $1.key.map(\.name).joined(separator: ",")
            )
        }
    }

    /// Views in a fixed order (a dictionary's order changes from run to run, and with it the LP's
    /// rows, GLPK's optimal basis and so which cells a search withholds).
    static func ordered(_ views: [Key: View]) -> [(key: Key, value: View)] {
        views.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Whether `coarse` can be worked out from `fine`: each of its attributes is in `fine` at the
    /// same level or a finer one.
    static func isCoarser(_ coarse: Key, than fine: Key) -> Bool {
        coarse.allSatisfy { a in fine.contains { $0.name == a.name && $0.level <= a.level } }
    }

    /// The breakdowns two views share, each at the coarser of its two levels.
    static func meet(_ a: Key, _ b: Key) -> Key {
        a.compactMap { x in b.first { $0.name == x.name }.map { Attribute(name: x.name, level: max(x.level, $0.level)) } }.sorted()
    }

    /// A fine row's labels in a coarser view, or nil when a label has no parent at that level.
    static func map(_ labels: [String], from fine: Key, to coarse: Key, parents: [String: [String: String]]) -> [String]? {
        var out: [String] = []
        for a in coarse {
            guard let i = fine.firstIndex(where: { $0.name == a.name }) else { return nil }
            var label = labels[i]
            var level = fine[i].level
            while level < a.level {
                // One step up: ward -> locality, month -> year.
                let next: ProfileTable.Axis.Level
                switch level {
                case .ward: next = .locality
                case .month: next = .year
                default: return nil
                }
                label = parents[a.name]?[label] ?? label
                level = next
            }
            out.append(label)
        }
        return out
    }

    /// Adds every relation between views of the same population, and between populations (people
    /// and their records, repeats and people), to the model.
    mutating func relate(into model: inout DisclosureModel) {
        for (a, b) in duplicates { model.addSum(a, [b]) }
        let subsets = subsetLinks()
        var requested: [String: Set<Key>] = [:]
        for link in subsets { requested[link.superset, default: []].insert(link.key) }
        for name in populations.keys.sorted() {
            var p = populations[name]!
            Self.addLatentViews(to: &p, requested: requested[name] ?? [], model: &model)
            Self.relateViews(of: p, model: &model)
            populations[name] = p
        }
        relateSubsets(subsets, model: &model)
        relatePopulations(model: &model)
    }

    /// Latent views: the meet of any two views, to a fixed point, and the grand total, each with
    /// the rows its published finer views map to.
    private static func addLatentViews(to p: inout Population, requested: Set<Key>, model: inout DisclosureModel) {
        var keys = Set(p.views.keys)
        keys.insert([])
        keys.formUnion(requested)
        var grew = true
        while grew {
            grew = false
            for a in keys { for b in keys { let m = meet(a, b); if !keys.contains(m) { keys.insert(m); grew = true } } }
        }
        let published = p.views.filter(\.value.published)
        let parents = published.values.reduce(into: [String: [String: String]]()) { $0.merge($1.parents) { x, _ in x } }
        for key in keys.sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) })
        where p.views[key]?.published != true {
            var view = View()
            view.parents = parents
            for (fineKey, fine) in ordered(published) where !fine.partial && isCoarser(key, than: fineKey) {
                for labels in fine.rows.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                    guard let l = map(labels, from: fineKey, to: key, parents: parents), view.rows[l] == nil else { continue }
                    view.rows[l] = model.addLatent(value: .nan)
                }
            }
            if !view.rows.isEmpty { p.views[key] = view }
        }
    }

    /// Each view of a population against every coarser one: its cells add up to the coarser
    /// cell, or (where a record may be counted twice) each is at most it.
    private static func relateViews(of p: Population, model: inout DisclosureModel) {
        let published = p.views.filter(\.value.published)
        let parents = published.values.reduce(into: [String: [String: String]]()) { $0.merge($1.parents) { x, _ in x } }
        let multi = published.values.reduce(into: Set<String>()) { $0.formUnion($1.multi) }
        for (fineKey, fine) in ordered(p.views) where !fine.partial {
            for (coarseKey, coarse) in ordered(p.views) where coarseKey != fineKey && isCoarser(coarseKey, than: fineKey) {
                var parts: [[String]: [Int]] = [:]
                for (labels, node) in fine.rows.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                    guard let l = map(labels, from: fineKey, to: coarseKey, parents: parents) else { continue }
                    parts[l, default: []].append(node)
                }
                // Cells add up only where nothing merged may count a record twice.
                let merged = fineKey.filter { a in !coarseKey.contains(a) }.map(\.name)
                let adds = p.additivity == .additive && !merged.contains { multi.contains($0) }
                for (labels, nodes) in parts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                    guard let whole = coarse.rows[labels] else { continue }
                    if adds {
                        model.addSum(whole, nodes)
                    } else {
                        for n in nodes { model.addAtMost(n, whole) }
                        if p.additivity == .distinct { model.addAtMostSum(whole, nodes) }
                    }
                }
            }
        }
    }

    /// Records picked by one more condition on a field are the field's rows in the wider set's
    /// breakdown by that field.
    private func relateSubsets(_ subsets: [SubsetLink], model: inout DisclosureModel) {
        for link in subsets {
            guard let sub = populations[link.subset]?.views[link.subsetKey], let whole = populations[link.superset]?.views[link.key] else {
                continue
            }
            let at = link.key.firstIndex { $0.name == link.field }!
            var parts: [[String]: [Int]] = [:]
            var covered = Set<[String]>()
            for (labels, node) in whole.rows.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                var rest = labels
                rest.remove(at: at)
                covered.insert(rest)
                if link.values.contains(labels[at].lowercased()) { parts[rest, default: []].append(node) }
            }
            // Only where the wider set's breakdown has the row at all (else it says nothing).
            for (labels, node) in sub.rows.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) where covered.contains(labels) {
                model.addSum(node, parts[labels] ?? [])
            }
        }
    }

    /// People never outnumber their records; repeat people never outnumber people.
    private func relatePopulations(model: inout DisclosureModel) {
        for (name, p) in populations.sorted(by: { $0.key < $1.key }) {
            var bigger: [String] = []
            if let r = p.records { bigger.append(r) }
            if name.hasPrefix("repeat_people:") { bigger.append("people:" + name.dropFirst("repeat_people:".count)) }
            for other in bigger {
                guard let q = populations[other] else { continue }
                for (key, view) in Self.ordered(p.views) {
                    guard let larger = q.views[key] else { continue }
                    for (labels, node) in view.rows.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                        if let n = larger.rows[labels] { model.addAtMost(node, n) }
                    }
                }
            }
        }
    }
}
