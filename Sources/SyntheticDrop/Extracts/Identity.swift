import Foundation

/// How an agency's extract presents a person: which identifiers it carries and how messy they are.
/// Police records often lack an NHS number; health records carry one and little else; names come
/// with case and punctuation variants (which normalise away) and a few real typos (which do not).
struct IdentityStyle {
    var nhsShare: Double
    var nhsWithSpaces = false
    var dobMissing = 0.01
    var variant = 0.05
    var typo = 0.012
    var forenameMissing = 0.005
}

struct IdentityPresenter {
    let population: Population

    func nhsNumber(_ person: Int, _ style: IdentityStyle, _ rng: inout SeededRandom) -> String {
        let n = population.people[person].nhsNumber
        guard n != 0, rng.chance(style.nhsShare) else { return "" }
        let s = String(n)
        guard style.nhsWithSpaces || rng.chance(0.05) else { return s }
        let c = Array(s)
        return String(c[0..<3]) + " " + String(c[3..<6]) + " " + String(c[6..<10])
    }

    func surname(_ person: Int, _ style: IdentityStyle, _ rng: inout SeededRandom) -> String {
        let base = NameLists.surname(population.people[person].surname)
        if rng.chance(style.typo) { return Self.typo(base, &rng) }
        guard rng.chance(style.variant) else { return base }
        switch rng.int(0..<4) {
        case 0: return base.uppercased()
        case 1: return base.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "-", with: " ")
        case 2: return " " + base
        default: return base.lowercased()
        }
    }

    func forename(_ person: Int, _ style: IdentityStyle, _ rng: inout SeededRandom) -> String {
        if rng.chance(style.forenameMissing) { return "" }
        let p = population.people[person]
        let name = (p.female ? NameLists.femaleForenames : NameLists.maleForenames)[Int(p.forename)]
        return rng.chance(0.03) ? name.uppercased() : name
    }

    /// Birth day number, or nil when the extract leaves it blank; a few have day and month swapped.
    func birth(_ person: Int, _ style: IdentityStyle, _ rng: inout SeededRandom) -> Int? {
        if rng.chance(style.dobMissing) { return nil }
        let b = Int(population.people[person].birth)
        if rng.chance(0.004) {
            let c = CivilDate.civil(b)
            if c.day <= 12 && c.day != c.month { return CivilDate.dayNumber(year: c.year, month: c.day, day: c.month) }
        }
        return b
    }

    /// A real typo: two letters swapped, one dropped, or one doubled.
    static func typo(_ s: String, _ rng: inout SeededRandom) -> String {
        var c = Array(s)
        guard c.count >= 4 else { return s + "e" }
        let i = rng.int(1..<(c.count - 1))
        switch rng.int(0..<3) {
        case 0: c.swapAt(i, i + 1)
        case 1: c.remove(at: i)
        default: c.insert(c[i], at: i)
        }
        return String(c)
    }

    /// A local identifier: a bijective scramble of the person index, so ids look unrelated.
    static func localID(_ person: Int, prefix: String, digits: Int, salt: Int) -> String {
        var modulus = 1
        for _ in 0..<digits { modulus *= 10 }
        let v = (person &* 2_654_435_761 &+ salt) % modulus
        let s = String(v)
        return prefix + String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    /// A unique pupil number: check letter, LA 893 (Shropshire), then 9 digits.
    static func upn(_ person: Int) -> String {
        let body = "893" + localID(person, prefix: "", digits: 9, salt: 7)
        var sum = 0
        for (i, ch) in body.enumerated() { sum += Int(String(ch))! * (i + 2) }
        let letters = Array("ABCDEFGHJKLMNPQRTUVWXYZ")
        return String(letters[sum % 23]) + body
    }

    func sex(_ person: Int) -> Bool { population.people[person].female }
}
