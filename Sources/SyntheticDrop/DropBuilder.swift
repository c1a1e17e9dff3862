/// Builds every agency's rows for one synthetic partnership. Scenarios (domestic abuse, neglect,
/// exploitation ...) add correlated rows across agencies for the people they touch; background
/// activity adds the ordinary rows every extract also carries.
struct DropBuilder {
    let population: Population
    let seed: UInt64
    /// First and last day (inclusive) of the period generated.
    let start: Int
    let end: Int
    var years: Double { Double(end - start + 1) / 365.25 }

    var crimes: [CrimeRow] = []
    var incidents: [IncidentRow] = []
    var attendances: [AttendanceRow] = []
    var admissions: [AdmissionRow] = []
    var treatments: [TreatmentRow] = []
    var referrals: [ReferralRow] = []
    var plans: [PlanRow] = []
    var enquiries: [EnquiryRow] = []
    var homelessness: [HomelessnessRow] = []
    var education: [EducationRow] = []
    var earlyHelp: [EarlyHelpRow] = []

    /// People drawn into offending, substance misuse or exploiting others (filled by the scenarios).
    var offenders: [Int32] = []
    var substanceUsers: [Int32] = []
    var nextCrime: Int32 = 0
    var nextEpisode: Int32 = 0

    init(population: Population, start: Int, end: Int, seed: UInt64) {
        self.population = population
        self.start = start
        self.end = end
        self.seed = seed
    }

    /// A stream of random numbers for one entity and purpose, the same whatever else is generated.
    func rng(_ entity: Int, _ purpose: Purpose) -> SeededRandom {
        SeededRandom(seed: seed, stream: UInt64(entity), purpose: purpose.rawValue)
    }

    enum Purpose: UInt64 {
        case background = 1, offending, domesticAbuse, neglect, exploitation, transitions, selfNeglect, substances
        case hate, organisations, adultExploitation, asb, mentalHealthNeed, mentalHealth
    }

    // MARK: Time

    /// Relative volume by calendar month (January first): more violence, ASB and domestic abuse in
    /// summer and over Christmas, the pattern police data show every year.
    static let summerPeak: [Double] = [0.95, 0.85, 0.92, 0.97, 1.05, 1.1, 1.15, 1.12, 1.0, 0.97, 0.93, 1.05]
    static let flat = [Double](repeating: 1, count: 12)

    /// A day in [lo, hi] (clamped to the period) drawn with a yearly `trend` (0.05 = 5% more each
    /// year) and a monthly `season` shape, by rejection.
    func day(
        _ rng: inout SeededRandom, from lo: Int? = nil, to hi: Int? = nil,
        trend: Double = 0, season: [Double] = DropBuilder.flat
    ) -> Int {
        let a = max(start, lo ?? start), b = min(end, hi ?? end)
        guard a < b else { return a }
        let maxWeight = (1 + max(0, trend) * years) * (season.max() ?? 1)
        while true {
            let d = rng.int(a...b)
            let t = Double(d - start) / 365.25
            let w = (1 + trend * t) * season[CivilDate.civil(d).month - 1]
            if rng.unit() * maxWeight < w { return d }
        }
    }

    func inPeriod(_ d: Int) -> Bool { d >= start && d <= end }

    func age(_ person: Int, _ day: Int) -> Int { population.age(person, on: day) }

    func minute(_ rng: inout SeededRandom, evening: Bool = false) -> Int16 {
        // Incidents cluster in the afternoon and evening.
        let hour = evening ? (14 + rng.int(0...11)) % 24 : rng.int(0...23)
        return Int16(hour * 60 + rng.int(0...59))
    }

    // MARK: Rows shared by several scenarios

