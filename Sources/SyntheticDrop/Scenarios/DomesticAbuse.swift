import Foundation

/// Domestic abuse: abusive relationships between partners, ex-partners and family members.
///
/// Police record about 20 domestic abuse crimes and incidents per 1,000 residents a year (ONS,
/// Domestic abuse in England and Wales, West Mercia), about a third of victims are repeat victims
/// within a year, and reporting has risen year on year. Each relationship brings correlated rows:
/// crimes and non-crime incidents, A&E attendances with disclosure, referrals of the children in the
/// household with a domestic abuse factor, early help, homelessness because of abuse, adult
/// safeguarding for older victims; one perpetrator in ten abuses a second partner.
extension DropBuilder {
    struct AbusiveRelationship {
        var victim: Int
        var perpetrator: Int
        var highRisk: Bool
    }

    mutating func addDomesticAbuse() {
        var relationships: [AbusiveRelationship] = []
        for (h, household) in population.households.enumerated() {
            var rng = rng(h, .domesticAbuse)
            let risk = population.lsoaRisk[Int(household.lsoa)]
            let members = Array(household.members)
            let adults = population.adults(of: household, on: start)
            switch household.kind {
            case .couple, .coupleWithChildren, .familyWithYoungAdults:
                guard adults.count >= 2 else { continue }
                let p = household.kind == .coupleWithChildren ? 0.11 : 0.065
                if rng.chance(p * risk) {
                    let (man, woman) = (members[0], members[1])
                    let maleVictim = rng.chance(0.2)
                    relationships.append(
                        AbusiveRelationship(
                            victim: maleVictim ? man : woman, perpetrator: maleVictim ? woman : man, highRisk: rng.chance(0.15)))
                } else if household.kind == .familyWithYoungAdults, adults.count >= 3, rng.chance(0.03 * risk) {
                    // Familial abuse: an adult child against a parent.
                    relationships.append(AbusiveRelationship(victim: members[1], perpetrator: adults[2], highRisk: rng.chance(0.1)))
                }
            case .loneParent, .singleAdult:
                // Abuse by an ex-partner living elsewhere.
                let victim = members[0]
                guard population.people[victim].female, (18...60).contains(age(victim, start)) else { continue }
                if rng.chance((household.kind == .loneParent ? 0.16 : 0.05) * risk) {
                    if let ex = partnerElsewhere(&rng, for: victim) {
                        relationships.append(AbusiveRelationship(victim: victim, perpetrator: ex, highRisk: rng.chance(0.2)))
                    }
                }
            default:
                continue
            }
        }
        // Serial perpetrators: a new relationship with another victim.
        let firstRound = relationships.count
        for i in 0..<firstRound {
            var rng = rng(relationships[i].perpetrator, .domesticAbuse)
            if rng.chance(0.1), let other = partnerElsewhere(&rng, for: relationships[i].perpetrator, female: true) {
                relationships.append(AbusiveRelationship(victim: other, perpetrator: relationships[i].perpetrator, highRisk: false))
            }
        }
        for (i, r) in relationships.enumerated() {
            var rng = rng(i, .domesticAbuse)
            _ = rng.next()
            addAbuseEvents(r, secondRelationship: i >= firstRound, &rng)
        }
    }

    /// Someone aged 18-60 of the other sex (or `female`) from another household.
    private func partnerElsewhere(_ rng: inout SeededRandom, for person: Int, female: Bool? = nil) -> Int? {
        let people = population.people
        let wantFemale = female ?? !people[person].female
        for _ in 0..<60 {
            let q = rng.int(0..<people.count)
            if people[q].female == wantFemale, people[q].household != people[person].household,
                (18...60).contains(age(q, start))
            {
                return q
            }
        }
        return nil
    }

