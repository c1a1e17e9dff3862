/// Neglect of children: families where care falls short, with the co-occurring factors that go with
/// it (parental mental health, substance misuse, domestic abuse). Neglect is the initial category of
/// about half of child protection plans, a fifth of referrals are re-referrals within a year, and
/// about a fifth of plans are second or later plans (DfE Characteristics of children in need).
extension DropBuilder {
    mutating func addNeglect() {
        for (h, household) in population.households.enumerated() {
            var rng = rng(h, .neglect)
            let children = population.children(of: household, on: start + (end - start) / 2)
            guard !children.isEmpty else { continue }
            let risk = population.lsoaRisk[Int(household.lsoa)]
            guard rng.chance(0.03 * risk * (household.kind == .loneParent ? 1.6 : 1)) else { continue }

            var factors = [Codes.Factor.neglect]
            if rng.chance(0.45) { factors.append(Codes.Factor.mentalHealthParent) }
            if rng.chance(0.3) { factors.append(rng.chance(0.5) ? Codes.Factor.drugParent : Codes.Factor.alcoholParent) }
            if rng.chance(0.3) { factors.append(Codes.Factor.daParent) }
            if rng.chance(0.08) { factors.append(Codes.Factor.learningDisabilityParent) }

            var t = day(&rng)
            // Early help first for many families; the trend reflects the strategy's push for more.
            if rng.chance(0.55) {
                let ehDay = day(&rng, trend: 0.12)
                let steppedUp = rng.chance(0.4)
                addEarlyHelp(&rng, day: ehDay, household: household, reason: Codes.EarlyHelp.neglect, steppedUp: steppedUp)
                if !steppedUp { continue }
                t = ehDay + rng.int(90...240)
            }
            guard rng.chance(0.8) else { continue }
            let source = UInt8(rng.pick(weights: [8, 2, 1, 30, 2, 6, 10, 3, 6, 3, 8, 2, 12, 1, 5, 1]))
            let kids = population.children(of: household, on: t)
            for child in kids {
                addReferral(
                    &rng, day: t, child: child, source: source, need: 0, factors: factors,
                    outcome: UInt8(rng.pick(weights: [15, 10, 55, 18, 2])))
            }
            // Re-referral within twelve months, falling a little over the years.
            if rng.chance(0.24 - 0.02 * Double(t - start) / 365.25) {
                let again = t + rng.int(30...360)
                for child in kids {
                    addReferral(
                        &rng, day: again, child: child, source: source, need: 0, factors: factors,
                        outcome: UInt8(rng.pick(weights: [10, 5, 55, 28, 2])))
                }
            }
            guard rng.chance(0.38) else { continue }
            let planStart = t + rng.int(20...60)
            let earlierPlan = rng.chance(0.1)
            for child in kids {
                let length = rng.int(180...450)
                addPlan(
                    &rng, start: planStart, child: child, category: rng.chance(0.9) ? 0 : 4,
                    sequence: earlierPlan ? 2 : 1, length: length)
                if rng.chance(0.18) {
                    addPlan(
                        &rng, start: planStart + length + rng.int(60...420), child: child, category: 0,
                        sequence: earlierPlan ? 3 : 2)
                }
            }
        }
    }

    /// A child protection plan, or nothing if it would start outside the period or after 18.
    mutating func addPlan(
        _ rng: inout SeededRandom, start planStart: Int, child: Int, category: UInt8,
        sequence: UInt8, length: Int? = nil
    ) {
        guard inPeriod(planStart), age(child, planStart) < 18, planStart >= population.people[child].birth else { return }
        let close = planStart + (length ?? rng.int(150...400))
        plans.append(
            PlanRow(
                day: Int32(planStart), end: close <= end ? Int32(close) : -1, person: Int32(child),
                category: category, sequence: sequence))
    }
}