    mutating func addCrime(
        _ rng: inout SeededRandom, day: Int, offence: UInt8, flags: CrimeFlags = [],
        victim: Int, suspect: Int, lsoa: Int? = nil, positiveShare: Double = 0.12,
        hateStrands: UInt8 = 0
    ) {
        guard inPeriod(day) else { return }
        let place = lsoa ?? Int(victim >= 0 ? population.people[victim].lsoa : population.people[max(0, suspect)].lsoa)
        let row = CrimeRow(
            crime: nextCrime, day: Int32(day), minute: minute(&rng, evening: true), offence: offence, flags: flags,
            hateStrands: hateStrands, lsoa: Int16(place), victim: Int32(victim), suspect: Int32(suspect),
            outcome: outcome(&rng, suspectKnown: suspect >= 0, positiveShare: positiveShare, day: day),
            outcomeDelay: Int16(rng.int(1...120)))
        // No one is a victim or suspect before they are born (the draws above are made either way,
        // so the rest of the person's story is unchanged).
        guard born(victim, suspect, by: day) else { return }
        crimes.append(row)
        nextCrime += 1
    }

    /// A Home Office outcome: recent crimes are more often still under investigation.
    func outcome(_ rng: inout SeededRandom, suspectKnown: Bool, positiveShare: Double, day: Int) -> UInt8 {
        if end - day < 60 && rng.chance(0.5) { return 10 }
        guard suspectKnown else { return rng.chance(0.85) ? 7 : 4 }
        if rng.chance(positiveShare) {
            return [0, 0, 0, 0, 1, 2, 3, 3][rng.int(0..<8)]  // mostly charged
        }
        return [4, 5, 5, 6, 6, 6, 8, 9, 9][rng.int(0..<9)]
    }

    mutating func addIncident(
        _ rng: inout SeededRandom, day: Int, type: UInt8, person: Int, role: UInt8 = 0,
        suspect: Int = -1, alcohol: Bool = false, drugs: Bool = false, lsoa: Int? = nil
    ) {
        guard inPeriod(day) else { return }
        let place = lsoa ?? Int(population.people[max(0, person)].lsoa)
        let row = IncidentRow(
            day: Int32(day), minute: minute(&rng, evening: true), type: type, alcohol: alcohol, drugs: drugs,
            lsoa: Int16(place), person: Int32(person), role: role, suspect: Int32(suspect))
        guard born(person, suspect, by: day) else { return }
        incidents.append(row)
    }

    /// Whether each of `people` (-1: no one) is born by `day`.
    private func born(_ people: Int..., by day: Int) -> Bool {
        people.allSatisfy { $0 < 0 || Int(population.people[$0].birth) <= day }
    }

    mutating func addAttendance(_ rng: inout SeededRandom, day: Int, person: Int, flags: UInt8) {
        guard inPeriod(day), day >= population.people[person].birth else { return }
        attendances.append(
            AttendanceRow(
                day: Int32(day), minute: minute(&rng), person: Int32(person), flags: flags,
                site: UInt8(rng.pick(weights: [62, 30, 5, 3]))))
    }

    mutating func addAdmission(
        _ rng: inout SeededRandom, day: Int, person: Int, primary: Int,
        secondary: Int? = nil, emergency: Bool = true
    ) {
        guard inPeriod(day), day >= population.people[person].birth else { return }
        let second = secondary ?? (rng.chance(0.6) ? rng.int(Codes.generalDiagnoses) : nil)
        let third: Int? = rng.chance(0.3) ? rng.int(Codes.generalDiagnoses) : nil
        admissions.append(
            AdmissionRow(
                day: Int32(day), stay: Int16(rng.poisson(emergency ? 4.5 : 1.2)), person: Int32(person),
                emergency: emergency,
                diagnoses: (UInt16(primary), UInt16(second ?? Int(UInt16.max)), UInt16(third ?? Int(UInt16.max)))))
    }

    mutating func addReferral(
        _ rng: inout SeededRandom, day: Int, child: Int, source: UInt8, need: UInt8,
        factors: [Int], outcome: UInt8
    ) {
        guard inPeriod(day), day >= population.people[child].birth, age(child, day) < 18 else { return }
        var bits: UInt32 = 0
        for f in factors { bits |= 1 << UInt32(f) }
        referrals.append(
            ReferralRow(
                day: Int32(day), person: Int32(child), source: source, need: need,
                factors: bits, outcome: outcome))
    }

