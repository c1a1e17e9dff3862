import Columnar
import Definitions
import Foundation
import Profiles
import TestSupport
import Testing

/// The drug and alcohol profile's two measures from strategy 6.3.7 against plain counts over the
/// generated drop: where services are provided (service sites beside the demand, and people
/// starting treatment in a ward with a site), and people with co-occurring mental health and drug
/// or alcohol conditions (`also_in:`).
@Suite("Profiles: service sites and co-occurring conditions", .serialized)
struct DrugAndAlcoholMeasuresTests {
    typealias Reference = ProfileReferenceTests

    static func column(_ table: ColumnTable, _ name: String) throws -> Column { try #require(table[name], "\(name)") }

    /// Each ward's service sites of a category, straight from the drop's services.csv and geography.
    static func sitesByWard(category: String, drop: String = Reference.fixture.drop) throws -> [String: Int] {
        let services = try CSVTable(path: drop + "/reference/services.csv")
        let geography = try CSVTable(path: drop + "/reference/geography.csv")
        var wardOf: [String: String] = [:]
        for row in geography.rows { wardOf[row[geography.column("lsoa_code")]] = row[geography.column("ward_name")] }
        var sites: [String: Int] = [:]
        for row in services.rows where row[services.column("category")] == category {
            sites[try #require(wardOf[row[services.column("lsoa_code")]]), default: 0] += 1
        }
        return sites
    }

    @Test func serviceSitesByWardAreTheReferenceFilesSites() throws {
        let sites = try Self.sitesByWard(category: "drug_and_alcohol")
        let table = try #require(Reference.tables("drug_and_alcohol")["services_and_demand_by_ward"])
        let c = try #require(table.columns.firstIndex(of: "sites_drug_and_alcohol_2025_26"))
        #expect(table.kinds[c] == .other, "sites are facts about places: never suppressed")
        var shown: [String: Int] = [:]
        for row in table.rows { shown[row[0].description] = Int(row[c].description) }
        for (ward, n) in sites { #expect(shown[ward] == n, "\(ward)") }
        #expect(shown.values.reduce(0, +) == sites.values.reduce(0, +))
        #expect(sites.values.reduce(0, +) >= 10 && sites.count >= 5, "the generator lists drug and alcohol sites in several wards")
    }

    /// People starting treatment in the year who live in a ward with a drug and alcohol service
    /// site, as a share of all people starting treatment.
    @Test func treatmentNearServicesIsAPlainCount() throws {
        let wardsWithSites = Set(try Self.sitesByWard(category: "drug_and_alcohol").keys)
        let area = Reference.fixture.ingested.data.area
        let treatment = try #require(Reference.fixture.ingested.tables["substance_treatment"])
        guard case .person(let clients) = try Self.column(treatment, "client"), case .day(let days) = try Self.column(treatment, "date"),
            case .area(let homes) = try Self.column(treatment, "client.home_postcode")
        else { Issue.record("columns"); return }
        var all = [Set<UInt32>(), Set<UInt32>()], near = all
        for i in 0..<treatment.rowCount where clients.ids[i] != 0 {
            guard let y = Reference.year(days.days[i]) else { continue }
            all[y].insert(clients.ids[i])
            let l = Int(homes.areas[i])
            if l < area.lsoas.count, wardsWithSites.contains(area.lsoas[l].wardName) { near[y].insert(clients.ids[i]) }
        }
        let success = try #require(Reference.tables("drug_and_alcohol")["success_measures"])
        let row = try #require(Reference.rows(success)["treatment_near_services"])
        for y in 0..<2 {
            #expect(row[3 + y] == String(format: "%.1f", 100 * Double(near[y].count) / Double(all[y].count)), "year \(y)")
        }
        #expect(near[0].count > 5 && near[0].count < all[0].count)
    }

    /// The people each year with a mental health need: a mental health admission (primary or
    /// secondary diagnosis), a mental health A&E attendance, or a need the treatment provider recorded.
    static func mentalHealthPeople() throws -> [Set<UInt32>] {
        let tables = Reference.fixture.ingested.tables
        var people = [Set<UInt32>(), Set<UInt32>()]
        func add(_ source: String, _ role: String, _ passes: (ColumnTable, Int) throws -> Bool) throws {
            let t = try #require(tables[source])
            guard case .person(let p) = try column(t, role), case .day(let d) = try column(t, "date") else { return }
            for i in 0..<t.rowCount where p.ids[i] != 0 {
                if let y = Reference.year(d.days[i]), try passes(t, i) { people[y].insert(p.ids[i]) }
            }
        }
        try add("hospital_admissions", "patient") { t, i in
            guard case .code(let primary) = try column(t, "primary_diagnosis"),
                case .code(let second) = try column(t, "secondary_mental_health")
            else { return false }
            let code = primary.value(i) ?? ""
            return (code.hasPrefix("F") && !code.hasPrefix("F1")) || second.value(i) == "Mental health"
        }
        try add("ae_attendances", "patient") { t, i in
            guard case .flag(let f) = try column(t, "mental_health") else { return false }
            return f.values[i] == 1
        }
        try add("substance_treatment", "client") { t, i in
            guard case .code(let need) = try column(t, "mental_health_need") else { return false }
            return need.value(i) == "Receiving mental health treatment" || need.value(i) == "Mental health need not treated"
        }
        return people
    }

    @Test func coOccurringConditionsArePlainCounts() throws {
        let mentalHealth = try Self.mentalHealthPeople()
        let tables = Reference.fixture.ingested.tables
        var records = [0, 0]
        var people = [Set<UInt32>(), Set<UInt32>()]
        for (source, field, wanted) in [
            ("hospital_admissions", "alcohol_specific", "Alcohol-specific"), ("ae_attendances", "alcohol", "1"),
            ("ae_attendances", "drugs", "1"),
        ] {
            let t = try #require(tables[source])
            guard case .person(let p) = try Self.column(t, "patient"), case .day(let d) = try Self.column(t, "date") else { continue }
            let column = try Self.column(t, field)
            for i in 0..<t.rowCount where p.ids[i] != 0 {
                guard let y = Reference.year(d.days[i]), mentalHealth[y].contains(p.ids[i]) else { continue }
                let value: String
                switch column {
                case .code(let c): value = c.value(i) ?? ""
                case .flag(let f): value = String(f.values[i])
                default: value = ""
                }
                guard value == wanted else { continue }
                records[y] += 1
                people[y].insert(p.ids[i])
            }
        }
        let table = try #require(Reference.tables("drug_and_alcohol")["co_occurring_by_age_and_sex"])
        func total(_ name: String) throws -> Int {
            let c = try #require(table.columns.firstIndex(of: name))
            return table.rows.reduce(0) { $0 + (Int($1[c].description) ?? 0) }
        }
        #expect(try total("records_2025_26") == records[0] && total("records_2024_25") == records[1])
        // A person is counted once in each age band and sex they were seen at.
        #expect(try total("people_2025_26") >= people[0].count && total("people_2025_26") <= records[0])
        #expect(people[0].count >= 10, "the generator plants co-occurring conditions")
    }

    /// Of the people starting treatment with a mental health need, those receiving treatment for it.
    @Test func mentalHealthNeedTreatedIsAPlainShare() throws {
        let treatment = try #require(Reference.fixture.ingested.tables["substance_treatment"])
        guard case .person(let clients) = try Self.column(treatment, "client"), case .day(let days) = try Self.column(treatment, "date"),
            case .code(let need) = try Self.column(treatment, "mental_health_need")
        else { Issue.record("columns"); return }
        var needing = [Set<UInt32>(), Set<UInt32>()], treated = needing
        for i in 0..<treatment.rowCount where clients.ids[i] != 0 {
            guard let y = Reference.year(days.days[i]) else { continue }
            if need.value(i) == "Receiving mental health treatment" { treated[y].insert(clients.ids[i]) }
            if need.value(i) == "Receiving mental health treatment" || need.value(i) == "Mental health need not treated" {
                needing[y].insert(clients.ids[i])
            }
        }
        let success = try #require(Reference.tables("drug_and_alcohol")["success_measures"])
        let row = try #require(Reference.rows(success)["mental_health_need_treated"])
        for y in 0..<2 {
            #expect(row[3 + y] == String(format: "%.1f", 100 * Double(treated[y].count) / Double(needing[y].count)), "year \(y)")
        }
        #expect(needing[0].count > 10)
    }

    /// Built from the bundled drop, the new tables reach the community safety group's folder and
    /// report (its ward map marking each ward's sites), and the two measures of success reach the
    /// executive's scorecard.
    @Test func theMeasuresReachTheGroupReportAndTheScorecard() throws {
        let dir = try TemporaryDirectory("drug-alcohol-outputs")
        defer { dir.remove() }
        #expect(try runProfiler(["build", "--out", dir.file("out")]) == 0)
        let group = dir.file("out/community_safety")
        for t in ["services_and_demand_by_ward", "treatment_mental_health_need", "co_occurring_by_age_and_sex"] {
            #expect(FileManager.default.fileExists(atPath: group + "/drug_and_alcohol/\(t).csv"), "\(t)")
        }
        let report = try String(contentsOfFile: group + "/report.html", encoding: .utf8)
        for title in [
            "Drug and alcohol service sites and people starting treatment, by ward of residence",
            "People starting treatment by co-occurring mental health treatment need",
            "People starting treatment with a mental health need who are receiving treatment for it, percent",
        ] {
            #expect(report.contains(title), "\(title)")
        }
        // One marker per ward with a drug and alcohol site (the bundled drop's services.csv).
        let wards = try Self.sitesByWard(category: "drug_and_alcohol", drop: TestPaths.sampleDrop).keys
        #expect(report.components(separatedBy: "<g class=\"site\">").count - 1 == wards.count)
        #expect(report.contains("drug and alcohol service sites"))
        // The methods section names each measure's test.
        #expect(report.contains("<section id=\"methods\">"))
        #expect(
            report.contains(
                "<li>Treatment discharges that were successful completions, percent: Newcombe hybrid score interval for a difference of proportions (method 10)</li>"
            ))
        let card = try CSVTable(path: dir.file("out/executive/scorecard.csv"))
        let measures = card.values("measure")
        #expect(measures.contains("mental_health_need_treated") && measures.contains("treatment_near_services"))
    }
}
