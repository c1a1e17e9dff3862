import Disclosure
import Foundation
import Profiles

/// Everything one partnership group receives: its profiles' tables after its audience's disclosure
/// control (a table the audit cannot confirm is not released), with the scorecard where it has
/// one, in each chosen format, and DISCLOSURE.txt saying what was withheld and why.
public struct GroupOutputs {
    public enum Format: String, Sendable, CaseIterable { case csv, json, sqlite, html }

    public struct Group: Sendable {
        public let id: String
        public let title: String
        public let isPublic: Bool
        public let threshold: Int
        public let profiles: [String]
        public let scorecard: Bool
        public init(id: String, title: String, isPublic: Bool, threshold: Int, profiles: [String], scorecard: Bool) {
            self.id = id; self.title = title; self.isPublic = isPublic; self.threshold = threshold
            self.profiles = profiles; self.scorecard = scorecard
        }
    }

    /// A built profile: its title, description and tables (analysts' versions, before control).
    public struct Built: Sendable {
        public let title: String
        public let description: String
        public let tables: [ProfileTable]
        public init(title: String, description: String, tables: [ProfileTable]) {
            self.title = title; self.description = description; self.tables = tables
        }
    }

    public let period: String
    public let previousPeriod: String
    public let formats: Set<Format>
    /// Each ward's locality, for the margins the locality tables publish.
    public let localityOfWard: [String: String]
    public let wards: (shapes: [HTMLReport.WardShape], height: Double)?

    public init(period: String, previousPeriod: String, formats: Set<Format>, localityOfWard: [String: String],
                wards: (shapes: [HTMLReport.WardShape], height: Double)?) {
        self.period = period; self.previousPeriod = previousPeriod; self.formats = formats
        self.localityOfWard = localityOfWard; self.wards = wards
    }

    /// Writes the group's folder into the publication.
    /// - Returns: the disclosure rule applied, and the tables not released.
    public func write(_ g: Group, built: [String: Built], into publication: Publication) throws -> (rule: DisclosureRule, withheld: [String]) {
        let rule = DisclosureRule(threshold: g.threshold)
        var notes = ["\(g.title): \(g.isPublic ? "public" : "partners") audience; \(rule)."]
        var withheld: [String] = []
        func release(_ table: ProfileTable, as path: String) -> ProfileTable? {
            let outcome = DisclosureControl.protect(table, rule: rule, margins: SharedMargins.lines(table, localityOfWard: localityOfWard))
            guard outcome.passed else {
                withheld.append("\(g.id)/\(path)")
                notes.append("\(path): not released, the audit could not confirm protection of \(outcome.unprotected.joined(separator: "; "))")
                return nil
            }
            if outcome.primary + outcome.secondary > 0 {
                notes.append("\(path): \(outcome.primary) cell(s) withheld as small, \(outcome.secondary) more so they cannot be worked out")
            }
            return outcome.table
        }
        var released: [(id: String, title: String, tables: [ProfileTable])] = []
        for id in g.profiles {
            let tables = (built[id]?.tables ?? []).compactMap { release($0, as: "\(id)/\($0.id).csv") }
            released.append((id, built[id]?.title ?? id, tables))
        }
        var extra: [ProfileTable] = []
        if g.scorecard, let card = Scorecard.table(g.profiles.compactMap { id in
            built[id].flatMap { b in b.tables.first { $0.id == "success_measures" }.map { (b.title, $0) } }
        }), let protected = release(card, as: "scorecard.csv") {
            extra.append(protected)
        }
        if formats.contains(.csv) {
            for p in released { for t in p.tables { try publication.write("\(g.id)/\(p.id)/\(t.id).csv", Data(CSVExport.text(t).utf8)) } }
            for t in extra { try publication.write("\(g.id)/\(t.id).csv", Data(CSVExport.text(t).utf8)) }
        }
        if formats.contains(.json) {
            try publication.write("\(g.id)/profiles.json", JSONExport.document(
                group: g.id, title: g.title, audience: g.isPublic ? "public" : "partners", disclosure: rule.description,
                period: period, profiles: released, extra: extra))
        }
        if formats.contains(.sqlite) {
            try FileManager.default.createDirectory(atPath: publication.staging + "/" + g.id, withIntermediateDirectories: true)
            try publication.write("\(g.id)/profiles.sqlite",
                                  try SQLiteExport.database(released.flatMap { p in p.tables.map { (p.id, $0) } } + extra.map { ("", $0) }))
        }
        if formats.contains(.html) {
            let report = HTMLReport.document(
                title: g.title, subtitle: g.isPublic ? "For the public." : "For the partnership's members.",
                disclosure: rule.description + ".", period: "\(period) (beside \(previousPeriod))",
                profiles: released.map { r in HTMLReport.Profile(id: r.id, title: r.title, description: built[r.id]?.description ?? "", tables: r.tables) },
                scorecard: extra.first { $0.id == "scorecard" }, wards: wards)
            try publication.write("\(g.id)/report.html", Data(report.utf8))
        }
        try publication.write("\(g.id)/DISCLOSURE.txt", Data((notes.joined(separator: "\n") + "\n").utf8))
        return (rule, withheld)
    }
}
