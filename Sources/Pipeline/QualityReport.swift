import Export
import Foundation
import Ingest
import Profiles

/// The data-quality report of a drop, as terminal text or JSON. It carries counts, codes, dates
/// and places, never an identifier's value.
public struct QualityReport: Codable, Sendable {
    /// The drop read (the latest, when several were).
    public let drop: String
    /// Every drop read, in order, when there were several.
    public let drops: [String]?
    /// What a build over several drops replaced, per dataset.
    public let merge: DropMerge.Report?
    public let linkageKey: String
    public let status: String
    public let seconds: Double
    public let people: Int
    /// What probabilistic matching did: links made, the score distribution, the weights.
    public let probabilisticLinkage: ProbabilisticLinkage?
    public let rowsRead: Int
    public let accepted: Int
    public let rejected: Int
    /// Bytes held by the typed column tables the drop became.
    public let columnBytes: Int
    public let missingDatasets: [String]
    public let unknownFiles: [String]
    public let quarantineFiles: [String]
    public let files: [FileReport]
    /// What the drop says about the definitions (a build's): conditions that matched no row,
    /// tables and success measures with nothing in the reporting year. Absent when there are none.
    public var definitionWarnings: [DefinitionWarning]?

    public init(drop: String, keyOrigin: String, ingested: IngestedDrop, seconds: Double) {
        self.init(drops: [drop], keyOrigin: keyOrigin, ingested: ingested, seconds: seconds)
    }

    public init(drops: [String], keyOrigin: String, ingested: IngestedDrop, seconds: Double) {
        drop = drops.last ?? ""
        self.drops = drops.count > 1 ? drops : nil
        merge = ingested.merge
        linkageKey = keyOrigin
        status = ingested.status.rawValue
        self.seconds = seconds
        people = ingested.people
        probabilisticLinkage = ingested.probabilisticLinkage
        rowsRead = ingested.reports.reduce(0) { $0 + $1.rowsRead }
        accepted = ingested.reports.reduce(0) { $0 + $1.accepted }
        rejected = ingested.reports.reduce(0) { $0 + $1.rejected }
        columnBytes = ingested.tables.values.reduce(0) { $0 + $1.byteSize }
        missingDatasets = ingested.missingSources
        unknownFiles = ingested.unknownFiles
        quarantineFiles = ingested.quarantineFiles
        files = ingested.reports
    }

    /// The report as JSON (`quality.json`, `validate --json`): through the engine's one writer, keys
    /// sorted, laid out as JSONEncoder's `.prettyPrinted` did; a rate that is not finite is null.
    public func json() throws -> String {
        JSONWriter.text(try JSONValueEncoder().encode(self), layout: .spacedColons)
    }

