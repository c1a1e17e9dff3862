import Export
import Foundation
import TestSupport
import Testing

@testable import Ingest

/// What must hold whatever the input: identifiers and the key stay in, private files stay private,
/// nothing is written outside the output, and nothing from the data runs in a spreadsheet or a browser.
@Suite("Hostile input: security")
struct SecurityTests {
    static let surname = "Quaxlebyhostile"
    static let forename = "Zebedeehostile"
    static let nhs = "9990000026"
    static let dob = "13/07/2011"
    static let postcode = "SY1 9ZZ"

    /// A plain copy of the bundled drop with one accepted and one refused children's referral
    /// carrying a planted identity (the postcode added to the drop's lookup so that it resolves).
    private func plantedDrop() throws -> TemporaryDirectory {
        let dir = try plainSampleDropCopy()
        let path = dir.file("childrens_referrals.csv")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let accepted = [
            "REF999998", "P9999998", Self.forename, Self.surname, Self.dob, "F", "WBRI", Self.nhs, Self.postcode,
            "01/06/2025", "6", "N1", "3B", "Child and family assessment",
        ]
        var refused = accepted
        refused[0] = "REF999999"
        refused[9] = "99/99/2025"
        text += csvLine(accepted) + "\n" + csvLine(refused) + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try (String(contentsOfFile: dir.file("reference/postcodes.csv"), encoding: .utf8) + "\(Self.postcode),E01028945\n")
            .write(toFile: dir.file("reference/postcodes.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    /// Every regular file under `folder`, with its text.
    private func files(under folder: String) -> [(String, String)] {
        (FileManager.default.subpaths(atPath: folder) ?? []).compactMap { p in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + p, isDirectory: &isFolder), !isFolder.boolValue,
                let data = FileManager.default.contents(atPath: folder + "/" + p)
            else { return nil }
            return (folder + "/" + p, String(decoding: data, as: UTF8.self))
        }
    }

    /// `profiler validate` and `build`, run as a scheduler runs them with the key in a file and in
    /// the environment, print and write neither the key nor a planted identifier anywhere but the
    /// quarantine (which holds the identifiers of its refused row, and never the key).
    @Test func identifiersAndKeyNeverReachOutputLogsOrErrors() throws {
        guard ProcessRun.profilerIsBuilt else { Issue.record("no \(TestPaths.profilerBinary): run swift build first"); return }
        let drop = try plantedDrop()
        defer { drop.remove() }
        let work = try TemporaryDirectory("security")
        defer { work.remove() }
        let fileKey = "hostile-key-from-a-file-7f3a9c2e5b1d4068a2c4e6f8"
        let envKey = "hostile-key-from-the-environment-5d2b8e1f9a3c7046"
        let keyFile = try work.write("key", fileKey + "\n")
        var runs: [ProcessRun] = []
        runs.append(
            try ProcessRun.profiler(
                [
                    "build", "--data", drop.path, "--out", work.file("out"), "--key-file", keyFile,
                    "--quarantine", work.file("q-build"), "--group", "childrens", "--threads", "2",
                ], environment: [:]))
        #expect(runs[0].status == 1, "\(runs[0].stderr)")
        let env = [LinkageKey.environmentVariable: envKey]
        runs.append(
            try ProcessRun.profiler(
                ["validate", "--data", drop.path, "--quarantine", work.file("q-validate"), "--threads", "2"], environment: env))
        runs.append(try ProcessRun.profiler(["validate", "--data", drop.path, "--json", "--threads", "2"], environment: env))
        #expect(runs[1].status == 1 && runs[2].status == 1, "\(runs[1].stderr)")
        // A drop that fails: its report is written beside the output.
        try FileManager.default.removeItem(atPath: drop.file("police_crimes.csv"))
        runs.append(try ProcessRun.profiler(["build", "--data", drop.path, "--out", work.file("out"), "--threads", "2"], environment: env))
        #expect(runs[3].status == 2, "\(runs[3].stderr)")
        #expect(FileManager.default.fileExists(atPath: work.file("out.failed-quality.json")))

        let planted = [
            Self.surname, Self.surname.uppercased(), Self.forename, Self.nhs, "999 000 0026", Self.dob, "2011-07-13", Self.postcode,
        ]
        var keyForms: [String] = []
        for key in [fileKey, envKey] {
            keyForms += [key, Data(key.utf8).base64EncodedString(), Data(key.utf8).map { String(format: "%02x", $0) }.joined()]
        }
        let written = files(under: work.path).filter { !$0.0.hasSuffix("/key") }
        #expect(written.count > 20)
        let quarantined = written.filter { $0.0.contains("/q-") }
        #expect(quarantined.count == 2 && quarantined.allSatisfy { $0.1.contains(Self.surname) && $0.1.contains(Self.nhs) })
        var streams = runs.flatMap { [("stdout", $0.stdout), ("stderr", $0.stderr)] }
        #expect(streams.contains { $0.1.contains("rejected") })
        streams += written
        for (name, text) in streams {
            for k in keyForms { #expect(!text.contains(k), "the key is in \(name)") }
            guard !name.contains("/q-") else { continue }
            for value in planted { #expect(!text.contains(value), "\(value) is in \(name)") }
        }
    }

    /// The quarantine's folders are made 0700 (each one made for it) and its file 0600, also when
    /// an earlier run left the file open to others; a build's staging folder is 0700.
    @Test func quarantineAndStagingArePrivate() throws {
        let work = try TemporaryDirectory("private")
        defer { work.remove() }
        func mode(_ path: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }
        let nested = work.file("a/b/quarantine")
        let source = try #require(HostileExtracts.catalogue.source("ae_attendances"))
        let key = try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true)
        let input = HostileManifest.folder + "/csv/nul-bytes.csv"
        var drop = DropIngestor.ingest(
            [(source, [input])], reference: HostileExtracts.reference, key: key,
            options: IngestOptions(threads: 1, quarantineFolder: nested))
        #expect(drop.reports.first?.rejected == 2)
        for folder in [work.file("a"), work.file("a/b"), nested] { #expect(try mode(folder) == 0o700, "\(folder)") }
        let file = nested + "/ae_attendances.rejects.csv"
        #expect(try mode(file) == 0o600)
        // Left readable by others: opened again, it is private again and holds this run's rows.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        drop = DropIngestor.ingest(
            [(source, [input])], reference: HostileExtracts.reference, key: key,
            options: IngestOptions(threads: 1, quarantineFolder: nested))
        #expect(try mode(file) == 0o600)
        #expect(try CSVTable(path: file).rows.count == 2)

        let publication = try Publication(output: work.file("out"))
        #expect(try mode(publication.staging) == 0o700)
        try publication.write("g/t.csv", Data("x\n".utf8))
        publication.discard()
        #expect(!FileManager.default.fileExists(atPath: publication.staging))
    }

    /// Nothing is written outside the output folder, and a build does not replace a folder that is
    /// not an earlier build's output.
    @Test func outputPathsCannotEscape() throws {
        let work = try TemporaryDirectory("escape")
        defer { work.remove() }
        let publication = try Publication(output: work.file("out"))
        for path in ["../escape.csv", "g/../../escape.csv", "/tmp/escape.csv", "g/./t.csv", "", "g//t.csv"] {
            #expect(throws: Publication.Refusal.self, "\(path)") { try publication.write(path, Data("x\n".utf8)) }
        }
        publication.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)

        // The root, a file and a folder of other things are refused; a new, an empty and an earlier output are not.
        let mine = try work.write("notes.txt", "an analyst's notes\n")
        let theirs = work.file("theirs")
        try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: theirs + "/keep.txt"))
        for refused in ["/", mine, theirs, theirs + "/.."] {
            #expect(throws: Publication.Refusal.self, "\(refused)") { _ = try Publication(output: refused) }
        }
        let earlier = work.file("earlier")
        try FileManager.default.createDirectory(atPath: earlier, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: earlier + "/manifest.json"))
        for accepted in [work.file("new"), earlier] { try Publication(output: accepted).discard() }

