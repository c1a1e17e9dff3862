import Columnar
import Definitions
import Foundation

/// What probabilistic matching did, for the quality report.
public struct ProbabilisticLinkage: Sendable, Codable, Equatable {
    public var threshold: Double
    /// Distinct (person, encoding) pairs compared, blocks with more than one of them, and blocks
    /// left out because they were too large to compare within (a very common name).
    public var identities = 0
    public var blocks = 0
    public var blocksTooLarge = 0
    /// Pairs of encodings of two different people that share a block (pairs of two people who
    /// both have a valid NHS number are not compared: they are never linked).
    public var candidatePairs = 0
    public var weights: MatchWeights?
    /// Candidate pairs by match probability, in 20 bins of 0.05 (the last holds 0.95 to 1).
    public var scoreHistogram = [Int](repeating: 0, count: 20)
    /// People joined into one, and joins refused: the two had different valid NHS numbers, or
    /// dates of birth that disagree in two parts or more.
    public var links = 0
    public var refusedNHS = 0
    public var refusedBirthDate = 0
    /// Records whose person id came from a probabilistic link (their own key's person joined to
    /// another; a record with no key of its own linked to a person).
    public var recordsLinked = 0
    /// Too few identities to estimate weights from (`ProbabilisticLinker.minimumIdentities`):
    /// people were linked by exact keys only.
    public var tooFewIdentities = false
}

/// Links people that exact keys left apart: encodings sharing a block are compared, the pairs'
/// patterns weighed by Fellegi-Sunter with EM-estimated weights, and people whose encodings match
/// with at least the threshold's probability joined (best first), never two people with valid,
/// different NHS numbers, nor two whose dates of birth disagree.
enum ProbabilisticLinker {
    /// The largest block compared within (pairs grow with its square).
    static let maxBlock = 600
    /// Fewer identities than this give too few pairs to estimate weights from: exact keys only.
    static let minimumIdentities = 500

    /// The linked ids after probabilistic matching, renumbered 1...n in order of their lowest
    /// former id; a record without a key of its own that matched no one keeps no id.
    static func refine(
        _ roles: [PersonLinker.RoleRows], _ linked: PersonLinker.Linked, definition: LinkageDefinition, threads: Int
    ) -> (PersonLinker.Linked, ProbabilisticLinkage) {
        var report = ProbabilisticLinkage(threshold: definition.threshold)
        let encodings = globalEncodings(roles)
        guard encodings.all.count > 1 else { return (linked, report) }
        var clusters = Clusters(people: linked.people)
        let members = clusters.members(roles, linked, encodings: encodings, threads: threads)
        report.identities = members.count
        guard members.count >= minimumIdentities else {
            report.tooFewIdentities = true
            return (linked, report)
        }
        let all = encodings.all
        var found = encodings.windows.withUnsafeBufferPointer { w in
            candidatePairs(members, all, w, clusters, report: &report, threads: threads)
        }
        report.candidatePairs = found.pairs.count
        let patterns = Self.patterns(found.pairs, members, encodings, threads: threads)
        let weights = encodings.windows.withUnsafeBufferPointer { w in estimateWeights(members, all, w, clusters, patterns: patterns) }
        report.weights = weights
        // Each pattern's log odds once; a pair whose full names agree weighs its name's own frequency.
        let logOdds = weights.logOdds(), adjustment = weights.nameAdjustment
        let namesAgree = (0..<MatchPattern.count).map { p in p % 4 == 0 && (p / 4) % 5 == 0 }
        let logPeople = log(Double(max(1, clusters.people + clusters.provisional)))
        var accepted: [(p: Double, pair: UInt64)] = []
        for (k, pair) in found.pairs.enumerated() {
            let p = Int(patterns[k])
            var odds = logOdds[p]
            let named = max(found.nameCount[Int(pair >> 32)], found.nameCount[Int(pair & 0xFFFF_FFFF)])
            if namesAgree[p] && named > 0 { odds += adjustment - (log(Double(named)) - logPeople) }
            let q = 1 / (1 + exp(-odds))
            report.scoreHistogram[min(19, Int(q * 20))] += 1
            if q >= definition.threshold { accepted.append((q, pair)) }
        }
        found.pairs = []
        accepted.sort { $0.p != $1.p ? $0.p > $1.p : $0.pair < $1.pair }
        clusters.noteBirthDates(members, all)
        for a in accepted {
            let (x, y) = (members[Int(a.pair >> 32)], members[Int(a.pair & 0xFFFF_FFFF)])
            switch clusters.join(x.cluster, y.cluster, all) {
            case .joined: report.links += 1
            case .refusedNHS: report.refusedNHS += 1
            case .refusedBirthDate: report.refusedBirthDate += 1
            case .same: break
            }
        }
        let relinked = clusters.renumbered(roles, linked, encodings: encodings, threads: threads)
        report.recordsLinked = relinked.changed
        return (relinked.linked, report)
    }

