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
    enum Via: UInt8, Sendable { case none = 0, nhs, bridged, matchKey, localID, probabilistic }

    /// One role's rows: codes into its source's identifier pool, and the pool's pseudonyms.
    /// Roles read into the same pool give the same `pool` number (its codes mean the same).
    struct RoleRows: Sendable {
        let nhs: [UInt32]
        let matchKey: [UInt32]
        let local: [UInt32]
        let pseudonyms: PoolPseudonyms
        var pool = 0
        /// Per row, the code of its identity's encoding in `pseudonyms.encodings` (0: none);
        /// empty when the role keeps none.
        var identity: [UInt32] = []
        /// Whether the role has a match key or local id at all (false: its rows are keyed by NHS
        /// number or not at all, it is skipped when bridges are built, and `matchKey` and `local`
        /// may be empty).
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
    typealias Linked = (via: [[Via]], people: Int, ids: [[UInt32]])

    static func link(_ roles: [RoleRows], threads: Int = 1) -> Linked {
        // Where an id goes is packed in 64 bits (`KeyTarget`): a row as role << 40 | row under the
        // top bit, a pool's code as pool << 32 | code.
        precondition(
            roles.count < 1 << 23 && roles.allSatisfy { $0.nhs.count < 1 << 40 && $0.pool < 1 << 31 },
            "more roles, rows or pools than a KeyTarget packs")
        let bridges = Bridges(roles, threads: threads)
        // The NHS-number codes each pool's rows use: their keys are worked out once per code, not
        // once per row.
        let poolCount = (roles.map(\.pool).max() ?? -1) + 1
        let poolRoles = (0..<poolCount).map { p in roles.filter { $0.pool == p } }
        let poolCodes = parallelMap(poolRoles, threads: threads, usedCodes)
        var keyed = rowKeys(roles, bridges, threads: threads)
        let via = keyed.map(\.via)
        let pseudonymsOfPool = poolRoles.map { $0.first?.pseudonyms }
        var entries = sortedKeys(pools: pseudonymsOfPool, poolCodes: poolCodes, rows: &keyed, threads: threads)
        keyed = []
        let buckets = KeyTarget.sortByTopByteRanges(&entries.entries, ranges: entries.ranges, threads: threads)
        // Written by several workers at once, each at the targets of its own entries or roles
        // (every pool code and row is the target of one entry at most). Not zeroed first: every
        // pool code a row uses is the target of an entry, and the last pass writes each row not
        // written by then.
        let poolIDs = pseudonymsOfPool.map { p in
            (
                UnsafeMutableBufferPointer<UInt32>.allocate(capacity: p?.bytes.count ?? 0),
                UnsafeMutableBufferPointer<UInt32>.allocate(capacity: p?.nhs.count ?? 0)
            )
        }
        let rowIDs = roles.map { UnsafeMutableBufferPointer<UInt32>.allocate(capacity: $0.nhs.count) }
        defer {
            for (a, b) in poolIDs { a.deallocate(); b.deallocate() }
            for r in rowIDs { r.deallocate() }
        }
        let people = entries.entries.withUnsafeBufferPointer { sorted in
            numberPeople(sorted, buckets: buckets, pools: poolIDs, rows: rowIDs, threads: threads)
        }
        entries.entries = []
        // Rows with an NHS number take their pool code's id; rows without a key, 0. Unchecked: role
        // r writes only its own buffer, rows[r]; the pools' ids are only read.
        nonisolated(unsafe) let (pools, rows) = (poolIDs, rowIDs)
        let ids = parallelMap(Array(roles.indices), threads: threads) { r -> [UInt32] in
            let role = roles[r], out = rows[r]
            let (byBytes, byNumber) = pools[role.pool]
            for i in role.nhs.indices {
                let c = role.nhs[i]
                if c != 0 {
                    out[i] = c & IdentifierPool.nhsFlag != 0 ? byNumber[Int(c & ~IdentifierPool.nhsFlag)] : byBytes[Int(c)]
                } else if via[r][i] == .none {
                    out[i] = 0
                }
            }
            return Array(out)
        }
        return (via, people, ids)
    }

    /// The NHS-based key each local id and match key is seen with (or "ambiguous"), split over
    /// workers by key: worker w owns the keys whose top bits are w.
    struct Bridges: Sendable {
        let bits: Int
        let fromLocal: [KeyMap], fromMatch: [KeyMap]

        init(_ roles: [RoleRows], threads: Int) {
            var shift = 0
            while 1 << (shift + 1) <= max(1, min(threads, 16)) { shift += 1 }
            let bits = shift
            self.bits = bits
            let keepOrMarkAmbiguous: @Sendable (UInt64, UInt64) -> UInt64 = { old, new in old == new ? old : ambiguous }
            let maps = parallelMap(Array(0..<(1 << bits)), threads: threads) { w -> (KeyMap, KeyMap) in
                var local = KeyMap(capacity: 1 << 10), match = KeyMap(capacity: 1 << 10)
                for r in roles where r.hasOtherIdentifiers {
                    for i in r.nhs.indices where r.nhs[i] != 0 {
                        let person = r.pseudonyms(r.nhs[i])
                        if r.local[i] != 0 {
                            let k = r.pseudonyms(r.local[i])
                            if Self.owner(k, bits) == w { local.set(k, person, merge: keepOrMarkAmbiguous) }
                        }
                        if r.matchKey[i] != 0 {
                            let k = r.pseudonyms(r.matchKey[i])
                            if Self.owner(k, bits) == w { match.set(k, person, merge: keepOrMarkAmbiguous) }
                        }
                    }
                }
                return (local, match)
            }
            fromLocal = maps.map(\.0)
            fromMatch = maps.map(\.1)
        }

        @inline(__always) static func owner(_ key: UInt64, _ bits: Int) -> Int {
            bits == 0 ? 0 : Int(truncatingIfNeeded: key >> UInt64(64 - bits))
        }

        /// A row's key and how it was found: its NHS number's; else the NHS-based key its local id
        /// or match key is seen with, when that is one; else its match key; else its local id.
        @inline(__always) func key(_ r: RoleRows, _ i: Int) -> (UInt64, Via) {
            if r.nhs[i] != 0 { return (r.pseudonyms(r.nhs[i]), .nhs) }
            let local = r.local[i] != 0 ? r.pseudonyms(r.local[i]) : 0
            let match = r.matchKey[i] != 0 ? r.pseudonyms(r.matchKey[i]) : 0
            if local != 0, let b = fromLocal[Self.owner(local, bits)].get(local), b != ambiguous { return (b, .bridged) }
            if match != 0, let b = fromMatch[Self.owner(match, bits)].get(match), b != ambiguous { return (b, .bridged) }
            if match != 0 { return (match, .matchKey) }
            if local != 0 { return (local, .localID) }
            return (0, .none)
        }
    }

    /// The NHS-number codes a pool's rows use, each once.
    @Sendable private static func usedCodes(_ poolRoles: [RoleRows]) -> [UInt32] {
        guard let pseudonyms = poolRoles.first?.pseudonyms else { return [] }
        var bytesUsed = [Bool](repeating: false, count: pseudonyms.bytes.count)
        var numbersUsed = [Bool](repeating: false, count: pseudonyms.nhs.count)
        for r in poolRoles {
            for c in r.nhs where c != 0 {
                if c & IdentifierPool.nhsFlag != 0 {
                    numbersUsed[Int(c & ~IdentifierPool.nhsFlag)] = true
                } else {
                    bytesUsed[Int(c)] = true
                }
            }
        }
        var used: [UInt32] = []
        for (c, u) in bytesUsed.enumerated() where u { used.append(UInt32(c)) }
        for (c, u) in numbersUsed.enumerated() where u { used.append(UInt32(c) | IdentifierPool.nhsFlag) }
        return used
    }

    /// Rows without an NHS number: their key and how it was found, once per row; each role's keys
    /// with where their ids go (role << 40 | row).
    private static func rowKeys(_ roles: [RoleRows], _ bridges: Bridges, threads: Int) -> [(targets: [KeyTarget], via: [Via])] {
        parallelMap(Array(roles.indices), threads: threads) { r in
            let role = roles[r]
            var targets: [KeyTarget] = []
            var via = [Via](repeating: .nhs, count: role.nhs.count)
            guard role.hasOtherIdentifiers else {
                for i in role.nhs.indices where role.nhs[i] == 0 { via[i] = .none }
                return ([], via)
            }
            for i in role.nhs.indices where role.nhs[i] == 0 {
                let (k, how) = bridges.key(role, i)
                via[i] = how
                if k != 0 { targets.append(KeyTarget(key: k, target: KeyTarget.rowFlag | UInt64(r) << 40 | UInt64(i))) }
            }
            return (targets, via)
        }
    }

    /// Every key with where its id goes (a pool's NHS code, or a row without one), laid out by top
    /// byte straight from where they are (counted, then written, in pieces on all cores). The rows'
    /// targets are released as they are taken.
    private static func sortedKeys(
        pools: [PoolPseudonyms?], poolCodes: [[UInt32]], rows keyed: inout [(targets: [KeyTarget], via: [Via])],
        threads: Int
    ) -> (entries: [KeyTarget], ranges: [Range<Int>]) {
        let poolCount = pools.count
        var cut: [(segment: Int, rows: Range<Int>)] = []
        for segment in 0..<(poolCount + keyed.count) {
            let n = segment < poolCount ? (pools[segment] == nil ? 0 : poolCodes[segment].count) : keyed[segment - poolCount].targets.count
            for start in stride(from: 0, to: n, by: 1 << 16) { cut.append((segment, start..<min(n, start + 1 << 16))) }
        }
        let pieces = cut
        let rowTargets = keyed.map(\.targets)
        for r in keyed.indices { keyed[r].targets = [] }
        return KeyTarget.laidOutByTopByte(pieces: pieces.count, threads: threads) { i, emit in
            let (segment, rows) = pieces[i]
            if segment < poolCount {
                let pseudonyms = pools[segment].unsafelyUnwrapped, codes = poolCodes[segment]
                for j in rows { emit(KeyTarget(key: pseudonyms(codes[j]), target: UInt64(segment) << 32 | UInt64(codes[j]))) }
            } else {
                let targets = rowTargets[segment - poolCount]
                for j in rows { emit(targets[j]) }
            }
        }
    }

    /// Numbers the distinct keys 1...n in sorted order (each top-byte bucket after the distinct
    /// keys of those before it) and writes each key's id at its targets. Returns n.
    private static func numberPeople(
        _ sorted: UnsafeBufferPointer<KeyTarget>, buckets: [Range<Int>],
        pools: [(UnsafeMutableBufferPointer<UInt32>, UnsafeMutableBufferPointer<UInt32>)],
        rows: [UnsafeMutableBufferPointer<UInt32>], threads: Int
    ) -> Int {
        // Unchecked: each entry's target (a pool code, or a row) is written by the one worker that
        // holds its bucket, and every pool code and row is the target of one entry at most.
        nonisolated(unsafe) let (sorted, pools, rows) = (sorted, pools, rows)
        let counts = parallelMap(buckets, threads: threads) { bucket in
            var n = 0, previous: UInt64 = 0
            for e in sorted[bucket] where e.key != previous || n == 0 { n += 1; previous = e.key }
            return n
        }
        let starts = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
        precondition(starts.last! < Int(UInt32.max), "more distinct people than a 32-bit person id numbers")
        _ = parallelMap(Array(buckets.indices), threads: threads) { b in
            var id = UInt32(starts[b]), previous: UInt64 = 0, first = true
            for e in sorted[buckets[b]] {
                if first || e.key != previous { id += 1; previous = e.key; first = false }
                if e.target & KeyTarget.rowFlag != 0 {
                    rows[Int((e.target & ~KeyTarget.rowFlag) >> 40)][Int(e.target & 0xFF_FFFF_FFFF)] = id
                } else {
                    let p = Int(e.target >> 32), c = UInt32(truncatingIfNeeded: e.target)
                    if c & IdentifierPool.nhsFlag != 0 {
                        pools[p].1[Int(c & ~IdentifierPool.nhsFlag)] = id
                    } else {
                        pools[p].0[Int(c)] = id
                    }
                }
            }
        }
        return starts.last!
    }
}

