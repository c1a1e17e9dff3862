import CSVText
import Crypto
import Foundation
import TestSupport
import Testing

@testable import SyntheticDrop

/// `profiler sample --truth FILE`: each person-bearing record's true person, written apart from the
/// drop, which stays the same bytes; checked against the files on disk and their own values.
@Suite("Synthetic drop: the linkage truth")
struct LinkageTruthTests {
    /// The files of a drop that can carry people, in the order they are written.
    static let extractOrder = Dataset.allCases.map(\.rawValue) + ["ssda903_header", "ssda903_episodes"]
    /// The roles each file may present (the shipped source definitions' names).
    static let roles: [String: Set<String>] = [
        "police_crimes": ["victim", "suspect"], "police_incidents": ["person", "suspect"], "ae_attendances": ["patient"],
        "hospital_admissions": ["patient"], "substance_treatment": ["client"], "childrens_referrals": ["child"],
        "child_protection_plans": ["child"], "adult_safeguarding_enquiries": ["adult"], "homelessness": ["applicant"],
        "education": ["pupil"], "early_help": ["child"], "ssda903_header": ["child"], "ssda903_episodes": ["child"],
    ]
    /// Roles in the order a record presents them.
    static let roleOrder = ["victim", "person", "suspect", "patient", "client", "child", "adult", "applicant", "pupil"]

    /// A 2,000-person, one-year drop (with the SSDA903 return) in a fresh folder, and, when `truth`
    /// names a file, its truth in a second folder.
    static func generate(gzip: Bool, truth: String? = nil) throws -> (TemporaryDirectory, TemporaryDirectory, SampleDropReport) {
        let (drop, apart) = (try TemporaryDirectory("drop-truth"), try TemporaryDirectory("truth"))
        var options = SampleDropOptions(people: 2_000, years: 1, seed: 3, gzip: gzip, geographyPath: TestPaths.geography)
        options.ssda903 = true
        options.truthPath = truth.map { apart.file($0) }
        return (drop, apart, try SampleDropGenerator.generate(options, into: drop.path))
    }

    /// Opt-in and invisible: the drop's files are the same bytes with the truth or without it.
    @Test(arguments: [false, true])
    func theDropIsTheSameWithOrWithoutTheTruth(gzip: Bool) throws {
        let (plain, emptyApart, reportWithout) = try Self.generate(gzip: gzip)
        let (with, apart, reportWith) = try Self.generate(gzip: gzip, truth: "truth.csv")
        defer { for d in [plain, emptyApart, with, apart] { d.remove() } }
        #expect(try differingFiles(plain.path, with.path) == [])
        #expect(reportWithout.files == reportWith.files)
        #expect(reportWithout.truth == nil && !FileManager.default.fileExists(atPath: emptyApart.file("truth.csv")))
        let truth = try #require(reportWith.truth)
        #expect(truth.rows > 1_000 && FileManager.default.fileExists(atPath: apart.file("truth.csv")))
    }

    /// Every `# file` line names a file of the drop with its record count and SHA-256; every row is a
    /// record's start line in that file, once per role, in the order written.
    @Test func theTruthDescribesTheFilesOnDisk() throws {
        let (drop, apart, report) = try Self.generate(gzip: true, truth: "truth.csv.gz")
        defer { drop.remove(); apart.remove() }
        let truth = try TruthFile(path: apart.file("truth.csv.gz"))
        #expect(truth.firstLine == "# profiler linkage truth 1")
        #expect(truth.header == ["file", "line", "role", "person"])
        #expect(report.truth?.rows == truth.rows.count)
        let present = try Self.extractOrder.map { $0 + ".csv.gz" }.filter { try Self.recordLines(drop.file($0)).count > 0 }
        #expect(truth.files.map(\.name) == present)
        #expect(present.count >= Dataset.allCases.count)
        var starts: [String: Set<Int>] = [:]
        for f in truth.files {
            let lines = try Self.recordLines(drop.file(f.name))
            starts[f.name] = Set(lines)
            #expect(f.records == lines.count, "\(f.name)")
            #expect(f.sha256 == (try Self.sha256(drop.file(f.name))), "\(f.name)")
        }
        var seen = Set<String>()
        var previous = (-1, 0, 0)
        for row in truth.rows {
            let file = try #require(truth.files.firstIndex { $0.name == row.file }, "\(row.file) has no # file line")
            let stem = String(row.file.dropLast(".csv.gz".count))
            #expect(Self.roles[stem]?.contains(row.role) == true, "\(row)")
            #expect(seen.insert("\(row.file) \(row.line) \(row.role)").inserted, "\(row) twice")
            #expect((2...truth.files[file].records + 1).contains(row.line) && starts[row.file]!.contains(row.line), "\(row)")
            #expect((1...2_000).contains(row.person), "\(row)")
            let here = (file, row.line, Self.roleOrder.firstIndex(of: row.role) ?? -1)
            #expect(previous < here, "\(row) out of order")
            previous = here
        }
        // Everything but the police's records presents exactly one person.
        for f in truth.files where !f.name.hasPrefix("police_") {
            #expect(truth.rows.filter { $0.file == f.name }.count == f.records, "\(f.name)")
        }
    }