        // Through the command line: a configuration error, the folder untouched.
        #expect(try runProfiler(["build", "--out", theirs, "--group", "adults", "--format", "csv"]) == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: theirs) == ["keep.txt"])
        #expect(FileManager.default.contents(atPath: mine) == Data("an analyst's notes\n".utf8))
        #expect(throws: (any Error).self) { _ = try runProfiler(["build", "--out", work.file("out"), "--group", "../escape"]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).sorted() == ["earlier", "notes.txt", "theirs"])
    }

    /// Values from the data (a location of risk) and text from the definitions (group and profile
    /// titles) that a spreadsheet would run or a browser would read as markup come out neutralised
    /// in every CSV and as text in the report.
    @Test func dataValuesAreNeutralisedAndEscaped() throws {
        let profiles = try TemporaryDirectory("profiles")
        defer { profiles.remove() }
        try FileManager.default.removeItem(atPath: profiles.path)
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: profiles.path)
        func edit(_ file: String, _ old: String, _ new: String) throws {
            let path = profiles.path + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains(old), "\(file)")
            try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
        }
        try edit("groups/adults.yaml", "title: Adults group", "title: 'Adults <b onclick=\"alert(4)\">group</b> & co'")
        try edit("priorities/self_neglect.yaml", "title: Self-neglect\n", "title: 'Self-neglect <img src=x onerror=alert(1)>'\n")

        let drop = try plainSampleDropCopy()
        defer { drop.remove() }
        let path = drop.file("adult_safeguarding_enquiries.csv")
        let table = try CSVTable(path: path)
        let type = table.column("TypeOfRisk"), location = table.column("LocationOfRisk")
        let planted = ["=cmd|' /C calc'!A0", "<script>alert(2)</script>", "\"><svg onload=alert(3)>", "@SUM(1+1)", "+44 1743 000000"]
        var lines = [csvLine(table.header)]
        var n = 0
        for var row in table.rows {
            if row[type] == "Self-neglect" { row[location] = planted[n % planted.count]; n += 1 }
            lines.append(csvLine(row))
        }
        #expect(n > 20)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let key = try drop.write("key", "hostile-markup-test-key-0123456789abcdef")
        let out = try TemporaryDirectory("out")
        defer { out.remove() }
        let status = try runProfiler([
            "build", "--data", drop.path, "--key-file", key, "--profiles", profiles.path, "--out", out.path,
            "--group", "adults", "--format", "csv", "--format", "html",
        ])
        #expect(status == 0 || status == 1)

        // Every CSV cell holding a planted value that a spreadsheet would run starts with an apostrophe.
        let csvs = (FileManager.default.subpaths(atPath: out.file("adults")) ?? []).filter { $0.hasSuffix(".csv") }
        var seen = Set<String>()
        for file in csvs {
            let t = try CSVTable(path: out.file("adults/" + file))
            for cell in t.rows.flatMap({ $0 }) + t.header {
                for value in planted where cell.contains(value) {
                    seen.insert(value)
                    let risky = "=+-@".contains(value.first!)
                    #expect(cell == (risky ? "'" + value : value), "\(file): \(cell)")
                }
            }
        }
        #expect(seen == Set(planted), "planted values found: \(seen)")

        let report = try String(contentsOfFile: out.file("adults/report.html"), encoding: .utf8)
        for markup in ["<script>alert", "<svg onload", "<img", "<b onclick", "onclick=\"alert"] {
            #expect(!report.contains(markup), "\(markup) in the report")
        }
        for escaped in [
            "&lt;script&gt;alert(2)&lt;/script&gt;", "&quot;&gt;&lt;svg onload=alert(3)&gt;", "&lt;img src=x onerror=alert(1)&gt;",
            "Adults &lt;b onclick=&quot;alert(4)&quot;&gt;group&lt;/b&gt; &amp; co",
        ] {
            #expect(report.contains(escaped), "\(escaped) not in the report")
        }
    }
}