/// A key and where its id goes: a pool's code (pool << 32 | code), or with `rowFlag` a role's
/// row (role << 40 | row).
struct KeyTarget {
    var key: UInt64
    var target: UInt64
    static let rowFlag: UInt64 = 1 << 63

    /// Sorts each of the 256 ranges of entries sharing a top byte (the rest of the key), on
    /// `threads` cores: no two ranges touch the same entries.
    /// - Parameter shift: the byte the ranges share (`laidOutByTopByte`'s); the bytes below it are sorted.
    static func sortByTopByteRanges(_ entries: inout [KeyTarget], ranges: [Range<Int>], threads: Int, shift: UInt64 = 56) -> [Range<Int>] {
        guard shift > 0 else { return ranges }
        return entries.withUnsafeMutableBufferPointer { a in
            nonisolated(unsafe) let all = UnsafeMutableBufferPointer(start: a.baseAddress, count: a.count)
            let sortRange: @Sendable (Int) -> Void = { b in
                if ranges[b].count > 1 { sort(UnsafeMutableBufferPointer(rebasing: all[ranges[b]]), shift: shift - 8) }
            }
            parallelFor(ranges.count, threads: a.count > 1 << 16 ? threads : 1, sortRange)
            return ranges
        }
    }

    /// Entries produced by `pieces` producers (piece i emits the same entries each time it is
    /// called), laid out by the top byte of their key: each piece is
    /// run twice on one of `threads` cores, once to count its entries per top byte and once to
    /// write them in place. Within a top byte, entries keep piece order.
    /// - Parameter shift: the byte taken as the top one: a lower one when every key is below
    ///   2^(shift + 8) (the bytes above are 0 and would put every entry in one range).
    /// - Returns: the entries and the range of each top byte.
    static func laidOutByTopByte(
        pieces n: Int, threads: Int, shift: UInt64 = 56,
        _ produce: @Sendable (Int, (KeyTarget) -> Void) -> Void
    ) -> (entries: [KeyTarget], ranges: [Range<Int>]) {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: n * 256)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        // Unchecked: piece i counts into (and later advances) its own 256 slots only.
        nonisolated(unsafe) let table = counts
        let run: @Sendable (Int) -> Void = { i in
            let mine = table.baseAddress! + i * 256
            produce(i) { mine[Int(truncatingIfNeeded: $0.key >> shift) & 0xFF] += 1 }
        }
        parallelFor(n, threads: threads, run)
        // Where each piece's entries of each top byte start: top bytes in order, pieces in order within one.
        var ranges: [Range<Int>] = []
        var total = 0
        for d in 0..<256 {
            let start = total
            for i in 0..<n {
                let c = counts[i * 256 + d]
                counts[i * 256 + d] = total
                total += c
            }
            ranges.append(start..<total)
        }
        let entries = [KeyTarget](unsafeUninitializedCapacity: total) { buffer, count in
            // Unchecked: piece i writes from its own start in each top byte's range, as many entries as
            // it counted there, so no two pieces write the same place.
            nonisolated(unsafe) let out = buffer
            let write: @Sendable (Int) -> Void = { i in
                let next = table.baseAddress! + i * 256
                produce(i) { e in
                    let d = Int(truncatingIfNeeded: e.key >> shift) & 0xFF
                    (out.baseAddress! + next[d]).initialize(to: e)
                    next[d] += 1
                }
            }
            parallelFor(n, threads: threads, write)
            count = total
        }
        return (entries, ranges)
    }

    /// The pass itself: `bounds[d] ..< bounds[d + 1]` is then the range of digit d. Nothing is allocated.
    @inline(__always)
    private static func distribute(_ a: UnsafeMutableBufferPointer<KeyTarget>, shift: UInt64, bounds: UnsafeMutablePointer<Int>) {
        @inline(__always) func digit(_ e: KeyTarget) -> Int { Int(truncatingIfNeeded: e.key >> shift) & 0xFF }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 512) { scratch in
            let next = scratch.baseAddress!, end = next + 256
            end.initialize(repeating: 0, count: 256)
            for e in a { end[digit(e)] += 1 }
            var sum = 0
            for d in 0..<256 { next[d] = sum; bounds[d] = sum; sum += end[d]; end[d] = sum }
            bounds[256] = a.count
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
        }
    }

    /// Sorts by the key's bytes from `shift` down: ranges of up to 64 entries by insertion, larger
    /// ones by one distribution pass into 256 buckets by a byte (American flag sort: in place, no
    /// second buffer; 256 write positions stay in cache) and each of its ranges in turn.
    private static func sort(_ a: UnsafeMutableBufferPointer<KeyTarget>, shift: UInt64) {
        let n = a.count
        if n <= 64 {
            for i in 1..<max(1, n) {
                let e = a[i]
                var j = i
                while j > 0 && a[j - 1].key > e.key { a[j] = a[j - 1]; j -= 1 }
                a[j] = e
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 257) { bounds in
            distribute(a, shift: shift, bounds: bounds.baseAddress!)
            guard shift > 0 else { return }
            for d in 0..<256 where bounds[d + 1] - bounds[d] > 1 {
                sort(UnsafeMutableBufferPointer(rebasing: a[bounds[d]..<bounds[d + 1]]), shift: shift - 8)
            }
        }
    }
}
