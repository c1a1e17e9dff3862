import Definitions
import Foundation
import Ingest
import Profiles
import Reference
import TestSupport
import Testing

/// A generated drop read with drafts instead of its source definitions: each file drafted by
/// `SourceDraft.infer` with nothing of the shipped definitions, then changed only as an analyst
/// finishing a draft would, by a script: the agency set (a draft cannot know who sends a file, and
/// asks for it), a local id's case system named (which ids two sources share), each field and person renamed to the name the profiles
/// use (matched by column), and each drafted code list replaced by the partnership's labels for
/// those codes (the shipped `codes:` section; a draft writes every code as itself), and a column
/// the profiles read a second time through another code list (a diagnosis as alcohol-specific or
/// not) given that second field. The types,
/// date layouts, people, identity columns, flags, places and separators are the draft's own.
/// Every table of every profile then equals the one built with the shipped definitions.
@Suite("Ingest: drafted sources give the same tables", .serialized)
struct DraftedSourcesRoundTripTests {
    /// The draft's text with names and code lists as the shipped definition has them.
    static func finished(_ yaml: String, shipped s: SourceDefinition, shippedText: String) -> String {
        var out: [String] = []
        let fieldLine = try! NSRegularExpression(pattern: #"^(\s+)([a-z0-9_]+): \{ column: "((?:[^"\\]|\\.)*)"(.*) \}$"#)
        let roleLine = try! NSRegularExpression(pattern: #"^  ([a-z0-9_]+):$"#)
        let identityLine = try! NSRegularExpression(pattern: #"^    [a-z_]+: (?:\{ column: )?"((?:[^"\\]|\\.)*)""#)
        let lines = yaml.components(separatedBy: "\n")
        var inPeople = false, inCodes = false
        var emitted: Set<String> = [], restOf: [String: String] = [:]
        for (i, line) in lines.enumerated() {
            let range = NSRange(line.startIndex..., in: line)
            if line.hasPrefix("codes:") { inCodes = true }
            if inCodes { continue }
            if line.hasPrefix("people:") { inPeople = true }
            if line.hasPrefix("agency: ") {
                out.append("agency: \(s.agency)")
                continue
            }
            if let m = fieldLine.firstMatch(in: line, range: range) {
                let (indent, column, rest) = (group(line, m, 1), group(line, m, 3), group(line, m, 4))
                let shipped = (s.fields + s.people.flatMap(\.fields)).first { $0.column == column }
                var rest2 = rest.replacingOccurrences(of: #", codes: [a-z0-9_]+"#, with: "", options: .regularExpression)
                restOf[column] = rest2
                if let list = shipped?.codeList { rest2 += ", codes: \(list)" }
                emitted.insert(shipped?.name ?? "")
                out.append("\(indent)\(shipped?.name ?? group(line, m, 2)): { column: \"\(column)\"\(rest2) }")
            } else if inPeople, line.hasPrefix("    local_id: \""), let c = line.split(separator: "\"").dropFirst().first,
                let system = s.people.flatMap(\.identity).first(where: { $0.column == c && $0.kind == .localID })?.system
            {
                out.append("    local_id: { column: \"\(c)\", system: \(system) }")
            } else if inPeople, let m = roleLine.firstMatch(in: line, range: range) {
                // The person whose identity columns follow.
                let next =
                    lines[(i + 1)...].first { identityLine.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil } ?? ""
                let c = identityLine.firstMatch(in: next, range: NSRange(next.startIndex..., in: next)).map { group(next, $0, 1) }
                let role = s.people.first { $0.identity.contains { $0.column == c } }?.name ?? group(line, m, 1)
                out.append("  \(role):")
            } else {
                out.append(line)
            }
        }
        // Second readings of a drafted column, each through its own code list.
        let extra = s.fields.filter { !emitted.contains($0.name) }.compactMap { f in
            restOf[f.column].map { "  \(f.name): { column: \"\(f.column)\"\($0)" + (f.codeList.map { ", codes: \($0)" } ?? "") + " }" }
        }
        if let at = out.firstIndex(of: "fields:") { out.insert(contentsOf: extra, at: at + 1) }
        // The shipped code lists, as the last section.
        if let start = shippedText.range(of: "\ncodes:\n") {
            var section = String(shippedText[start.lowerBound...])
            if let next = section.dropFirst(8).range(of: #"\n[a-z_]+:"#, options: .regularExpression) {
                section = String(section[..<next.lowerBound])
            }
            out.append(section)
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func group(_ s: String, _ m: NSTextCheckingResult, _ i: Int) -> String {
        Range(m.range(at: i), in: s).map { String(s[$0]) } ?? ""
    }

    @Test func everyTableIsTheSameWithDraftedSources() throws {
        let drop = TestPaths.sampleDrop
        let shipped = try SourceCatalogue.load(profiles: TestPaths.profiles)
        let dir = try TemporaryDirectory("drafted-sources")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("profiles/sources"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.profiles + "/codes", toPath: dir.file("profiles/codes"))
        let files = DropIngestor.files(in: drop, for: shipped).bySource
        for (s, names) in zip(shipped.sources, files) {
            let text = try String(contentsOfFile: s.location.file, encoding: .utf8)
            // A source the drop has no file for (the optional SSDA903 return) reads nothing: kept as shipped.
            guard !names.isEmpty else {
                try text.write(toFile: dir.file("profiles/sources/\(s.id).yaml"), atomically: true, encoding: .utf8)
                continue
            }
            let draft = try SourceDraft.infer(names.map { drop + "/" + $0 }, id: s.id)
            try Self.finished(draft.yaml, shipped: s, shippedText: text).write(
                toFile: dir.file("profiles/sources/\(s.id).yaml"), atomically: true, encoding: .utf8)
        }
        let drafted = try SourceCatalogue.load(profiles: dir.file("profiles"))
        let profiles = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: drafted, measures: MeasureLibrary.grammars)
        let key = try LinkageKey.resolve(
            keyFile: nil, environment: [LinkageKey.environmentVariable: String(repeating: "k", count: 40)], isDemoDrop: false)
        let reference = try ReferenceData.load(drop: drop, defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
        let withShipped = DropIngestor.ingest(drop: drop, catalogue: shipped, reference: reference, key: key)
        let withDrafts = DropIngestor.ingest(drop: drop, catalogue: drafted, reference: reference, key: key)
        let rejected = withDrafts.reports.map(\.rejected).reduce(0, +)
        let (readDrafted, readShipped) = (withDrafts.reports.map(\.rowsRead).reduce(0, +), withShipped.reports.map(\.rowsRead).reduce(0, +))
        #expect(rejected == 0)
        #expect(readDrafted == readShipped && readDrafted > 10_000)
        let period = ProfileReferenceTests.period
        var tables = 0, cells = 0
        for profile in profiles.profiles {
            let a = ProfileEngine(drop: withShipped.data, period: period).build(ProfileReferenceTests.profiles.profile(profile.id)!)
            let b = ProfileEngine(drop: withDrafts.data, period: period).build(profile)
            #expect(a.map(\.id) == b.map(\.id))
            for (x, y) in zip(a, b) {
                #expect(x.columns == y.columns, "\(profile.id)/\(x.id)")
                #expect(x.rows == y.rows, "\(profile.id)/\(x.id): \(x.rows.count) rows, drafted \(y.rows.count)")
                tables += 1
                cells += x.rows.map(\.count).reduce(0, +)
            }
        }
        #expect(tables >= 85 && cells > 5_000, "\(tables) tables, \(cells) cells")
    }
}
