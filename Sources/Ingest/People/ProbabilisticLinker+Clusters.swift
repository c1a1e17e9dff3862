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
            // Each record's (person, encoding, keyed by its own NHS number), in pieces of rows on
            // all cores, laid out by the highest byte a key can have (people fill the keys' upper
            // half from the bottom: their top bytes are all 0).
            let provisionalOf = self.provisionalOf
            let pieces = Self.namedPieces(roles)
            let greatest = UInt64(next) << 32 | UInt64(encodings.all.count) << 1 | 1
            let shift = UInt64((63 - greatest.leadingZeroBitCount) / 8 * 8)
            var (keys, byByte) = KeyTarget.laidOutByTopByte(pieces: pieces.count, threads: threads, shift: shift) { k, emit in
                let r = pieces[k].role, role = roles[r], ids = linked.ids[r], via = linked.via[r]
                let map = encodings.ofPool[role.pool]
                for i in pieces[k].rows where role.identity[i] != 0 {
                    let enc = map[Int(role.identity[i])]
                    let c = ids[i] != 0 ? ids[i] : provisionalOf[Int(enc)]
                    emit(KeyTarget(key: UInt64(c) << 32 | UInt64(enc) << 1 | (via[i] == .nhs ? 1 : 0), target: 0))
                }
            }
            _ = KeyTarget.sortByTopByteRanges(&keys, ranges: byByte, threads: threads, shift: shift)
            provisional = Int(next) - people
            nhs += [Bool](repeating: false, count: provisional)
            hasNHS = nhs
            parent = (0...UInt32(next)).map { $0 }
            birthDate = [UInt32](repeating: 0, count: Int(next) + 1)
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
            precondition(total < 1 << 31, "more than 2^31 people")
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
            // Each former id's new one, with the top bit set when it came from a join (its set's
            // root is another, or it was a provisional person that joined none and is one now),
            // so that a row reads one table.
            for c in stride(from: 1, through: total, by: 1) where parent[c] != UInt32(c) || (c > people && numbered[c] != 0) {
                numbered[c] |= 1 << 31
            }
            let (provisionalOf, newID) = (self.provisionalOf, numbered)
            // Role by role, each role's rows in pieces on all cores, written at their places.
            var ids: [[UInt32]] = [], via: [[PersonLinker.Via]] = []
            var changed = 0
            for (r, role) in roles.enumerated() {
                let (oldIDs, oldVia) = (linked.ids[r], linked.via[r])
                let rows = oldIDs.count, piece = rowPiece
                let map = role.identity.isEmpty ? [] : encodings.ofPool[role.pool]
                var changedOf = [Int](repeating: 0, count: (rows + piece - 1) / piece)
                var newVia: [PersonLinker.Via] = []
                let newIDs = [UInt32](unsafeUninitializedCapacity: rows) { idsOut, initializedIDs in
                    newVia = [PersonLinker.Via](unsafeUninitializedCapacity: rows) { viaOut, initializedVia in
                        changedOf.withUnsafeMutableBufferPointer { changedOut in
                            // Unchecked: each piece writes its own rows and its own count.
                            nonisolated(unsafe) let (idsOut, viaOut, changedOut) = (idsOut, viaOut, changedOut)
                            parallelFor(changedOut.count, threads: threads) { k in
                                var changed = 0
                                for i in (k * piece)..<min(rows, (k + 1) * piece) {
                                    var c = oldIDs[i]
                                    var how = oldVia[i]
                                    if c == 0 && !map.isEmpty && role.identity[i] != 0 {
                                        c = provisionalOf[Int(map[Int(role.identity[i])])]
                                    }
                                    var id: UInt32 = 0
                                    if c != 0 {
                                        id = newID[Int(c)]
                                        if id >> 31 != 0 {
                                            how = .probabilistic
                                            changed += 1
                                            id &= ~(1 << 31)
                                        }
                                    }
                                    idsOut.initializeElement(at: i, to: id)
                                    viaOut.initializeElement(at: i, to: how)
                                }
                                changedOut[k] = changed
                            }
                        }
                        initializedVia = rows
                    }
                    initializedIDs = rows
                }
                ids.append(newIDs)
                via.append(newVia)
                changed += changedOf.reduce(0, +)
            }
            return ((via, Int(n), ids), changed)
        }

        /// Pieces of at most `rowPiece` rows of the roles that keep identities, so that a large role is
        /// shared between cores.
        private static func namedPieces(_ roles: [PersonLinker.RoleRows]) -> [RowPiece] {
            var pieces: [RowPiece] = []
            for (r, role) in roles.enumerated() where !role.identity.isEmpty {
                let count = role.identity.count
                for start in stride(from: 0, to: count, by: rowPiece) {
                    pieces.append(RowPiece(role: r, rows: start..<min(count, start + rowPiece)))
                }
            }
            return pieces
        }
    }

    /// Rows of one role.
    /// Rows a core takes at a time when a role is keyed or renumbered, so a large role is shared.
    static let rowPiece = 1 << 18

    struct RowPiece: Sendable {
        let role: Int
        let rows: Range<Int>
    }
}
