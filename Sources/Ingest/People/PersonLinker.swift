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

    struct RoleRows {
        let nhs: [UInt64]
        let matchKey: [UInt64]
        let local: [UInt64]
    }

    private static let ambiguous = UInt64.max

    /// Final keys (0 = none) and how each was reached, for every role of every source in order.
    static func link(_ roles: [RoleRows]) -> (keys: [[UInt64]], via: [[Via]], people: Int, ids: [[UInt32]]) {
        let total = roles.reduce(0) { $0 + $1.nhs.count }
        var bridgeFromLocal = KeyMap(capacity: total / 4 + 16)
        var bridgeFromMatch = KeyMap(capacity: total / 4 + 16)
        let keepOrMarkAmbiguous: (UInt64, UInt64) -> UInt64 = { old, new in old == new ? old : ambiguous }
        for r in roles {
            for i in r.nhs.indices where r.nhs[i] != 0 {
                if r.local[i] != 0 { bridgeFromLocal.set(r.local[i], r.nhs[i], merge: keepOrMarkAmbiguous) }
                if r.matchKey[i] != 0 { bridgeFromMatch.set(r.matchKey[i], r.nhs[i], merge: keepOrMarkAmbiguous) }
            }
        }
        var keys: [[UInt64]] = []
        var via: [[Via]] = []
        var all: [UInt64] = []
        all.reserveCapacity(total)
        for r in roles {
            var k = [UInt64](repeating: 0, count: r.nhs.count)
            var v = [Via](repeating: .none, count: r.nhs.count)
            for i in r.nhs.indices {
                if r.nhs[i] != 0 {
                    k[i] = r.nhs[i]; v[i] = .nhs
                } else if let b = bridgeFromLocal.get(r.local[i]), b != ambiguous {
                    k[i] = b; v[i] = .bridged
                } else if let b = bridgeFromMatch.get(r.matchKey[i]), b != ambiguous {
                    k[i] = b; v[i] = .bridged
                } else if r.matchKey[i] != 0 {
                    k[i] = r.matchKey[i]; v[i] = .matchKey
                } else if r.local[i] != 0 {
                    k[i] = r.local[i]; v[i] = .localID
                }
                if k[i] != 0 { all.append(k[i]) }
            }
            keys.append(k)
            via.append(v)
        }
        // Ids follow the sorted order of the keys, so they are the same however the work was split.
        all.sort()
        var idOf = KeyMap(capacity: all.count / 2 + 16)
        var people = 0
        var previous: UInt64 = 0
        for x in all where x != previous {
            people += 1
            idOf.set(x, UInt64(people))
            previous = x
        }
        let ids = keys.map { column in column.map { UInt32(idOf.get($0) ?? 0) } }
        return (keys, via, people, ids)
    }
}