    /// The relationship's crimes and incidents reported to the police (from the victim's 16th
    /// birthday): the days they fell on.
    private mutating func addPoliceEvents(_ r: AbusiveRelationship, secondRelationship: Bool, _ rng: inout SeededRandom) -> [Int] {
        let meanEvents = r.highRisk ? 5.5 : 0.45
        let count = 1 + rng.poisson(meanEvents * min(1, years / 3))
        // The relationship's abuse starts somewhere in the period (serial abuse later on).
        var d = secondRelationship ? day(&rng, from: start + (end - start) / 3) : day(&rng, trend: 0.06, season: Self.summerPeak)
        var policeDays: [Int] = []
        for _ in 0..<count {
            guard d <= end else { break }
            if age(r.victim, d) >= 16 {
                policeDays.append(d)
                if rng.chance(0.6) {
                    let offence = [
                        Codes.O.commonAssault, Codes.O.abh, Codes.O.coercive, Codes.O.harassment,
                        Codes.O.stalking, Codes.O.damageDwelling, Codes.O.gbh, Codes.O.rape,
                        Codes.O.sexualAssault,
                    ][rng.pick(weights: [35, 20, 10, 8, 4, 10, 2, 3, 2])]
                    var flags: CrimeFlags = .domesticAbuse
                    if rng.chance(0.3) { flags.insert(.alcohol) }
                    if rng.chance(0.08) { flags.insert(.drugs) }
                    addCrime(
                        &rng, day: d, offence: offence, flags: flags, victim: r.victim,
                        suspect: rng.chance(0.95) ? r.perpetrator : -1, positiveShare: 0.13)
                } else {
                    addIncident(
                        &rng, day: d, type: Codes.Incident.domestic, person: r.victim, role: 0,
                        suspect: r.perpetrator, alcohol: rng.chance(0.3), drugs: rng.chance(0.06))
                }
            }
            d += 1 + Int(Double(r.highRisk ? 45 : 110) * -log1p(-rng.unit() * 0.999))
        }
        return policeDays
    }

    private mutating func addAbuseEvents(_ r: AbusiveRelationship, secondRelationship: Bool, _ rng: inout SeededRandom) {
        let policeDays = addPoliceEvents(r, secondRelationship: secondRelationship, &rng)
        guard let first = policeDays.first else { return }
        let victimHousehold = population.household(of: r.victim)

        // Health: injuries seen at A&E, some with disclosure.
        if rng.chance(r.highRisk ? 0.5 : 0.22) {
            for _ in 0..<(1 + rng.poisson(0.4)) {
                let around = policeDays[rng.int(0..<policeDays.count)] + rng.int(-2...3)
                var flags = AttendanceFlag.assault
                if rng.chance(0.55) { flags |= AttendanceFlag.domesticAbuse }
                if rng.chance(0.15) { flags |= AttendanceFlag.alcohol }
                addAttendance(&rng, day: around, person: r.victim, flags: flags)
            }
        }
        // Children in the victim's household: police notify children's social care.
        let children = population.children(of: victimHousehold, on: first)
        if !children.isEmpty {
            if rng.chance(0.55) {
                let referralDay = first + rng.int(1...30)
                let second = rng.chance(0.3) ? Codes.Factor.mentalHealthParent : nil
                for child in children {
                    var factors = [Codes.Factor.daParent]
                    if rng.chance(0.35) { factors.append(Codes.Factor.daChild) }
                    if let second { factors.append(second) }
                    if rng.chance(0.15) { factors.append(Codes.Factor.alcoholParent) }
                    addReferral(
                        &rng, day: referralDay, child: child, source: rng.chance(0.65) ? Codes.Source.police : Codes.Source.school,
                        need: UInt8(rng.pick(weights: [40, 0, 0, 30, 30, 0, 0, 0, 0, 0])), factors: factors,
                        outcome: UInt8(rng.pick(weights: [25, 25, 40, 9, 1])))
                }
                if rng.chance(0.08) {
                    let planStart = referralDay + rng.int(20...60)
                    for child in children {
                        addPlan(&rng, start: planStart, child: child, category: 3, sequence: 1)
                    }
                }
            }
            if rng.chance(0.15) {
                addEarlyHelp(&rng, day: first + rng.int(10...90), household: victimHousehold, reason: Codes.EarlyHelp.domesticAbuse)
            }
        }
        // Housing: leaving home because of abuse.
        if rng.chance(r.highRisk ? 0.1 : 0.04) {
            var needs = [Codes.Need.domesticAbuse]
            if rng.chance(0.4) { needs.append(Codes.Need.mentalHealth) }
            addHomelessness(&rng, day: policeDays.last! + rng.int(0...20), person: r.victim, reason: Codes.Loss.domesticAbuse, needs: needs)
        }
        // Adult safeguarding for older or disabled victims.
        if rng.chance(age(r.victim, first) >= 60 ? 0.3 : 0.02) {
            addEnquiry(&rng, day: first + rng.int(1...20), person: r.victim, risk: Codes.Risk.domesticAbuse, location: 0)
        }
    }
}
