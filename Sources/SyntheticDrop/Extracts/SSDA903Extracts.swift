/// The children who became looked after, written as the council's SSDA903 return: those whose
/// referral's outcome was "Became looked after" (from a few days later); weeks later, about one in
/// eight of those whose referral went to a section 47 strategy discussion, and three in ten of
/// those referred with exploitation factors whose referral went to an assessment or a strategy
/// discussion (adolescents come into care for their safety, or on remand). Written `ssda903_header.csv` (one row per child) and
/// `ssda903_episodes.csv` (one row per episode of care), in the DfE's columns and codes. The child's
/// id is the case system's person id of the other children's extracts, the date of birth the true
/// one. Written only when asked (`--ssda903`), from the referrals alone, so the other files of a
/// drop are the same bytes with or without it.
extension ExtractWriter {
    static let ssda903Header = "ssda903_header"
    static let ssda903Episodes = "ssda903_episodes"
    /// The referral outcomes that start a period of care, or may (`Codes.referralOutcomes`).
    private static let (becameLookedAfter, strategyDiscussion, assessment): (UInt8, UInt8, UInt8) = (4, 3, 2)
    /// Child sexual and criminal exploitation, gangs, trafficking (bits of `ReferralRow.factors`).
    private static let exploitationFactors = [Codes.Factor.cse, Codes.Factor.cce, Codes.Factor.gangs, Codes.Factor.trafficking]
        .reduce(UInt32(0)) { $0 | (1 << UInt32($1)) }
    /// Purpose of the per-child random streams (apart from the identity streams, 100 and up).
    private static let ssda903Stream: UInt64 = 903

    /// One episode of care, as the return writes it.
    struct CareEpisode {
        var start: Int
        var reason: String
        var legalStatus: String
        var need: String
        var placement: String
        var provider: String
        var end: Int?
        var ceased: String
        var placementChange: String
    }

    func writeSSDA903(_ referrals: [ReferralRow]) throws -> [WrittenFile] {
        // Each child's first way into care: the referral and the days from it to the first episode.
        var firstEntry: [Int: (referral: ReferralRow, delay: Int)] = [:]
        for (i, r) in referrals.enumerated() where [Self.becameLookedAfter, Self.strategyDiscussion, Self.assessment].contains(r.outcome) {
            var rng = SeededRandom(seed: seed, stream: UInt64(i), purpose: Self.ssda903Stream + 2)
            let exploited = r.factors & Self.exploitationFactors != 0
            let chance = exploited ? 0.3 : (r.outcome == Self.strategyDiscussion ? 0.12 : 0)
            let delay = r.outcome == Self.becameLookedAfter ? rng.int(0...14) : (rng.chance(chance) ? rng.int(20...120) : -1)
            guard delay >= 0 else { continue }
            if let seen = firstEntry[Int(r.person)], Int(seen.referral.day) + seen.delay <= Int(r.day) + delay { continue }
            firstEntry[Int(r.person)] = (r, delay)
        }
        let children = firstEntry.keys.sorted()
        var episodes: [(child: Int, CareEpisode)] = []
        var kept: [Int] = []
        for child in children {
            var rng = SeededRandom(seed: seed, stream: UInt64(child), purpose: Self.ssda903Stream)
            let entry = firstEntry[child]!
            let period = periodOfCare(child: child, entry: entry.referral, start: Int(entry.referral.day) + entry.delay, &rng)
            guard !period.isEmpty else { continue }
            kept.append(child)
            episodes += period.map { (child, $0) }
        }
        return [try writeHeader(kept), try writeEpisodes(episodes)]
    }

