import CPrefetch
import Columnar

extension ProbabilisticLinker {
    /// Random pairs drawn to stand for the pairs no block holds (and to count u).
    static let randomPairs = 200_000
    /// Identities of one person taken, at most, for the pairs m starts from.
    static let labelledPerPerson = 12

    /// The weights, by EM over every pair of identities of two people that may be one: the
    /// candidates, and random pairs standing for the rest (see `MatchWeights`). The random pairs
    /// and the labelled pairs m starts from are counted side by side.
    static func estimateWeights(
        _ members: [Clusters.Member], _ all: [PersonEncoding], _ w: UnsafeBufferPointer<UInt32>, _ clusters: Clusters,
        candidates: [[Candidate]], threads: Int
    ) -> MatchWeights {
        var candidateCounts = [Double](repeating: 0, count: MatchPattern.count)
        for c in candidates.joined() { candidateCounts[Int(c.pattern)] += 1 }
        let candidateCount = candidates.reduce(0) { $0 + $1.count }
        let hasNHS = clusters.hasNHS
        nonisolated(unsafe) let windows = w
        // The random pairs (one sequence of draws) beside the labelled ones in pieces of people.
        let pieces =
            [0..<0] + groupedRanges(count: members.count, parts: 4 * max(1, threads)) { members[$0].cluster == members[$0 - 1].cluster }
        let tallies = parallelMap(pieces, threads: threads) { piece in
            piece.isEmpty
                ? randomCounts(members, all, windows, hasNHS)
                : labelledCounts(members[piece], all, windows, hasNHS)
        }
        let random = tallies[0]
        var labelled = Tally()
        labelled.numbers = [0]
        for t in tallies.dropFirst() {
            for p in t.counts.indices { labelled.counts[p] += t.counts[p] }
            labelled.numbers[0] += t.numbers[0]
        }
        let (drawn, attempts, outsideBlocks) = (random.numbers[0], random.numbers[1], random.numbers[2])
        // The pairs of identities of two people that may be one, about: all pairs, less those of one
        // person, less those of two NHS numbers, in the share the draws found.
        let n = members.count
        let allPairs = Double(n) * Double(n - 1) / 2
        let eligible = attempts == 0 ? 0 : allPairs * Double(drawn) / Double(attempts)
        let standsFor = outsideBlocks == 0 ? 0 : max(0, eligible - Double(candidateCount)) / Double(outsideBlocks)
        var weights = candidateCounts
        for p in weights.indices { weights[p] += random.counts[p] * standsFor }
        let start = MatchWeights(
            lambda: max(1e-12, min(0.5, 0.5 * Double(candidateCount) / max(eligible, 1))),
            m: MatchWeights.shares(MatchWeights.levelCounts(labelled.counts)),
            u: MatchWeights.shares(MatchWeights.levelCounts(random.counts)),
            labelledPairs: labelled.numbers[0], randomPairs: outsideBlocks)
        var estimated = MatchWeights.estimate(pairs: weights, start: start)
        estimated.labelledPairs = labelled.numbers[0]
        estimated.randomPairs = outsideBlocks
        return estimated
    }

    /// Pattern counts, and the numbers that go with them.
    struct Tally: Sendable {
        var counts = [Double](repeating: 0, count: MatchPattern.count)
        var numbers: [Int] = []
    }

