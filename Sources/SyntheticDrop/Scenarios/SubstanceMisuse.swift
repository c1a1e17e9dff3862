/// Drug and alcohol misuse: adults who misuse opiates, crack, other drugs or alcohol. About half
/// enter treatment in the period (NDTMS: roughly 1,800 adults a year in treatment in an area this
/// size); successful completion runs near 5% for opiates and 30-35% for alcohol and non-opiates;
/// about 7% of referrals come from prison. Misuse shows in A&E, alcohol-specific admissions (about
/// 500 per 100,000 a year, OHID Local Alcohol Profiles), drug offences, drink-drive collisions,
/// children referred for parental substance misuse, early help for the family, and school
/// exclusions for drugs and alcohol.
extension DropBuilder {
    mutating func addSubstanceMisuse() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .substances)
            let a = age(p, start)
            guard (18...70).contains(a) else { continue }
            let risk = population.lsoaRisk[Int(people[p].lsoa)]
            let male = !people[p].female
            guard rng.chance(0.02 * (male ? 1.4 : 0.6) * risk * risk.squareRoot() * (a < 55 ? 1 : 0.5)) else { continue }
            substanceUsers.append(Int32(p))
            // 0 opiates (+crack), 1 non-opiates, 2 alcohol only, 3 alcohol and non-opiates
            let kind = rng.pick(weights: [28, 22, 37, 13])
            let drinks = kind >= 2
            let household = population.household(of: p)

            addTreatment(&rng, p, kind: kind, household: household)
            addMisuseConsequences(&rng, p, kind: kind)
            addMisuseFamily(&rng, household: household, drinks: drinks)
        }
    }

    /// Treatment episodes (one, or two with a gap), with early help for a family in treatment.
    private mutating func addTreatment(_ rng: inout SeededRandom, _ p: Int, kind: Int, household: Household) {
        guard rng.chance(0.55) else { return }
        do {
            var d = day(&rng)
            for episode in 0..<(rng.chance(0.2) ? 2 : 1) {
                guard d <= end else { break }
                let primary: UInt8 =
                    switch kind {
                    case 0: Codes.Substance.heroin
                    case 1:
                        [
                            Codes.Substance.crack, Codes.Substance.cocaine, Codes.Substance.cannabis, Codes.Substance.benzodiazepines,
                            Codes.Substance.ketamine,
                        ][rng.pick(weights: [20, 35, 35, 5, 5])]
                    case 2: Codes.Substance.alcohol
                    default: Codes.Substance.alcohol
                    }
                let second: UInt8 =
                    kind == 0 && rng.chance(0.45)
                    ? Codes.Substance.crack
                    : (kind == 3 ? [Codes.Substance.cocaine, Codes.Substance.cannabis][rng.int(0..<2)] : .max)
                let prisonShare = kind == 0 ? 0.12 : 0.05
                let referral: UInt8 =
                    rng.chance(prisonShare * (1 + 0.15 * Double(d - start) / 365.25))
                    ? Codes.Referral.prison : UInt8([0, 1, 2, 4, 5, 6, 7, 8][rng.pick(weights: [48, 11, 6, 9, 3, 3, 3, 10])])
                let length = kind == 0 ? rng.int(200...900) : rng.int(80...320)
                let close = d + length
                var discharge: UInt8 = .max
                if close <= end {
                    let completes = rng.chance(kind == 0 ? 0.06 : (kind == 2 ? 0.36 : 0.3))
                    if completes {
                        discharge = kind == 2 ? 1 : (kind == 1 && rng.chance(0.3) ? 2 : 0)
                    } else {
                        discharge = UInt8([3, 4, 5, 6, 7][rng.pick(weights: [55, 10, 25, 7, 3])])
                    }
                }
                let withChildren = !population.children(of: household, on: d).isEmpty
                treatments.append(
                    TreatmentRow(
                        day: Int32(d), end: discharge == .max ? -1 : Int32(close), person: Int32(p),
                        substance: primary, secondSubstance: second, referral: referral,
                        discharge: discharge, withChildren: withChildren, mentalHealth: mentalHealthNeed(p, on: d)))
                // Families in treatment offered early help, rising with the strategy.
                if withChildren, episode == 0, rng.chance(0.22 + 0.05 * Double(d - start) / 365.25) {
                    addEarlyHelp(&rng, day: d + rng.int(7...90), household: household, reason: Codes.EarlyHelp.substance)
                }
                d = close + rng.int(60...400)
            }
        }
    }

    /// Misuse seen by health and the police: A&E, admissions, drug offences, drink-drive collisions.
    private mutating func addMisuseConsequences(_ rng: inout SeededRandom, _ p: Int, kind: Int) {
        let drinks = kind >= 2, usesDrugs = kind != 2
        // Health
        for _ in 0..<rng.poisson((drinks ? 0.45 : 0) * years) {
            addAttendance(
                &rng, day: day(&rng, season: Self.summerPeak), person: p,
                flags: AttendanceFlag.alcohol | (rng.chance(0.1) ? AttendanceFlag.assault : 0))
        }
        for _ in 0..<rng.poisson((usesDrugs ? 0.3 : 0) * years) {
            addAttendance(&rng, day: day(&rng), person: p, flags: AttendanceFlag.drugs)
        }
        if drinks, rng.chance(0.45) {
            for _ in 0..<(1 + rng.poisson(1.5)) {
                addAdmission(&rng, day: day(&rng, trend: -0.03), person: p, primary: rng.int(Codes.alcoholSpecificDiagnoses))
            }
        }
        if kind == 0, rng.chance(0.15) {
            addAdmission(&rng, day: day(&rng), person: p, primary: rng.int(Codes.drugDiagnoses))
        }
        // Police
        if usesDrugs, rng.chance(0.3) {
            addCrime(
                &rng, day: day(&rng), offence: kind == 1 && rng.chance(0.5) ? Codes.O.possessionCannabis : Codes.O.possessionDrugs,
                flags: .drugs, victim: -1, suspect: p, positiveShare: 0.45)
        }
        if drinks, rng.chance(0.04) {
            addIncident(&rng, day: day(&rng, trend: -0.05), type: Codes.Incident.collision, person: p, role: 1, alcohol: true)
        }
    }

    /// The household's children: referred for parental misuse, excluded for drugs and alcohol.
    private mutating func addMisuseFamily(_ rng: inout SeededRandom, household: Household, drinks: Bool) {
        // Children of the household
        let kids = population.children(of: household, on: start + (end - start) / 2)
        if !kids.isEmpty {
            if rng.chance(0.15) {
                let d = day(&rng)
                for child in kids {
                    addReferral(
                        &rng, day: d, child: child,
                        source: UInt8(rng.pick(weights: [5, 0, 0, 20, 0, 10, 5, 5, 10, 5, 10, 0, 25, 0, 0, 0])),
                        need: 0, factors: [drinks ? Codes.Factor.alcoholParent : Codes.Factor.drugParent],
                        outcome: UInt8(rng.pick(weights: [20, 20, 45, 13, 2])))
                }
            }
            for child in kids where age(child, end) >= 12 && rng.chance(0.05) {
                addEducation(&rng, day: day(&rng), person: child, type: 0, reason: Codes.Reason.drugAlcohol)
            }
        }
    }
}