    /// The truth agrees with the drop's own values: a valid NHS number belongs to one true person
    /// and a true person has one NHS number, across the police and A&E extracts; a role whose
    /// columns are all blank has no row, and one with any value has one.
    @Test func theTruthAgreesWithTheNHSNumbersWritten() throws {
        let (drop, apart, _) = try Self.generate(gzip: false, truth: "truth.csv")
        defer { drop.remove(); apart.remove() }
        var person: [String: Int] = [:]
        for row in try TruthFile(path: apart.file("truth.csv")).rows { person["\(row.file) \(row.line) \(row.role)"] = row.person }
        let layouts: [(file: String, role: String, columns: [String], nhs: String)] = [
            (
                "police_crimes.csv", "victim",
                ["V_Surname", "V_Forenames", "V_DOB", "V_NHSNumber", "V_Age", "V_Sex", "V_Ethnicity", "V_Postcode"], "V_NHSNumber"
            ),
            (
                "police_crimes.csv", "suspect", ["S_Surname", "S_Forenames", "S_DOB", "S_NHSNumber", "S_Age", "S_Sex", "S_Ethnicity"],
                "S_NHSNumber"
            ),
            ("ae_attendances.csv", "patient", ["NHSNumber", "AgeAtArrival", "Sex", "EthnicCategory"], "NHSNumber"),
        ]
        var peopleByNumber: [String: Set<Int>] = [:], numbersByPerson: [Int: Set<String>] = [:], records: [String: Int] = [:]
        var (blank, filled, numbered) = (0, 0, 0)
        for layout in layouts {
            var header: [String] = []
            try CSVReader(path: drop.file(layout.file)).forEachRecord { record in
                let row = record.strings()
                guard record.line > 1 else {
                    header = row
                    return true
                }
                let columns = layout.columns.compactMap { header.firstIndex(of: $0) }
                let nhs = header.firstIndex(of: layout.nhs)!
                #expect(columns.count == layout.columns.count)
                let key = "\(layout.file) line \(record.line) \(layout.role)"
                let truth = person["\(layout.file) \(record.line) \(layout.role)"]
                guard columns.contains(where: { !row[$0].isEmpty }) else {
                    #expect(truth == nil, "\(key): all blank, yet a truth row")
                    blank += 1
                    return true
                }
                filled += 1
                guard let p = truth else {
                    Issue.record("\(key): no truth row")
                    return true
                }
                let number = row[nhs].replacingOccurrences(of: " ", with: "")
                guard Self.isValidNHSNumber(number) else { return true }
                numbered += 1
                records[number, default: 0] += 1
                peopleByNumber[number, default: []].insert(p)
                numbersByPerson[p, default: []].insert(number)
                return true
            }
        }
        // Enough of each (a number on several records above all) for the checks to mean something.
        let repeated = records.values.filter { $0 > 1 }.count
        #expect(
            blank > 20 && filled > 500 && numbered > 400 && repeated > 50,
            "\(blank) blank, \(filled) filled, \(numbered) numbered, \(repeated) repeated")
        #expect(peopleByNumber.filter { $0.value.count > 1 }.isEmpty)
        #expect(numbersByPerson.filter { $0.value.count > 1 }.isEmpty)
    }

    /// A truth file inside the drop's folder (by any path to it: `..`, a link to the folder, the
    /// folder not made yet) would be read by ingest: refused before anything is written; one beside
    /// the folder is fine.
    @Test func aTruthFileInsideTheDropIsRefused() throws {
        let parent = try TemporaryDirectory("truth-inside")
        defer { parent.remove() }
        let fm = FileManager.default
        let (drop, unmade) = (parent.file("drop"), parent.file("unmade"))
        try fm.createDirectory(atPath: drop, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: parent.file("link"), withDestinationPath: drop)
        let cases = [
            (drop, drop + "/truth.csv"), (drop, drop + "/reference/../truth.csv.gz"), (drop, drop), (drop, parent.file("link/t.csv")),
            (parent.file("link"), drop + "/t.csv"), (unmade, unmade + "/truth.csv"), (unmade, unmade + "/reference/truth.csv"),
        ]
        for (folder, inside) in cases {
            var options = SampleDropOptions(people: 200, years: 1, geographyPath: TestPaths.geography)
            options.truthPath = inside
            #expect(throws: SampleDropError.self, "\(inside)") { _ = try SampleDropGenerator.generate(options, into: folder) }
            #expect(try fm.contentsOfDirectory(atPath: parent.path).sorted() == ["drop", "link"], "\(inside)")
            #expect(try fm.contentsOfDirectory(atPath: drop) == [], "\(inside)")
        }
        var options = SampleDropOptions(people: 200, years: 1, geographyPath: TestPaths.geography)
        options.truthPath = parent.file("drop.truth.csv")
        #expect(try SampleDropGenerator.generate(options, into: drop).truth?.rows ?? 0 > 0)
    }

    /// A row's line counts the line feeds inside quoted fields before it, as a CSV reader does (the
    /// generator writes none today; the truth's lines stay right if it ever does).
    @Test(arguments: ["rows.csv", "rows.csv.gz"])
    func aRowsLineCountsLineFeedsInQuotedFields(name: String) throws {
        let dir = try TemporaryDirectory("csv-lines")
        defer { dir.remove() }
        let w = try CSVFileWriter(path: dir.file(name))
        w.header(["a", "b"])
        var written: [Int] = []
        for text in ["plain", "two\nlines", "three\n\"lines\"\n", "", "\n", "last"] {
            written.append(w.line)
            w.field(text)
            w.field(written.count)
            w.endRow()
        }
        try w.close()
        #expect(written == [2, 3, 5, 8, 9, 11])
        #expect(try Self.recordLines(dir.file(name)) == written)
    }

    // MARK: Helpers

    /// The physical lines the data records of a CSV file start on (the header's excluded).
    static func recordLines(_ path: String) throws -> [Int] {
        var lines: [Int] = []
        try CSVReader(path: path).forEachRecord { record in
            if record.line > 1 { lines.append(record.line) }
            return true
        }
        return lines
    }

    static func sha256(_ path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    /// Ten digits whose modulus-11 check digit is right.
    static func isValidNHSNumber(_ s: String) -> Bool {
        let digits = s.utf8.map { Int($0) - 48 }
        guard digits.count == 10, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        let sum = zip(digits.prefix(9), (2...10).reversed()).map(*).reduce(0, +)
        let check = 11 - sum % 11
        return check != 10 && (check == 11 ? 0 : check) == digits[9]
    }
}

