import Reference

/// The synthetic partnership's residents, in households, spread over the area's LSOAs.
///
/// LSOA sizes are drawn around 1,650 residents (LSOAs are built for 1,000-3,000; Shropshire's
/// ~323,600 residents over 193 LSOAs average about 1,680, ONS mid-2021 estimates). Household
/// types follow the Census 2021 mix for a rural county (many one-person and older households),
/// which gives about 19% of residents under 18 and 25% aged 65+, close to Shropshire's.
struct Population {
    let geography: AreaGeography
    let postcodes: PostcodeBook
    private(set) var people: [Person] = []
    private(set) var households: [Household] = []
    /// Relative LSOA sizes (residents per LSOA in a county-sized population).
    let lsoaSize: [Double]
    /// How much more often harm reaches residents of each LSOA, from its deprivation decile.
    let lsoaRisk: [Double]
    /// The day the ages of the population refer to (the last day of the period generated).
    let referenceDay: Int
    private(set) var peopleWithoutNHSRange = 0

    /// Incident multiplier by national IMD decile (1 = most deprived): recorded crime, child
    /// protection and hospital admissions for alcohol run 2-4 times higher in the most deprived
    /// tenth than in the least (ONS and OHID deprivation gradients).
    static let riskByDecile: [Double] = [2.6, 2.1, 1.75, 1.45, 1.25, 1.1, 0.95, 0.85, 0.75, 0.65]

    /// Whether surnames are drawn from 30,000 more (`NameLists.wideSurname`) as well as the common ones.
    let wideNames: Bool

    init(geography: AreaGeography, people target: Int, referenceDay: Int, seed: UInt64, wideNames: Bool = false) {
        self.wideNames = wideNames
        self.geography = geography
        self.referenceDay = referenceDay
        postcodes = PostcodeBook(lsoas: geography.lsoas.map { ($0.code, $0.locality) }, seed: seed)
        var sizes: [Double] = []
        for i in geography.lsoas.indices {
            var rng = SeededRandom(seed: seed, stream: UInt64(i), purpose: 0x5123)
            sizes.append(1_650 + 330 * rng.normal())
        }
        lsoaSize = sizes.map { max(1_000, min(3_000, $0)) }
        lsoaRisk = geography.lsoas.map { Self.riskByDecile[max(1, min(10, $0.imdDecile)) - 1] }
        build(target: target, seed: seed)
    }

    private static let kindWeights: [(Household.Kind, Double)] = [
        (.singleAdult, 14), (.singleOlder, 18), (.couple, 14), (.olderCouple, 16),
        (.coupleWithChildren, 18), (.loneParent, 7), (.familyWithYoungAdults, 8), (.sharers, 4),
    ]

    private mutating func build(target: Int, seed: UInt64) {
        people.reserveCapacity(target + 8)
        let lsoaTable = WeightedTable(lsoaSize)
        let kindTable = WeightedTable(Self.kindWeights.map(\.1))
        var nhs = NHSNumber.Sequence()
        var h = 0
        while people.count < target {
            var rng = SeededRandom(seed: seed, stream: UInt64(h), purpose: 0x40E5)
            let lsoa = lsoaTable.draw(&rng)
            let codes = postcodes.byLSOA[lsoa]
            let postcode = codes[rng.int(0..<codes.count)]
            let kind = Self.kindWeights[kindTable.draw(&rng)].0
            let ages = Self.memberAges(kind, &rng)
            let surname = wideNames ? NameLists.wideSurname(&rng) : Int16(rng.int(0..<NameLists.surnames.count))
            let ethnicity = UInt8(Ethnicity.table.draw(&rng))
            let first = Int32(people.count)
            for (m, member) in ages.enumerated() where people.count < target {
                // A partner keeps a surname of their own one time in five.
                let ownSurname = m == 1 && member.adult && rng.chance(0.2)
                let birth = referenceDay - member.age * 365 - rng.int(0..<365)
                var number: Int64 = 0
                if !rng.chance(0.005) {
                    if let n = nhs.next() { number = n } else { peopleWithoutNHSRange += 1 }
                }
                people.append(
                    Person(
                        household: Int32(h), female: member.female, birth: Int32(birth), lsoa: Int16(lsoa),
                        postcode: postcode,
                        ethnicity: rng.chance(0.9) ? ethnicity : UInt8(Ethnicity.table.draw(&rng)),
                        surname: ownSurname
                            ? (wideNames ? NameLists.wideSurname(&rng) : Int16(rng.int(0..<NameLists.surnames.count))) : surname,
                        forename: Self.forename(female: member.female, age: member.age, &rng),
                        nhsNumber: number))
            }
            households.append(
                Household(
                    firstMember: first, memberCount: Int8(people.count - Int(first)), kind: kind,
                    lsoa: Int16(lsoa), postcode: postcode))
            h += 1
        }
    }

