import Columnar

extension ProbabilisticLinker {
    /// The people exact linkage found (ids 1...people), then one provisional person per distinct
    /// identity of the records that had no key of their own; joined as a union-find forest whose
    /// roots are each set's lowest id.
    struct Clusters {
        struct Member {
            let cluster: UInt32
            let enc: UInt32
            /// Whether a record of it was keyed by its own NHS number.
            var nhsDirect = false
        }

        enum Join { case joined, same, refusedNHS, refusedBirthDate }

        let people: Int
        private(set) var provisional = 0
        private var parent: [UInt32] = []
        /// Whether the set holds a record keyed by a valid NHS number (directly or bridged).
        private(set) var hasNHS: [Bool] = []
        /// An encoding with a date of birth of the set (0: none).
        private var birthDate: [UInt32] = []

        init(people: Int) { self.people = people }

        /// A provisional person's id by global encoding (0: none yet).
        private var provisionalOf: [UInt32] = []

        /// The distinct (person, encoding) pairs of every record with an encoding, sorted; records
        /// without an id are given the provisional person of their identity (numbered in the
        /// encodings' order).
        mutating func members(
            _ roles: [PersonLinker.RoleRows], _ linked: PersonLinker.Linked, encodings: GlobalEncodings, threads: Int
        ) -> [Member] {
            var nhs = [Bool](repeating: false, count: people + 1)
            var next = UInt32(people)
            provisionalOf = [UInt32](repeating: 0, count: encodings.all.count)
            // Identities of records without an id, numbered in the encodings' (canonical) order.
            var unkeyed = [Bool](repeating: false, count: encodings.all.count)
            for (r, role) in roles.enumerated() {
                let ids = linked.ids[r], via = linked.via[r]
                for i in ids.indices where ids[i] != 0 && (via[i] == .nhs || via[i] == .bridged) { nhs[Int(ids[i])] = true }
                guard !role.identity.isEmpty else { continue }
                let map = encodings.ofPool[role.pool]
                for i in role.identity.indices where role.identity[i] != 0 && ids[i] == 0 {
                    unkeyed[Int(map[Int(role.identity[i])])] = true
                }
            }
            for enc in unkeyed.indices where unkeyed[enc] {
                next += 1
                provisionalOf[enc] = next
            }
            // Each record's (person, encoding, keyed by its own NHS number), role by role on all cores.
            let provisionalOf = self.provisionalOf
            let perRole = parallelMap(Array(roles.indices), threads: threads) { r -> [KeyTarget] in
                let role = roles[r], ids = linked.ids[r], via = linked.via[r]
                guard !role.identity.isEmpty else { return [] }
                let map = encodings.ofPool[role.pool]
                var keys: [KeyTarget] = []
                for i in role.identity.indices where role.identity[i] != 0 {
                    let enc = map[Int(role.identity[i])]
                    let c = ids[i] != 0 ? ids[i] : provisionalOf[Int(enc)]
                    keys.append(KeyTarget(key: UInt64(c) << 32 | UInt64(enc) << 1 | (via[i] == .nhs ? 1 : 0), target: 0))
                }
                return keys
            }
            var keys = perRole.flatMap { $0 }
            provisional = Int(next) - people
            nhs += [Bool](repeating: false, count: provisional)
            hasNHS = nhs
            parent = (0...UInt32(next)).map { $0 }
            birthDate = [UInt32](repeating: 0, count: Int(next) + 1)
            KeyTarget.sort(&keys, threads: threads)
            var members: [Member] = []
            for entry in keys {
                let k = entry.key
                let cluster = UInt32(k >> 32), enc = UInt32(truncatingIfNeeded: k & 0xFFFF_FFFF) >> 1
                if let last = members.last, last.cluster == cluster, last.enc == enc {
                    if k & 1 != 0 { members[members.count - 1].nhsDirect = true }
                } else {
                    members.append(Member(cluster: cluster, enc: enc, nhsDirect: k & 1 != 0))
                }
            }
            return members
        }

