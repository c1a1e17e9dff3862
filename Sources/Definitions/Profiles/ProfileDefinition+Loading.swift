import Foundation
import Yams

extension ProfileDefinition {
    static let topKeys: Set<String> = ["profile", "title", "group", "description", "events", "tables", "success"]
    static let eventKeys: Set<String> = ["source", "where", "person", "agency", "also_in"]
    static let tableKeys: Set<String> = ["id", "section", "title", "description", "events", "by", "measures", "ages", "then", "then_ages"]
    static let successKeys: Set<String> = [
        "id", "title", "description", "good", "events", "measure", "share_of", "min_agencies", "ages", "then", "then_ages",
    ]

    /// Loads one profile and checks it against the sources, before any data is read: every event
    /// set's source and fields, every dimension and measure, with file, line and key for each mistake.
    public static func load(path: String, sources: SourceCatalogue, measures: [MeasureGrammar]) throws(DefinitionErrors)
        -> ProfileDefinition
    {
        return try parse(DefinitionReader.text(of: path), file: path, sources: sources, measures: measures)
    }

    public static func parse(_ yaml: String, file: String, sources: SourceCatalogue, measures: [MeasureGrammar]) throws(DefinitionErrors)
        -> ProfileDefinition
    {
        let r = DefinitionReader(file: file)
        let (root, values) = try r.document(yaml, allowed: topKeys)
        func text(_ key: String, required: Bool = true) -> String {
            guard let node = values[key] else {
                if required { r.fail(root, key, "missing required key") }
                return ""
            }
            return r.string(node, key) ?? ""
        }
        let id = text("profile")
        if !id.isEmpty, id.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
            r.fail(values["profile"], "profile", "'\(id)' must be lower-case letters, digits and underscores")
        }
        var events: [EventSet] = []
        if let node = values["events"], let pairs = r.mapping(node, "events") {
            for (name, k, v) in pairs { if let e = eventSet(name, k, v, sources, r) { events.append(e) } }
            r.definedWithErrors = Set(pairs.map(\.0)).subtracting(events.map(\.name))
            events = withAlsoIn(events, pairs, r)
        } else if values["events"] == nil {
            r.fail(root, "events", "missing required key")
        }
        let known = Dictionary(events.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var tables: [TableDefinition] = []
        if let node = values["tables"] {
            if let seq = node.sequence {
                for (i, item) in seq.enumerated() {
                    if let t = table(item, "tables[\(i)]", known, sources, measures, r) { tables.append(t) }
                }
            } else {
                r.fail(node, "tables", "expected a list of tables")
            }
        }
        var success: [SuccessMeasure] = []
        if let node = values["success"] {
            if let seq = node.sequence {
                for (i, item) in seq.enumerated() {
                    if let m = successMeasure(item, "success[\(i)]", known, sources, measures, r) { success.append(m) }
                }
            } else {
                r.fail(node, "success", "expected a list of success measures")
            }
        }
        var ids = Set<String>()
        for t in tables where !ids.insert(t.id).inserted {
            r.fail(line: t.location.line, column: t.location.column, key: t.location.key, "table id '\(t.id)' is used twice")
        }
        for m in success where !ids.insert(m.id).inserted {
            r.fail(line: m.location.line, column: m.location.column, key: m.location.key, "id '\(m.id)' is used twice")
        }
        // Read before the errors are counted, so that a mistake in any of them is reported too.
        let title = text("title"), group = text("group", required: false), description = text("description", required: false)
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        return ProfileDefinition(
            id: id, title: title, group: group, description: description, events: events, tables: tables,
            success: success, location: r.location(root, ""))
    }

