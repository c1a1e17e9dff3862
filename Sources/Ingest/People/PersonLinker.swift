import Columnar
import Dispatch
import Foundation

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
    /// Roles read into the same pool give the same `pool` number (its codes mean the same).
    struct RoleRows: Sendable {
        let nhs: [UInt32]
        let matchKey: [UInt32]
        let local: [UInt32]
        let pseudonyms: PoolPseudonyms
        var pool = 0
    }

    private static let ambiguous = UInt64.max

    /// How each row of each role was keyed, the number of distinct people, and each row's person id.
    ///
    /// Work is split over `threads` by key: worker w owns the keys whose top bits are w (bridge
    /// tables and the id table alike), scanning every row but storing only its own keys; since
    /// those partitions are ranges of the key space, sorting each one numbers all keys in sorted
    /// order. The last pass, looking ids up, is split by rows.
    /// - Complexity: O(rows × threads) cheap scans, O(rows) hash-table work spread over the
    ///   threads, and a sort of the distinct keys; memory a few bytes per row for the results
    ///   and tables sized to the distinct identifiers.
    static func link(_ roles: [RoleRows], threads: Int = 1) -> (via: [[Via]], people: Int, ids: [[UInt32]]) {
        var shift = 0
        while 1 << (shift + 1) <= max(1, min(threads, 16)) { shift += 1 }
        let bits = shift, partitions = 1 << bits
        @Sendable @inline(__always)
        func owner(_ key: UInt64) -> Int { bits == 0 ? 0 : Int(truncatingIfNeeded: key >> UInt64(64 - bits)) }
        let keepOrMarkAmbiguous: @Sendable (UInt64, UInt64) -> UInt64 = { old, new in old == new ? old : ambiguous }

        // Bridges: the NHS-based key each local id and match key is seen with (or "ambiguous").
        let fromLocal = Partitions<KeyMap>(partitions), fromMatch = Partitions<KeyMap>(partitions)
        DispatchQueue.concurrentPerform(iterations: partitions) { w in
            var local = KeyMap(capacity: 1 << 10), match = KeyMap(capacity: 1 << 10)
            for r in roles {
                for i in r.nhs.indices where r.nhs[i] != 0 {
                    let person = r.pseudonyms(r.nhs[i])
                    if r.local[i] != 0 {
                        let k = r.pseudonyms(r.local[i])
                        if owner(k) == w { local.set(k, person, merge: keepOrMarkAmbiguous) }
                    }
                    if r.matchKey[i] != 0 {
                        let k = r.pseudonyms(r.matchKey[i])
                        if owner(k) == w { match.set(k, person, merge: keepOrMarkAmbiguous) }
                    }
                }
            }
            fromLocal.set(w, local)
            fromMatch.set(w, match)
        }
        let bridgeFromLocal = fromLocal.all(), bridgeFromMatch = fromMatch.all()
        @Sendable @inline(__always)
        func key(_ r: RoleRows, _ i: Int) -> (UInt64, Via) {
            if r.nhs[i] != 0 { return (r.pseudonyms(r.nhs[i]), .nhs) }
            let local = r.local[i] != 0 ? r.pseudonyms(r.local[i]) : 0
            let match = r.matchKey[i] != 0 ? r.pseudonyms(r.matchKey[i]) : 0
            if local != 0, let b = bridgeFromLocal[owner(local)].get(local), b != ambiguous { return (b, .bridged) }
            if match != 0, let b = bridgeFromMatch[owner(match)].get(match), b != ambiguous { return (b, .bridged) }
            if match != 0 { return (match, .matchKey) }
            if local != 0 { return (local, .localID) }
            return (0, .none)
        }
        // The NHS-number codes each pool's rows use: their keys are worked out once per code, not
        // once per row.
        let poolCount = (roles.map(\.pool).max() ?? -1) + 1
        let poolRoles = (0..<poolCount).map { p in roles.filter { $0.pool == p } }
        let usedCodes = Partitions<[UInt32]>(poolCount)
        DispatchQueue.concurrentPerform(iterations: poolCount) { p in
            guard let pseudonyms = poolRoles[p].first?.pseudonyms else { usedCodes.set(p, []); return }
            var bytesUsed = [Bool](repeating: false, count: pseudonyms.bytes.count)
            var numbersUsed = [Bool](repeating: false, count: pseudonyms.nhs.count)
            for r in poolRoles[p] {
                for c in r.nhs where c != 0 {
                    if c & IdentifierPool.nhsFlag != 0 { numbersUsed[Int(c & ~IdentifierPool.nhsFlag)] = true } else { bytesUsed[Int(c)] = true }
                }
            }
            var used: [UInt32] = []
            for (c, u) in bytesUsed.enumerated() where u { used.append(UInt32(c)) }
            for (c, u) in numbersUsed.enumerated() where u { used.append(UInt32(c) | IdentifierPool.nhsFlag) }
            usedCodes.set(p, used)
        }
        let poolCodes = usedCodes.all()
        // Distinct keys per partition, numbered 1...n in sorted order across partitions, so ids do
        // not depend on how the work was split.
        let tables = Partitions<(KeyMap, [UInt64])>(partitions)
        DispatchQueue.concurrentPerform(iterations: partitions) { w in
            var seen = KeyMap(capacity: 1 << 12)
            for p in 0..<poolCount {
                guard let pseudonyms = poolRoles[p].first?.pseudonyms else { continue }
                for c in poolCodes[p] {
                    let k = pseudonyms(c)
                    if owner(k) == w { seen.set(k, 0) }
                }
            }
            for r in roles {
                for i in r.nhs.indices where r.nhs[i] == 0 {
                    let (k, _) = key(r, i)
                    if k != 0 && owner(k) == w { seen.set(k, 0) }
                }
            }
            tables.set(w, (seen, seen.allKeys().sorted()))
        }
        let counts = (0..<partitions).map { tables.peek($0).1.count }
        DispatchQueue.concurrentPerform(iterations: partitions) { w in
            var (table, sorted) = tables.take(w)
            let offset = counts[..<w].reduce(0, +)
            for (n, k) in sorted.enumerated() { table.set(k, UInt64(offset + n + 1)) }
            sorted = []
            tables.set(w, (table, sorted))
        }
        let idOf = tables.all().map(\.0)
        // Each pool's NHS codes' ids (one lookup per code), by code: byte codes, then numbers.
        let poolIDs = Partitions<([UInt32], [UInt32])>(poolCount)
        DispatchQueue.concurrentPerform(iterations: poolCount) { p in
            guard let pseudonyms = poolRoles[p].first?.pseudonyms else { poolIDs.set(p, ([], [])); return }
            var byBytes = [UInt32](repeating: 0, count: pseudonyms.bytes.count)
            var byNumber = [UInt32](repeating: 0, count: pseudonyms.nhs.count)
            for c in poolCodes[p] {
                let k = pseudonyms(c)
                let id = UInt32(idOf[owner(k)].get(k)!)
                if c & IdentifierPool.nhsFlag != 0 { byNumber[Int(c & ~IdentifierPool.nhsFlag)] = id } else { byBytes[Int(c)] = id }
            }
            poolIDs.set(p, (byBytes, byNumber))
        }
        let nhsIDs = poolIDs.all()
        // Each row's id, in slices of rows spread over the threads.
        let slice = 1 << 18
        var via: [[Via]] = [], ids: [[UInt32]] = []
        for role in roles {
            let n = role.nhs.count, slices = (n + slice - 1) / slice
            let (byBytes, byNumber) = nhsIDs[role.pool]
            var v: [Via] = []
            let id = [UInt32](unsafeUninitializedCapacity: n) { idBuffer, idCount in
                v = [Via](unsafeUninitializedCapacity: n) { viaBuffer, viaCount in
                    let out = RowBuffers(via: viaBuffer, ids: idBuffer)
                    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, slices))) { worker in
                        var s = worker
                        while s < slices {
                            for i in s * slice..<min((s + 1) * slice, n) {
                                let c = role.nhs[i]
                                if c != 0 {
                                    out.via[i] = .nhs
                                    out.ids[i] = c & IdentifierPool.nhsFlag != 0 ? byNumber[Int(c & ~IdentifierPool.nhsFlag)] : byBytes[Int(c)]
                                } else {
                                    let (k, how) = key(role, i)
                                    out.via[i] = how
                                    out.ids[i] = k != 0 ? UInt32(idOf[owner(k)].get(k)!) : 0
                                }
                            }
                            s += max(1, min(threads, slices))
                        }
                    }
                    viaCount = n
                }
                idCount = n
            }
            via.append(v)
            ids.append(id)
        }
        return (via, counts.reduce(0, +), ids)
    }
}

/// One slot per partition, each written by its own worker, read once all have finished.
private final class Partitions<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(_ count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }
    func peek(_ i: Int) -> T { lock.lock(); defer { lock.unlock() }; return slots[i]! }
    /// Removes the value, so that the taker holds the only reference and can change it in place.
    func take(_ i: Int) -> T { lock.lock(); defer { lock.unlock() }; let v = slots[i]!; slots[i] = nil; return v }
    func all() -> [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// Row buffers that workers fill in disjoint slices.
private struct RowBuffers: @unchecked Sendable {
    let via: UnsafeMutableBufferPointer<PersonLinker.Via>
    let ids: UnsafeMutableBufferPointer<UInt32>
}