    struct MemberSpec { var age: Int; var female: Bool; var adult: Bool }

    private static func memberAges(_ kind: Household.Kind, _ rng: inout SeededRandom) -> [MemberSpec] {
        func adult(_ range: ClosedRange<Int>, female: Bool? = nil) -> MemberSpec {
            MemberSpec(age: rng.int(range), female: female ?? rng.chance(0.5), adult: true)
        }
        // Dependent children: the eldest of any age under 18, siblings one to four years apart;
        // the parent is 20 to 38 years older than the eldest.
        func family(count: Int) -> (parentAge: Int, children: [MemberSpec]) {
            let eldest = rng.int(0...17)
            var age = eldest
            var kids: [MemberSpec] = []
            for _ in 0..<count where age >= 0 {
                kids.append(MemberSpec(age: age, female: rng.chance(0.49), adult: false))
                age -= rng.int(1...4)
            }
            return (eldest + rng.int(20...38), kids)
        }
        switch kind {
        case .singleAdult: return [adult(25...64)]
        case .singleOlder: return [adult(65...92, female: rng.chance(0.64))]
        case .couple:
            let a = rng.int(25...64)
            return [adult(a...a, female: false), adult(max(18, a - 5)...min(70, a + 3), female: true)]
        case .olderCouple:
            let a = rng.int(65...86)
            return [adult(a...a, female: false), adult(max(60, a - 6)...a + 2, female: true)]
        case .coupleWithChildren:
            let f = family(count: min(5, 1 + rng.poisson(0.7)))
            return [adult(f.parentAge...f.parentAge, female: false), adult(max(18, f.parentAge - 6)...f.parentAge + 2, female: true)]
                + f.children
        case .loneParent:
            let f = family(count: min(5, 1 + rng.poisson(0.6)))
            return [adult(f.parentAge...f.parentAge, female: rng.chance(0.88))] + f.children
        case .familyWithYoungAdults:
            let a = rng.int(42...62)
            var members = [adult(a...a, female: false), adult(max(36, a - 5)...a + 2, female: true)]
            members.append(adult(18...25))
            if rng.chance(0.35) { members.append(adult(18...25)) }
            if rng.chance(0.35) { members.append(MemberSpec(age: rng.int(13...17), female: rng.chance(0.5), adult: false)) }
            return members
        case .sharers:
            return (0..<(2 + rng.int(0...1))).map { _ in adult(18...34) }
        }
    }

    /// Forenames are listed roughly from youngest to oldest fashion; pick near the person's age.
    private static func forename(female: Bool, age: Int, _ rng: inout SeededRandom) -> Int16 {
        let list = female ? NameLists.femaleForenames : NameLists.maleForenames
        let centre = min(list.count - 1, age * list.count / 95)
        let lo = max(0, centre - 10), hi = min(list.count - 1, centre + 10)
        return Int16(rng.int(lo...hi))
    }

    // MARK: Queries used by the scenarios

    func age(_ person: Int, on day: Int) -> Int { CivilDate.age(birth: Int(people[person].birth), on: day) }

    func household(of person: Int) -> Household { households[Int(people[person].household)] }

    func risk(of person: Int) -> Double { lsoaRisk[Int(people[person].lsoa)] }

    /// The household's members under 18 on `day`.
    func children(of household: Household, on day: Int) -> [Int] {
        household.members.filter { age($0, on: day) < 18 && age($0, on: day) >= 0 }
    }

    func adults(of household: Household, on day: Int) -> [Int] {
        household.members.filter { age($0, on: day) >= 18 }
    }
}