    public func text() -> String {
        var out: [String] = ["drop: \(drops?.joined(separator: ", then ") ?? drop) (linkage key: \(linkageKey))"]
        func pct(_ n: Int, _ d: Int) -> String { d == 0 ? "-" : String(format: "%.1f%%", 100 * Double(n) / Double(d)) }
        for f in files {
            out.append("")
            out.append(
                "\(f.file) [\(f.source)]: \(f.rowsRead) read, \(f.accepted) accepted, \(f.rejected) rejected"
                    + (f.replaced.map { ", \($0) replaced by a later drop" } ?? "") + " -> \(f.status.rawValue)"
                    + (f.rejected > 0
                        ? String(format: " (%.2f%% rejected, tolerance %.2f%%)", 100 * f.rejectShare, 100 * f.maxRejectShare) : ""))
            if let fatal = f.fatalError { out.append("  ERROR: \(fatal)") }
            for (kind, s) in f.rejects.sorted(by: { $0.key < $1.key }) {
                out.append("  rejected, \(kind): \(s.count) (first at line:column \(s.firstPlaces.joined(separator: ", ")))")
            }
            if !f.dateRanges.isEmpty {
                out.append("  dates: " + f.dateRanges.map { "\($0.field) \($0.first) to \($0.last)" }.joined(separator: "; "))
            }
            for l in f.linkage {
                let n = l.keyed + l.unkeyed
                var line =
                    "  people, \(l.role): \(pct(l.byNHSNumber, n)) by NHS number, \(pct(l.bridgedToNHSNumber, n)) linked to one, "
                    + "\(pct(l.byMatchKey, n)) by match key, \(pct(l.byLocalID, n)) by local id only, "
                    + (probabilisticLinkage != nil ? "\(pct(l.byProbabilisticMatch, n)) by probabilistic match, " : "")
                    + "\(pct(l.unkeyed, n)) unkeyed"
                if l.invalidNHSNumbers > 0 { line += "; \(l.invalidNHSNumbers) invalid NHS numbers" }
                out.append(line)
            }
            for g in f.geography {
                out.append(
                    "  places, \(g.field): \(g.inArea) in area, \(g.outsideArea) outside, \(g.unknownCode) unknown code, \(g.missing) missing"
                )
            }
            let nulls = f.nullRates.filter { $0.nulls > 0 }.sorted { $0.rate > $1.rate }
            if !nulls.isEmpty {
                out.append(
                    "  blank: " + nulls.prefix(8).map { "\($0.field) \(String(format: "%.1f%%", 100 * $0.rate))" }.joined(separator: ", ")
                        + (nulls.count > 8 ? ", ..." : ""))
            }
            for u in f.unknownCodes.prefix(8) {
                out.append("  unknown code in \(u.field): '\(u.value)' x\(u.count) (\(u.treatment))")
            }
            if !f.unreadColumns.isEmpty { out.append("  not read: \(f.unreadColumns.joined(separator: ", "))") }
            if !f.absentColumns.isEmpty {
                out.append("  optional columns absent (their fields are blank): \(f.absentColumns.joined(separator: ", "))")
            }
        }
        out.append("")
        for m in missingDatasets { out.append("MISSING: no file for \(m)") }
        for u in unknownFiles {
            let path = drop.isEmpty ? u : (drop as NSString).appendingPathComponent(u)
            out.append("note: \(u) is not read by any source definition; draft one with: profiler sources infer \(Self.shellQuoted(path))")
        }
        for q in quarantineFiles { out.append("quarantine: \(q) (holds personal data)") }
        if let merge {
            for d in merge.datasets where d.replaced > 0 || d.withoutRecordID > 0 {
                out.append(
                    "\(d.source): \(d.replaced) of \(d.accepted) rows replaced by a later drop's record, \(d.kept) kept"
                        + (d.withoutRecordID > 0 ? " (\(d.withoutRecordID) with a blank record id, kept)" : ""))
            }
            for s in merge.notDeduplicated { out.append("WARNING: \(s) names no record_id: its rows from every drop are kept") }
        }
        if let p = probabilisticLinkage { out += Self.lines(p) }
        out.append(
            "\(files.count) files, \(rowsRead) rows read, \(accepted) accepted, \(rejected) rejected; "
                + "\(people) distinct people; columns \(formatBytes(columnBytes)); \(String(format: "%.2f", seconds)) s -> \(status)")
        for w in definitionWarnings ?? [] { out.append("definitions: \(w)") }
        return out.joined(separator: "\n")
    }
}

/// A size in bytes as a person reads it (B, KB, MB, GB).
public func formatBytes(_ n: Int) -> String {
    if n >= 1 << 30 { return String(format: "%.2f GB", Double(n) / Double(1 << 30)) }
    if n >= 1 << 20 { return String(format: "%.1f MB", Double(n) / Double(1 << 20)) }
    if n >= 1 << 10 { return String(format: "%.1f KB", Double(n) / Double(1 << 10)) }
    return "\(n) B"
}

extension QualityReport {
    /// A path as a shell reads it back (single quotes where it needs them).
    static func shellQuoted(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@".contains($0) }
            ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Probabilistic matching in a few lines: what was compared, the links, the scores.
    static func lines(_ p: ProbabilisticLinkage) -> [String] {
        if p.tooFewIdentities {
            return [
                "probabilistic matching: \(p.identities) identities are too few to estimate match weights from; people were linked by exact keys only"
            ]
        }
        var out = [
            "probabilistic matching (threshold \(p.threshold)): \(p.identities) identities in \(p.blocks) blocks"
                + (p.blocksTooLarge > 0 ? " (\(p.blocksTooLarge) too large to compare within)" : "")
                + ", \(p.candidatePairs) candidate pairs; \(p.links) people joined, \(p.recordsLinked) records linked",
            "  joins refused: \(p.refusedNHS) for two valid NHS numbers, \(p.refusedBirthDate) for dates of birth that disagree",
        ]
        let bins = p.scoreHistogram.enumerated().filter { $0.element > 0 }
            .map { String(format: "%.2f-%.2f: %d", Double($0.offset) * 0.05, Double($0.offset + 1) * 0.05, $0.element) }
        if !bins.isEmpty { out.append("  match probability of the candidate pairs: " + bins.joined(separator: ", ")) }
        if let w = p.weights {
            let agree = MatchWeightsText.fields.indices.map { f in
                String(format: "%@ %+.1f", MatchWeightsText.fields[f], w.weight(f, 0) / log(2))
            }
            out.append(
                String(
                    format:
                        "  weights by EM (%d iterations, from %d pairs of one person and %d random pairs): 1 pair of identities in %.0f is one person",
                    w.iterations, w.labelledPairs, w.randomPairs, 1 / max(w.lambda, 1e-300)))
            out.append("  agreement weighs (log2 m/u): " + agree.joined(separator: ", "))
        }
        return out
    }
}

/// The fields of `MatchWeights`, in order, as the quality report names them.
enum MatchWeightsText {
    static let fields = ["surname", "forename", "date of birth", "birth months from age", "sex", "postcode"]
}
