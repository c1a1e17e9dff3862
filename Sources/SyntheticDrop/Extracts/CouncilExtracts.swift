/// Council extracts: children's social care (referrals, plans, early help share one case system and
/// its person ids), adult social care, housing and education, each with its own layout and dates.
extension ExtractWriter {
    private var childStyle: IdentityStyle { IdentityStyle(nhsShare: 0.75, dobMissing: 0.005, variant: 0.04, typo: 0.008) }

    /// The child's columns (noted as the record's child in the truth, when asked for).
    private func childColumns(_ p: Int, _ style: IdentityStyle, _ rng: inout SeededRandom, _ w: CSVFileWriter, dates: DateStyle) {
        truth?.note(w, .child, p)
        w.field(IdentityPresenter.localID(p, prefix: "P", digits: 7, salt: 11))
        w.field(identity.forename(p, style, &rng))
        w.field(identity.surname(p, style, &rng))
        w.date(identity.birth(p, style, &rng), dates)
        w.field(rng.chance(0.005) ? "U" : (identity.sex(p) ? "F" : "M"))
        w.field(rng.chance(0.05) ? Ethnicity.notStated.dfe : Ethnicity.groups[Int(population.people[p].ethnicity)].dfe)
        w.field(identity.nhsNumber(p, style, &rng))
        w.field(rng.chance(0.02) ? "" : postcode(p))
    }

