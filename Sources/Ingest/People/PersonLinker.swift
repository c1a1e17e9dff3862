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
        /// Whether the role has a match key or local id at all (false: its rows are keyed by NHS
        /// number or not at all, and it is skipped when bridges are built).
        var hasOtherIdentifiers = true
    }

    private static let ambiguous = UInt64.max

    /// How each row of each role was keyed, the number of distinct people, and each row's person id.
    ///
    /// The bridge tables are split over `threads` by key (worker w owns the keys whose top bits are
    /// w). Rows with an NHS number are keyed once per distinct code of their pool; rows without one
    /// once each. Every key, with where its id goes, is then sorted once: ids are the ranks of the
    /// distinct keys, the same however the work was split.
    /// - Complexity: O(rows × threads) cheap scans for the bridges, O(rows) array work, and an
    ///   in-place sort of the keys (one per pool code and per row without an NHS number).
    static func link(_ roles: [RoleRows], threads: Int = 1) -> (via: [[Via]], people: Int, ids: [[UInt32]]) {
        var shift = 0
        while 1 << (shift + 1) <= max(1, min(threads, 16)) { shift += 1 }
        let bits = shift, partitions = 1 << bits
        @Sendable @inline(__always)
        func owner(_ key: UInt64) -> Int { bits == 0 ? 0 : Int(truncatingIfNeeded: key >> UInt64(64 - bits)) }
        let keepOrMarkAmbiguous: @Sendable (UInt64, UInt64) -> UInt64 = { old, new in old == new ? old : ambiguous }

        // Bridges: the NHS-based key each local id and match key is seen with (or "ambiguous").
        let fromLocal = Slots<KeyMap>(count: partitions), fromMatch = Slots<KeyMap>(count: partitions)
        DispatchQueue.concurrentPerform(iterations: partitions) { w in
            var local = KeyMap(capacity: 1 << 10), match = KeyMap(capacity: 1 << 10)
            for r in roles where r.hasOtherIdentifiers {
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
        let usedCodes = Slots<[UInt32]>(count: poolCount)
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
        // Rows without an NHS number: their key and how it was found, once per row; each role's
        // keys with where their ids go.
        let rowKeys = Slots<([KeyTarget], [Via])>(count: roles.count)
        DispatchQueue.concurrentPerform(iterations: roles.count) { r in
            let role = roles[r]
            var targets: [KeyTarget] = []
            var via = [Via](repeating: .nhs, count: role.nhs.count)
            guard role.hasOtherIdentifiers else {
                for i in role.nhs.indices where role.nhs[i] == 0 { via[i] = .none }
                rowKeys.set(r, ([], via))
                return
            }
            for i in role.nhs.indices where role.nhs[i] == 0 {
                let (k, how) = key(role, i)
                via[i] = how
                if k != 0 { targets.append(KeyTarget(key: k, target: KeyTarget.rowFlag | UInt64(r) << 40 | UInt64(i))) }
            }
            rowKeys.set(r, (targets, via))
        }
        var keyed = rowKeys.all()
        // Every key with where its id goes (a pool's NHS code, or a row without one), sorted by
        // key: ids are the ranks of the distinct keys, so they do not depend on how work was split.
        var entries: [KeyTarget] = []
        entries.reserveCapacity(poolCodes.reduce(0) { $0 + $1.count } + keyed.reduce(0) { $0 + $1.0.count })
        for p in 0..<poolCount {
            guard let pseudonyms = poolRoles[p].first?.pseudonyms else { continue }
            for c in poolCodes[p] { entries.append(KeyTarget(key: pseudonyms(c), target: UInt64(p) << 32 | UInt64(c))) }
        }
        for r in keyed.indices {
            entries += keyed[r].0
            keyed[r].0 = []
        }
        // Sorted in parallel by top byte; ids are then handed out range by range (a key never
        // spans two ranges), each range starting after the distinct keys of those before it.
        let buckets = KeyTarget.sort(&entries, threads: threads)
        // Written by several workers at once, each at the targets of its own entries or roles
        // (every pool code and row is the target of one entry at most).
        nonisolated(unsafe) let poolIDs = (0..<poolCount).map { p -> (UnsafeMutableBufferPointer<UInt32>, UnsafeMutableBufferPointer<UInt32>) in
            let pseudonyms = poolRoles[p].first?.pseudonyms
            return (.zeroed(pseudonyms?.bytes.count ?? 0), .zeroed(pseudonyms?.nhs.count ?? 0))
        }
        // Each role's ids are written straight into the array returned for it.
        var ids: [[UInt32]] = []
        var idBases: [UnsafeMutablePointer<UInt32>?] = []
        for role in roles {
            var base: UnsafeMutablePointer<UInt32>?
            ids.append([UInt32](unsafeUninitializedCapacity: role.nhs.count) { buffer, count in
                buffer.initialize(repeating: 0)
                base = buffer.baseAddress
                count = role.nhs.count
            })
            idBases.append(base)
        }
        nonisolated(unsafe) let rowIDs = idBases
        defer { for (a, b) in poolIDs { a.deallocate(); b.deallocate() } }
        let distinctBefore = Slots<Int>(count: buckets.count)
        let people = entries.withUnsafeBufferPointer { all -> Int in
            nonisolated(unsafe) let sorted = all
            DispatchQueue.concurrentPerform(iterations: buckets.count) { b in
                var n = 0, previous: UInt64 = 0
                for e in sorted[buckets[b]] where e.key != previous || n == 0 { n += 1; previous = e.key }
                distinctBefore.set(b, n)
            }
            let counts = distinctBefore.all()
            let starts = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
            DispatchQueue.concurrentPerform(iterations: buckets.count) { b in
                var id = UInt32(starts[b]), previous: UInt64 = 0, first = true
                for e in sorted[buckets[b]] {
                    if first || e.key != previous { id += 1; previous = e.key; first = false }
                    if e.target & KeyTarget.rowFlag != 0 {
                        rowIDs[Int((e.target & ~KeyTarget.rowFlag) >> 40)]![Int(e.target & 0xFF_FFFF_FFFF)] = id
                    } else {
                        let p = Int(e.target >> 32), c = UInt32(truncatingIfNeeded: e.target)
                        if c & IdentifierPool.nhsFlag != 0 { poolIDs[p].1[Int(c & ~IdentifierPool.nhsFlag)] = id } else { poolIDs[p].0[Int(c)] = id }
                    }
                }
            }
            return starts.last!
        }
        entries = []
        // Rows with an NHS number take their pool code's id.
        DispatchQueue.concurrentPerform(iterations: roles.count) { r in
            let role = roles[r]
            guard let out = rowIDs[r] else { return }
            let (byBytes, byNumber) = poolIDs[role.pool]
            for i in role.nhs.indices {
                let c = role.nhs[i]
                if c != 0 { out[i] = c & IdentifierPool.nhsFlag != 0 ? byNumber[Int(c & ~IdentifierPool.nhsFlag)] : byBytes[Int(c)] }
            }
        }
        var via: [[Via]] = []
        for r in roles.indices {
            via.append(keyed[r].1)
            keyed[r].1 = []
        }
        return (via, people, ids)
    }
}

/// A key and where its id goes: a pool's code (pool << 32 | code), or with `rowFlag` a role's
/// row (role << 40 | row).
struct KeyTarget {
    var key: UInt64
    var target: UInt64
    static let rowFlag: UInt64 = 1 << 63

    /// Sorts by key in place: most significant byte first, each range distributed into 256
    /// buckets by one byte (American flag sort: no second buffer; 256 write positions stay in
    /// cache), down to ranges of a few dozen, which are sorted by insertion. After the first
    /// byte's pass the 256 ranges are sorted on `threads` cores.
    /// - Returns: the ranges of entries by their key's top byte (no key spans two).
    @discardableResult
    static func sort(_ entries: inout [KeyTarget], threads: Int = 1) -> [Range<Int>] {
        entries.withUnsafeMutableBufferPointer { a in
            let ranges = distribute(a, shift: 56)
            let all = UnsafeMutableBufferPointer(start: a.baseAddress, count: a.count)
            let sortRange: (Int) -> Void = { b in
                if ranges[b].count > 1 { sort(UnsafeMutableBufferPointer(rebasing: all[ranges[b]]), shift: 48) }
            }
            if threads > 1 && a.count > 1 << 16 {
                // Each worker sorts its own ranges: no two touch the same entries.
                nonisolated(unsafe) let work = sortRange
                DispatchQueue.concurrentPerform(iterations: ranges.count) { work($0) }
            } else {
                for b in ranges.indices { sortRange(b) }
            }
            return ranges
        }
    }

    /// One pass of the American flag sort on the byte at `shift`: the 256 ranges it leaves.
    private static func distribute(_ a: UnsafeMutableBufferPointer<KeyTarget>, shift: UInt64) -> [Range<Int>] {
        let n = a.count
        @inline(__always) func digit(_ e: KeyTarget) -> Int { Int(truncatingIfNeeded: e.key >> shift) & 0xFF }
        var next = [Int](repeating: 0, count: 257)
        var end = [Int](repeating: 0, count: 256)
        for e in a { end[digit(e)] += 1 }
        var sum = 0
        for d in 0..<256 { next[d] = sum; sum += end[d]; end[d] = sum }
        next[256] = n
        let start = next
        for b in 0..<256 {
            while next[b] < end[b] {
                var e = a[next[b]]
                var d = digit(e)
                while d != b {
                    swap(&e, &a[next[d]])
                    next[d] += 1
                    d = digit(e)
                }
                a[next[b]] = e
                next[b] += 1
            }
        }
        return (0..<256).map { start[$0]..<end[$0] }
    }

    private static func sort(_ a: UnsafeMutableBufferPointer<KeyTarget>, shift: UInt64) {
        let n = a.count
        if n <= 32 {
            for i in 1..<max(1, n) {
                let e = a[i]
                var j = i
                while j > 0 && a[j - 1].key > e.key { a[j] = a[j - 1]; j -= 1 }
                a[j] = e
            }
            return
        }
        let ranges = distribute(a, shift: shift)
        guard shift > 0 else { return }
        for r in ranges where r.count > 1 {
            sort(UnsafeMutableBufferPointer(rebasing: a[r]), shift: shift - 8)
        }
    }
}

extension UnsafeMutableBufferPointer<UInt32> {
    /// A new buffer of `count` zeros (deallocated by the caller).
    static func zeroed(_ count: Int) -> UnsafeMutableBufferPointer<UInt32> {
        let b = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
        b.initialize(repeating: 0)
        return b
    }
}
