import CPrefetch
import Columnar

extension ProbabilisticLinker {
    /// A pair of members (lower member first, packed as a << 32 | b) and its `MatchPattern`.
    struct Candidate {
        var pair: UInt64
        var pattern: UInt16
    }

    /// Pairs of members of different people sharing a block (each pair once, in the blocks'
    /// order, a list per run of blocks), with their patterns, leaving out pairs of two people with an NHS number and pairs
    /// whose dates of birth cannot agree. Also gives, for each member, how many people share its
    /// full name (0 without a forename). On `threads` cores: block keys are laid out and sorted by
    /// their top byte, and each run of top bytes is paired apart.
    static func candidatePairs(
        _ members: [Clusters.Member], _ encodings: [PersonEncoding], _ w: UnsafeBufferPointer<UInt32>, _ clusters: Clusters,
        report: inout ProbabilisticLinkage, threads: Int
    ) -> (pairs: [[Candidate]], nameCount: [UInt32]) {
        let keys = memberKeys(members, encodings, threads: threads)
        let (entries, ranges) = sortedKeys(members: members.count, threads: threads) { keys[$0].blocks }
        let nameCount = peopleByName(members, keys, threads: threads)
        // The blocks too large to compare within, in order (a few very common names at most).
        var tooLarge: [UInt64] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key { end += 1 }
            if end - start > 1 { report.blocks += 1 }
            if end - start > maxBlock { tooLarge.append(entries[start].key) }
            start = end
        }
        report.blocksTooLarge = tooLarge.count
        let runs = balancedRuns(ranges, threads: threads)
        let (hasNHS, skipped) = (clusters.hasNHS, tooLarge)
        nonisolated(unsafe) let windows = w
        let found = entries.withUnsafeBufferPointer { e in
            members.withUnsafeBufferPointer { m in
                encodings.withUnsafeBufferPointer { enc in
                    // Unchecked: read only.
                    nonisolated(unsafe) let (e, m, enc) = (e, m, enc)
                    return parallelMap(runs, threads: threads) { run in
                        pairs(in: UnsafeBufferPointer(rebasing: e[run]), m, enc, windows, hasNHS, tooLarge: skipped)
                    }
                }
            }
        }
        return (found, nameCount)
    }

    /// The pairs of one run of blocks with their patterns, worked out while both encodings are in
    /// cache. A pair sharing several blocks is taken in the one of lowest key that is compared
    /// within, so each pair comes once, with no sort.
    private static func pairs(
        in entries: UnsafeBufferPointer<KeyTarget>, _ members: UnsafeBufferPointer<Clusters.Member>,
        _ encodings: UnsafeBufferPointer<PersonEncoding>, _ w: UnsafeBufferPointer<UInt32>, _ hasNHS: [Bool], tooLarge: [UInt64]
    ) -> [Candidate] {
        var pairs: [Candidate] = []
        // Entries' members are asked for 32 entries ahead, and their encodings 16 ahead (by then
        // the member is in cache): blocks are small, and each entry's member and encoding are
        // somewhere in a large table.
        var memberAsked = 0, encodingAsked = 0
        var start = 0
        while start < entries.count {
            var end = start + 1
            let key = entries[start].key
            while end < entries.count && entries[end].key == key { end += 1 }
            defer { start = end }
            while memberAsked < min(entries.count, end + 32) {
                pp_prefetch(members.baseAddress! + Int(entries[memberAsked].target))
                memberAsked += 1
            }
            while encodingAsked < min(entries.count, end + 16) {
                prefetch(encodings.baseAddress! + Int(members[Int(entries[encodingAsked].target)].enc))
                encodingAsked += 1
            }
            guard end - start > 1, end - start <= maxBlock else { continue }
            for i in start..<end {
                let a = Int(entries[i].target)
                for j in (i + 1)..<end {
                    let b = Int(entries[j].target)
                    let (ca, cb) = (members[a].cluster, members[b].cluster)
                    guard ca != cb, !(hasNHS[Int(ca)] && hasNHS[Int(cb)]) else { continue }
                    let (ea, eb) = (encodings[Int(members[a].enc)], encodings[Int(members[b].enc)])
                    guard !sharesEarlierBlock(ea.blocks, eb.blocks, than: key, tooLarge), MatchPattern.plausible(ea, eb, w) else {
                        continue
                    }
                    let pattern = a < b ? MatchPattern.of(ea, eb, w) : MatchPattern.of(eb, ea, w)
                    pairs.append(Candidate(pair: UInt64(min(a, b)) << 32 | UInt64(max(a, b)), pattern: UInt16(pattern)))
                }
            }
        }
        return pairs
    }

    /// Asks for every cache line of an encoding (it spans two or three).
    @inline(__always)
    static func prefetch(_ encoding: UnsafePointer<PersonEncoding>) {
        let e = UnsafeRawPointer(encoding)
        pp_prefetch(e)
        pp_prefetch(e + 64)
        pp_prefetch(e + MemoryLayout<PersonEncoding>.size - 1)
    }

    /// Whether two members share a block of lower key than `key` that is compared within (not
    /// too large): the pair is taken there.
    @inline(__always)
    private static func sharesEarlierBlock(
        _ a: (UInt64, UInt64, UInt64, UInt64), _ b: (UInt64, UInt64, UInt64, UInt64), than key: UInt64, _ tooLarge: [UInt64]
    ) -> Bool {
        @inline(__always) func earlier(_ k: UInt64) -> Bool {
            k != 0 && k < key && (k == b.0 || k == b.1 || k == b.2 || k == b.3) && (tooLarge.isEmpty || !tooLarge.contains(k))
        }
        return earlier(a.0) || earlier(a.1) || earlier(a.2) || earlier(a.3)
    }

    /// Each member's keys (up to four; 0: none), laid out and sorted by key on `threads` cores,
    /// each with `target` of its member (by default the member); and the ranges of their top bytes.
    static func sortedKeys(
        members count: Int, threads: Int, target: @Sendable (Int) -> UInt64 = { UInt64($0) },
        _ keys: @Sendable (Int) -> (UInt64, UInt64, UInt64, UInt64)
    ) -> (entries: [KeyTarget], ranges: [Range<Int>]) {
        let pieces = Array(stride(from: 0, to: count, by: 1 << 16))
        var (entries, ranges) = KeyTarget.laidOutByTopByte(pieces: pieces.count, threads: threads) { i, emit in
            for m in pieces[i]..<min(count, pieces[i] + 1 << 16) {
                // Not an array of the four (an allocation per member).
                let k = keys(m), target = target(m)
                // Each key once (a member twice in one block would meet each of its partners twice).
                if k.0 != 0 { emit(KeyTarget(key: k.0, target: target)) }
                if k.1 != 0 && k.1 != k.0 { emit(KeyTarget(key: k.1, target: target)) }
                if k.2 != 0 && k.2 != k.0 && k.2 != k.1 { emit(KeyTarget(key: k.2, target: target)) }
                if k.3 != 0 && k.3 != k.0 && k.3 != k.1 && k.3 != k.2 { emit(KeyTarget(key: k.3, target: target)) }
            }
        }
        ranges = KeyTarget.sortByTopByteRanges(&entries, ranges: ranges, threads: threads)
        return (entries, ranges)
    }

    /// Contiguous runs of the 256 top-byte ranges of about equal entries, four per core so that
    /// uneven ones balance.
    static func balancedRuns(_ ranges: [Range<Int>], threads: Int) -> [Range<Int>] {
        let count = 4 * max(1, threads)
        let total = ranges.last?.upperBound ?? 0
        let target = max(1, (total + count - 1) / count)
        var runs: [Range<Int>] = []
        var start = 0
        for r in ranges where r.upperBound - start >= target {
            runs.append(start..<r.upperBound)
            start = r.upperBound
        }
        if start < total { runs.append(start..<total) }
        return runs
    }

    /// Each member's block keys and keyed full name, side by side in member order (read twice
    /// each in turn, where the encodings would be read in no order).
    private static func memberKeys(_ members: [Clusters.Member], _ encodings: [PersonEncoding], threads: Int) -> [MemberKeys] {
        let piece = 1 << 16
        return [MemberKeys](unsafeUninitializedCapacity: members.count) { keys, initialized in
            // Unchecked: each piece writes its own members' places.
            nonisolated(unsafe) let keys = keys
            parallelFor((members.count + piece - 1) / piece, threads: threads) { p in
                for m in (p * piece)..<min(members.count, (p + 1) * piece) {
                    let e = encodings[Int(members[m].enc)]
                    keys.initializeElement(at: m, to: MemberKeys(blocks: e.blocks, name: e.name))
                }
            }
            initialized = members.count
        }
    }

    struct MemberKeys {
        var blocks: (UInt64, UInt64, UInt64, UInt64)
        var name: UInt64
    }

    /// For each member, how many people share its full name (0 without a forename); names are
    /// counted on `threads` cores, each run of top bytes apart (a name's members are in one).
    private static func peopleByName(_ members: [Clusters.Member], _ keys: [MemberKeys], threads: Int) -> [UInt32] {
        // Each entry's target holds its member's person above the member, so that a name's people
        // are counted from its entries alone.
        let (entries, ranges) = sortedKeys(
            members: members.count, threads: threads, target: { UInt64(members[$0].cluster) << 32 | UInt64($0) }
        ) {
            (keys[$0].name, 0, 0, 0)
        }
        var count = [UInt32](repeating: 0, count: members.count)
        let runs = balancedRuns(ranges, threads: threads)
        entries.withUnsafeBufferPointer { entries in
            count.withUnsafeMutableBufferPointer { count in
                // Unchecked: a member has one name, so one entry, in one run: runs write apart.
                nonisolated(unsafe) let (entries, count) = (entries, count)
                parallelFor(runs.count, threads: threads) { r in
                    var clustersOfName: [UInt32] = []
                    var start = runs[r].lowerBound
                    while start < runs[r].upperBound {
                        var end = start + 1
                        while end < runs[r].upperBound && entries[end].key == entries[start].key { end += 1 }
                        clustersOfName.removeAll(keepingCapacity: true)
                        for e in entries[start..<end] { clustersOfName.append(UInt32(truncatingIfNeeded: e.target >> 32)) }
                        clustersOfName.sort()
                        var distinct = 0
                        for (k, c) in clustersOfName.enumerated() where k == 0 || clustersOfName[k - 1] != c { distinct += 1 }
                        for e in entries[start..<end] { count[Int(e.target & 0xFFFF_FFFF)] = UInt32(distinct) }
                        start = end
                    }
                }
            }
        }
        return count
    }
}
