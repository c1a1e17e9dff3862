import Foundation
import Yams

extension SourceDefinition {
    static let topKeys: Set<String> = [
        "source", "agency", "title", "description", "file", "encoding", "record_id", "date_format",
        "tolerance", "fields", "people", "flags", "codes", "optional", "short_rows", "join", "rereads",
    ]
    static let fieldKeys: Set<String> = [
        "column", "occurrence", "type", "format", "codes", "separator", "required", "null_values", "description", "range",
        "optional",
    ]
    static let personKeys: Set<String> = Set(PersonRole.IdentityKind.allCases.map(\.rawValue)).union(["fields"])
    static let agencies: Set<String> = ["police", "health", "council", "probation", "fire", "other"]

    /// Loads and checks one source definition file; every mistake is reported with line and key.
    public static func load(path: String, displayPath: String? = nil, shared: [CodeList] = []) throws(DefinitionErrors) -> SourceDefinition
    {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionErrors([DefinitionError(file: shown, line: 0, column: 0, key: "", message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DefinitionErrors([DefinitionError(file: shown, line: 0, column: 0, key: "", message: "the file is not UTF-8 text")])
        }
        return try parse(text, file: shown, shared: shared)
    }

    /// Parses a definition from text (`file` names it in errors); `shared` are the code lists of
    /// `profiles/codes` that fields may name besides the source's own.
    public static func parse(_ text: String, file: String, shared: [CodeList] = []) throws(DefinitionErrors) -> SourceDefinition {
        let r = DefinitionReader(file: file)
        guard let root = r.parse(text), let top = r.mapping(root, "", allowed: topKeys) else {
            throw DefinitionErrors(r.errors)
        }
        var values: [String: (key: Node, value: Node)] = [:]
        for (name, k, v) in top { values[name] = (k, v) }
        func required(_ name: String) -> Node? {
            if let v = values[name] { return v.value }
            r.fail(root, name, "missing required key")
            return nil
        }
        let id = required("source").flatMap { r.string($0, "source") } ?? ""
        if !id.isEmpty, id.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
            r.fail(values["source"]?.value, "source", "'\(id)' must be lower-case letters, digits and underscores")
        }
        let agency = required("agency").flatMap { r.string($0, "agency") } ?? ""
        if !agency.isEmpty, !agencies.contains(agency) {
            r.fail(
                values["agency"]?.value, "agency",
                "unknown agency '\(agency)' (expected one of: \(agencies.sorted().joined(separator: ", ")))")
        }
        let fileStem = required("file").flatMap { r.string($0, "file") } ?? ""
        if fileStem.contains("/") || fileStem.contains("..") || fileStem.hasSuffix(".csv") || fileStem.hasSuffix(".gz")
            || fileStem.allSatisfy({ $0 == "*" })
        {
            r.fail(
                values["file"]?.value, "file",
                "give the file name without folder or extension ('police_crimes' for police_crimes.csv or .csv.gz)")
        }
        var encoding = TextEncoding.utf8
        if let node = values["encoding"]?.value, let s = r.string(node, "encoding") {
            if let e = TextEncoding(rawValue: s.lowercased()) {
                encoding = e
            } else {
                r.fail(node, "encoding", "unknown encoding '\(s)' (expected utf-8 or windows-1252)")
            }
        }
        let defaultFormat = values["date_format"].flatMap { datePattern($0.value, "date_format", r) }
        var maxReject = 0.01
        if let node = values["tolerance"]?.value, let pairs = r.mapping(node, "tolerance", allowed: ["max_reject_share"]) {
            for (_, _, v) in pairs {
                if let x = r.number(v, "tolerance.max_reject_share") {
                    if (0...1).contains(x) { maxReject = x } else { r.fail(v, "tolerance.max_reject_share", "must be between 0 and 1") }
                }
            }
        }
        let flags = values["flags"].map { flagVocabulary($0.value, r) } ?? .standard
        let ownLists = values["codes"].map { parseCodeLists($0.value, r) } ?? []
        let codeLists = ownLists + shared.filter { s in !ownLists.contains { $0.name == s.name } }
        let knownLists = Set(codeLists.map(\.name))
        var fields: [FieldDefinition] = []
        if let node = required("fields") {
            fields = fieldDefinitions(node, "fields", defaultFormat: defaultFormat, lists: knownLists, r)
            if fields.isEmpty, node.mapping != nil { r.fail(node, "fields", "a source needs at least one field") }
        }
        var people: [PersonRole] = []
        if let node = values["people"]?.value, let roles = r.mapping(node, "people") {
            for (role, k, v) in roles {
                if let p = personRole(role, keyNode: k, v, defaultFormat: defaultFormat, lists: knownLists, r) { people.append(p) }
            }
        }
        checkDuplicates(fields: fields, people: people, r)
        // Read before the errors are counted, so that a mistake in any of them is reported too.
        let title = values["title"].flatMap { r.string($0.value, "title") } ?? id
        let description = values["description"].flatMap { r.string($0.value, "description") } ?? ""
        let optional = values["optional"].flatMap { r.bool($0.value, "optional") } ?? false
        let padShortRows = values["short_rows"].flatMap { shortRows($0.value, r) } ?? false
        let recordID = values["record_id"].flatMap { r.strings($0.value, "record_id") } ?? []
        let join = values["join"].flatMap { joinDefinition($0.value, r) }
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        var source = SourceDefinition(
            id: id, agency: agency, title: title, description: description, file: fileStem, optional: optional,
            padShortRows: padShortRows, encoding: encoding, recordID: recordID,
            defaultDateFormat: defaultFormat, maxRejectShare: maxReject, fields: fields, people: people,
            flags: flags, codeLists: codeLists, location: r.location(root, ""))
        source.join = join
        source.rereads = values["rereads"].flatMap { r.string($0.value, "rereads") }
        return source
    }

    private static func shortRows(_ node: Node, _ r: DefinitionReader) -> Bool? {
        switch r.string(node, "short_rows") {
        case "pad": return true
        case "reject": return false
        case let other?:
            r.fail(node, "short_rows", "'\(other)' is not pad or reject")
            return nil
        case nil: return nil
        }
    }

    private static func datePattern(_ node: Node, _ key: String, _ r: DefinitionReader) -> DatePattern? {
        guard let s = r.string(node, key) else { return nil }
        do {
            return try DatePattern(s)
        } catch {
            r.fail(node, key, "bad date format '\(s)': \(error.message)")
            return nil
        }
    }

    private static func fieldDefinitions(
        _ node: Node, _ key: String, defaultFormat: DatePattern?, lists: Set<String>,
        _ r: DefinitionReader
    ) -> [FieldDefinition] {
        guard let pairs = r.mapping(node, key) else { return [] }
        var out: [FieldDefinition] = []
        for (name, k, v) in pairs {
            let path = "\(key).\(name)"
            if name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
                r.fail(k, path, "field names are lower-case letters, digits and underscores")
            }
            // Short form: `name: Column` means a text field read from that column.
            if let column = v.scalar?.string {
                out.append(
                    FieldDefinition(
                        name: name, column: column, type: .text, dateFormat: nil, codeList: nil,
                        separator: nil, required: false, nullValues: [], description: nil,
                        location: r.location(v, path)))
                continue
            }
            if let field = fieldDefinition(name, v, path, defaultFormat: defaultFormat, lists: lists, r) { out.append(field) }
        }
        return out
    }

