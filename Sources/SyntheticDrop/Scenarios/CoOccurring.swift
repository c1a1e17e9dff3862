/// Co-occurring mental health and drug or alcohol conditions (strategy 6.3.7). About two thirds of
/// the people who misuse drugs or alcohol have a mental health treatment need (OHID's adult
/// treatment statistics: around 70% of adults starting treatment); of those in treatment, about two
/// thirds are receiving treatment for their mental health, rising a few points a year as the
/// strategy's framework takes hold. People with both conditions attend A&E for their mental health
/// and are admitted with mental health diagnoses far more often than the rest of the adult
/// population, who are seen for their mental health now and then too.
extension DropBuilder {
    /// A person's co-occurring mental health treatment need as the treatment provider records it on
    /// `day` (an index into `Codes.mentalHealthNeeds`: receiving treatment for it, need not met, no
    /// need, not recorded). The need is the person's own in every episode; whether it is treated
    /// depends on when the episode starts.
    func mentalHealthNeed(_ p: Int, on day: Int) -> UInt8 {
        var rng = rng(p, .mentalHealthNeed)
        if rng.chance(0.05) { return 3 }
        guard rng.chance(0.66) else { return 2 }
        let receiving = 0.55 + 0.05 * Double(day - start) / 365.25
        return rng.unit() < receiving ? 0 : 1
    }

    mutating func addCoOccurring() {
        let users = Set(substanceUsers.map(Int.init))
        for p in population.people.indices {
            let a = age(p, start)
            guard (16...85).contains(a) else { continue }
            var rng = rng(p, .mentalHealth)
            let both = users.contains(p) && mentalHealthNeed(p, on: start) <= 1
            for _ in 0..<rng.poisson((both ? 0.35 : 0.012) * years) {
                var flags = AttendanceFlag.mentalHealth
                if both, rng.chance(0.3) { flags |= rng.chance(0.6) ? AttendanceFlag.alcohol : AttendanceFlag.drugs }
                if rng.chance(0.15) { flags |= AttendanceFlag.selfHarm }
                addAttendance(&rng, day: day(&rng), person: p, flags: flags)
            }
            if rng.chance(both ? 0.15 : 0.004 * years) {
                for _ in 0..<(1 + rng.poisson(both ? 0.6 : 0.2)) {
                    addAdmission(&rng, day: day(&rng), person: p, primary: rng.int(Codes.mentalHealthDiagnoses))
                }
            }
        }
    }
}
