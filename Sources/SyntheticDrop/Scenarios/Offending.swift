/// Preventing offending: a pool of people who offend (young men from deprived areas most often;
/// about one in ten prolific), their crimes against residents and businesses, ASB, and hate crime.
/// Proven reoffending runs at about 25% within a year (MoJ proven reoffending statistics); here it
/// emerges from the prolific minority rather than being set directly.
extension DropBuilder {
    mutating func addOffending() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .offending)
            let a = age(p, end)
            guard (14...55).contains(a) else { continue }
            let ageFactor: Double =
                switch a {
                case ..<18: 0.9
                case ..<31: 1.6
                case ..<41: 1.0
                default: 0.45
                }
            let sexFactor = people[p].female ? 0.3 : 1.7
            let risk = population.lsoaRisk[Int(people[p].lsoa)]
            if rng.chance(0.012 * ageFactor * sexFactor * risk * risk.squareRoot()) {
                offenders.append(Int32(p))
            }
        }
        for offender in offenders {
            let p = Int(offender)
            var rng = rng(p, .offending)
            _ = rng.next()
            let prolific = rng.chance(0.12)
            let count = rng.poisson((prolific ? 3.5 : 0.55) * years)
            for _ in 0..<count {
                let d = day(&rng, season: Self.summerPeak)
                guard age(p, d) >= 10 else { continue }
                let offence = [
                    Codes.O.shoplifting, Codes.O.otherTheft, Codes.O.commonAssault, Codes.O.abh,
                    Codes.O.damageDwelling, Codes.O.burglaryResidential, Codes.O.burglaryBusiness,
                    Codes.O.vehicleTheft, Codes.O.publicOrder, Codes.O.possessionCannabis,
                    Codes.O.blade, Codes.O.robbery,
                ][rng.pick(weights: [22, 10, 15, 10, 10, 5, 3, 5, 8, 6, 2, 2])]
                let businessVictim = offence == Codes.O.shoplifting || offence == Codes.O.burglaryBusiness
                let noVictim = offence == Codes.O.possessionCannabis || offence == Codes.O.blade
                let victim = businessVictim || noVictim ? -1 : randomResident(&rng, minimumAge: 10, on: d)
                let lsoa = businessVictim ? townLSOA(&rng) : nil
                var flags: CrimeFlags = []
                if offence == Codes.O.possessionCannabis { flags.insert(.drugs) }
                if (offence == Codes.O.commonAssault || offence == Codes.O.abh || offence == Codes.O.publicOrder), rng.chance(0.35) {
                    flags.insert(.alcohol)
                }
                addCrime(
                    &rng, day: d, offence: offence, flags: flags, victim: victim, suspect: p,
                    lsoa: lsoa ?? (victim < 0 ? Int(people[p].lsoa) : nil), positiveShare: prolific ? 0.3 : 0.18)
            }
            // ASB: young and prolific offenders are named in ASB reports.
            for _ in 0..<rng.poisson((age(p, end) < 25 ? 0.5 : 0.15) * years) {
                let d = day(&rng, season: Self.summerPeak)
                let victim = randomResident(&rng, minimumAge: 16, on: d)
                addIncident(
                    &rng, day: d, type: UInt8(rng.pick(weights: [35, 60, 5])), person: victim, role: 0,
                    suspect: p, alcohol: rng.chance(0.2), lsoa: Int(people[p].lsoa))
            }
        }
        addAntisocialBehaviour()
        addHateCrime()
        addRoadCollisions()
    }

    /// ASB with no named suspect: reported by residents, more in deprived areas and in summer.
    private mutating func addAntisocialBehaviour() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .asb)
            guard age(p, end) >= 16 else { continue }
            let risk = population.lsoaRisk[Int(people[p].lsoa)]
            for _ in 0..<rng.poisson(0.016 * years * risk) {
                let d = day(&rng, trend: -0.04, season: Self.summerPeak)
                addIncident(
                    &rng, day: d, type: UInt8(rng.pick(weights: [20, 65, 15])), person: p,
                    role: rng.chance(0.7) ? 0 : 2, alcohol: rng.chance(0.12))
            }
        }
    }

    /// Hate crime: about 1.2 per 1,000 residents a year, most often racially aggravated; ethnic
    /// minority residents are far more often its victims (Home Office hate crime statistics).
    private mutating func addHateCrime() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .hate)
            guard age(p, end) >= 10 else { continue }
            let minority = people[p].ethnicity != 0
            for _ in 0..<rng.poisson(0.0008 * years * (minority ? 8 : 1)) {
                let d = day(&rng, trend: 0.03, season: Self.summerPeak)
                var strands: UInt8 = 1 << UInt8(rng.pick(weights: minority ? [85, 8, 4, 2, 1] : [40, 5, 30, 17, 8]))
                if rng.chance(0.04) { strands |= 1 << UInt8(rng.int(0..<5)) }
                let offence = [
                    Codes.O.aggravatedPublicOrder, Codes.O.harassment, Codes.O.commonAssault,
                    Codes.O.damageDwelling, Codes.O.abh,
                ][rng.pick(weights: [55, 15, 15, 8, 7])]
                let suspect = suspectFor(&rng, share: 0.45)
                addCrime(
                    &rng, day: d, offence: offence, flags: .hate, victim: p, suspect: suspect,
                    positiveShare: 0.14, hateStrands: strands)
            }
        }
    }

    /// Road traffic collisions attended by police; about 6% involve alcohol (DfT drink-drive
    /// estimates), more often where the driver misuses alcohol (added in the substance scenario).
    private mutating func addRoadCollisions() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .organisations)
            guard age(p, end) >= 17 else { continue }
            for _ in 0..<rng.poisson(0.0025 * years) {
                addIncident(
                    &rng, day: day(&rng, trend: -0.02), type: Codes.Incident.collision, person: p, role: 1,
                    alcohol: rng.chance(0.05), lsoa: rng.int(0..<population.geography.lsoas.count))
            }
        }
    }

    /// A resident of at least `minimumAge` on `day`, weighted towards deprived areas by retrying.
    func randomResident(_ rng: inout SeededRandom, minimumAge: Int, on day: Int) -> Int {
        let people = population.people
        for _ in 0..<50 {
            let p = rng.int(0..<people.count)
            guard age(p, day) >= minimumAge else { continue }
            if rng.unit() * 2.6 < population.lsoaRisk[Int(people[p].lsoa)] { return p }
        }
        // Rarely none passed the area's draw: anyone old enough (and born by then), else no one.
        for _ in 0..<50 {
            let p = rng.int(0..<people.count)
            if age(p, day) >= minimumAge && Int(people[p].birth) <= day { return p }
        }
        return -1
    }

    /// An LSOA weighted to the busier, more deprived areas (town centres, where businesses are).
    func townLSOA(_ rng: inout SeededRandom) -> Int {
        let n = population.geography.lsoas.count
        for _ in 0..<50 {
            let l = rng.int(0..<n)
            if rng.unit() * 2.6 < population.lsoaRisk[l] { return l }
        }
        return rng.int(0..<n)
    }
}
