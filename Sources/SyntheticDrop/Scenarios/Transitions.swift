/// Transitional safeguarding: young people known to children's social care at 16-17 who are seen
/// again at 18-25 by adult social care, police, A&E, homelessness or treatment services. About
/// half of care-experienced and at-risk young people need an adult service in their early twenties
/// (Research in Practice, Transitional safeguarding, 2021).
extension DropBuilder {
    mutating func addTransitions() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .transitions)
            let birth = Int(people[p].birth)
            let turns16 = CivilDate.adding(years: 16, to: birth)
            let turns18 = CivilDate.adding(years: 18, to: birth)
            // Needs a referral at 16-17 inside the period and some time after 18 inside it too.
            guard turns18 > start + 30, turns18 < end - 60 else { continue }
            let risk = population.lsoaRisk[Int(people[p].lsoa)]
            guard rng.chance(0.06 * risk) else { continue }
            let referralDay = rng.int(max(start, turns16)...min(turns18 - 1, end))
            var factors: [Int] = []
            for (f, w) in [
                (Codes.Factor.mentalHealthChild, 0.4), (Codes.Factor.selfHarm, 0.25), (Codes.Factor.drugChild, 0.2),
                (Codes.Factor.alcoholChild, 0.1), (Codes.Factor.behaviour, 0.2), (Codes.Factor.missing, 0.15),
                (Codes.Factor.daParent, 0.2),
            ] where rng.chance(w) {
                factors.append(f)
            }
            if factors.isEmpty { factors = [Codes.Factor.mentalHealthChild] }
            addReferral(
                &rng, day: referralDay, child: p, source: UInt8(rng.pick(weights: [10, 1, 4, 25, 3, 5, 0, 8, 8, 6, 6, 2, 15, 2, 5, 0])),
                need: UInt8(rng.pick(weights: [25, 10, 0, 25, 20, 20, 0, 0, 0, 0])), factors: factors,
                outcome: UInt8(rng.pick(weights: [20, 10, 55, 10, 5])))
            guard rng.chance(0.55) else { continue }
            // After 18: the adult system meets them again, more often as the years go on.
            if rng.chance(0.3) {
                addEnquiry(
                    &rng, day: day(&rng, from: turns18 + 1, trend: 0.08), person: p,
                    risk: [Codes.Risk.selfNeglect, Codes.Risk.sexualExploitation, Codes.Risk.financial, Codes.Risk.psychological][
                        rng.pick(weights: [20, 30, 25, 25])],
                    location: 1)
            }
            if rng.chance(0.35) {
                addHomelessness(
                    &rng, day: day(&rng, from: turns18 + 1, trend: 0.08), person: p,
                    reason: rng.chance(0.6) ? Codes.Loss.family : Codes.Loss.careLeaver,
                    needs: [Codes.Need.youngPerson] + (rng.chance(0.3) ? [Codes.Need.careLeaver] : [])
                        + (rng.chance(0.4) ? [Codes.Need.mentalHealth] : []))
            }
            if rng.chance(0.4) {
                let d = day(&rng, from: turns18 + 1, trend: 0.08)
                if rng.chance(0.5) {
                    addCrime(
                        &rng, day: d, offence: [Codes.O.commonAssault, Codes.O.abh, Codes.O.otherTheft][rng.int(0..<3)],
                        victim: p, suspect: suspectFor(&rng, share: 0.5))
                } else {
                    addCrime(
                        &rng, day: d, offence: [Codes.O.shoplifting, Codes.O.publicOrder, Codes.O.possessionCannabis][rng.int(0..<3)],
                        victim: -1, suspect: p, lsoa: Int(people[p].lsoa), positiveShare: 0.35)
                }
            }
            if rng.chance(0.35) {
                addAttendance(
                    &rng, day: day(&rng, from: turns18 + 1, trend: 0.08), person: p,
                    flags: [AttendanceFlag.selfHarm, AttendanceFlag.alcohol, AttendanceFlag.drugs][rng.pick(weights: [50, 30, 20])])
            }
            if rng.chance(0.12) {
                let d = day(&rng, from: turns18 + 1, trend: 0.08)
                treatments.append(
                    TreatmentRow(
                        day: Int32(d), end: -1, person: Int32(p),
                        substance: rng.chance(0.6) ? Codes.Substance.cannabis : Codes.Substance.cocaine,
                        secondSubstance: .max, referral: Codes.Referral.selfReferral, discharge: .max,
                        withChildren: false, mentalHealth: mentalHealthNeed(p, on: d)))
            }
        }
    }
}
