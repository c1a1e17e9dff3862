/// How one agency's extract maps onto the engine's canonical fields: the file it comes in, its
/// encoding and date layout, each canonical field's raw column and type, its code lists, and the
/// columns that identify a person (pseudonymised at ingest, never kept in clear).
public struct SourceDefinition: Sendable {
    public let id: String
    public let agency: String
    public let title: String
    public let description: String
    /// File name stem in a drop: `<file>.csv` or `<file>.csv.gz`; `*` matches any run of characters,
    /// so one source can read many files (`*-street` for police.uk's monthly files).
    public let file: String
    /// A drop may lack this source's file without being incomplete (public comparator formats).
    public let optional: Bool
    /// Rows with fewer fields than the header are padded with blanks instead of rejected (Fingertips
    /// exports have one header field more than their rows).
    public let padShortRows: Bool
    public let encoding: TextEncoding
    /// Columns that together identify a record (used to de-duplicate across drops).
    public let recordID: [String]
    public let defaultDateFormat: DatePattern?
    /// Largest share of rejected rows tolerated before the run fails.
    public let maxRejectShare: Double
    public let fields: [FieldDefinition]
    public let people: [PersonRole]
    public let flags: FlagVocabulary
    public let codeLists: [CodeList]
    public let location: SourceLocation
    /// Columns taken from another file of the drop by a key (`join:`), nil for none.
    public var join: JoinDefinition? = nil
    /// Another source whose file this one reads again, as another view of the same rows (the
    /// SSDA903 episodes dated by their end); nil: no other source may read this one's file.
    public var rereads: String? = nil

    /// The position in `header` of a field's column: by name, or the `occurrence`-th header that
    /// matches its pattern.
    public static func position(of field: FieldDefinition, in header: [String]) -> Int? {
        guard field.column.contains("*") else { return header.firstIndex(of: field.column) }
        let pattern = Array(field.column.utf8)
        var seen = 0
        for (i, name) in header.enumerated() where glob(pattern, Array(name.utf8)) {
            seen += 1
            if seen == field.occurrence { return i }
        }
        return nil
    }

    /// Every raw column the definition reads, with where it was named.
    public var columnReferences: [(column: String, at: SourceLocation)] {
        var refs: [(String, SourceLocation)] = []
        for column in recordID { refs.append((column, location)) }
        if let join { refs.append((join.key, join.location)) }
        for f in fields { refs.append((f.column, f.location)) }
        for role in people {
            for id in role.identity { refs.append((id.column, id.location)) }
            for f in role.fields { refs.append((f.column, f.location)) }
        }
        return refs
    }

    /// The values a condition on `field` can name, or nil when any may occur (free text, a code
    /// field without a code list, or one that keeps unknown codes as written): a code field's
    /// labels (and its unknown label), a flag's words.
    public func acceptedValues(of field: String) -> [String]? {
        let all = fields.map { ($0.name, $0) } + people.flatMap { role in role.fields.map { ("\(role.name).\($0.name)", $0) } }
        guard let definition = all.first(where: { $0.0 == field })?.1 else { return nil }
        switch definition.type {
        case .flag: return ["yes", "no", "y", "n", "true", "false"]
        case .code, .codes:
            guard let name = definition.codeList, let list = codeList(named: name) else { return nil }
            var labels: [String] = []
            for e in list.entries where !labels.contains(e.label) { labels.append(e.label) }
            switch list.unknown {
            case .keep: return nil
            case .label(let l): if !labels.contains(l) { labels.append(l) }
            case .reject: break
            }
            return labels
        default: return nil
        }
    }

    /// A code list of the source, or a shared one from `profiles/codes`.
    public func codeList(named name: String) -> CodeList? { codeLists.first { $0.name == name } }

    /// Every column the ingested table has, with its type: the fields, each role's fields as
    /// `role.field`, each role's person id (`role`, typed nil) and its age at the event date where
    /// the role has a date of birth and the source a `date`.
    public var outputFields: [(name: String, type: FieldType?)] {
        var out: [(String, FieldType?)] = fields.map { ($0.name, $0.type) }
        let hasDate = fields.contains { $0.name == "date" && $0.type == .date }
        for role in people {
            out += role.fields.map { ("\(role.name).\($0.name)", $0.type) }
            if hasDate && role.identity.contains(where: { $0.kind == .dateOfBirth }) { out.append(("\(role.name).age_at_event", .integer)) }
            out.append((role.name, nil))
        }
        return out
    }

