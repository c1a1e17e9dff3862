/// West Mercia-style police extracts: one row per victim per crime, and one per incident.
extension ExtractWriter {
    func writeCrimes(_ rows: [CrimeRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.minute, $0.crime, $0.victim) < ($1.day, $1.minute, $1.crime, $1.victim) }
        let w = try open(.policeCrimes)
        w.header([
            "CrimeRef", "RecordedDateTime", "HOOffenceCode", "OffenceDescription", "DA_Flag", "HateCrime",
            "HateStrands", "CSE_Flag", "CCE_Flag", "CountyLines", "ModernSlavery", "AlcoholRelated", "DrugsRelated",
            "LSOA", "VictimType", "V_Surname", "V_Forenames", "V_DOB", "V_NHSNumber", "V_Age", "V_Sex",
            "V_Ethnicity", "V_Postcode", "S_Surname", "S_Forenames", "S_DOB", "S_NHSNumber", "S_Age", "S_Sex",
            "S_Ethnicity", "OutcomeCode", "OutcomeDescription", "OutcomeDate",
        ])
        let victimStyle = IdentityStyle(nhsShare: 0.3, dobMissing: 0.03, variant: 0.06, typo: 0.015)
        let suspectStyle = IdentityStyle(nhsShare: 0.08, dobMissing: 0.05, variant: 0.08, typo: 0.02, forenameMissing: 0.02)
        var references: [Int32: Int] = [:]
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.policeCrimes, i)
            let serial = references[r.crime] ?? references.count + 1
            references[r.crime] = serial
            let year = CivilDate.civil(Int(r.day)).year % 100
            w.field("22/\(30_000 + serial)/\(year)")
            w.date(Int(r.day), .ukSlashTime, minutes: Int(r.minute))
            let offence = Codes.offences[Int(r.offence)]
            w.field(offence.code)
            w.field(offence.description)
            for flag in [CrimeFlags.domesticAbuse, .hate] { w.field(r.flags.contains(flag) ? "Y" : "N") }
            w.field(strands(r.hateStrands))
            for flag in [CrimeFlags.cse, .cce, .countyLines, .modernSlavery, .alcohol, .drugs] {
                w.field(r.flags.contains(flag) ? "Y" : "N")
            }
            if rng.chance(0.015) { w.empty() } else { w.field(lsoaCode(Int(r.lsoa))) }
            if r.victim >= 0 {
                truth?.note(w, .victim, Int(r.victim))
                w.field("Person")
                person(Int(r.victim), day: Int(r.day), style: victimStyle, &rng, w)
            } else {
                w.field(r.offence == Codes.O.shoplifting || r.offence == Codes.O.burglaryBusiness ? "Organisation" : "Society")
                for _ in 0..<8 { w.empty() }
            }
            if r.suspect >= 0 {
                truth?.note(w, .suspect, Int(r.suspect))
                person(Int(r.suspect), day: Int(r.day), style: suspectStyle, &rng, w)
            } else {
                for _ in 0..<7 { w.empty() }
            }
            let outcome = Codes.outcomes[Int(r.outcome)]
            if outcome.0 == 0 {
                w.field("0"); w.field(outcome.1); w.empty()
            } else {
                w.field(outcome.0); w.field(outcome.1)
                w.date(min(end, Int(r.day) + Int(r.outcomeDelay)), .ukSlash)
            }
            w.endRow()
        }
        return try finish(w, .policeCrimes)
    }

    /// Victim or suspect columns: surname, forenames, date of birth, NHS number, age, sex,
    /// ethnicity (self-defined 18+1 code) and, for victims, home postcode.
    private func person(_ p: Int, day: Int, style: IdentityStyle, _ rng: inout SeededRandom, _ w: CSVFileWriter) {
        w.field(identity.surname(p, style, &rng))
        w.field(identity.forename(p, style, &rng))
        w.date(identity.birth(p, style, &rng), .ukSlash)
        w.field(identity.nhsNumber(p, style, &rng))
        w.field(CivilDate.age(birth: Int(population.people[p].birth), on: day))
        w.field(rng.chance(0.01) ? "U" : (identity.sex(p) ? "F" : "M"))
        w.field(rng.chance(0.08) ? Ethnicity.notStated.police : Ethnicity.groups[Int(population.people[p].ethnicity)].police)
        if style.nhsShare > 0.2 { w.field(rng.chance(0.04) ? "" : postcode(p)) }
    }

    private func strands(_ bits: UInt8) -> String {
        var parts: [String] = []
        for (i, name) in Codes.hateStrands.enumerated() where bits & (1 << UInt8(i)) != 0 { parts.append(name) }
        return parts.joined(separator: ";")
    }

    func writeIncidents(_ rows: [IncidentRow]) throws -> WrittenFile {
        let sorted = rows.sorted { ($0.day, $0.minute, $0.type, $0.person) < ($1.day, $1.minute, $1.type, $1.person) }
        let w = try open(.policeIncidents)
        w.header([
            "IncidentNumber", "IncidentDateTime", "IncidentTypeCode", "IncidentType", "AlcoholInvolved",
            "DrugsInvolved", "LSOA11", "PersonRole", "Surname", "Forename", "DateOfBirth", "Gender", "Age",
            "Suspect_Surname", "Suspect_Forename", "Suspect_DateOfBirth",
        ])
        let style = IdentityStyle(nhsShare: 0, dobMissing: 0.06, variant: 0.07, typo: 0.02, forenameMissing: 0.02)
        var perDay: [Int32: Int] = [:]
        for (i, r) in sorted.enumerated() {
            var rng = rowRandom(.policeIncidents, i)
            let n = (perDay[r.day] ?? 0) + 1
            perDay[r.day] = n
            let c = CivilDate.civil(Int(r.day))
            w.beginRawField()
            w.appendRaw("WMP-"); w.appendDigits(c.year, width: 4); w.appendDigits(c.month, width: 2)
            w.appendDigits(c.day, width: 2); w.appendRaw("-"); w.appendDigits(n, width: 4)
            w.date(Int(r.day), .isoDateTime, minutes: Int(r.minute))
            let type = Codes.incidentTypes[Int(r.type)]
            w.field(type.0); w.field(type.1)
            w.field(r.alcohol ? "1" : "0"); w.field(r.drugs ? "1" : "0")
            w.field(lsoaCode(Int(r.lsoa)))
            if r.person >= 0 {
                let p = Int(r.person)
                truth?.note(w, .person, p)
                w.field(Codes.incidentRoles[Int(r.role)])
                w.field(identity.surname(p, style, &rng)); w.field(identity.forename(p, style, &rng))
                w.date(identity.birth(p, style, &rng), .iso)
                w.field(identity.sex(p) ? "Female" : "Male")
                w.field(CivilDate.age(birth: Int(population.people[p].birth), on: Int(r.day)))
            } else {
                for _ in 0..<6 { w.empty() }
            }
            if r.suspect >= 0 {
                let s = Int(r.suspect)
                truth?.note(w, .suspect, s)
                w.field(identity.surname(s, style, &rng)); w.field(identity.forename(s, style, &rng))
                w.date(identity.birth(s, style, &rng), .iso)
            } else {
                for _ in 0..<3 { w.empty() }
            }
            w.endRow()
        }
        return try finish(w, .policeIncidents)
    }
}
