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
            /// Records with it.
            var records: UInt32 = 1
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
        /// without an id are given the provisional person of their identity (numbered in role and
        /// row order of first sight).
        mutating func members(_ roles: [PersonLinker.RoleRows], _ linked: PersonLinker.Linked, encodings: GlobalEncodings) -> [Member] {
            var keys: [UInt64] = []
            var nhs = [Bool](repeating: false, count: people + 1)
            var next = UInt32(people)
            provisionalOf = [UInt32](repeating: 0, count: encodings.all.count)
            for (r, role) in roles.enumerated() {
                let ids = linked.ids[r], via = linked.via[r]
                for i in ids.indices where ids[i] != 0 && (via[i] == .nhs || via[i] == .bridged) { nhs[Int(ids[i])] = true }
                guard !role.identity.isEmpty else { continue }
                let map = encodings.ofPool[role.pool]
                for i in role.identity.indices where role.identity[i] != 0 {
                    let enc = map[Int(role.identity[i])]
                    var c = ids[i]
                    if c == 0 {
                        if provisionalOf[Int(enc)] == 0 {
                            next += 1
                            provisionalOf[Int(enc)] = next
                        }
                        c = provisionalOf[Int(enc)]
                    }
                    // The key's lowest bit: keyed by its own NHS number.
                    keys.append(UInt64(c) << 32 | UInt64(enc) << 1 | (via[i] == .nhs ? 1 : 0))
                }
            }
            provisional = Int(next) - people
            nhs += [Bool](repeating: false, count: provisional)
            hasNHS = nhs
            parent = (0...UInt32(next)).map { $0 }
            birthDate = [UInt32](repeating: 0, count: Int(next) + 1)
            keys.sort()
            var members: [Member] = []
            for k in keys {
                let cluster = UInt32(k >> 32), enc = UInt32(truncatingIfNeeded: k & 0xFFFF_FFFF) >> 1
                if let last = members.last, last.cluster == cluster, last.enc == enc {
                    if k & 1 != 0 { members[members.count - 1].nhsDirect = true }
                    members[members.count - 1].records += 1
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
            if da != 0 && db != 0 {
                let pattern = MatchPattern.of(encodings[Int(da)], encodings[Int(db)])
                if MatchPattern.fieldLevels(pattern)[2] == 2 { return .refusedBirthDate }
            }
            let (low, high) = ra < rb ? (ra, rb) : (rb, ra)
            parent[Int(high)] = low
            hasNHS[Int(low)] = hasNHS[Int(low)] || hasNHS[Int(high)]
            if birthDate[Int(low)] == 0 { birthDate[Int(low)] = birthDate[Int(high)] }
            return .joined
        }

        /// Every record's new id: its set's, numbered 1...n by each set's lowest id; a set of
        /// provisional people only gives no id. Records whose id came from a join are marked
        /// `.probabilistic` and counted.
        mutating func renumbered(
            _ roles: [PersonLinker.RoleRows], _ linked: PersonLinker.Linked, encodings: GlobalEncodings
        ) -> (linked: PersonLinker.Linked, changed: Int) {
            let total = people + provisional
            var newID = [UInt32](repeating: 0, count: total + 1)
            var n: UInt32 = 0
            for c in stride(from: 1, through: total, by: 1) {
                let r = root(UInt32(c))
                if r == UInt32(c) {
                    // A set of records that had no key of their own, joined to no keyed person,
                    // stays without an id, as exact linkage left them (the same whether a record
                    // is given once or twice).
                    if c <= people {
                        n += 1
                        newID[c] = n
                    }
                } else {
                    newID[c] = newID[Int(r)]
                }
            }
            var ids = linked.ids, via = linked.via
            var changed = 0
            for (r, role) in roles.enumerated() {
                for i in ids[r].indices {
                    var c = ids[r][i]
                    if c == 0 {
                        guard !role.identity.isEmpty, role.identity[i] != 0 else { continue }
                        c = provisionalOf[Int(encodings.ofPool[role.pool][Int(role.identity[i])])]
                    }
                    let id = newID[Int(c)]
                    if parent[Int(c)] != c || (c > people && id != 0) {
                        via[r][i] = .probabilistic
                        changed += 1
                    }
                    ids[r][i] = id
                }
            }
            return ((via, Int(n), ids), changed)
        }
    }
}