    /// Whether a drop file name (`police_crimes.csv.gz`) belongs to this source.
    public func matches(fileName: String) -> Bool {
        let stem: Substring
        if fileName.hasSuffix(".csv.gz") {
            stem = fileName.dropLast(7)
        } else if fileName.hasSuffix(".csv") {
            stem = fileName.dropLast(4)
        } else {
            return false
        }
        return Self.glob(Array(file.utf8), Array(stem.utf8))
    }

    /// `*` matches any run of bytes; everything else matches itself.
    static func glob(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p; mark = t; p += 1
            } else if p < pattern.count && pattern[p] == text[t] {
                p += 1; t += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
}

/// The canonical types a field can have. Each is stored in a typed column at ingest.
public enum FieldType: String, Sendable, CaseIterable {
    /// Free text, dictionary-coded.
    case text
    /// A code, optionally mapped through a code list to a canonical label.
    case code
    /// Several codes in one cell, split on `separator`, stored as a flag set.
    case codes
    case integer
    case decimal
    /// A date (a time of day in the raw value is read and dropped), stored as a day number.
    case date
    /// A yes/no value read through the source's flag vocabulary.
    case flag
    /// An LSOA code, resolved to ward, locality and authority through the geography.
    case lsoa
    /// A postcode, resolved to an LSOA through the postcode lookup.
    case postcode
}

public struct FieldDefinition: Sendable {
    public let name: String
    /// The raw column's header name, or a pattern in which `*` stands for any run of characters
    /// (for headers that vary between releases, such as Fingertips' `Compared to ...` columns).
    public let column: String
    /// Which header matching the pattern (1 = the first); 1 for a plain name.
    public var occurrence: Int = 1
    /// The values an integer field may take (`range: [0, 120]` for an age); a value outside is
    /// refused with its row.
    public var range: ClosedRange<Int64>? = nil
    /// The column may be absent from a file (an extract from before the column was added): the
    /// field is then blank in every row, and the file's report says the column was absent.
    public var optional = false
    public let type: FieldType
    public let dateFormat: DatePattern?
    public let codeList: String?
    public let separator: String?
    public let required: Bool
    /// Raw values that mean "no value" in this column (`c`, `x`, `z` in DfE files, `NULL`).
    public let nullValues: [String]
    public let description: String?
    public let location: SourceLocation
}

/// A person named in each row (victim, suspect, child, client ...), with their identity columns and
/// the fields that describe them (age, sex, ethnicity).
public struct PersonRole: Sendable {
    public enum IdentityKind: String, Sendable, CaseIterable {
        case nhsNumber = "nhs_number"
        case surname
        case forename
        case dateOfBirth = "date_of_birth"
        case localID = "local_id"
    }

    public struct IdentityColumn: Sendable {
        public let kind: IdentityKind
        public let column: String
        public let dateFormat: DatePattern?
        public let location: SourceLocation
        /// The system a local id comes from: sources naming the same system share ids (a child's
        /// id in the council's case system); the source's own id when nil.
        public var system: String? = nil
    }

    public let name: String
    public let identity: [IdentityColumn]
    public let fields: [FieldDefinition]
    public let location: SourceLocation
}

/// The raw values a source uses for yes and no (blank counts as no unless `blank_is` says otherwise).
public struct FlagVocabulary: Sendable {
    public let yes: [String]
    public let no: [String]
    public static let standard = FlagVocabulary(yes: ["Y", "Yes", "1", "True"], no: ["N", "No", "0", "False", ""])
}

/// A mapping from an agency's raw codes to canonical labels.
public struct CodeList: Sendable {
    public enum Unknown: Sendable, Equatable {
        /// Unknown codes reject the row.
        case reject
        /// Unknown codes are kept as they are.
        case keep
        /// Unknown codes become this label.
        case label(String)
    }
    public let name: String
    public let entries: [(code: String, label: String)]
    public let unknown: Unknown
    public let location: SourceLocation

    /// The label of `code`: an exact entry first, then the longest prefix entry (`F10*`).
    public func label(for code: String) -> String? {
        if let exact = entries.first(where: { $0.code == code }) { return exact.label }
        var best: (length: Int, label: String)? = nil
        for e in entries where e.code.hasSuffix("*") {
            let prefix = e.code.dropLast()
            if code.hasPrefix(prefix), prefix.count > (best?.length ?? -1) { best = (prefix.count, e.label) }
        }
        return best?.label
    }
}
