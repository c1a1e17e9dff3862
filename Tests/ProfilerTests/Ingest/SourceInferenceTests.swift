import Definitions
import Foundation
import Ingest
import Reference
import TestSupport
import Testing

/// `profiler sources infer` on real public files (Fixtures/public) and on the bundled drop's
/// extracts: each column's drafted type against a table written by hand from the files' own
/// documentation, the draft loading as it is, and ingest with the draft reading every row of the
/// file it came from with no reject.
@Suite("Ingest: drafting a source definition from a file")
struct SourceInferenceTests {
    /// Drafts `path`, loads the draft and reads the file with it; checks the draft reads every row.
    static func draftAndRead(_ path: String, name: String) throws -> (draft: SourceDraft, source: SourceDefinition) {
        let geography = try ReferenceData.load(drop: "/nonexistent", defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
        let draft = try SourceDraft.infer([path], id: name, reference: geography)
        let source = try SourceDefinition.parse(draft.yaml, file: "\(name).yaml")
        let dir = try TemporaryDirectory("infer-\(name)")
        defer { dir.remove() }
        let copy = dir.path + "/" + (path as NSString).lastPathComponent
        try FileManager.default.createSymbolicLink(atPath: copy, withDestinationPath: path)
        let key = try LinkageKey.resolve(
            keyFile: nil, environment: [LinkageKey.environmentVariable: String(repeating: "k", count: 40)], isDemoDrop: false)
        let reference = try ReferenceData.load(drop: dir.path, defaultGeography: TestPaths.geography)
        let ingested = DropIngestor.ingest(drop: dir.path, catalogue: SourceCatalogue(sources: [source]), reference: reference, key: key)
        let report = try #require(ingested.reports.first)
        #expect(report.rowsRead == draft.rowCount && report.rowsRead > 0, "\(name): \(report.rowsRead) read")
        #expect(report.rejected == 0, "\(name): \(report.rejected) rejected")
        #expect(report.fatalError == nil)
        return (draft, source)
    }

    /// Each column's type as drafted: `type` or `type format`, `type [null values]`, or the
    /// person identity it went to (`role.kind`).
    static func drafted(_ s: SourceDefinition) -> [String: String] {
        var out: [String: String] = [:]
        for f in s.fields + s.people.flatMap(\.fields) {
            var t = f.type.rawValue
            if let d = f.dateFormat ?? (f.type == .date ? s.defaultDateFormat : nil) { t += " " + d.text }
            if !f.nullValues.isEmpty { t += " [" + f.nullValues.joined(separator: ",") + "]" }
            out[f.column] = t
        }
        for p in s.people { for i in p.identity { out[i.column] = "\(p.name).\(i.kind.rawValue)" } }
        return out
    }

    static func expect(_ s: SourceDefinition, _ expected: [String: String], _ file: String) {
        let got = drafted(s)
        for (column, type) in expected { #expect(got[column] == type, "\(file) \(column): drafted \(got[column] ?? "nothing")") }
    }

    @Test func policeUKStreetFile() throws {
        let (draft, s) = try Self.draftAndRead(TestPaths.publicData + "/policeuk/2018-12-west-mercia-street.csv", name: "street")
        Self.expect(
            s,
            [
                "Crime ID": "text", "Month": "date yyyy-MM", "Reported by": "code", "Falls within": "code", "Longitude": "decimal",
                "Latitude": "decimal", "Location": "text", "LSOA code": "lsoa", "LSOA name": "text", "Crime type": "code",
                "Last outcome category": "code", "Context": "text",
            ], "street")
        #expect(s.fields.first { $0.name == "date" }?.column == "Month")
        #expect(s.recordID.isEmpty, "Crime ID is blank on ASB rows: no record id")
        #expect(draft.yaml.contains("# Crime type: 14 distinct values over 10,136 rows"))
        #expect(s.codeLists.first { $0.name == "crime_type" }?.entries.count == 14)
        #expect(draft.yaml.contains("1,970 are the area's: 1,970 2011 codes, 0 2021 codes (read through their best fit); 2011 LSOAs"))
    }

    /// police.uk files from 2021 on use 2021 LSOAs: the area's 2021 codes say so.
    @Test func a2024StreetFileHas2021LSOAs() throws {
        let path = TestPaths.publicData + "/policeuk/national/2024-03/2024-03-west-mercia-street.csv.gz"
        let (draft, s) = try Self.draftAndRead(path, name: "street_2024")
        Self.expect(s, ["LSOA code": "lsoa", "Month": "date yyyy-MM"], "street_2024")
        #expect(draft.yaml.contains("1,656 are the area's: 1,432 2011 codes, 224 2021 codes (read through their best fit); 2021 LSOAs"))
    }

    /// A column of the area's ward names is said to be one.
    @Test func wardNamesAreRecognised() throws {
        let dir = try TemporaryDirectory("infer-wards")
        defer { dir.remove() }
        let wards = try CSVTable(path: TestPaths.geography)
        let names = Array(Set(wards.rows.map { $0[wards.column("ward_name")] })).sorted().prefix(20)
        let rows = names.enumerated().map { i, w in "\(i),\"\(w)\",2025-0\(i % 9 + 1)-01" }
        let file = try dir.write("by_ward.csv", "ID,Ward,When\n" + rows.joined(separator: "\n") + "\n")
        let (draft, _) = try Self.draftAndRead(file, name: "by_ward")
        #expect(draft.yaml.contains("20 of 20 values are ward names of the area"))
    }

    @Test func suppressedNumbersAreDraftedWithTheirMarkers() throws {
        let (draft, s) = try Self.draftAndRead(
            TestPaths.publicData + "/dfe/permanent_exclusions_and_suspensions_la.csv", name: "exclusions")
        let got = Self.drafted(s)
        #expect(got["time_period"] == "integer")
        #expect(got["geographic_level"] == "code")
        // Every count column with DfE's symbols gets them as blanks, the rest as numbers.
        let marked = got.filter { $0.value.contains("[") }
        #expect(marked.count >= 3, "\(got)")
        for (column, type) in marked {
            #expect(type.hasPrefix("integer [") || type.hasPrefix("decimal ["), "\(column): \(type)")
            #expect(
                Set(type.split(separator: "[")[1].dropLast().split(separator: ",")).isSubset(of: ["c", "x", "z", "low", "u"]), "\(column)")
        }
        #expect(draft.yaml.contains("read as blank: 'c'") || draft.yaml.contains("read as blank: 'x'"))
    }

    @Test func aFingertipsExportIsPadded() throws {
        let (_, s) = try Self.draftAndRead(TestPaths.publicData + "/fingertips/indicators-CountyUA.data.csv", name: "fingertips")
        #expect(s.padShortRows)
        Self.expect(
            s, ["Indicator ID": "code", "Area Code": "code", "Time period": "integer", "Value": "decimal", "Count": "integer"],
            "fingertips")
        #expect(s.recordID.isEmpty)
    }

    @Test func aGzippedLookupWithItsRecordID() throws {
        let (_, s) = try Self.draftAndRead(TestPaths.publicData + "/ons_geography/LSOA11_WD19_LAD19_EW_LU.csv.gz", name: "lookup")
        Self.expect(
            s, ["FID": "integer", "LSOA11CD": "lsoa", "LSOA11NM": "text", "WD19CD": "text", "WD19NM": "text", "LAD19CD": "text"], "lookup")
        #expect(s.recordID == ["FID"])
        #expect(s.file == "LSOA11_WD19_LAD19_EW_LU")
    }

    /// The bundled drop's police extract: two people by their headers' prefixes, each with NHS
    /// number, names and date of birth, and the fields that describe them.
    @Test func peopleAreFoundInAnAgencyExtract() throws {
        let (draft, s) = try Self.draftAndRead(TestPaths.sampleDrop + "/police_crimes.csv.gz", name: "crimes")
        Self.expect(
            s,
            [
                "V_Surname": "v.surname", "V_Forenames": "v.forename", "V_DOB": "v.date_of_birth", "V_NHSNumber": "v.nhs_number",
                "S_Surname": "s.surname", "S_Forenames": "s.forename", "S_DOB": "s.date_of_birth", "S_NHSNumber": "s.nhs_number",
                "V_Age": "integer", "V_Sex": "code", "V_Postcode": "postcode", "RecordedDateTime": "date dd/MM/yyyy HH:mm",
                "OutcomeDate": "date dd/MM/yyyy", "DA_Flag": "flag", "LSOA": "lsoa", "CrimeRef": "text", "HOOffenceCode": "code",
            ], "crimes")
        #expect(s.fields.first { $0.name == "date" }?.column == "RecordedDateTime")
        #expect(s.people.map(\.name) == ["v", "s"])
        #expect(s.people[0].fields.map(\.name).contains("age"))
        #expect(draft.yaml.contains("values are valid NHS numbers (check digit, issued range)"))
        #expect(Set(s.flags.yes) == ["Y"] && Set(s.flags.no) == ["N"])
    }

    @Test(arguments: [
        ("hospital_admissions.csv.gz", "yyyyMMdd"), ("homelessness.csv.gz", "dd-MMM-yyyy"), ("ae_attendances.csv.gz", "yyyy-MM-dd"),
        ("child_protection_plans.csv.gz", "dd/MM/yyyy"),
    ])
    func eachExtractsDateLayoutIsFound(file: String, layout: String) throws {
        let (_, s) = try Self.draftAndRead(TestPaths.sampleDrop + "/" + file, name: String(file.prefix { $0 != "." }))
        let date = try #require(s.fields.first { $0.name == "date" })
        #expect((date.dateFormat ?? s.defaultDateFormat)?.text.hasPrefix(layout) == true, "\(file)")
        #expect(!s.people.isEmpty, "\(file): a person")
    }
}

extension SourceInferenceTests {
    /// The councils' SSDA903 return (the fake files of Fixtures/ssda903): the child's id and date of
    /// birth make the person; the DfE's codes are codes; the episodes' start is the event date; a
    /// child and the start of an episode together identify it.
    @Test func ssda903HeaderAndEpisodes() throws {
        let (_, header) = try Self.draftAndRead(TestPaths.root + "/Fixtures/ssda903/header.csv", name: "header")
        Self.expect(header, ["CHILD": "child.local_id", "DOB": "child.date_of_birth", "SEX": "code", "ETHNIC": "code"], "header")
        #expect(header.recordID == ["CHILD"])
        #expect(!Self.drafted(header).keys.contains("UPN") && !Self.drafted(header).keys.contains("MC_DOB"), "left out")
        let (draft, episodes) = try Self.draftAndRead(TestPaths.root + "/Fixtures/ssda903/episodes.csv", name: "episodes")
        Self.expect(
            episodes,
            [
                "CHILD": "child.local_id", "DECOM": "date dd/MM/yyyy", "DEC": "date dd/MM/yyyy", "RNE": "code", "LS": "code", "CIN": "code",
                "PLACE": "code", "PLACE_PROVIDER": "code", "REC": "code", "REASON_PLACE_CHANGE": "code", "HOME_POST": "postcode",
                "PL_POST": "postcode", "URN": "integer",
            ], "episodes")
        #expect(episodes.fields.first { $0.name == "date" }?.column == "DECOM")
        #expect(episodes.recordID == ["CHILD", "DECOM"])
        #expect(draft.yaml.contains("no column alone is unique; together unique on all 5,050 rows, never blank"))
        #expect(episodes.codeLists.first { $0.name == "cin" }?.entries.count == 8)
    }
}
