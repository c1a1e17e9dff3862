import Columnar

extension ProbabilisticLinker {
    /// Pairs of members of different people sharing a block (each pair once, lower member first,
    /// packed as a << 32 | b, in ascending order), leaving out pairs of two people with an NHS
    /// number and pairs whose dates of birth cannot agree. Also gives, for each member, how many
    /// people share its full name (0 without a forename). On `threads` cores: block keys are laid
    /// out and sorted by their top byte, and each run of top bytes is paired apart.
    static func candidatePairs(
        _ members: [Clusters.Member], _ encodings: [PersonEncoding], _ w: UnsafeBufferPointer<UInt32>, _ clusters: Clusters,
        report: inout ProbabilisticLinkage, threads: Int
    ) -> (pairs: [UInt64], nameCount: [UInt32]) {
        let (entries, ranges) = sortedKeys(members: members.count, threads: threads) { encodings[Int(members[$0].enc)].blocks }
        let nameCount = peopleByName(members, encodings, threads: threads)
        let runs = balancedRuns(ranges, threads: threads)
        let hasNHS = clusters.hasNHS
        nonisolated(unsafe) let windows = w
        let found = entries.withUnsafeBufferPointer { e in
            nonisolated(unsafe) let e = e
            return parallelMap(runs, threads: threads) { run in
                pairs(in: UnsafeBufferPointer(rebasing: e[run]), members, encodings, windows, hasNHS)
            }
        }
        for f in found {
            report.blocks += f.blocks
            report.blocksTooLarge += f.tooLarge
        }
        return (mergedUnique(found.map(\.pairs)), nameCount)
    }

    /// The pairs of one run of blocks (sorted, each once) and how many blocks it held, and how many
    /// of them were too large to compare within.
    private static func pairs(
        in entries: UnsafeBufferPointer<KeyTarget>, _ members: [Clusters.Member], _ encodings: [PersonEncoding],
        _ w: UnsafeBufferPointer<UInt32>, _ hasNHS: [Bool]
    ) -> (pairs: [UInt64], blocks: Int, tooLarge: Int) {
        var pairs: [UInt64] = []
        var blocks = 0, tooLarge = 0
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key { end += 1 }
            defer { start = end }
            guard end - start > 1 else { continue }
            blocks += 1
            guard end - start <= maxBlock else {
                tooLarge += 1
                continue
            }
            for i in start..<end {
                let a = Int(entries[i].target)
                for j in (i + 1)..<end {
                    let b = Int(entries[j].target)
                    let (ca, cb) = (members[a].cluster, members[b].cluster)
                    guard ca != cb, !(hasNHS[Int(ca)] && hasNHS[Int(cb)]),
                        MatchPattern.plausible(encodings[Int(members[a].enc)], encodings[Int(members[b].enc)], w)
                    else { continue }
                    pairs.append(UInt64(min(a, b)) << 32 | UInt64(max(a, b)))
                }
            }
        }
        pairs.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(pairs.count)
        for p in pairs where unique.last != p { unique.append(p) }
        return (unique, blocks, tooLarge)
    }

    /// Each member's keys (up to four; 0: none), laid out and sorted by key on `threads` cores,
    /// each with its member as target; and the ranges of their top bytes.
    static func sortedKeys(
        members count: Int, threads: Int, _ keys: @Sendable (Int) -> (UInt64, UInt64, UInt64, UInt64)
    ) -> (entries: [KeyTarget], ranges: [Range<Int>]) {
        let pieces = Array(stride(from: 0, to: count, by: 1 << 16))
        var (entries, ranges) = KeyTarget.laidOutByTopByte(pieces: pieces.count, threads: threads) { i, emit in
            for m in pieces[i]..<min(count, pieces[i] + 1 << 16) {
                // Not an array of the four (an allocation per member).
                let k = keys(m), target = UInt64(m)
                if k.0 != 0 { emit(KeyTarget(key: k.0, target: target)) }
                if k.1 != 0 { emit(KeyTarget(key: k.1, target: target)) }
                if k.2 != 0 { emit(KeyTarget(key: k.2, target: target)) }
                if k.3 != 0 { emit(KeyTarget(key: k.3, target: target)) }
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

    /// Sorted arrays merged into one, each value once.
    static func mergedUnique(_ lists: [[UInt64]]) -> [UInt64] {
        var lists = lists
        while lists.count > 1 {
            var next: [[UInt64]] = []
            for k in stride(from: 0, to: lists.count, by: 2) {
                guard k + 1 < lists.count else {
                    next.append(lists[k])
                    continue
                }
                let (a, b) = (lists[k], lists[k + 1])
                var out: [UInt64] = []
                out.reserveCapacity(a.count + b.count)
                var (i, j) = (0, 0)
                while i < a.count || j < b.count {
                    let v = j >= b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
                    if i < a.count && a[i] == v { i += 1 }
                    if j < b.count && b[j] == v { j += 1 }
                    out.append(v)
                }
                next.append(out)
            }
            lists = next
        }
        return lists.first ?? []
    }

    /// For each member, how many people share its full name (0 without a forename).
    private static func peopleByName(_ members: [Clusters.Member], _ encodings: [PersonEncoding], threads: Int) -> [UInt32] {
        let entries = sortedKeys(members: members.count, threads: threads) { (encodings[Int(members[$0].enc)].name, 0, 0, 0) }.entries
        var count = [UInt32](repeating: 0, count: members.count)
        var start = 0
        var clustersOfName: [UInt32] = []
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key { end += 1 }
            clustersOfName.removeAll(keepingCapacity: true)
            for e in entries[start..<end] { clustersOfName.append(members[Int(e.target)].cluster) }
            clustersOfName.sort()
            var distinct = 0
            for (k, c) in clustersOfName.enumerated() where k == 0 || clustersOfName[k - 1] != c { distinct += 1 }
            for e in entries[start..<end] { count[Int(e.target)] = UInt32(distinct) }
            start = end
        }
        return count
    }
}