    func writeReferrals(_ rows: [ReferralRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person) < ($1.day, $1.person) }
        let w = try open(.childrensReferrals)
        w.header([
            "ReferralID", "PersonID", "Forename", "Surname", "DOB", "Gender", "Ethnicity", "NHSNumber",
            "Postcode", "ReferralDate", "ReferralSource", "PrimaryNeed", "AssessmentFactors", "ReferralOutcome",
        ])
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.childrensReferrals, i)
            w.field("REF\(200_000 + i)")
            childColumns(Int(r.person), childStyle, &rng, w, dates: .ukSlash)
            w.date(Int(r.day), .ukSlash)
            w.field(Codes.referralSources[Int(r.source)])
            w.field(Codes.primaryNeeds[Int(r.need)])
            var factors: [String] = []
            for (f, code) in Codes.assessmentFactors.enumerated() where r.factors & (1 << UInt32(f)) != 0 { factors.append(code) }
            // Factors are known only once the assessment is done: recent referrals may have none yet.
            w.field(r.outcome == 0 || (end - Int(r.day) < 45 && rng.chance(0.5)) ? "" : factors.joined(separator: ","))
            w.field(Codes.referralOutcomes[Int(r.outcome)])
            w.endRow()
        }
        return try finish(w, .childrensReferrals)
    }

    func writePlans(_ rows: [PlanRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person, $0.sequence) < ($1.day, $1.person, $1.sequence) }
        let w = try open(.childProtectionPlans)
        w.header([
            "PlanID", "PersonID", "Forename", "Surname", "DOB", "Gender", "Ethnicity", "NHSNumber", "Postcode",
            "PlanStartDate", "PlanEndDate", "InitialCategory", "PlanNumber",
        ])
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.childProtectionPlans, i)
            w.field("CPP\(50_000 + i)")
            childColumns(Int(r.person), childStyle, &rng, w, dates: .ukSlash)
            w.date(Int(r.day), .ukSlash)
            w.date(r.end < 0 ? nil : Int(r.end), .ukSlash)
            w.field(Codes.planCategories[Int(r.category)])
            w.field(Int(r.sequence))
            w.endRow()
        }
        return try finish(w, .childProtectionPlans)
    }

    func writeEarlyHelp(_ rows: [EarlyHelpRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.episode, $0.person) < ($1.day, $1.episode, $1.person) }
        let w = try open(.earlyHelp)
        w.header([
            "EpisodeID", "FamilyID", "ChildID", "ChildForename", "ChildSurname", "ChildDOB", "Gender",
            "Ethnicity", "NHSNumber", "Postcode", "StartDate", "EndDate", "PrimaryReason", "ClosureReason",
        ])
        let style = IdentityStyle(nhsShare: 0.4, dobMissing: 0.01, variant: 0.05, typo: 0.01)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.earlyHelp, i)
            w.field("EH\(300_000 + Int(r.episode))")
            w.field(IdentityPresenter.localID(Int(r.family), prefix: "F", digits: 7, salt: 13))
            childColumns(Int(r.person), style, &rng, w, dates: .iso)
            w.date(Int(r.day), .iso)
            w.date(r.end < 0 ? nil : Int(r.end), .iso)
            w.field(Codes.earlyHelpReasons[Int(r.reason)])
            if r.end < 0 { w.empty() } else { w.field(Codes.earlyHelpClosures[Int(r.closure)]) }
            w.endRow()
        }
        return try finish(w, .earlyHelp)
    }

    func writeEnquiries(_ rows: [EnquiryRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person, $0.risk) < ($1.day, $1.person, $1.risk) }
        let w = try open(.adultSafeguarding)
        w.header([
            "EnquiryRef", "ClientID", "NHSNumber", "Surname", "Forenames", "DateOfBirth", "Gender", "Ethnicity",
            "Postcode", "ConcernReceived", "EnquiryStart", "TypeOfRisk", "SelfNeglectType", "LocationOfRisk",
            "SourceOfRisk", "MentalCapacity", "RiskOutcome",
        ])
        let style = IdentityStyle(nhsShare: 0.92, nhsWithSpaces: true, dobMissing: 0.005, variant: 0.03, typo: 0.006)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.adultSafeguarding, i)
            let p = Int(r.person)
            truth?.note(w, .adult, p)
            w.field("S42-\(600_000 + i)")
            w.field(IdentityPresenter.localID(p, prefix: "A", digits: 8, salt: 17))
            w.field(identity.nhsNumber(p, style, &rng))
            w.field(identity.surname(p, style, &rng)); w.field(identity.forename(p, style, &rng))
            w.date(identity.birth(p, style, &rng), .iso)
            w.field(identity.sex(p) ? "Female" : "Male")
            w.field(rng.chance(0.07) ? Ethnicity.notStated.name : Ethnicity.groups[Int(population.people[p].ethnicity)].name)
            w.field(postcode(p))
            w.date(Int(r.day), .iso)
            w.date(min(end, Int(r.day) + rng.int(0...14)), .iso)
            w.field(Codes.riskTypes[Int(r.risk)])
            if r.selfNeglectType == .max { w.empty() } else { w.field(Codes.selfNeglectTypes[Int(r.selfNeglectType)]) }
            w.field(Codes.riskLocations[Int(r.location)])
            w.field(Codes.sourcesOfRisk[Int(r.sourceOfRisk)])
            w.field(Codes.capacity[Int(r.capacity)])
            // Open enquiries have no outcome yet.
            if end - Int(r.day) < 30 && rng.chance(0.6) { w.empty() } else { w.field(Codes.riskOutcomes[Int(r.outcome)]) }
            w.endRow()
        }
        return try finish(w, .adultSafeguarding)
    }

    func writeHomelessness(_ rows: [HomelessnessRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person, $0.reason) < ($1.day, $1.person, $1.reason) }
        let w = try open(.homelessness)
        w.header([
            "CaseRef", "ApplicantSurname", "ApplicantForename", "ApplicantDOB", "Sex", "Ethnicity", "NHSNumber",
            "LastSettledPostcode", "ApproachDate", "DecisionDate", "DutyOwed", "ReasonForLoss", "SupportNeeds",
        ])
        let style = IdentityStyle(nhsShare: 0.15, dobMissing: 0.02, variant: 0.05, typo: 0.015)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.homelessness, i)
            let p = Int(r.person)
            truth?.note(w, .applicant, p)
            w.field("HL/\(CivilDate.civil(Int(r.day)).year)/\(10_000 + i)")
            w.field(identity.surname(p, style, &rng)); w.field(identity.forename(p, style, &rng))
            w.date(identity.birth(p, style, &rng), .dayMonthYear)
            w.field(identity.sex(p) ? "Female" : "Male")
            w.field(rng.chance(0.1) ? Ethnicity.notStated.name : Ethnicity.groups[Int(population.people[p].ethnicity)].name)
            w.field(identity.nhsNumber(p, style, &rng))
            w.field(rng.chance(0.03) ? "" : postcode(p))
            w.date(Int(r.day), .dayMonthYear)
            let decision = Int(r.day) + Int(r.decisionDelay)
            w.date(decision <= end ? decision : nil, .dayMonthYear)
            w.field(Codes.duties[Int(r.duty)])
            w.field(Codes.lossReasons[Int(r.reason)])
            var needs: [String] = []
            for (n, name) in Codes.supportNeeds.enumerated() where r.needs & (1 << UInt16(n)) != 0 { needs.append(name) }
            w.field(needs.joined(separator: "|"))
            w.endRow()
        }
        return try finish(w, .homelessness)
    }

    func writeEducation(_ rows: [EducationRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person, $0.type) < ($1.day, $1.person, $1.type) }
        let w = try open(.education)
        w.header([
            "RecordID", "UPN", "Surname", "Forename", "DOB", "Gender", "Ethnicity", "Postcode", "SchoolURN",
            "EventType", "EventDate", "Reason", "Sessions",
        ])
        let style = IdentityStyle(nhsShare: 0, dobMissing: 0.002, variant: 0.03, typo: 0.006)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.education, i)
            let p = Int(r.person)
            truth?.note(w, .pupil, p)
            w.field("ED\(900_000 + i)")
            w.field(IdentityPresenter.upn(p))
            w.field(identity.surname(p, style, &rng)); w.field(identity.forename(p, style, &rng))
            w.date(identity.birth(p, style, &rng), .ukSlash)
            w.field(identity.sex(p) ? "F" : "M")
            w.field(Ethnicity.groups[Int(population.people[p].ethnicity)].dfe)
            w.field(postcode(p))
            // Pupils attend a school near home (one of 97 URNs, fixed by LSOA); NEET young people have none.
            if r.type == 2 { w.empty() } else { w.field(123_000 + Int(population.people[p].lsoa) % 97) }
            w.field(Codes.educationEvents[Int(r.type)])
            w.date(Int(r.day), .ukSlash)
            w.field(r.type == 2 ? Codes.neetActivities[Int(r.reason) % Codes.neetActivities.count] : Codes.exclusionReasons[Int(r.reason)])
            if r.type == 0 { w.field(Int(r.sessions)) } else { w.empty() }
            w.endRow()
        }
        return try finish(w, .education)
    }
}
