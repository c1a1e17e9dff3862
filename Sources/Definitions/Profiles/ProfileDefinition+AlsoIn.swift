import Yams

/// `also_in:` of an event set: the other sets whose people it keeps (people with co-occurring
/// conditions), read once every set of the profile is known.
extension ProfileDefinition {
    /// The sets with their `also_in` resolved. A set named there must be defined, come from a source
    /// with people, and have no `also_in` of its own (co-occurrence is one step, never a chain).
    static func withAlsoIn(_ sets: [EventSet], _ pairs: [(String, Node, Node)], _ r: DefinitionReader) -> [EventSet] {
        let known = Dictionary(sets.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var nodes: [String: Node] = [:]
        for (name, _, v) in pairs {
            guard let map = v.mapping else { continue }
            for (k, value) in map where k.scalar?.string == "also_in" { nodes[name] = value }
        }
        return sets.map { set in
            guard let node = nodes[set.name] else { return set }
            let key = "events.\(set.name).also_in"
            guard let names = r.strings(node, key) else { return set }
            var resolved = set
            for n in names {
                guard let other = known[n] else {
                    if !r.definedWithErrors.contains(n) {
                        r.fail(node, key, "unknown events '\(n)'" + Suggestions.hint(n, in: known.keys.sorted(), listing: "defined"))
                    }
                    continue
                }
                if nodes[n] != nil || n == set.name {
                    r.fail(node, key, "'\(n)' has an also_in of its own: also_in names sets without one")
                } else if set.ownPerson == nil || other.ownPerson == nil {
                    r.fail(node, key, "also_in matches people, and \(set.ownPerson == nil ? set.source : other.source) has none")
                } else {
                    resolved.alsoIn.append(other)
                }
            }
            if names.isEmpty { r.fail(node, key, "also_in names at least one event set") }
            return resolved
        }
    }
}
