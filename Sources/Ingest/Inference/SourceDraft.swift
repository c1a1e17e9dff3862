import Definitions
import Foundation

/// A draft source definition from the evidence of every row: each column's guess, the people its
/// identity columns make (grouped by what their headers share: `V_Surname` and `V_DOB` are one
/// person, `S_Surname` another), the event date, the record id, and the file's encoding and
/// shape. `yaml` writes it with the evidence of each guess as comments.
public struct SourceDraft: Sendable {
    public struct Person: Sendable {
        public internal(set) var name: String
        var identity: [ColumnGuess] = []
        var fields: [ColumnGuess] = []
    }

    public let id: String
    let filePattern: String
    let files: [String]
    let rows: Int
    var fields: [ColumnGuess] = []
    public internal(set) var people: [Person] = []
    /// Identity columns left out: they make no person key on their own.
    var leftOut: [ColumnGuess] = []
    var recordID: (columns: [String], why: String)? = nil
    var encoding: TextEncoding = .utf8
    var encodingWhy = "every value is valid UTF-8"
    var shortRows: String? = nil
    var shapeNotes: [String] = []
    var dateFormat: String? = nil

    /// Drafts a source from `paths` (one layout), named `id` (else after the first file).
    /// With `reference`, places are checked against the area's geography: LSOA codes of the area
    /// (2011, or 2021 through their best fit) and ward names.
    public static func infer(
        _ paths: [String], id: String? = nil, threads: Int = 2, reference: ReferenceData? = nil
    ) throws(InferenceError) -> SourceDraft {
        var e = try FileEvidence.read(paths, threads: threads, reference: reference)
        if e.columns.contains(where: { $0.notUTF8 > 0 }) { for i in e.columns.indices { e.columns[i].windows1252 = true } }
        // Part way: some rows before have the header's width (every row one short is a Fingertips export).
        if let from = e.changedFrom, e.shortRows + e.longRows < e.rows {
            throw InferenceError(
                file: (e.files.last! as NSString).lastPathComponent, line: from,
                message: "the columns change part way: from this line to the end rows have \(e.changedWidth) fields, "
                    + "the header \(e.header.count); draft each part apart")
        }
        let stems = paths.map(Self.stem)
        var draft = SourceDraft(
            id: id ?? Self.identifier(stems[0]), filePattern: Self.pattern(stems), files: paths.map { ($0 as NSString).lastPathComponent },
            rows: e.rows)
        var names: Set<String> = []
        let wards = Set((reference?.geography.lsoas ?? []).map { $0.wardName.lowercased() })
        let guesses = zip(e.header, e.columns).map { column, evidence in
            var g = ColumnGuess(column: column, name: Self.fieldName(column, taken: &names), evidence: evidence)
            g.notePlaces(evidence, hasGeography: reference != nil, wards: wards)
            return g
        }
        draft.arrange(guesses, evidence: e, threads: threads)
        return draft
    }

    /// The file's name without its folder, `.gz` and `.csv`.
    static func stem(_ path: String) -> String {
        var s = (path as NSString).lastPathComponent
        for ext in [".gz", ".csv", ".CSV", ".txt"] where s.hasSuffix(ext) { s = String(s.dropLast(ext.count)) }
        return s
    }

    /// One stem, or the glob of several (`2024-01-west-mercia-street` and `2024-02-...` give
    /// `*-west-mercia-street`).
    static func pattern(_ stems: [String]) -> String {
        guard stems.count > 1, Set(stems).count > 1 else { return stems[0] }
        let prefix = stems.dropFirst().reduce(stems[0]) { String($0.commonPrefix(with: $1)) }
        let reversed = stems.map { String($0.reversed()) }
        let suffix = String(reversed.dropFirst().reduce(reversed[0]) { String($0.commonPrefix(with: $1)) }.reversed())
        return prefix + "*" + suffix
    }

    /// Lower-case letters, digits and underscores, starting with a letter; words of a camel-case
    /// header apart (`HOOffenceCode` -> `ho_offence_code`).
    static func identifier(_ s: String) -> String {
        var out = ""
        var lastUnderscore = true
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                let before = i > 0 ? chars[i - 1] : " ", after = i + 1 < chars.count ? chars[i + 1] : " "
                let wordStart = c.isUppercase && (before.isLowercase || (before.isUppercase && after.isLowercase))
                if wordStart && !lastUnderscore { out.append("_") }
                out.append(Character(c.lowercased()))
                lastUnderscore = false
            } else if !lastUnderscore {
                out.append("_")
                lastUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty || !out.first!.isLetter { out = "c_" + out }
        return out
    }

    static func fieldName(_ column: String, taken: inout Set<String>) -> String {
        let base = identifier(column)
        var name = base, k = 2
        while !taken.insert(name).inserted {
            name = "\(base)_\(k)"
            k += 1
        }
        return name
    }

    /// What a header says beside its identity word (`V_Surname` -> `v`), naming the person.
    static func personKey(_ column: String) -> String {
        let words =
            #"(?i)(nhs ?_?(number|no)?|surname|last ?_?name|family ?_?name|forenames?|first ?_?names?|given ?_?names?|dob|date ?_?of ?_?birth|birth ?_?date|d\.o\.b|age|sex|gender|ethnicity|ethnic|postcode)"#
        let rest = column.replacingOccurrences(of: words, with: "", options: .regularExpression)
        return identifier(rest.trimmingCharacters(in: CharacterSet(charactersIn: " _-.")).isEmpty ? "" : rest)
            .replacingOccurrences(of: "c_", with: "")
    }
}

extension SourceDraft {
    /// The rows read.
    public var rowCount: Int { rows }
}

/// What a source id may be.
public enum SourceDraftName {
    public static func isValid(_ s: String) -> Bool { s.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil }
}