    mutating func addEnquiry(
        _ rng: inout SeededRandom, day: Int, person: Int, risk: UInt8, location: UInt8,
        outcomeWeights: [Double] = [15, 50, 25, 10]
    ) {
        guard inPeriod(day), age(person, day) >= 18 else { return }
        enquiries.append(
            EnquiryRow(
                day: Int32(day), person: Int32(person), risk: risk,
                selfNeglectType: risk == Codes.Risk.selfNeglect ? UInt8(rng.pick(weights: [25, 35, 25, 15])) : .max,
                location: location, capacity: UInt8(rng.pick(weights: [65, 25, 10])),
                outcome: UInt8(rng.pick(weights: outcomeWeights)), sourceOfRisk: Self.sourceOfRisk(risk, location: location, &rng)))
    }

    /// Safeguarding Adults Collection source of risk: the person themselves in most self-neglect,
    /// someone they know in domestic abuse and exploitation, a provider where care is organised.
    static func sourceOfRisk(_ risk: UInt8, location: UInt8, _ rng: inout SeededRandom) -> UInt8 {
        switch risk {
        case Codes.Risk.selfNeglect: UInt8(rng.pick(weights: [0, 10, 2, 88]))
        case Codes.Risk.organisational: 0
        case Codes.Risk.domesticAbuse: UInt8(rng.pick(weights: [0, 97, 3, 0]))
        case Codes.Risk.sexualExploitation, Codes.Risk.modernSlavery: UInt8(rng.pick(weights: [0, 55, 45, 0]))
        default: UInt8(rng.pick(weights: location >= 2 && location <= 5 ? [70, 22, 8, 0] : [12, 70, 18, 0]))
        }
    }

    mutating func addHomelessness(_ rng: inout SeededRandom, day: Int, person: Int, reason: UInt8, needs: [Int]) {
        guard inPeriod(day), age(person, day) >= 16 else { return }
        var bits: UInt16 = 0
        for n in needs { bits |= 1 << UInt16(n) }
        homelessness.append(
            HomelessnessRow(
                day: Int32(day), decisionDelay: Int16(rng.int(0...56)), person: Int32(person),
                duty: UInt8(rng.pick(weights: [45, 45, 10])), reason: reason, needs: bits))
    }

    mutating func addEducation(_ rng: inout SeededRandom, day: Int, person: Int, type: UInt8, reason: UInt8) {
        guard inPeriod(day) else { return }
        let a = age(person, day)
        guard type == 2 ? (16...17).contains(a) : (4...16).contains(a) else { return }
        // Schools are shut in August: move such events into September.
        var d = day
        if type != 2, CivilDate.civil(d).month == 8 { d += 31 }
        guard inPeriod(d) else { return }
        education.append(
            EducationRow(
                day: Int32(d), person: Int32(person), type: type, reason: reason,
                sessions: type == 0 ? UInt8(1 + rng.poisson(1.5)) : 0))
    }

    /// An early help episode for every child of the household, under one episode id.
    mutating func addEarlyHelp(
        _ rng: inout SeededRandom, day: Int, household: Household, reason: UInt8,
        steppedUp: Bool = false
    ) {
        guard inPeriod(day) else { return }
        let kids = population.children(of: household, on: day)
        guard !kids.isEmpty else { return }
        let length = rng.int(60...300)
        let close = day + length
        let closure: UInt8 = steppedUp ? 1 : UInt8(rng.pick(weights: [60, 0, 25, 5]))
        let episode = nextEpisode
        nextEpisode += 1
        for child in kids {
            earlyHelp.append(
                EarlyHelpRow(
                    day: Int32(day), end: close <= end ? Int32(close) : -1, person: Int32(child),
                    family: Int32(population.people[child].household), episode: episode, reason: reason,
                    closure: closure))
        }
    }
}