        /// Notes one encoding with a date of birth per person (the first of its members).
        mutating func noteBirthDates(_ members: [Member], _ encodings: [PersonEncoding]) {
            for m in members where birthDate[Int(m.cluster)] == 0 && encodings[Int(m.enc)].hasBirthDate {
                birthDate[Int(m.cluster)] = m.enc
            }
        }

        mutating func root(_ c: UInt32) -> UInt32 {
            var r = c
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var x = c
            while parent[Int(x)] != r {
                let up = parent[Int(x)]
                parent[Int(x)] = r
                x = up
            }
            return r
        }

        /// Joins two people's sets unless both hold a valid NHS number (two different ones: one
        /// number is one person already) or their dates of birth disagree in two parts or more.
        mutating func join(_ a: UInt32, _ b: UInt32, _ encodings: [PersonEncoding]) -> Join {
            let (ra, rb) = (root(a), root(b))
            guard ra != rb else { return .same }
            if hasNHS[Int(ra)] && hasNHS[Int(rb)] { return .refusedNHS }
            let (da, db) = (birthDate[Int(ra)], birthDate[Int(rb)])
            if da != 0 && db != 0 && MatchPattern.birthDatesDisagree(encodings[Int(da)], encodings[Int(db)]) { return .refusedBirthDate }
            let (low, high) = ra < rb ? (ra, rb) : (rb, ra)
            parent[Int(high)] = low
            hasNHS[Int(low)] = hasNHS[Int(low)] || hasNHS[Int(high)]
            if birthDate[Int(low)] == 0 { birthDate[Int(low)] = birthDate[Int(high)] }
            return .joined
        }

        /// Every record's new id: its set's, numbered 1...n by each set's lowest id (the people
        /// exact keys found first, then the identities that had no key). Records whose id came from a join are marked
        /// `.probabilistic` and counted.
        mutating func renumbered(
            _ roles: [PersonLinker.RoleRows], _ linked: PersonLinker.Linked, encodings: GlobalEncodings, threads: Int
        ) -> (linked: PersonLinker.Linked, changed: Int) {
            // Every set's root first (path halving writes `parent`), then read on all cores.
            for c in stride(from: 1, through: people + provisional, by: 1) { _ = root(UInt32(c)) }
            let total = people + provisional
            var numbered = [UInt32](repeating: 0, count: total + 1)
            var n: UInt32 = 0
            for c in stride(from: 1, through: total, by: 1) {
                let r = root(UInt32(c))
                if r == UInt32(c) {
                    // A set of records with no key of their own, joined to no keyed person, is a
                    // person of its own: one identity (a name without a date of birth, say) is one
                    // person, however many records give it.
                    n += 1
                    numbered[c] = n
                } else {
                    numbered[c] = numbered[Int(r)]
                }
            }
            // Role by role on all cores: each role writes only its own rows.
            let (parent, provisionalOf, people, newID) = (self.parent, self.provisionalOf, self.people, numbered)
            let done = parallelMap(Array(roles.indices), threads: threads) { r -> ([UInt32], [PersonLinker.Via], Int) in
                let role = roles[r]
                var ids = linked.ids[r], via = linked.via[r]
                var changed = 0
                for i in ids.indices {
                    var c = ids[i]
                    if c == 0 {
                        guard !role.identity.isEmpty, role.identity[i] != 0 else { continue }
                        c = provisionalOf[Int(encodings.ofPool[role.pool][Int(role.identity[i])])]
                    }
                    let id = newID[Int(c)]
                    if parent[Int(c)] != c || (c > people && id != 0) {
                        via[i] = .probabilistic
                        changed += 1
                    }
                    ids[i] = id
                }
                return (ids, via, changed)
            }
            let ids: [[UInt32]] = done.map { $0.0 }
            let via: [[PersonLinker.Via]] = done.map { $0.1 }
            let changed = done.reduce(0) { $0 + $1.2 }
            return ((via, Int(n), ids), changed)
        }
    }
}
