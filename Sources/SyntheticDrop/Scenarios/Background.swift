/// The ordinary activity every extract carries: A&E attendances, admissions, crimes against
/// residents and businesses, ASB, referrals, school suspensions, homelessness and safeguarding
/// concerns that belong to no scenario. Rates per resident per year for a county like Shropshire:
/// A&E about 0.35 (NHS England A&E statistics), admissions about 0.27 (HES), police recorded crime
/// about 60 per 1,000 (ONS crime tables, West Mercia), ASB about 20 per 1,000 (police.uk),
/// referrals to children's social care about 550 per 10,000 children (DfE Children in need).
extension DropBuilder {
    mutating func addBackground() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .background)
            let person = people[p]
            let ageNow = age(p, end)
            let risk = population.lsoaRisk[Int(person.lsoa)]
            addBackgroundHealth(&rng, p, person, ageNow: ageNow, risk: risk)
            addBackgroundCrimes(&rng, p, ageNow: ageNow, risk: risk)
            addBackgroundChildhood(&rng, p, person, ageNow: ageNow, risk: risk)
            addBackgroundAdulthood(&rng, p, ageNow: ageNow, risk: risk)
        }
        addBackgroundEarlyHelp()
    }

    /// A&E attendances, admissions, and alcohol-specific admissions outside the misuse scenario.
    private mutating func addBackgroundHealth(_ rng: inout SeededRandom, _ p: Int, _ person: Person, ageNow: Int, risk: Double) {
        let male = !person.female
        // A&E
        let aeRate: Double =
            switch ageNow {
            case ..<5: 0.45
            case ..<16: 0.25
            case ..<25: 0.38
            case ..<65: 0.28
            case ..<80: 0.35
            default: 0.65
            }
        for _ in 0..<rng.poisson(aeRate * years * (0.8 + 0.2 * risk)) {
            let d = day(&rng, season: Self.summerPeak)
            let a = age(p, d)
            var flags: UInt8 = 0
            if rng.chance(male && (16...35).contains(a) ? 0.045 : 0.012) { flags |= AttendanceFlag.assault }
            if rng.chance(!male && (13...25).contains(a) ? 0.04 : 0.006) { flags |= AttendanceFlag.selfHarm }
            if a >= 14, rng.chance(male && a < 36 ? 0.05 : 0.02) { flags |= AttendanceFlag.alcohol }
            if a >= 14, rng.chance(0.006) { flags |= AttendanceFlag.drugs }
            addAttendance(&rng, day: d, person: p, flags: flags)
        }

        // Admissions
        let admissionRate: Double =
            switch ageNow {
            case ..<5: 0.15
            case ..<16: 0.06
            case ..<25: 0.1
            case ..<45: 0.14
            case ..<65: 0.25
            case ..<80: 0.5
            default: 0.9
            }
        for _ in 0..<rng.poisson(admissionRate * years) {
            let d = day(&rng)
            let a = age(p, d)
            var primary = rng.int(Codes.generalDiagnoses)
            if primary == 17 && (!person.female || a < 17 || a > 45) { primary = 14 }  // deliveries: women 17-45
            if a >= 75, rng.chance(0.12) { primary = rng.int(Codes.frailtyDiagnoses) }
            addAdmission(&rng, day: d, person: p, primary: primary, emergency: rng.chance(0.62))
        }

        // Alcohol-specific admissions outside the misuse scenario: acute intoxication and
        // alcohol-related liver disease among drinkers never in treatment.
        if ageNow >= 16, rng.chance(0.003 * years * (male ? 1.6 : 0.6) * risk) {
            addAdmission(&rng, day: day(&rng, season: Self.summerPeak), person: p, primary: rng.int(Codes.alcoholSpecificDiagnoses))
        }
    }

    /// Crimes against residents (victims), suspects from the offending pool where known.
    private mutating func addBackgroundCrimes(_ rng: inout SeededRandom, _ p: Int, ageNow: Int, risk: Double) {
        let people = population.people
        // Crimes against residents (victims), suspects from the offending pool where known
        let victimAge: Double =
            switch ageNow {
            case ..<10: 0.1
            case ..<16: 0.6
            case ..<35: 1.5
            case ..<65: 1.0
            default: 0.5
            }
        for _ in 0..<rng.poisson(0.03 * years * risk * victimAge) {
            let d = day(&rng, season: Self.summerPeak)
            let offence = [
                Codes.O.burglaryResidential, Codes.O.theftFromVehicle, Codes.O.vehicleTheft,
                Codes.O.otherTheft, Codes.O.cycleTheft, Codes.O.damageDwelling, Codes.O.damageVehicle,
                Codes.O.commonAssault, Codes.O.abh, Codes.O.publicOrder, Codes.O.harassment,
                Codes.O.robbery, Codes.O.sexualAssault, Codes.O.theftFromPerson, Codes.O.arson,
            ][
                rng.pick(weights: [8, 9, 3, 14, 4, 7, 8, 14, 8, 9, 7, 1, 1.5, 2, 1])]
            let suspect = suspectFor(&rng, share: offence == Codes.O.commonAssault || offence == Codes.O.abh ? 0.7 : 0.2)
            let alcohol = (offence == Codes.O.commonAssault || offence == Codes.O.abh || offence == Codes.O.publicOrder) && rng.chance(0.3)
            addCrime(&rng, day: d, offence: offence, flags: alcohol ? .alcohol : [], victim: p, suspect: suspect)
            if (offence == Codes.O.commonAssault || offence == Codes.O.abh) && rng.chance(0.04) {
                // A second victim of the same crime: same reference, another row.
                let other = rng.int(0..<people.count)
                if age(other, d) >= 10 {
                    var row = crimes[crimes.count - 1]
                    row.victim = Int32(other)
                    crimes.append(row)
                }
            }
        }
    }

    /// Children's social care referrals, school suspensions and exclusions, and NEET.
    private mutating func addBackgroundChildhood(_ rng: inout SeededRandom, _ p: Int, _ person: Person, ageNow: Int, risk: Double) {
        // Children's social care, schools, homelessness, adult safeguarding
        if ageNow < 18 + Int(years) {
            for _ in 0..<rng.poisson(0.022 * years * risk) {
                let d = day(&rng)
                guard d >= person.birth, age(p, d) < 18 else { continue }
                let need = UInt8(rng.pick(weights: [30, 6, 4, 22, 16, 6, 2, 3, 9, 2]))
                var factors: [Int] = []
                for (f, w) in [
                    (Codes.Factor.mentalHealthChild, 0.12), (Codes.Factor.mentalHealthParent, 0.15),
                    (Codes.Factor.emotional, 0.14), (Codes.Factor.physical, 0.08), (Codes.Factor.sexual, 0.03),
                    (Codes.Factor.behaviour, 0.06), (Codes.Factor.selfHarm, 0.04),
                    (Codes.Factor.disabilityChild, 0.05), (Codes.Factor.youngCarer, 0.02),
                ] where rng.chance(w) {
                    factors.append(f)
                }
                if factors.isEmpty { factors = [Codes.Factor.noFactors] }
                let source = UInt8(rng.pick(weights: [6, 1, 1, 18, 2, 5, 4, 4, 6, 3, 6, 3, 27, 2, 6, 2]))
                addReferral(
                    &rng, day: d, child: p, source: source, need: need, factors: factors,
                    outcome: UInt8(rng.pick(weights: [30, 15, 42, 11, 2])))
            }
            if rng.chance(min(0.5, 0.03 * years * risk)) {
                for _ in 0..<(1 + rng.poisson(1.2)) {
                    let reason = UInt8(rng.pick(weights: [12, 5, 13, 9, 3, 1, 1, 1.5, 4, 3, 38, 2, 1, 6]))
                    addEducation(&rng, day: day(&rng), person: p, type: 0, reason: reason)
                }
            }
            if rng.chance(0.0008 * years * risk) {
                addEducation(&rng, day: day(&rng), person: p, type: 1, reason: Codes.Reason.disruption)
            }
            // NEET: recorded for about 5% of 16-17 year olds (DfE NEET and participation), dated
            // in the year they turn 16 or 17.
            if rng.chance(0.06 * risk) {
                let d = CivilDate.adding(years: 16, to: Int(person.birth)) + rng.int(30..<700)
                addEducation(&rng, day: d, person: p, type: 2, reason: UInt8(rng.pick(weights: [60, 15, 5, 20])))
            }
        }
    }

    /// Homelessness, adult safeguarding enquiries and welfare incidents.
    private mutating func addBackgroundAdulthood(_ rng: inout SeededRandom, _ p: Int, ageNow: Int, risk: Double) {
        if (18...64).contains(ageNow), rng.chance(0.0045 * years * risk) {
            let reason = UInt8(rng.pick(weights: [30, 26, 12, 0, 4, 4, 3, 2, 4, 0, 11]))
            var needs: [Int] = []
            if rng.chance(0.35) { needs.append(Codes.Need.mentalHealth) }
            if rng.chance(0.18) { needs.append(Codes.Need.physical) }
            if ageNow <= 25 { needs.append(Codes.Need.youngPerson) }
            if reason == Codes.Loss.prison { needs.append(Codes.Need.offending) }
            addHomelessness(&rng, day: day(&rng), person: p, reason: reason, needs: needs)
        }
        let enquiryRate = ageNow >= 65 ? (ageNow >= 85 ? 0.02 : 0.006) : (ageNow >= 18 ? 0.001 : 0)
        for _ in 0..<rng.poisson(enquiryRate * years) {
            let risk = UInt8(rng.pick(weights: [30, 18, 18, 14, 7, 3, 0.5]))
            let location = UInt8(
                risk == Codes.Risk.organisational
                    ? rng.pick(weights: [0, 0, 20, 40, 40, 0, 0])
                    : rng.pick(weights: [50, 10, 5, 12, 15, 5, 3]))
            addEnquiry(&rng, day: day(&rng), person: p, risk: risk, location: location)
        }
        if ageNow >= 70, rng.chance(0.004 * years) {
            addIncident(&rng, day: day(&rng), type: Codes.Incident.welfare, person: p, role: 1)
        }
    }

    /// Early help for families with the everyday needs (behaviour, attendance, money, housing).
    private mutating func addBackgroundEarlyHelp() {
        for (h, household) in population.households.enumerated() {
            var rng = rng(h, .background)
            _ = rng.next()
            guard !population.children(of: household, on: end).isEmpty else { continue }
            let risk = population.lsoaRisk[Int(household.lsoa)]
            for _ in 0..<rng.poisson(0.03 * years * risk) {
                let reason = UInt8(3 + rng.pick(weights: [15, 25, 20, 10, 5, 15]))
                addEarlyHelp(&rng, day: day(&rng), household: household, reason: reason)
            }
        }
    }

    /// A suspect from the offending pool, or nobody.
    func suspectFor(_ rng: inout SeededRandom, share: Double) -> Int {
        guard !offenders.isEmpty, rng.chance(share) else { return -1 }
        return Int(offenders[rng.int(0..<offenders.count)])
    }
}
