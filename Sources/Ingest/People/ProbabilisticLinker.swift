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
    /// former id (written over `linked`'s); a record without a key of its own that matched no one
    /// keeps no id.
    static func refine(
        _ roles: [PersonLinker.RoleRows], _ linked: inout PersonLinker.Linked, definition: LinkageDefinition, threads: Int
    ) -> ProbabilisticLinkage {
        var report = ProbabilisticLinkage(threshold: definition.threshold)
        let encodings = globalEncodings(roles, threads: threads)
        guard encodings.all.count > 1 else { return report }
        var clusters = Clusters(people: linked.people)
        let members = clusters.members(roles, linked, encodings: encodings, threads: threads)
        report.identities = members.count
        guard members.count >= minimumIdentities else {
            report.tooFewIdentities = true
            return report
        }
        let all = encodings.all
        var found = encodings.windows.withUnsafeBufferPointer { w in
            candidatePairs(members, all, w, clusters, report: &report, threads: threads)
        }
        report.candidatePairs = found.pairs.reduce(0) { $0 + $1.count }
        let weights = encodings.windows.withUnsafeBufferPointer { w in
            estimateWeights(members, all, w, clusters, candidates: found.pairs, threads: threads)
        }
        report.weights = weights
        // Each pattern's log odds once; a pair whose full names agree weighs its name's own frequency.
        let logOdds = weights.logOdds(), adjustment = weights.nameAdjustment
        let namesAgree = (0..<MatchPattern.count).map { p in p % 4 == 0 && (p / 4) % 5 == 0 }
        let logPeople = log(Double(max(1, clusters.people + clusters.provisional)))
        let (nameCount, threshold) = (found.nameCount, definition.threshold)
        // Each run's pairs scored on its own core: a histogram and the pairs accepted.
        let scored = parallelMap(found.pairs, threads: threads) { pairs -> ([Int], [(p: Double, pair: UInt64)]) in
            var histogram = [Int](repeating: 0, count: 20)
            var accepted: [(p: Double, pair: UInt64)] = []
            for candidate in pairs {
                let (p, pair) = (Int(candidate.pattern), candidate.pair)
                var odds = logOdds[p]
                let named = max(nameCount[Int(pair >> 32)], nameCount[Int(pair & 0xFFFF_FFFF)])
                if namesAgree[p] && named > 0 { odds += adjustment - (log(Double(named)) - logPeople) }
                let q = 1 / (1 + exp(-odds))
                histogram[min(19, Int(q * 20))] += 1
                if q >= threshold { accepted.append((q, pair)) }
            }
            return (histogram, accepted)
        }
        var accepted: [(p: Double, pair: UInt64)] = []
        for (histogram, some) in scored {
            for k in histogram.indices { report.scoreHistogram[k] += histogram[k] }
            accepted += some
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
        report.recordsLinked = clusters.renumber(roles, &linked, encodings: encodings, threads: threads)
        return report
    }
}
