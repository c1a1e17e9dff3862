import Disclosure
import Foundation
import Profiles

/// Everything one partnership group receives: its profiles' tables after its audience's disclosure
/// control (chosen over every table the audience may see), with the scorecard where it has one,
/// in each chosen format, and DISCLOSURE.txt saying the rule applied and which tables were
/// withheld whole and why (never which cells, how many, or what an intruder could learn).
public struct GroupOutputs: Sendable {
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
    public let wards: (shapes: [HTMLReport.WardShape], height: Double)?

    public init(period: String, previousPeriod: String, formats: Set<Format>, wards: (shapes: [HTMLReport.WardShape], height: Double)?) {
        self.period = period; self.previousPeriod = previousPeriod; self.formats = formats; self.wards = wards
    }

    /// Every table each audience may see, chosen together: one suppression pattern per threshold
    /// over all profiles' tables and the scorecard (a group receives a subset of it, and a subset
    /// of a safe release is safe). Thresholds are taken in increasing order, each starting from
    /// everything the one before withheld, since readers of a lower threshold (partners) also read
    /// the outputs of a higher one (the public summary).
    public struct Releases: Sendable {
        public let universe: [(profile: String, table: ProfileTable)]
        public let byThreshold: [Int: DisclosureControl.Release]
    }

    public func protect(
        _ groups: [Group], built: [String: Built], order: [String],
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) -> Releases {
        var universe: [(profile: String, table: ProfileTable)] = []
        for id in order { for t in built[id]?.tables ?? [] { universe.append((id, t)) } }
        if groups.contains(where: \.scorecard),
            let card = Scorecard.table(
                order.compactMap { id in
                    built[id].flatMap { b in b.tables.first { $0.id == "success_measures" }.map { (b.title, $0) } }
                })
        {
            universe.append(("", card))
        }
        var releases: [Int: DisclosureControl.Release] = [:]
        var earlier: DisclosureControl.Release? = nil
        for threshold in Set(groups.map(\.threshold)).sorted() {
            let release = DisclosureControl.protect(
                universe.map(\.table), rule: DisclosureRule(threshold: threshold), after: earlier, threads: threads)
            releases[threshold] = release
            earlier = release
        }
        return Releases(universe: universe, byThreshold: releases)
    }

    /// What disclosure control cost one group: count cells shown, small counts withheld, other
    /// counts withheld to protect them, and the tables withheld whole with the reason.
    public struct Loss: Sendable {
        public var published = 0, primary = 0, secondary = 0
        public var withheldTables: [(table: String, reason: String)] = []
    }

    /// Writes the group's folder into the publication.
    /// - Returns: the disclosure rule applied, and what it cost.
    public func write(_ g: Group, releases: Releases, built: [String: Built], into publication: Publication) throws -> (
        rule: DisclosureRule, loss: Loss
    ) {
        let rule = DisclosureRule(threshold: g.threshold)
        guard let release = releases.byThreshold[g.threshold] else { return (rule, Loss()) }
        var loss = Loss()
        var notes = ["\(g.title): \(g.isPublic ? "public" : "partners") audience; \(rule)."]
        var withheldNotes: [String] = []
        let titles = Set(g.profiles.compactMap { built[$0]?.title })
        func take(_ i: Int, as path: String) -> ProfileTable? {
            loss.published += release.published[i]
            loss.primary += release.primary[i]
            loss.secondary += release.secondary[i]
            guard let t = release.tables[i] else {
                let reason = release.withheldTables[i] ?? "withheld"
                loss.withheldTables.append((path, reason))
                withheldNotes.append("\(path): not released (\(reason)).")
                return nil
            }
            return t.roundedAsShown()
        }
        var released: [(id: String, title: String, tables: [ProfileTable])] = []
        for id in g.profiles {
            var tables: [ProfileTable] = []
            for (i, u) in releases.universe.enumerated() where u.profile == id {
                if let t = take(i, as: "\(id)/\(u.table.id).csv") { tables.append(t) }
            }
            released.append((id, built[id]?.title ?? id, tables))
        }
        var extra: [ProfileTable] = []
        if g.scorecard, let i = releases.universe.firstIndex(where: { $0.profile.isEmpty && $0.table.id == "scorecard" }),
            var card = take(i, as: "scorecard.csv")
        {
            // The group's own profiles' rows of the audience's scorecard.
            let keep = card.rows.indices.filter { titles.contains(card.rows[$0][0].description) }
            card.rows = keep.map { card.rows[$0] }
            if let m = card.meaning { card.meaning?.counts = m.counts.mapValues { cells in keep.map { cells[$0] } } }
            extra.append(card)
        }
        notes += withheldNotes.isEmpty ? ["Every table is released."] : withheldNotes
        if formats.contains(.csv) {
            for p in released { for t in p.tables { try publication.write("\(g.id)/\(p.id)/\(t.id).csv", Data(CSVExport.text(t).utf8)) } }
            for t in extra { try publication.write("\(g.id)/\(t.id).csv", Data(CSVExport.text(t).utf8)) }
        }
        if formats.contains(.json) {
            try publication.write(
                "\(g.id)/profiles.json",
                JSONExport.document(
                    group: g.id, title: g.title, audience: g.isPublic ? "public" : "partners", disclosure: rule.description,
                    period: period, profiles: released, extra: extra))
        }
        if formats.contains(.sqlite) {
            try FileManager.default.createDirectory(atPath: publication.staging + "/" + g.id, withIntermediateDirectories: true)
            try publication.write(
                "\(g.id)/profiles.sqlite",
                try SQLiteExport.database(released.flatMap { p in p.tables.map { (p.id, $0) } } + extra.map { ("", $0) }))
        }
        if formats.contains(.html) {
            let report = HTMLReport.document(
                title: g.title, subtitle: g.isPublic ? "For the public." : "For the partnership's members.",
                disclosure: rule.description + ".", period: "\(period) (beside \(previousPeriod))",
                profiles: released.map { r in
                    HTMLReport.Profile(id: r.id, title: r.title, description: built[r.id]?.description ?? "", tables: r.tables)
                },
                scorecard: extra.first { $0.id == "scorecard" }, wards: wards)
            try publication.write("\(g.id)/report.html", Data(report.utf8))
        }
        try publication.write("\(g.id)/DISCLOSURE.txt", Data((notes.joined(separator: "\n") + "\n").utf8))
        return (rule, loss)
    }
}
