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
        var bridgeFromLocal: [UInt64: UInt64] = [:]
        var bridgeFromMatch: [UInt64: UInt64] = [:]
        func note(_ map: inout [UInt64: UInt64], _ from: UInt64, _ to: UInt64) {
            guard from != 0 && to != 0 else { return }
            if let existing = map[from] {
                if existing != to { map[from] = ambiguous }
            } else {
                map[from] = to
            }
        }
        for r in roles {
            for i in r.nhs.indices where r.nhs[i] != 0 {
                note(&bridgeFromLocal, r.local[i], r.nhs[i])
                note(&bridgeFromMatch, r.matchKey[i], r.nhs[i])
            }
        }
        var keys: [[UInt64]] = []
        var via: [[Via]] = []
        var all: [UInt64] = []
        for r in roles {
            var k = [UInt64](repeating: 0, count: r.nhs.count)
            var v = [Via](repeating: .none, count: r.nhs.count)
            for i in r.nhs.indices {
                if r.nhs[i] != 0 {
                    k[i] = r.nhs[i]; v[i] = .nhs
                } else if let b = bridgeFromLocal[r.local[i]], b != ambiguous {
                    k[i] = b; v[i] = .bridged
                } else if let b = bridgeFromMatch[r.matchKey[i]], b != ambiguous {
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
        all.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(all.count)
        for x in all where unique.last != x { unique.append(x) }
        let ids = keys.map { column in
            column.map { key -> UInt32 in
                guard key != 0 else { return 0 }
                var lo = 0, hi = unique.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if unique[mid] < key { lo = mid + 1 } else { hi = mid }
                }
                return UInt32(lo + 1)
            }
        }
        return (keys, via, unique.count, ids)
    }
}
