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
            let (nhsPeople, unkeyed) = Self.flags(roles, linked, encodings: encodings, people: people, threads: threads)
            var nhs = (0...people).map { nhsPeople.contains($0) }
            var next = UInt32(people)
            provisionalOf = [UInt32](repeating: 0, count: encodings.all.count)
            // Identities of records without an id, numbered in the encodings' (canonical) order.
            unkeyed.forEachRow { enc in
                next += 1
                self.provisionalOf[enc] = next
            }
            // Each record's (person, encoding, keyed by its own NHS number), in pieces of rows on
            // all cores, laid out by the highest byte a key can have (people fill the keys' upper
            // half from the bottom: their top bytes are all 0).
            let provisionalOf = self.provisionalOf
            let pieces = Self.rowPieces(roles.map(\.identity.count))
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
            return Self.distinct(keys, threads: threads)
        }

        /// The people with a record keyed by a valid NHS number (directly or bridged), and the
        /// identities of records without an id: each worker's flags over its rows, joined.
        private static func flags(
            _ roles: [PersonLinker.RoleRows], _ linked: PersonLinker.Linked, encodings: GlobalEncodings, people: Int, threads: Int
        ) -> (nhs: RowMask, unkeyed: RowMask) {
            let pieces = rowPieces(linked.ids.map(\.count))
            let workers = max(1, min(threads, pieces.count))
            let found = parallelMap(Array(0..<workers), threads: workers) { w in
                var nhs = RowMask(count: people + 1, allSet: false), unkeyed = RowMask(count: encodings.all.count, allSet: false)
                for piece in stride(from: w, to: pieces.count, by: workers).map({ pieces[$0] }) {
                    let role = roles[piece.role], ids = linked.ids[piece.role], via = linked.via[piece.role]
                    for i in piece.rows where ids[i] != 0 && (via[i] == .nhs || via[i] == .bridged) { nhs.insert(Int(ids[i])) }
                    guard !role.identity.isEmpty else { continue }
                    let map = encodings.ofPool[role.pool]
                    for i in piece.rows where role.identity[i] != 0 && ids[i] == 0 { unkeyed.insert(Int(map[Int(role.identity[i])])) }
                }
                return (nhs, unkeyed)
            }
            var (nhs, unkeyed) = found[0]
            for (n, u) in found.dropFirst() {
                nhs.formUnion(n)
                unkeyed.formUnion(u)
            }
            return (nhs, unkeyed)
        }

        /// The distinct (person, encoding) pairs of the sorted keys, a record's NHS bit or-ed into
        /// its pair's; on `threads` cores, each taking a range that starts at a new pair.
        private static func distinct(_ keys: [KeyTarget], threads: Int) -> [Member] {
            let ranges = groupedRanges(count: keys.count, parts: threads) { keys[$0].key >> 1 == keys[$0 - 1].key >> 1 }
            let parts = parallelMap(ranges, threads: threads) { range in
                var members: [Member] = []
                for entry in keys[range] {
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
            return Array(parts.joined())
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

        /// Every record's new id, written over its old one: its set's, numbered 1...n by each
        /// set's lowest id (the people exact keys found first, then the identities that had no
        /// key). Records whose id came from a join are marked `.probabilistic`; returns how many.
        mutating func renumber(
            _ roles: [PersonLinker.RoleRows], _ linked: inout PersonLinker.Linked, encodings: GlobalEncodings, threads: Int
        ) -> Int {
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
            // Role by role, each role's rows in pieces on all cores, each piece over its own rows.
            var changed = 0
            for (r, role) in roles.enumerated() {
                // Taken out of `linked` while written, so that they are written where they are.
                var (ids, via) = (linked.ids[r], linked.via[r])
                (linked.ids[r], linked.via[r]) = ([], [])
                let rows = ids.count, piece = rowPiece
                let map = role.identity.isEmpty ? [] : encodings.ofPool[role.pool]
                var changedOf = [Int](repeating: 0, count: (rows + piece - 1) / piece)
                ids.withUnsafeMutableBufferPointer { ids in
                    via.withUnsafeMutableBufferPointer { via in
                        changedOf.withUnsafeMutableBufferPointer { changedOut in
                            // Unchecked: each piece reads and writes its own rows and its own count.
                            nonisolated(unsafe) let (ids, via, changedOut) = (ids, via, changedOut)
                            parallelFor(changedOut.count, threads: threads) { k in
                                var changed = 0
                                for i in (k * piece)..<min(rows, (k + 1) * piece) {
                                    var c = ids[i]
                                    if c == 0 && !map.isEmpty && role.identity[i] != 0 {
                                        c = provisionalOf[Int(map[Int(role.identity[i])])]
                                    }
                                    var id: UInt32 = 0
                                    if c != 0 {
                                        id = newID[Int(c)]
                                        if id >> 31 != 0 {
                                            via[i] = .probabilistic
                                            changed += 1
                                            id &= ~(1 << 31)
                                        }
                                    }
                                    ids[i] = id
                                }
                                changedOut[k] = changed
                            }
                        }
                    }
                }
                (linked.ids[r], linked.via[r]) = (ids, via)
                changed += changedOf.reduce(0, +)
            }
            linked.people = Int(n)
            return changed
        }

        /// Pieces of at most `rowPiece` rows of each role, of `rows[r]` rows (0: none), so that a
        /// large role is shared between cores.
        private static func rowPieces(_ rows: [Int]) -> [RowPiece] {
            rows.indices.flatMap { r in
                stride(from: 0, to: rows[r], by: rowPiece).map { RowPiece(role: r, rows: $0..<min(rows[r], $0 + rowPiece)) }
            }
        }
    }

    /// About `parts` ranges of 0..<count, in order, each cut only where `together(i)` (that
    /// element i goes with element i - 1, in a sorted array: one person's, one key's) is false.
    static func groupedRanges(count: Int, parts: Int, together: (Int) -> Bool) -> [Range<Int>] {
        let size = max(1, (count + parts - 1) / max(1, parts))
        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            var end = min(count, start + size)
            while end < count && together(end) { end += 1 }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Rows of one role.
    /// Rows a core takes at a time when a role is keyed or renumbered, so a large role is shared.
    static let rowPiece = 1 << 18

    struct RowPiece: Sendable {
        let role: Int
        let rows: Range<Int>
    }
}