    private func writeHeader(_ children: [Int]) throws -> WrittenFile {
        let w = try open(stem: Self.ssda903Header)
        w.header(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"])
        for child in children {
            var rng = SeededRandom(seed: seed, stream: UInt64(child), purpose: Self.ssda903Stream + 1)
            let female = identity.sex(child)
            truth?.note(w, .child, child)
            w.field(IdentityPresenter.localID(child, prefix: "P", digits: 7, salt: 11))
            w.field(female ? "F" : "M")
            w.date(Int(population.people[child].birth), .ukSlash)
            w.field(rng.chance(0.04) ? Ethnicity.notStated.dfe : Ethnicity.groups[Int(population.people[child].ethnicity)].dfe)
            w.empty()
            let motherAge = population.age(child, on: end)
            if female && motherAge >= 12 { w.field(rng.chance(0.02) ? "1" : "0") } else { w.empty() }
            w.empty()
            w.endRow()
        }
        return try finish(w, stem: Self.ssda903Header)
    }

    private func writeEpisodes(_ episodes: [(child: Int, CareEpisode)]) throws -> WrittenFile {
        let w = try open(stem: Self.ssda903Episodes)
        w.header([
            "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
            "HOME_POST", "PL_POST", "URN",
        ])
        for (child, e) in episodes.sorted(by: { ($0.1.start, $0.child) < ($1.1.start, $1.child) }) {
            truth?.note(w, .child, child)
            w.field(IdentityPresenter.localID(child, prefix: "P", digits: 7, salt: 11))
            w.date(e.start, .ukSlash)
            for code in [e.reason, e.legalStatus, e.need, e.placement, e.provider] { w.field(code) }
            w.date(e.end, .ukSlash)
            w.field(e.ceased)
            w.field(e.placementChange)
            w.field(postcode(child))
            w.empty()
            w.empty()
            w.endRow()
        }
        return try finish(w, stem: Self.ssda903Episodes)
    }

    /// A period of care from `start`: a first episode (reason S), then
    /// changes of placement or legal status, ending by the 18th birthday or still open.
    private func periodOfCare(child: Int, entry: ReferralRow, start: Int, _ rng: inout SeededRandom) -> [CareEpisode] {
        let birth = Int(population.people[child].birth)
        let adult = CivilDate.adding(years: 18, to: birth)
        var day = start
        guard day <= end, day < adult, day >= birth else { return [] }
        let need = entry.need < 8 ? Int(entry.need) : rng.pick(weights: [60, 9, 4, 8, 14, 2, 0.3, 5])
        var placement = SSDA903Codes.placement(&rng, age: population.age(child, on: day))
        var episodes = [
            CareEpisode(
                start: day, reason: "S", legalStatus: rng.pick(SSDA903Codes.firstLegalStatus), need: "N\(need + 1)",
                placement: placement, provider: SSDA903Codes.provider(for: placement, &rng), end: nil, ceased: "",
                placementChange: "")
        ]
        for _ in 0..<rng.pick(weights: [30, 30, 20, 12, 8]) {
            let next = day + rng.int(30...300)
            guard next <= end, next < adult else { break }
            episodes[episodes.count - 1].end = next
            episodes[episodes.count - 1].ceased = "X1"
            var e = episodes[episodes.count - 1]
            (e.start, e.end, e.ceased, e.placementChange) = (next, nil, "", "")
            e.reason = ["P", "L", "T", "B", "U"][rng.pick(weights: [60, 20, 12, 5, 3])]
            if e.reason != "P" && e.reason != "B" { e.legalStatus = rng.pick(SSDA903Codes.laterLegalStatus) }
            if e.reason != "L" {
                placement = SSDA903Codes.placement(&rng, age: population.age(child, on: next))
                (e.placement, e.provider) = (placement, SSDA903Codes.provider(for: placement, &rng))
                e.placementChange = rng.pick(SSDA903Codes.placementChanges)
            }
            episodes.append(e)
            day = next
        }
        // The period ends (or not yet): at 18 at the latest, for a reason that fits the age.
        let close = min(day + rng.int(60...700), adult)
        if close <= end && (close == adult || rng.chance(0.6)) {
            episodes[episodes.count - 1].end = close
            episodes[episodes.count - 1].ceased = SSDA903Codes.ceased(
                &rng, age: population.age(child, on: close), atEighteen: close == adult)
        }
        return episodes
    }
}

/// The SSDA903 codes the generator draws, with rough weights of the DfE's national figures.
enum SSDA903Codes {
    static let firstLegalStatus = ["V2", "V2", "V2", "C1", "C1", "C1", "L1", "L2", "J1", "C2"]
    static let laterLegalStatus = ["C2", "C2", "C2", "C1", "E1", "V2", "J2", "J3"]
    static let placementChanges = [
        "CARPL", "CARPL", "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
        "CUSTOD", "OTHER",
    ]

    static func placement(_ rng: inout SeededRandom, age: Int) -> String {
        if age >= 16 && rng.chance(0.35) { return rng.pick(["K3", "K3", "P2", "K2"]) }
        return ["U6", "U4", "U3", "U1", "K2", "R1", "P1", "U5", "U2", "S1", "K1", "T0"][
            rng.pick(weights: [40, 12, 10, 6, 12, 2, 6, 1, 1, 2, 1, 1])]
    }

    /// Who provides the placement: none for temporary placements, the parents for P1.
    static func provider(for placement: String, _ rng: inout SeededRandom) -> String {
        switch placement {
        case "T0": return ""
        case "P1": return "PR0"
        case "K1": return rng.pick(["PR1", "PR2"])
        case "R1": return "PR3"
        default: return ["PR1", "PR4", "PR5", "PR2"][rng.pick(weights: [45, 40, 10, 5])]
        }
    }

    /// Why a period of care ended, by the age the young person was.
    static func ceased(_ rng: inout SeededRandom, age: Int, atEighteen: Bool) -> String {
        if atEighteen { return ["E17", "E5", "E6", "E7", "E8"][rng.pick(weights: [25, 40, 20, 5, 10])] }
        if age >= 16 { return ["E4A", "E4B", "E13", "E5", "E6", "E9", "E8", "E15"][rng.pick(weights: [25, 10, 15, 20, 10, 5, 10, 5])] }
        return ["E4A", "E4B", "E11", "E12", "E41", "E45", "E47", "E13", "E3", "E8", "E16"][
            rng.pick(weights: [35, 10, 12, 4, 6, 8, 6, 6, 4, 7, 2])]
    }
}