/// A linkage truth file as `profiler linkage evaluate` reads it (format 1).
struct TruthFile {
    struct File {
        let name: String
        let records: Int
        let sha256: String
    }

    struct Row: CustomStringConvertible {
        let file: String
        let line: Int
        let role: String
        let person: Int
        var description: String { "\(file),\(line),\(role),\(person)" }
    }

    var firstLine = ""
    var files: [File] = []
    var header: [String] = []
    var rows: [Row] = []

    init(path: String) throws {
        var problems: [String] = []
        try CSVReader(path: path).forEachRecord { record in
            let fields = record.strings()
            if record.line == 1 {
                firstLine = fields.joined(separator: ",")
            } else if fields.count == 1, fields[0].hasPrefix("# file ") {
                let words = fields[0].split(separator: " ").map(String.init)
                guard words.count == 7, words[3] == "records", words[5] == "sha256", let records = Int(words[4]),
                    words[6].count == 64, words[6].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
                else { problems.append(fields[0]); return true }
                files.append(File(name: words[2], records: records, sha256: words[6]))
            } else if header.isEmpty {
                header = fields
            } else if fields.count == 4, let line = Int(fields[1]), let person = Int(fields[3]) {
                rows.append(Row(file: fields[0], line: line, role: fields[2], person: person))
            } else {
                problems.append("line \(record.line): \(fields)")
            }
            return true
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }
}