    /// Pattern counts over random pairs of two people that may be one (not one already, not two
    /// NHS numbers) that no block holds (a candidate pair is counted as one); numbers: pairs drawn,
    /// draws made, pairs counted.
    static func randomCounts(
        _ members: [Clusters.Member], _ all: [PersonEncoding], _ w: UnsafeBufferPointer<UInt32>, _ hasNHS: [Bool]
    ) -> Tally {
        var tally = Tally()
        let n = members.count
        var drawn = 0, outsideBlocks = 0
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: (state >> 33) % UInt64(max(n, 1)))
        }
        // The draws are made a batch ahead, so that each draw's members are asked for 16 draws
        // before it and their encodings 8 before (by then the members are in cache).
        var batch: [Int] = []
        var at = 0
        var attempts = 0
        while drawn < randomPairs && attempts < randomPairs * 4 && n > 1 {
            if at == batch.count {
                batch.removeAll(keepingCapacity: true)
                for _ in 0..<(2 * 256) { batch.append(next()) }
                at = 0
                for k in stride(from: 0, to: min(batch.count, 32), by: 1) { prefetchMember(batch[k]) }
                for k in stride(from: 0, to: min(batch.count, 16), by: 1) { prefetchEncoding(batch[k]) }
            }
            if at + 32 < batch.count { prefetchMember(batch[at + 32]); prefetchMember(batch[at + 33]) }
            if at + 16 < batch.count { prefetchEncoding(batch[at + 16]); prefetchEncoding(batch[at + 17]) }
            attempts += 1
            let (a, b) = (batch[at], batch[at + 1])
            at += 2
            let (x, y) = (members[a], members[b])
            guard x.cluster != y.cluster, !(hasNHS[Int(x.cluster)] && hasNHS[Int(y.cluster)]) else { continue }
            drawn += 1
            let (ea, eb) = (all[Int(x.enc)], all[Int(y.enc)])
            if isCandidate(ea, eb, w) { continue }
            outsideBlocks += 1
            tally.counts[MatchPattern.of(ea, eb, w)] += 1
        }
        tally.numbers = [drawn, attempts, outsideBlocks]
        return tally

        func prefetchMember(_ m: Int) { members.withUnsafeBufferPointer { pp_prefetch($0.baseAddress! + m) } }
        func prefetchEncoding(_ m: Int) { all.withUnsafeBufferPointer { prefetch($0.baseAddress! + Int(members[m].enc)) } }
    }

    /// Whether a pair is compared: it shares a block and is `MatchPattern.plausible`.
    @inline(__always)
    static func isCandidate(_ a: PersonEncoding, _ b: PersonEncoding, _ w: UnsafeBufferPointer<UInt32>) -> Bool {
        // The name-and-year keys (two for months of birth across two years) against each other.
        let (a0, a3, b0, b3) = (a.blocks.0, a.blocks.3, b.blocks.0, b.blocks.3)
        let named = a0 != 0 && (a0 == b0 || a0 == b3) || a3 != 0 && (a3 == b0 || a3 == b3)
        let shared = named || (a.blocks.1 != 0 && a.blocks.1 == b.blocks.1) || (a.blocks.2 != 0 && a.blocks.2 == b.blocks.2)
        return shared && MatchPattern.plausible(a, b, w)
    }

    /// Pattern counts over pairs of identities of one person that an NHS number joined (up to
    /// `labelledPerPerson` of the person's identities), each identity also paired with itself
    /// (two records that give it agree in every field they give). Counted by identity, not by
    /// record, so a record given twice (a drop sent again) changes nothing. Numbers: the pairs.
    static func labelledCounts(
        _ members: ArraySlice<Clusters.Member>, _ all: [PersonEncoding], _ w: UnsafeBufferPointer<UInt32>, _ hasNHS: [Bool]
    ) -> Tally {
        var tally = Tally()
        var pairs = 0
        var start = members.startIndex
        var mine: [UInt32] = []
        while start < members.endIndex {
            var end = start + 1
            while end < members.endIndex && members[end].cluster == members[start].cluster { end += 1 }
            defer { start = end }
            guard hasNHS[Int(members[start].cluster)] else { continue }
            mine.removeAll(keepingCapacity: true)
            for m in members[start..<end] where m.nhsDirect && mine.count < labelledPerPerson { mine.append(m.enc) }
            for i in mine.indices {
                for j in i..<mine.count {
                    tally.counts[MatchPattern.of(all[Int(mine[i])], all[Int(mine[j])], w)] += 1
                    pairs += 1
                }
            }
        }
        tally.numbers = [pairs]
        return tally
    }
}