    private static func eventSet(_ name: String, _ keyNode: Node, _ node: Node, _ sources: SourceCatalogue, _ r: DefinitionReader)
        -> EventSet?
    {
        let path = "events.\(name)"
        guard let pairs = r.mapping(node, path, allowed: eventKeys) else { return nil }
        var values: [String: Node] = [:]
        for (n, _, v) in pairs { values[n] = v }
        guard let sourceNode = values["source"], let sourceID = r.string(sourceNode, path + ".source") else {
            r.fail(node, path + ".source", "missing required key")
            return nil
        }
        guard let source = sources.source(sourceID) else {
            r.fail(
                sourceNode, path + ".source", "unknown source '\(sourceID)'" + Suggestions.hint(sourceID, in: sources.sources.map(\.id)))
            return nil
        }
        let fields = Dictionary(source.outputFields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        var conditions: [Condition] = []
        if let whereNode = values["where"], let tests = r.mapping(whereNode, path + ".where") {
            for (field, k, v) in tests {
                let key = "\(path).where.\(field)"
                guard let type = fields[field], let fieldType = type else {
                    r.fail(
                        k, key,
                        "unknown field '\(field)' of source \(sourceID)"
                            + Suggestions.hint(field, in: fields.keys.sorted(), listing: "its fields"))
                    continue
                }
                if let c = condition(field, fieldType, v, key, r) {
                    checkValues(of: c, in: v, key, accepted: source.acceptedValues(of: field), r)
                    conditions.append(c)
                }
            }
        }
        var person = source.people.first?.name
        if let p = values["person"], let role = r.string(p, path + ".person") {
            if source.people.contains(where: { $0.name == role }) {
                person = role
            } else {
                r.fail(
                    p, path + ".person",
                    "source \(sourceID) has no person '\(role)' (it has: \(source.people.map(\.name).joined(separator: ", ")))")
            }
        }
        let agency = values["agency"].flatMap { r.string($0, path + ".agency") } ?? source.agency
        return EventSet(
            name: name, source: sourceID, conditions: conditions, person: person, agency: agency,
            location: r.location(keyNode, path))
    }

    private static func condition(_ field: String, _ type: FieldType, _ node: Node, _ key: String, _ r: DefinitionReader) -> Condition? {
        let at = r.location(node, key)
        if node.mapping != nil {
            guard let pairs = r.mapping(node, key, allowed: ["not", "any", "min", "max", "between", "present", "ward_with_site"]) else {
                return nil
            }
            guard pairs.count == 1, let (test, _, value) = pairs.first else {
                r.fail(
                    node, key,
                    pairs.isEmpty
                        ? "a condition needs a test (not:, any:, min:, max:, between:, present: or ward_with_site:)"
                        : "a condition has one test (\(pairs.map { $0.0 + ":" }.joined(separator: " and ")) given; a range is between: 16-25)"
                )
                return nil
            }
            switch test {
            case "not":
                if ![.code, .text, .flag].contains(type) {
                    r.fail(
                        value, key + ".not",
                        "not: applies to code, text and flag fields (\(type == .integer ? "an" : "a") \(type.rawValue) field is tested with \(type == .codes ? "any:" : "min:, max: or present:"))"
                    )
                    return nil
                }
                return Condition(field: field, test: .noneOf(r.strings(value, key + ".not") ?? []), location: at)
            case "any":
                if type != .codes { r.fail(value, key + ".any", "any: applies to fields of type codes") }
                return Condition(field: field, test: .anyOf(r.strings(value, key + ".any") ?? []), location: at)
            case "between":
                guard type == .integer else {
                    r.fail(value, key + ".between", "between: applies to integer fields, as a range like 18-25")
                    return nil
                }
                guard let range = ages(value, key + ".between", r) else { return nil }
                return Condition(field: field, test: .between(Int64(range.lowerBound), Int64(range.upperBound)), location: at)
            case "min", "max":
                guard type == .integer else {
                    r.fail(value, "\(key).\(test)", "\(test): applies to integer fields")
                    return nil
                }
                guard let n = r.int(value, "\(key).\(test)") else { return nil }
                return Condition(field: field, test: test == "min" ? .atLeast(Int64(n)) : .atMost(Int64(n)), location: at)
            case "ward_with_site":
                guard type == .lsoa || type == .postcode, let categories = r.strings(value, key + ".ward_with_site") else {
                    r.fail(value, key + ".ward_with_site", "ward_with_site: applies to lsoa and postcode fields")
                    return nil
                }
                return Condition(field: field, test: .wardWithSite(categories), location: at)
            default:
                let present = r.bool(value, key + ".present") ?? true
                return Condition(field: field, test: present ? .present : .blank, location: at)
            }
        }
        guard let list = r.strings(node, key) else { return nil }
        if type == .codes { return Condition(field: field, test: .anyOf(list), location: at) }
        if type == .integer || type == .decimal || type == .date {
            r.fail(node, key, "a \(type.rawValue) field is tested with min:, max: or present:")
            return nil
        }
        return Condition(field: field, test: .oneOf(list), location: at)
    }

    /// Every value a condition names is one its field can hold: a label of the field's code list
    /// (or its unknown label), or a flag word; compared as the engine compares them, ignoring case.
    /// A value that is not is an error at the value, with the nearest valid ones.
    private static func checkValues(of c: Condition, in node: Node, _ key: String, accepted: [String]?, _ r: DefinitionReader) {
        guard let accepted, !accepted.isEmpty else { return }
        let values: [String]
        switch c.test {
        case .oneOf(let v), .noneOf(let v), .anyOf(let v): values = v
        default: return
        }
        // Each value's own node where the YAML lists them, for its line and column.
        let inner = node.mapping?.first?.value ?? node
        let nodes = inner.sequence.map(Array.init) ?? [inner]
        let known = Set(accepted.map { $0.lowercased() })
        for (i, value) in values.enumerated() where !known.contains(value.lowercased()) {
            let suggestions = Suggestions.nearest(value, in: accepted)
            r.fail(
                i < nodes.count ? nodes[i] : node, key,
                "'\(value)' is not a value of \(c.field)"
                    + (suggestions.isEmpty
                        ? " (its values: \(accepted.prefix(12).joined(separator: ", "))\(accepted.count > 12 ? ", ..." : ""))"
                        : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"))
        }
    }

    private static func eventNames(_ node: Node?, _ key: String, _ known: [String: EventSet], _ r: DefinitionReader) -> [EventSet] {
        guard let node, let names = r.strings(node, key) else {
            r.fail(node, key, "missing required key")
            return []
        }
        var out: [EventSet] = []
        for n in names {
            if let e = known[n] {
                out.append(e)
            } else if !r.definedWithErrors.contains(n) {
                r.fail(node, key, "unknown events '\(n)'" + Suggestions.hint(n, in: known.keys.sorted(), listing: "defined"))
            }
        }
        return out
    }

    private static func ages(_ node: Node?, _ key: String, _ r: DefinitionReader) -> ClosedRange<Int>? {
        guard let node, let s = r.string(node, key) else { return nil }
        let parts = s.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, parts[0] <= parts[1] else {
            r.fail(node, key, "a range is written first-last, like 16-17")
            return nil
        }
        return parts[0]...parts[1]
    }

    /// A cohort (`ages`, `then`, `then_ages`) where the keys are given.
    private static func cohort(_ v: [String: Node], _ key: String, _ known: [String: EventSet], _ r: DefinitionReader) -> TableDefinition
        .Cohort?
    {
        guard v["ages"] != nil || v["then"] != nil || v["then_ages"] != nil else { return nil }
        for (present, needs) in [("then", "ages"), ("then_ages", "then"), ("ages", "then")] where v[present] != nil && v[needs] == nil {
            r.fail(v[present], key + "." + present, "a cohort is ages:, then: and (optionally) then_ages: together; \(needs): is missing")
            return nil
        }
        let later = eventNames(v["then"], key + ".then", known, r)
        guard let a = ages(v["ages"], key + ".ages", r), let b = ages(v["then_ages"] ?? v["ages"], key + ".then_ages", r) else {
            return nil
        }
        return .init(ages: a, laterEvents: later.map(\.name), laterAges: b)
    }

    private static func table(
        _ node: Node, _ path: String, _ known: [String: EventSet], _ sources: SourceCatalogue, _ grammars: [MeasureGrammar],
        _ r: DefinitionReader
    ) -> TableDefinition? {
        guard let pairs = r.mapping(node, path, allowed: tableKeys) else { return nil }
        var v: [String: Node] = [:]
        for (n, _, value) in pairs { v[n] = value }
        var id = v["id"].flatMap { r.string($0, path + ".id") } ?? ""
        if id.isEmpty { r.fail(node, path + ".id", "missing required key") }
        // The id names the table's file in every output, so it may not climb out of its folder.
        if !id.isEmpty, id.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
            r.fail(v["id"], path + ".id", "'\(id)' must be lower-case letters, digits and underscores (it names the table's file)")
            id = ""
        }
        let key = id.isEmpty ? path : "tables.\(id)"
        var section = TableDefinition.Section.what
        if let s = v["section"], let name = r.string(s, key + ".section") {
            if let sec = TableDefinition.Section(rawValue: name) {
                section = sec
            } else {
                r.fail(
                    s, key + ".section",
                    "unknown section '\(name)' (\(TableDefinition.Section.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        } else {
            r.fail(node, key + ".section", "missing required key")
        }
        let sets = eventNames(v["events"], key + ".events", known, r)
        var by: [Breakdown] = []
        if let b = v["by"] {
            for d in r.strings(b, key + ".by") ?? [] { if let dim = breakdown(d, b, key + ".by", sets, sources, r) { by.append(dim) } }
        }
        var measures: [Measure] = []
        if let m = v["measures"] {
            for text in r.strings(m, key + ".measures") ?? [] {
                if let x = measure(text, m, key + ".measures", sets, sources, grammars, r) { measures.append(x) }
            }
        } else {
            r.fail(node, key + ".measures", "missing required key")
        }
        let cohort = self.cohort(v, key, known, r)
        return TableDefinition(
            id: id, section: section, title: v["title"].flatMap { r.string($0, key + ".title") } ?? id,
            description: v["description"].flatMap { r.string($0, key + ".description") } ?? "",
            events: sets.map(\.name), by: by, measures: measures, cohort: cohort, location: r.location(node, key))
    }

    private static func successMeasure(
        _ node: Node, _ path: String, _ known: [String: EventSet], _ sources: SourceCatalogue, _ grammars: [MeasureGrammar],
        _ r: DefinitionReader
    ) -> SuccessMeasure? {
        guard let pairs = r.mapping(node, path, allowed: successKeys) else { return nil }
        var v: [String: Node] = [:]
        for (n, _, value) in pairs { v[n] = value }
        let id = v["id"].flatMap { r.string($0, path + ".id") } ?? ""
        if id.isEmpty { r.fail(node, path + ".id", "missing required key") }
        let key = id.isEmpty ? path : "success.\(id)"
        var good = SuccessMeasure.Direction.up
        if let g = v["good"], let s = r.string(g, key + ".good") {
            if let d = SuccessMeasure.Direction(rawValue: s) { good = d } else { r.fail(g, key + ".good", "good is up or down") }
        } else {
            r.fail(node, key + ".good", "missing required key (up or down: which way is good news)")
        }
        let sets = eventNames(v["events"], key + ".events", known, r)
        var measure = Measure.records
        if let m = v["measure"], let text = r.string(m, key + ".measure"),
            let x = self.measure(text, m, key + ".measure", sets, sources, grammars, r)
        {
            if x.name == "mean" {
                r.fail(m, key + ".measure", "a measure of success is a count, a rate or a share; mean: belongs in a table")
            } else {
                measure = x
            }
        }
        let shareOf = v["share_of"].map { eventNames($0, key + ".share_of", known, r).map(\.name) }
        var minimum = v["min_agencies"].flatMap { r.int($0, key + ".min_agencies") }
        if let m = minimum, m < 1 {
            r.fail(v["min_agencies"], key + ".min_agencies", "min_agencies counts agencies: 1 or more")
            minimum = nil
        }
        let cohort = self.cohort(v, key, known, r)
        return SuccessMeasure(
            id: id, title: v["title"].flatMap { r.string($0, key + ".title") } ?? id,
            description: v["description"].flatMap { r.string($0, key + ".description") } ?? "",
            good: good, events: sets.map(\.name), measure: measure, shareOf: shareOf, minimumAgencies: minimum,
            cohort: cohort, location: r.location(node, key))
    }
}

/// Every profile of a `profiles/priorities` folder, checked against the sources.
public struct ProfileCatalogue: Sendable {
    public let profiles: [ProfileDefinition]

    public static func load(directory: String, sources: SourceCatalogue, measures: [MeasureGrammar]) throws(DefinitionErrors)
        -> ProfileCatalogue
    {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        if names.isEmpty {
            throw DefinitionErrors([
                DefinitionError(file: directory, line: 0, column: 0, key: "", message: "no profile definitions (*.yaml) found")
            ])
        }
        var profiles: [ProfileDefinition] = []
        var errors: [DefinitionError] = []
        for name in names {
            do { profiles.append(try ProfileDefinition.load(path: directory + "/" + name, sources: sources, measures: measures)) } catch {
                errors += error.errors
            }
        }
        var seen: [String: String] = [:]
        for p in profiles {
            if let other = seen[p.id] { errors.append(p.location.error("profile '\(p.id)' is also defined in \(other)")) }
            seen[p.id] = p.location.file
        }
        if !errors.isEmpty { throw DefinitionErrors(errors) }
        return ProfileCatalogue(profiles: profiles)
    }

    public func profile(_ id: String) -> ProfileDefinition? { profiles.first { $0.id == id } }
}
