import Columnar

/// Turns each row's pseudonyms into one person id per role, across every source of the drop.
///
/// The NHS number decides where there is one. A row without one takes the NHS-based key that its
/// local id, or else its match key, is seen with elsewhere, provided that is exactly one NHS number
/// (so a shared match key of two people never merges them). Otherwise the match key, else the local
/// id, else no key. Keys are then numbered 1...n in sorted order, so ids do not depend on the order
/// or number of threads that read the files.
struct PersonLinker {
    enum Via: UInt8, Sendable { case none = 0, nhs, bridged, matchKey, localID }

    /// One role's rows: codes into its source's identifier pool, and the pool's pseudonyms.
    struct RoleRows {
        let nhs: [UInt32]
        let matchKey: [UInt32]
        let local: [UInt32]
        let pseudonyms: PoolPseudonyms
    }

    private static let ambiguous = UInt64.max

    /// How each row of each role was keyed, the number of distinct people, and each row's person id.
    /// - Complexity: O(rows) hash-table work plus a sort of the distinct keys; memory a few bytes per
    ///   row for the results and tables sized to the distinct identifiers.
    static func link(_ roles: [RoleRows]) -> (via: [[Via]], people: Int, ids: [[UInt32]]) {
        var bridgeFromLocal = KeyMap(capacity: 1 << 10)
        var bridgeFromMatch = KeyMap(capacity: 1 << 10)
        let keepOrMarkAmbiguous: (UInt64, UInt64) -> UInt64 = { old, new in old == new ? old : ambiguous }
        for r in roles {
            for i in r.nhs.indices where r.nhs[i] != 0 {
                let person = r.pseudonyms(r.nhs[i])
                if r.local[i] != 0 { bridgeFromLocal.set(r.pseudonyms(r.local[i]), person, merge: keepOrMarkAmbiguous) }
                if r.matchKey[i] != 0 { bridgeFromMatch.set(r.pseudonyms(r.matchKey[i]), person, merge: keepOrMarkAmbiguous) }
            }
        }
        @inline(__always)
        func key(_ r: RoleRows, _ i: Int) -> (UInt64, Via) {
            if r.nhs[i] != 0 { return (r.pseudonyms(r.nhs[i]), .nhs) }
            let local = r.local[i] != 0 ? r.pseudonyms(r.local[i]) : 0
            let match = r.matchKey[i] != 0 ? r.pseudonyms(r.matchKey[i]) : 0
            if let b = bridgeFromLocal.get(local), b != ambiguous { return (b, .bridged) }
            if let b = bridgeFromMatch.get(match), b != ambiguous { return (b, .bridged) }
            if match != 0 { return (match, .matchKey) }
            if local != 0 { return (local, .localID) }
            return (0, .none)
        }
        // Distinct keys, numbered 1...n in sorted order, so ids do not depend on how work was split.
        var idOf = KeyMap(capacity: 1 << 12)
        for r in roles {
            for i in r.nhs.indices {
                let (k, _) = key(r, i)
                if k != 0 { idOf.set(k, 0) }
            }
        }
        let sorted = idOf.allKeys().sorted()
        for (n, k) in sorted.enumerated() { idOf.set(k, UInt64(n + 1)) }
        var via: [[Via]] = []
        var ids: [[UInt32]] = []
        for r in roles {
            var v = [Via](repeating: .none, count: r.nhs.count)
            var id = [UInt32](repeating: 0, count: r.nhs.count)
            for i in r.nhs.indices {
                let (k, how) = key(r, i)
                v[i] = how
                if k != 0 { id[i] = UInt32(idOf.get(k)!) }
            }
            via.append(v)
            ids.append(id)
        }
        return (via, sorted.count, ids)
    }
}
