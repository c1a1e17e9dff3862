import Definitions
import Foundation
import Ingest
import TestSupport
import Testing

/// The bundled sample drop has the cross-agency structure the profiles must find. Each check reads
/// the written extracts, linking people the way an analyst would (NHS number, or surname, initial
/// and date of birth), so it tests what the files say, not the generator's internals.
@Suite("Synthetic drop: realistic")
struct SampleDropRealismTests {
    static func table(_ dataset: String) throws -> CSVTable {
        let plain = TestPaths.sampleDrop + "/" + dataset + ".csv"
        return try CSVTable(path: FileManager.default.fileExists(atPath: plain) ? plain : plain + ".gz")
    }

    /// A crude match key: upper-case surname letters, first initial, date of birth as written.
    static func matchKey(_ surname: String, _ forename: String, _ dob: String) -> String? {
        let s = surname.uppercased().filter(\.isLetter)
        guard !s.isEmpty, let initial = forename.uppercased().first, !dob.isEmpty else { return nil }
        return "\(s)|\(initial)|\(dob)"
    }

    static func day(_ text: String, _ layout: String) -> Int? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = layout
        guard let d = f.date(from: text) else { return nil }
        return Int((d.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    @Test func domesticAbuseVictimsHouseholdsAreReferredWithADomesticAbuseFactor() throws {
        let crimes = try Self.table("police_crimes")
        let referrals = try Self.table("childrens_referrals")
        let (da, post, age) = (crimes.column("DA_Flag"), crimes.column("V_Postcode"), crimes.column("V_Age"))
        var daVictims = Set<String>(), otherVictims = Set<String>()
        for row in crimes.rows where !row[post].isEmpty && (Int(row[age]) ?? 0) >= 18 {
            if row[da] == "Y" { daVictims.insert(row[post]) } else { otherVictims.insert(row[post]) }
        }
        otherVictims.subtract(daVictims)
        let factors = referrals.column("AssessmentFactors")
        let daReferred = Set(
            referrals.rows.filter {
                $0[factors].split(separator: ",").contains { $0 == "3A" || $0 == "3B" }
            }.map { $0[referrals.column("Postcode")] })
        let daShare = Double(daVictims.intersection(daReferred).count) / Double(daVictims.count)
        let baseline = Double(otherVictims.intersection(daReferred).count) / Double(otherVictims.count)
        #expect(daVictims.count > 100)
        #expect(daShare > 0.1, "share of DA victims' homes with a DA-factor referral: \(daShare)")
        #expect(daShare > 4 * baseline, "DA \(daShare) against other victims \(baseline)")
    }

    @Test func repeatVictimsAndSerialPerpetratorsExist() throws {
        let crimes = try Self.table("police_crimes")
        let incidents = try Self.table("police_incidents")
        var eventsPerVictim: [String: Int] = [:]
        var victimsPerPerpetrator: [String: Set<String>] = [:]
        let c = { crimes.column($0) }
        for row in crimes.rows where row[c("DA_Flag")] == "Y" {
            guard let v = Self.matchKey(row[c("V_Surname")], row[c("V_Forenames")], row[c("V_DOB")]) else { continue }
            eventsPerVictim[v, default: 0] += 1
            if let s = Self.matchKey(row[c("S_Surname")], row[c("S_Forenames")], row[c("S_DOB")]) {
                victimsPerPerpetrator[s, default: []].insert(v)
            }
        }
        let i = { incidents.column($0) }
        for row in incidents.rows where row[i("IncidentTypeCode")] == "DOMNC" {
            // Incident dates of birth are ISO; re-key them in the crimes' dd/MM/yyyy layout.
            let dob = row[i("DateOfBirth")].split(separator: "-").reversed().joined(separator: "/")
            if let v = Self.matchKey(row[i("Surname")], row[i("Forename")], dob) { eventsPerVictim[v, default: 0] += 1 }
        }
        let repeats = eventsPerVictim.values.filter { $0 >= 2 }.count
        let share = Double(repeats) / Double(eventsPerVictim.count)
        #expect(repeats >= 20)
        #expect(share > 0.15 && share < 0.6, "repeat victim share over three years \(share)")
        #expect(victimsPerPerpetrator.values.contains { $0.count >= 2 }, "no perpetrator with two victims")
    }

    /// Young people referred to children's social care at 16-17 and seen by an adult service at 18+.
    @Test func transitionCohortIsNotEmpty() throws {
        let referrals = try Self.table("childrens_referrals")
        var turns18: [String: Int] = [:]
        let (nhs, dob, date) = (referrals.column("NHSNumber"), referrals.column("DOB"), referrals.column("ReferralDate"))
        for row in referrals.rows where !row[nhs].isEmpty {
            guard let b = Self.day(row[dob], "dd/MM/yyyy"), let d = Self.day(row[date], "dd/MM/yyyy") else { continue }
            let age = (d - b) * 100 / 36_525
            if age == 16 || age == 17 { turns18[row[nhs]] = b + 6_575 }
        }
        #expect(turns18.count > 20)
        var seenAsAdults = Set<String>()
        for (dataset, nhsColumn, dateColumn, layout) in [
            ("adult_safeguarding_enquiries", "NHSNumber", "ConcernReceived", "yyyy-MM-dd"),
            ("ae_attendances", "NHSNumber", "ArrivalDate", "yyyy-MM-dd"),
            ("homelessness", "NHSNumber", "ApproachDate", "dd-MMM-yyyy"),
        ] {
            let t = try Self.table(dataset)
            let (n, d) = (t.column(nhsColumn), t.column(dateColumn))
            for row in t.rows {
                let key = row[n].filter(\.isNumber)
                if let adult = turns18[key], let when = Self.day(row[d], layout), when >= adult { seenAsAdults.insert(key) }
            }
        }
        #expect(seenAsAdults.count >= 5, "cohort: \(seenAsAdults.count) of \(turns18.count)")
    }

    @Test func neglectExploitationSelfNeglectAndSubstanceMisuseLeaveTheirTraces() throws {
        let plans = try Self.table("child_protection_plans")
        #expect(plans.rows.contains { $0[plans.column("InitialCategory")] == "NEG" && (Int($0[plans.column("PlanNumber")]) ?? 0) >= 2 })
        #expect(Double(plans.values("InitialCategory").filter { $0 == "NEG" }.count) / Double(plans.rows.count) > 0.35)

        let referrals = try Self.table("childrens_referrals")
        var byChild: [String: [Int]] = [:]
        for row in referrals.rows {
            if let d = Self.day(row[referrals.column("ReferralDate")], "dd/MM/yyyy") {
                byChild[row[referrals.column("PersonID")], default: []].append(d)
            }
        }
        let rereferred = byChild.values.filter { days in
            let s = days.sorted()
            return zip(s, s.dropFirst()).contains { $1 - $0 <= 365 }
        }
        #expect(rereferred.count >= 10)
        let factors = referrals.values("AssessmentFactors").flatMap { $0.split(separator: ",").map(String.init) }
        for code in ["16A", "11A", "24A", "10A", "2B", "4B"] { #expect(factors.contains(code), "factor \(code)") }

        let crimes = try Self.table("police_crimes")
        for flag in ["CSE_Flag", "CCE_Flag", "CountyLines", "ModernSlavery", "HateCrime"] {
            #expect(crimes.values(flag).contains("Y"), "no crime flagged \(flag)")
        }
        let education = try Self.table("education")
        #expect(Set(education.values("EventType")) == ["Suspension", "Permanent exclusion", "NEET"])
        #expect(education.values("Reason").contains("DA"))

        let enquiries = try Self.table("adult_safeguarding_enquiries")
        let selfNeglect = enquiries.rows.filter { $0[enquiries.column("TypeOfRisk")] == "Self-neglect" }
        #expect(selfNeglect.count >= 20)
        let perClient = Dictionary(grouping: selfNeglect, by: { $0[enquiries.column("ClientID")] })
        #expect(perClient.values.contains { $0.count >= 2 }, "no repeat self-neglect enquiry")

        let treatment = try Self.table("substance_treatment")
        #expect(treatment.values("ReferralSource").contains("Prison"))
        #expect(treatment.values("DischargeReason").contains { $0.hasPrefix("Treatment completed") })
        let earlyHelp = try Self.table("early_help")
        #expect(Set(earlyHelp.values("PrimaryReason")).isSuperset(of: ["Neglect", "Parental substance misuse", "Domestic abuse"]))
    }

    /// Rates of the order a county of ~320,000 sees (see Fixtures/README.md for the sources).
    @Test func ratesAreOfTheRightOrder() throws {
        let population = try CSVTable(path: TestPaths.sampleDrop + "/reference/population.csv")
        let counts = population.values("population").compactMap(Int.init)
        let residents = Double(counts.reduce(0, +))
        let bands = population.values("age_band")
        let children = Double(zip(bands, counts).filter { ["0-4", "5-9", "10-14", "15-17"].contains($0.0) }.map(\.1).reduce(0, +))
        let years = 3.0
        func perYear(_ dataset: String) throws -> Double { Double(try Self.table(dataset).rows.count) / years }

        let crimesPer1000 = try perYear("police_crimes") / residents * 1000
        #expect((35...100).contains(crimesPer1000), "crimes per 1,000: \(crimesPer1000)")
        let aePerPerson = try perYear("ae_attendances") / residents
        #expect((0.25...0.55).contains(aePerPerson), "A&E per resident: \(aePerPerson)")
        let referralsPer10k = try perYear("childrens_referrals") / children * 10_000
        #expect((300...1_000).contains(referralsPer10k), "referrals per 10,000 children: \(referralsPer10k)")
        let plansPer10k = try perYear("child_protection_plans") / children * 10_000
        #expect((15...90).contains(plansPer10k), "plans per 10,000 children: \(plansPer10k)")
        let admissions = try Self.table("hospital_admissions")
        let alcohol = admissions.values("DIAG_4_01").filter {
            $0.hasPrefix("F10") || $0.hasPrefix("K70") || ["K292", "G312", "T510", "X450"].contains($0)
        }
        let alcoholPer100k = Double(alcohol.count) / years / residents * 100_000
        #expect((250...1_500).contains(alcoholPer100k), "alcohol-specific admissions per 100,000: \(alcoholPer100k)")
        #expect(children / residents > 0.15 && children / residents < 0.24)
    }

    /// Co-occurring conditions: about two thirds of treatment episodes record a mental health
    /// treatment need (OHID's adult treatment statistics: about 70% of adults starting treatment),
    /// most of them receiving treatment for it; mental health shows in A&E and admissions.
    @Test func coOccurringMentalHealthIsOfTheRightOrder() throws {
        let needs = try Self.table("substance_treatment").values("MentalHealthNeed").filter { !$0.isEmpty }
        let withNeed = needs.filter { $0.hasPrefix("Yes") }
        let share = Double(withNeed.count) / Double(needs.count)
        #expect(share > 0.55 && share < 0.8, "share with a mental health treatment need: \(share)")
        let treated = Double(withNeed.filter { $0 == "Yes - receiving treatment" }.count) / Double(withNeed.count)
        #expect(treated > 0.5 && treated < 0.9, "share of them receiving treatment for it: \(treated)")
        #expect(try Self.table("ae_attendances").values("MentalHealth").filter { $0 == "1" }.count >= 50)
        let diagnoses = try Self.table("hospital_admissions").values("DIAG_4_01")
        #expect(diagnoses.filter { $0.hasPrefix("F") && !$0.hasPrefix("F1") }.count >= 20)
    }

    @Test func moreDeprivedAreasCarryMoreCrime() throws {
        let geography = try CSVTable(path: TestPaths.sampleDrop + "/reference/geography.csv")
        var decile: [String: Int] = [:]
        for row in geography.rows { decile[row[geography.column("lsoa_code")]] = Int(row[geography.column("imd_decile")]) }
        let population = try CSVTable(path: TestPaths.sampleDrop + "/reference/population.csv")
        var residents = [Double](repeating: 0, count: 11), crimes = [Double](repeating: 0, count: 11)
        for row in population.rows { residents[decile[row[0]] ?? 0] += Double(row[population.column("population")]) ?? 0 }
        let table = try Self.table("police_crimes")
        for code in table.values("LSOA") { crimes[decile[code] ?? 0] += 1 }
        func rate(_ deciles: ClosedRange<Int>) -> Double {
            var c = 0.0, r = 0.0
            for d in deciles { c += crimes[d]; r += residents[d] }
            return c / r
        }
        let deprived = rate(1...3), affluent = rate(8...10)
        #expect(deprived > 1.5 * affluent, "crime rate, deciles 1-3: \(deprived), deciles 8-10: \(affluent)")
    }

    /// Each agency writes its own layout, identifiers and mess.
    @Test func extractsLookLikeTheirAgencies() throws {
        let layouts: [(String, String, String)] = [
            ("police_crimes", "RecordedDateTime", #"^\d\d/\d\d/\d{4} \d\d:\d\d$"#),
            ("police_incidents", "IncidentDateTime", #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"#),
            ("hospital_admissions", "ADMIDATE", #"^\d{8}$"#),
            ("substance_treatment", "TriageDate", #"^\d\d-[A-Z][a-z]{2}-\d\d$"#),
            ("homelessness", "ApproachDate", #"^\d\d-[A-Z][a-z]{2}-\d{4}$"#),
            ("ae_attendances", "ArrivalDate", #"^\d{4}-\d\d-\d\d$"#),
        ]
        for (dataset, column, pattern) in layouts {
            let regex = try Regex(pattern)
            let values = try Self.table(dataset).values(column)
            #expect(values.allSatisfy { $0.wholeMatch(of: regex) != nil }, "\(dataset).\(column)")
        }
        let crimes = try Self.table("police_crimes")
        let victims = crimes.rows.filter { $0[crimes.column("VictimType")] == "Person" }
        let withNHS = victims.filter { !$0[crimes.column("V_NHSNumber")].isEmpty }.count
        #expect(Double(withNHS) / Double(victims.count) < 0.5, "most police victims have no NHS number")
        #expect(
            victims.contains {
                $0[crimes.column("V_Surname")] == $0[crimes.column("V_Surname")].uppercased() && $0[crimes.column("V_Surname")].count > 3
            })
        #expect(victims.contains { $0[crimes.column("V_DOB")].isEmpty })

        // Every NHS number anywhere is a valid test-range number, with or without spaces.
        for dataset in ["ae_attendances", "hospital_admissions", "adult_safeguarding_enquiries", "childrens_referrals", "police_crimes"] {
            let t = try Self.table(dataset)
            for name in t.header where name.uppercased().contains("NHS") {
                for value in t.values(name) where !value.isEmpty {
                    let digits = value.filter(\.isNumber).compactMap(\.wholeNumberValue)
                    #expect(digits.count == 10 && digits.prefix(3) == [9, 9, 9], "\(dataset).\(name): \(value)")
                    let sum = zip(digits.prefix(9), (2...10).reversed()).map { $0 * $1 }.reduce(0, +)
                    #expect((11 - sum % 11) % 11 == digits[9], "check digit of \(value)")
                }
            }
        }
    }

    @Test func everySourceDefinitionMatchesItsDatasetsHeader() throws {
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let reference = try ReferenceData.load(drop: TestPaths.sampleDrop, defaultGeography: TestPaths.geography)
        let key = try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true)
        let drop = DropIngestor.ingest(drop: TestPaths.sampleDrop, catalogue: catalogue, reference: reference, key: key)
        #expect(drop.unknownFiles.isEmpty)
        #expect(drop.missingSources.isEmpty)
        // Every source but the optional ones (the SSDA903 files, written only when asked) reads a file.
        #expect(drop.reports.map(\.source).sorted() == catalogue.sources.filter { !$0.optional }.map(\.id).sorted())
        for f in drop.reports {
            #expect(f.fatalError == nil, "\(f.source): \(f.fatalError ?? "")")
            #expect(f.unreadColumns.isEmpty, "\(f.source): unread \(f.unreadColumns)")
            #expect(f.rowsRead > 0, "\(f.source): empty")
        }
    }
}
