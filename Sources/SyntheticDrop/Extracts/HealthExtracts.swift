/// Health extracts: ECDS-style A&E attendances and HES/SUS-style admissions carry the NHS number
/// and little other identity; the treatment provider's NDTMS-style extract carries names.
extension ExtractWriter {
    func writeAttendances(_ rows: [AttendanceRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.minute, $0.person) < ($1.day, $1.minute, $1.person) }
        let w = try open(.aeAttendances)
        w.header([
            "AttendanceID", "Site", "NHSNumber", "ArrivalDate", "ArrivalTime", "AgeAtArrival", "Sex",
            "EthnicCategory", "LSOAofResidence", "AssaultFlag", "DomesticAbuseDisclosed", "SelfHarm",
            "AlcoholRelated", "DrugRelated", "MentalHealth",
        ])
        let style = IdentityStyle(nhsShare: 0.985)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.aeAttendances, i)
            let p = Int(r.person)
            truth?.note(w, .patient, p)
            w.field("AE\(7_000_000 + i)")
            w.field(Codes.aeSites[Int(r.site)])
            w.field(identity.nhsNumber(p, style, &rng))
            w.date(Int(r.day), .iso)
            w.beginRawField(); w.appendDigits(Int(r.minute) / 60, width: 2); w.appendRaw(":"); w.appendDigits(Int(r.minute) % 60, width: 2)
            w.field(CivilDate.age(birth: Int(population.people[p].birth), on: Int(r.day)))
            w.field(identity.sex(p) ? "2" : "1")
            w.field(rng.chance(0.06) ? Ethnicity.notStated.nhs : Ethnicity.groups[Int(population.people[p].ethnicity)].nhs)
            w.field(rng.chance(0.01) ? "" : lsoaCode(Int(population.people[p].lsoa)))
            for bit in [
                AttendanceFlag.assault, AttendanceFlag.domesticAbuse, AttendanceFlag.selfHarm, AttendanceFlag.alcohol, AttendanceFlag.drugs,
                AttendanceFlag.mentalHealth,
            ] {
                w.field(r.flags & bit != 0 ? "1" : "0")
            }
            w.endRow()
        }
        return try finish(w, .aeAttendances)
    }

    func writeAdmissions(_ rows: [AdmissionRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person, $0.stay) < ($1.day, $1.person, $1.stay) }
        let w = try open(.hospitalAdmissions)
        w.header([
            "SPELL_ID", "NHS_NO", "ADMIDATE", "DISDATE", "STARTAGE", "SEX", "ETHNOS", "LSOA11", "ADMIMETH",
            "DIAG_4_01", "DIAG_4_02", "DIAG_4_03",
        ])
        let style = IdentityStyle(nhsShare: 0.99)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.hospitalAdmissions, i)
            let p = Int(r.person)
            truth?.note(w, .patient, p)
            w.field(40_000_000 + i)
            w.field(identity.nhsNumber(p, style, &rng))
            w.date(Int(r.day), .compact)
            let discharge = Int(r.day) + Int(r.stay)
            if discharge <= end { w.date(discharge, .compact) } else { w.empty() }
            w.field(CivilDate.age(birth: Int(population.people[p].birth), on: Int(r.day)))
            w.field(identity.sex(p) ? "2" : "1")
            w.field(rng.chance(0.05) ? Ethnicity.notStated.nhs : Ethnicity.groups[Int(population.people[p].ethnicity)].nhs)
            w.field(lsoaCode(Int(population.people[p].lsoa)))
            w.field(r.emergency ? "21" : "11")
            for d in [r.diagnoses.0, r.diagnoses.1, r.diagnoses.2] {
                if d == .max { w.empty() } else { w.field(Codes.diagnoses[Int(d)].0) }
            }
            w.endRow()
        }
        return try finish(w, .hospitalAdmissions)
    }

    func writeTreatment(_ rows: [TreatmentRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.person) < ($1.day, $1.person) }
        let w = try open(.substanceTreatment)
        w.header([
            "EpisodeID", "ClientRef", "Surname", "Forename", "DOB", "Sex", "NHSNumber", "Postcode",
            "PrimarySubstance", "SecondarySubstance", "ReferralSource", "TriageDate", "DischargeDate",
            "DischargeReason", "LivesWithChildren", "MentalHealthNeed",
        ])
        let style = IdentityStyle(nhsShare: 0.55, dobMissing: 0.01, variant: 0.04, typo: 0.01)
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.substanceTreatment, i)
            let p = Int(r.person)
            truth?.note(w, .client, p)
            w.field("TE\(100_000 + i)")
            w.field(IdentityPresenter.localID(p, prefix: "SRP", digits: 7, salt: 31))
            w.field(identity.surname(p, style, &rng)); w.field(identity.forename(p, style, &rng))
            w.date(identity.birth(p, style, &rng), .ukSlash)
            w.field(identity.sex(p) ? "F" : "M")
            w.field(identity.nhsNumber(p, style, &rng))
            w.field(postcode(p))
            w.field(Codes.substances[Int(r.substance)])
            if r.secondSubstance == .max { w.empty() } else { w.field(Codes.substances[Int(r.secondSubstance)]) }
            w.field(Codes.treatmentReferralSources[Int(r.referral)])
            w.date(Int(r.day), .dayMonthShortYear)
            if r.end < 0 {
                w.empty(); w.empty()
            } else {
                w.date(Int(r.end), .dayMonthShortYear)
                w.field(Codes.dischargeReasons[Int(r.discharge)])
            }
            w.field(r.withChildren ? "Y" : (rng.chance(0.05) ? "Unknown" : "N"))
            w.field(Codes.mentalHealthNeeds[Int(r.mentalHealth)])
            w.endRow()
        }
        return try finish(w, .substanceTreatment)
    }
}
