/// Self-neglect: older people living alone, some with alcohol problems or hoarding, who come to
/// adult safeguarding (about one enquiry in ten nationally is self-neglect, NHS Digital Safeguarding
/// Adults Collection), often more than once, and whose health shows it: falls, frailty, pressure
/// sores, dehydration. Outcomes improve a little over the period.
extension DropBuilder {
    mutating func addSelfNeglect() {
        let people = population.people
        for p in people.indices {
            var rng = rng(p, .selfNeglect)
            let household = population.household(of: p)
            let a = age(p, start)
            let alone = household.kind == .singleOlder || household.kind == .singleAdult
            let chance: Double = a >= 55 && alone ? 0.011 : (a >= 30 ? 0.0004 : 0)
            guard chance > 0, rng.chance(chance * population.lsoaRisk[Int(people[p].lsoa)].squareRoot()) else { continue }
            let alcohol = rng.chance(0.2)
            var d = day(&rng)
            let enquiries = 1 + (rng.chance(0.27) ? 1 + (rng.chance(0.3) ? 1 : 0) : 0)
            for _ in 0..<enquiries {
                guard d <= end else { break }
                let improving = Double(d - start) / Double(max(1, end - start))
                addEnquiry(
                    &rng, day: d, person: p, risk: Codes.Risk.selfNeglect,
                    location: rng.chance(0.92) ? 0 : 6,
                    outcomeWeights: [14 + 8 * improving, 50 + 8 * improving, 30 - 14 * improving, 6])
                d += rng.int(40...330)
            }
            for _ in 0..<(rng.poisson(1.2)) {
                addAttendance(&rng, day: day(&rng), person: p, flags: alcohol && rng.chance(0.5) ? AttendanceFlag.alcohol : 0)
            }
            if rng.chance(0.45) {
                let primary = alcohol && rng.chance(0.5) ? rng.int(Codes.alcoholSpecificDiagnoses) : rng.int(Codes.frailtyDiagnoses)
                addAdmission(&rng, day: day(&rng), person: p, primary: primary, secondary: rng.int(Codes.frailtyDiagnoses))
            }
            if rng.chance(0.12) {
                addIncident(&rng, day: day(&rng), type: Codes.Incident.welfare, person: p, role: 1)
            }
        }
    }
}