    /// One field's full form: column, type, and what applies to the type (format, code list,
    /// separator, occurrence, range).
    private static func fieldDefinition(
        _ name: String, _ v: Node, _ path: String, defaultFormat: DatePattern?, lists: Set<String>,
        _ r: DefinitionReader
    ) -> FieldDefinition? {
        guard let spec = r.mapping(v, path, allowed: fieldKeys) else { return nil }
        var values: [String: Node] = [:]
        for (n, _, val) in spec { values[n] = val }
        guard let columnNode = values["column"] else {
            r.fail(v, path + ".column", "missing required key")
            return nil
        }
        let column = r.string(columnNode, path + ".column") ?? ""
        var type = FieldType.text
        if let t = values["type"], let s = r.string(t, path + ".type") {
            guard let ft = FieldType(rawValue: s) else {
                // Checks that depend on the type would only repeat this mistake.
                r.fail(
                    t, path + ".type",
                    "unknown type '\(s)' (expected one of: \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            type = ft
        }
        var format: DatePattern? = nil
        if let f = values["format"] {
            if type == .date {
                format = datePattern(f, path + ".format", r)
            } else {
                r.fail(f, path + ".format", "a format applies only to fields of type date")
            }
        } else if type == .date {
            format = defaultFormat
            if format == nil { r.fail(v, path + ".format", "a date field needs a format (or set date_format for the source)") }
        }
        var list: String? = nil
        if let c = values["codes"], let s = r.string(c, path + ".codes") {
            if type != .code && type != .codes {
                r.fail(c, path + ".codes", "a code list applies only to fields of type code or codes")
            } else if !lists.contains(s) {
                r.fail(
                    c, path + ".codes",
                    "unknown code list '\(s)'"
                        + (lists.isEmpty
                            ? " (the source defines none under codes:)" : " (defined: \(lists.sorted().joined(separator: ", ")))"))
            } else {
                list = s
            }
        }
        var separator: String? = nil
        if let s = values["separator"] {
            separator = r.string(s, path + ".separator")
            if type != .codes { r.fail(s, path + ".separator", "a separator applies only to fields of type codes") }
            if separator?.utf8.count != 1 { r.fail(s, path + ".separator", "a separator is one character") }
        } else if type == .codes {
            r.fail(v, path + ".separator", "a field of type codes needs a separator")
        }
        var occurrence = 1
        if let o = values["occurrence"], let n = r.int(o, path + ".occurrence") {
            if !column.contains("*") {
                r.fail(o, path + ".occurrence", "an occurrence applies only to a column pattern with '*'")
            } else if n < 1 {
                r.fail(o, path + ".occurrence", "the occurrence counts from 1")
            } else {
                occurrence = n
            }
        }
        var field = FieldDefinition(
            name: name, column: column, type: type, dateFormat: format, codeList: list, separator: separator,
            required: values["required"].flatMap { r.bool($0, path + ".required") } ?? false,
            nullValues: values["null_values"].flatMap { r.strings($0, path + ".null_values") } ?? [],
            description: values["description"].flatMap { r.string($0, path + ".description") },
            location: r.location(columnNode, path + ".column"))
        field.occurrence = occurrence
        if let node = values["range"] { field.range = range(node, path + ".range", type: type, r) }
        if let node = values["optional"], let optional = r.bool(node, path + ".optional") {
            if optional && field.required { r.fail(node, path + ".optional", "a required field's column cannot be optional") }
            field.optional = optional
        }
        return field
    }

    /// `[min, max]`, whole numbers, for a field of type integer.
    private static func range(_ node: Node, _ key: String, type: FieldType, _ r: DefinitionReader) -> ClosedRange<Int64>? {
        guard type == .integer else {
            r.fail(node, key, "a range applies only to fields of type integer")
            return nil
        }
        guard let items = node.sequence, items.count == 2,
            let low = items[0].scalar.flatMap({ Int64($0.string) }), let high = items[1].scalar.flatMap({ Int64($0.string) })
        else {
            r.fail(node, key, "expected [min, max], two whole numbers")
            return nil
        }
        guard low <= high else {
            r.fail(node, key, "the range's minimum \(low) is above its maximum \(high)")
            return nil
        }
        return low...high
    }

    private static func personRole(
        _ role: String, keyNode: Node, _ node: Node, defaultFormat: DatePattern?, lists: Set<String>,
        _ r: DefinitionReader
    ) -> PersonRole? {
        let path = "people.\(role)"
        guard let pairs = r.mapping(node, path, allowed: personKeys) else { return nil }
        var identity: [PersonRole.IdentityColumn] = []
        var fields: [FieldDefinition] = []
        for (name, _, v) in pairs {
            let key = "\(path).\(name)"
            if name == "fields" {
                fields = fieldDefinitions(v, key, defaultFormat: defaultFormat, lists: lists, r)
                continue
            }
            let kind = PersonRole.IdentityKind(rawValue: name)!
            var column: String?
            var format: DatePattern? = nil
            var system: String? = nil
            if let s = v.scalar?.string {
                column = s
            } else if let spec = r.mapping(v, key, allowed: kind == .localID ? ["column", "system"] : ["column", "format"]) {
                for (n, _, val) in spec {
                    if n == "column" { column = r.string(val, key + ".column") }
                    if n == "format" { format = datePattern(val, key + ".format", r) }
                    if n == "system" { system = r.string(val, key + ".system") }
                }
                if column == nil { r.fail(v, key + ".column", "missing required key") }
            }
            if kind == .dateOfBirth && format == nil {
                format = defaultFormat
                if format == nil { r.fail(v, key, "a date of birth needs a format (or set date_format for the source)") }
            } else if kind != .dateOfBirth && format != nil {
                r.fail(v, key + ".format", "a format applies only to date_of_birth")
            }
            if let column {
                var id = PersonRole.IdentityColumn(kind: kind, column: column, dateFormat: format, location: r.location(v, key))
                id.system = system
                identity.append(id)
            }
        }
        let kinds = Set(identity.map(\.kind))
        let matchKey: Set<PersonRole.IdentityKind> = [.surname, .forename, .dateOfBirth]
        if !kinds.contains(.nhsNumber) && !matchKey.isSubset(of: kinds) && !kinds.contains(.localID) {
            r.fail(keyNode, path, "a person needs an nhs_number, or surname + forename + date_of_birth, or a local_id")
        }
        return PersonRole(name: role, identity: identity, fields: fields, location: r.location(keyNode, path))
    }

    private static func flagVocabulary(_ node: Node, _ r: DefinitionReader) -> FlagVocabulary {
        guard let pairs = r.mapping(node, "flags", allowed: ["yes", "no"]) else { return .standard }
        var yes = FlagVocabulary.standard.yes, no = FlagVocabulary.standard.no
        for (name, _, v) in pairs {
            let values = r.strings(v, "flags.\(name)") ?? []
            if name == "yes" { yes = values } else { no = values }
        }
        for overlap in Set(yes).intersection(no) { r.fail(node, "flags", "'\(overlap)' is listed as both yes and no") }
        return FlagVocabulary(yes: yes, no: no)
    }

    static func parseCodeLists(_ node: Node, _ r: DefinitionReader) -> [CodeList] {
        guard let pairs = r.mapping(node, "codes") else { return [] }
        var lists: [CodeList] = []
        for (name, k, v) in pairs {
            let path = "codes.\(name)"
            guard let spec = r.mapping(v, path, allowed: ["map", "groups", "unknown", "description"]) else { continue }
            var entries: [(String, String)] = []
            var unknown = CodeList.Unknown.keep
            var seen: [String: String] = [:]
            func add(_ code: String, _ label: String, _ at: Node) {
                if let previous = seen[code], previous != label {
                    r.fail(at, path, "code '\(code)' is mapped twice ('\(previous)' and '\(label)')")
                }
                seen[code] = label
                entries.append((code, label))
            }
            for (key, _, value) in spec {
                switch key {
                case "map":
                    guard let m = r.mapping(value, path + ".map") else { continue }
                    for (code, ck, label) in m {
                        if let l = r.string(label, "\(path).map.\(code)") { add(code, l, ck) }
                    }
                case "groups":
                    guard let m = r.mapping(value, path + ".groups") else { continue }
                    for (label, gk, codes) in m {
                        for code in r.strings(codes, "\(path).groups.\(label)") ?? [] { add(code, label, gk) }
                    }
                case "unknown": unknown = unknownTreatment(value, path + ".unknown", r) ?? unknown
                default: break
                }
            }
            if entries.isEmpty { r.fail(k, path, "a code list needs a map: or groups: with at least one code") }
            lists.append(CodeList(name: name, entries: entries, unknown: unknown, location: r.location(k, path)))
        }
        return lists
    }

    /// `unknown: reject`, `unknown: keep` or `unknown: {label: Other}`: the two words exact, a label
    /// written as one, anything else an error (a misspelt word must not become a label).
    private static func unknownTreatment(_ node: Node, _ key: String, _ r: DefinitionReader) -> CodeList.Unknown? {
        if node.mapping != nil {
            guard let pairs = r.mapping(node, key, allowed: ["label"]), let (_, _, value) = pairs.first,
                let label = r.string(value, key + ".label"), !label.isEmpty
            else {
                r.fail(node, key, "unknown: {label: ...} needs a label")
                return nil
            }
            return .label(label)
        }
        guard let word = r.string(node, key) else { return nil }
        switch word {
        case "reject": return .reject
        case "keep": return .keep
        default:
            let hint =
                ["reject", "keep"].contains(word.lowercased())
                ? "did you mean '\(word.lowercased())'?" : "for a label write unknown: {label: \(word)}"
            r.fail(node, key, "unknown: is reject, keep or {label: ...}, not '\(word)'; \(hint)")
            return nil
        }
    }

    private static func checkDuplicates(fields: [FieldDefinition], people: [PersonRole], _ r: DefinitionReader) {
        var seen = Set<String>()
        for f in fields where !seen.insert(f.name).inserted {
            r.fail(line: f.location.line, column: f.location.column, key: f.location.key, "field '\(f.name)' is defined twice")
        }
        for role in people where seen.contains(role.name) {
            r.fail(
                line: role.location.line, column: role.location.column, key: role.location.key,
                "person role '\(role.name)' has the same name as a field")
        }
    }
}