    /// For each member, how many people share its full name (0 without a forename).
    private static func peopleByName(_ members: [Clusters.Member], _ encodings: [PersonEncoding], threads: Int) -> [UInt32] {
        var entries: [KeyTarget] = []
        for (i, m) in members.enumerated() where encodings[Int(m.enc)].name != 0 {
            entries.append(KeyTarget(key: encodings[Int(m.enc)].name, target: UInt64(i)))
        }
        KeyTarget.sort(&entries, threads: threads)
        var count = [UInt32](repeating: 0, count: members.count)
        var start = 0
        var seen = Set<UInt32>()
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key { end += 1 }
            seen.removeAll(keepingCapacity: true)
            for e in entries[start..<end] { seen.insert(members[Int(e.target)].cluster) }
            for e in entries[start..<end] { count[Int(e.target)] = UInt32(seen.count) }
            start = end
        }
        return count
    }

    /// Each candidate pair's pattern, worked out on `threads` cores.
    private static func patterns(_ pairs: [UInt64], _ members: [Clusters.Member], _ encodings: GlobalEncodings, threads: Int) -> [UInt16] {
        let chunk = max(1 << 16, (pairs.count + threads - 1) / max(threads, 1))
        let starts = Array(stride(from: 0, to: pairs.count, by: chunk))
        let parts = parallelMap(starts, threads: threads) { start -> [UInt16] in
            encodings.windows.withUnsafeBufferPointer { w in
                pairs[start..<min(pairs.count, start + chunk)].map { pair in
                    let (a, b) = (
                        encodings.all[Int(members[Int(pair >> 32)].enc)], encodings.all[Int(members[Int(pair & 0xFFFF_FFFF)].enc)]
                    )
                    return UInt16(MatchPattern.of(a, b, w))
                }
            }
        }
        return parts.flatMap { $0 }
    }

    /// Every pool's encodings, each distinct one once (index 0 unused): a record given twice,
    /// or one identity in several parts, is one encoding.
    struct GlobalEncodings {
        var all = [PersonEncoding()]
        /// Months of birth, 13 tags per encoding that has them (`PersonEncoding.window`).
        var windows: [UInt32] = []
        /// Per pool, each code's global encoding.
        var ofPool: [[UInt32]]
    }

    private static func globalEncodings(_ roles: [PersonLinker.RoleRows]) -> GlobalEncodings {
        let poolCount = (roles.map(\.pool).max() ?? -1) + 1
        var g = GlobalEncodings(ofPool: [[UInt32]](repeating: [], count: poolCount))
        // By a 64-bit hash of everything an encoding holds; a hash met again with other contents
        // (never seen, but possible) keeps the second encoding apart.
        var index = KeyMap(capacity: 1 << 16)
        for r in roles where g.ofPool[r.pool].isEmpty && r.pseudonyms.encodings.count > 1 {
            var map = [UInt32](repeating: 0, count: r.pseudonyms.encodings.count)
            for (code, e) in r.pseudonyms.encodings.enumerated() where code > 0 {
                let key = e.fingerprint
                if let i = index.get(key), g.all[Int(i)].sameContents(e) {
                    map[code] = UInt32(i)
                    continue
                }
                precondition(g.all.count < Int(UInt32.max >> 1), "more than 2^31 distinct identities")
                let i = UInt32(g.all.count)
                var e = e
                if e.window != 0 {
                    let start = Int(e.window) - 1
                    e.window = UInt32(g.windows.count + 1)
                    g.windows += r.pseudonyms.windows[start..<(start + 13)]
                }
                g.all.append(e)
                if index.get(key) == nil { index.set(key, UInt64(i)) }
                map[code] = i
            }
            g.ofPool[r.pool] = map
        }
        return canonical(g)
    }

    /// The encodings in the order of their fingerprints, so that their numbers (and all that
    /// follows from them: members, provisional people, ties) do not depend on how files were cut
    /// into parts or in which order parts were read.
    private static func canonical(_ g: GlobalEncodings) -> GlobalEncodings {
        var keyed = (1..<g.all.count).map { KeyTarget(key: g.all[$0].fingerprint, target: UInt64($0)) }
        KeyTarget.sort(&keyed, threads: 2)
        // Equal fingerprints (two identities, never seen but possible) in their first-read order.
        var k = 0
        while k < keyed.count {
            var end = k + 1
            while end < keyed.count && keyed[end].key == keyed[k].key { end += 1 }
            if end - k > 1 { keyed[k..<end].sort { $0.target < $1.target } }
            k = end
        }
        let order = [0] + keyed.map { Int($0.target) }
        var newIndex = [UInt32](repeating: 0, count: g.all.count)
        for (k, old) in order.enumerated() { newIndex[old] = UInt32(k) }
        var out = GlobalEncodings(ofPool: g.ofPool.map { $0.map { newIndex[Int($0)] } })
        out.all.reserveCapacity(g.all.count)
        for old in order.dropFirst() {
            var e = g.all[old]
            if e.window != 0 {
                let start = Int(e.window) - 1
                e.window = UInt32(out.windows.count + 1)
                out.windows += g.windows[start..<(start + 13)]
            }
            out.all.append(e)
        }
        return out
    }

    /// Pairs of members of different people sharing a block (each pair once, lower member first,
    /// packed as a << 32 | b), leaving out pairs of two people with an NHS number.
    /// Also gives, for each member, how many people share its full name (0 without a forename).
    private static func candidatePairs(
        _ members: [Clusters.Member], _ encodings: [PersonEncoding], _ w: UnsafeBufferPointer<UInt32>, _ clusters: Clusters,
        report: inout ProbabilisticLinkage, threads: Int
    ) -> (pairs: [UInt64], nameCount: [UInt32]) {
        var entries: [KeyTarget] = []
        entries.reserveCapacity(members.count * 2)
        for (i, m) in members.enumerated() {
            let b = encodings[Int(m.enc)].blocks
            for key in [b.0, b.1, b.2, b.3] where key != 0 { entries.append(KeyTarget(key: key, target: UInt64(i))) }
        }
        let nameCount = peopleByName(members, encodings, threads: threads)
        KeyTarget.sort(&entries, threads: threads)
        var pairs: [UInt64] = []
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].key == entries[start].key { end += 1 }
            defer { start = end }
            guard end - start > 1 else { continue }
            report.blocks += 1
            guard end - start <= maxBlock else {
                report.blocksTooLarge += 1
                continue
            }
            for i in start..<end {
                let a = Int(entries[i].target)
                for j in (i + 1)..<end {
                    let b = Int(entries[j].target)
                    let (ca, cb) = (members[a].cluster, members[b].cluster)
                    guard ca != cb, !(clusters.hasNHS[Int(ca)] && clusters.hasNHS[Int(cb)]),
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
        return (unique, nameCount)
    }
}
