import Foundation
import Yams

/// How one profile compares with other authorities (`profiles/benchmarks/<profile>.yaml`): each
/// local measure, the published indicator it is set against, and which direction is good.
public struct BenchmarkDefinition: Sendable {
    public enum Count: String, Sendable, CaseIterable { case records, people }
    /// The denominator of a local rate: the area's residents or its children (0-17).
    public enum Denominator: String, Sendable, CaseIterable { case residents, children }
    public enum Polarity: String, Sendable, CaseIterable {
        case lowIsGood = "low_is_good", highIsGood = "high_is_good", noJudgement = "no_judgement"
    }

    public struct Comparison: Sendable {
        public let id: String
        public let title: String
        /// The profile's event sets counted locally.
        public let events: [String]
        public let count: Count
        public let per: Denominator
        /// Rate per this many of the denominator (1,000 residents; 10,000 children; 100 for a percentage).
        public let multiplier: Double
        /// The `Indicator ID` of the published indicator in the comparator files; nil when the
        /// measure has no published counterpart.
        public let indicator: String?
        /// Which published rows (Sex, Age) to read; Fingertips' all-ages persons by default.
        public let sex: String
        public let age: String
        public let polarity: Polarity
        /// Why there is no published counterpart, or what to bear in mind when comparing.
        public let note: String
        public let location: SourceLocation
    }

    public let profile: String
    public let comparisons: [Comparison]
    public let location: SourceLocation

    static let topKeys: Set<String> = ["profile", "comparisons"]
    static let comparisonKeys: Set<String> = [
        "id", "title", "events", "count", "per", "multiplier", "indicator", "sex", "age", "polarity", "note", "not_published",
    ]

    public static func load(path: String, profiles: ProfileCatalogue) throws(DefinitionErrors) -> BenchmarkDefinition {
        return try parse(DefinitionReader.text(of: path), file: path, profiles: profiles)
    }

    /// Parses and checks a definition against the profiles: the profile and its event sets must
    /// exist; every mistake is reported with file, line and key.
    public static func parse(_ yaml: String, file: String, profiles: ProfileCatalogue) throws(DefinitionErrors) -> BenchmarkDefinition {
        let r = DefinitionReader(file: file)
        let (root, values) = try r.document(yaml, allowed: topKeys)
        var profileID = ""
        if let node = values["profile"] {
            profileID = r.string(node, "profile") ?? ""
        } else {
            r.fail(root, "profile", "missing required key")
        }
        let profile = profiles.profile(profileID)
        if profile == nil && !profileID.isEmpty {
            r.fail(
                values["profile"], "profile",
                "unknown profile '\(profileID)' (defined: \(profiles.profiles.map(\.id).sorted().joined(separator: ", ")))")
        }
        var comparisons: [Comparison] = []
        if let node = values["comparisons"] {
            if let seq = node.sequence {
                for (i, item) in seq.enumerated() {
                    if let c = comparison(item, "comparisons[\(i)]", profile, r) { comparisons.append(c) }
                }
            } else {
                r.fail(node, "comparisons", "expected a list of comparisons")
            }
        } else {
            r.fail(root, "comparisons", "missing required key")
        }
        var ids = Set<String>()
        for c in comparisons where !ids.insert(c.id).inserted {
            r.fail(line: c.location.line, column: c.location.column, key: c.location.key, "comparison id '\(c.id)' is used twice")
        }
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        return BenchmarkDefinition(profile: profileID, comparisons: comparisons, location: r.location(root, ""))
    }

    private static func comparison(_ node: Node, _ path: String, _ profile: ProfileDefinition?, _ r: DefinitionReader) -> Comparison? {
        guard let pairs = r.mapping(node, path, allowed: comparisonKeys) else { return nil }
        var v: [String: Node] = [:]
        for (name, _, value) in pairs { v[name] = value }
        func text(_ key: String) -> String? { v[key].flatMap { r.string($0, "\(path).\(key)") } }
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ fallback: T) -> T where T.RawValue == String {
            guard let s = text(key) else { return fallback }
            guard let value = T(rawValue: s) else {
                r.fail(
                    v[key], "\(path).\(key)",
                    "unknown value '\(s)' (expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
                return fallback
            }
            return value
        }
        guard let id = text("id") else {
            r.fail(node, "\(path).id", "missing required key")
            return nil
        }
        let title = text("title") ?? id
        let notPublished = text("not_published")
        var events: [String] = []
        if let e = v["events"] {
            events = r.strings(e, "\(path).events") ?? []
            for name in events where profile != nil && profile!.eventSet(name) == nil {
                r.fail(
                    e, "\(path).events",
                    "unknown event set '\(name)' (the profile defines: \(profile!.events.map(\.name).joined(separator: ", ")))")
            }
        } else {
            r.fail(node, "\(path).events", "missing required key")
        }
        let indicator = text("indicator")
        if indicator == nil && notPublished == nil {
            r.fail(node, "\(path).indicator", "name the published indicator, or say why there is none with not_published")
        }
        if indicator != nil && notPublished != nil {
            r.fail(v["not_published"], "\(path).not_published", "a comparison with an indicator is published")
        }
        var multiplier = 1000.0
        if let m = v["multiplier"], let n = r.number(m, "\(path).multiplier") {
            if n > 0 && n.isFinite { multiplier = n } else { r.fail(m, "\(path).multiplier", "the multiplier must be a positive number") }
        }
        return Comparison(
            id: id, title: title, events: events, count: choice("count", Count.records), per: choice("per", Denominator.residents),
            multiplier: multiplier, indicator: indicator, sex: text("sex") ?? "Persons", age: text("age") ?? "All ages",
            polarity: choice("polarity", Polarity.noJudgement), note: notPublished ?? text("note") ?? "",
            location: r.location(node, path))
    }
}

/// The area and its comparator groups (`profiles/benchmarks/areas.yaml`): the partnership's own
/// local authority, and its nearest neighbours as the partnership keeps them, year by year.
public struct ComparatorGroups: Sendable {
    public struct Neighbours: Sendable {
        /// First year the list applies to; it holds until a later list starts.
        public let from: Int
        public let name: String
        public let areas: [String]
    }

    public let area: String
    public let neighbours: [Neighbours]
    public let location: SourceLocation

    /// The neighbour list for a year: the latest that starts on or before it (else the earliest).
    public func neighbours(in year: Int) -> Neighbours? {
        neighbours.filter { $0.from <= year }.max { $0.from < $1.from } ?? neighbours.min { $0.from < $1.from }
    }

    public static func load(path: String) throws(DefinitionErrors) -> ComparatorGroups {
        return try parse(DefinitionReader.text(of: path), file: path)
    }

    public static func parse(_ yaml: String, file: String) throws(DefinitionErrors) -> ComparatorGroups {
        let r = DefinitionReader(file: file)
        let (root, values) = try r.document(yaml, allowed: ["area", "nearest_neighbours"])
        let code = "^[EWSN][0-9]{8}$"
        var area = ""
        if let a = values["area"] {
            area = r.string(a, "area") ?? ""
            if area.range(of: code, options: .regularExpression) == nil {
                r.fail(a, "area", "'\(area)' is not a GSS area code (like E06000051)")
            }
        } else {
            r.fail(root, "area", "missing required key")
        }
        var lists: [Neighbours] = []
        if let node = values["nearest_neighbours"] {
            if let seq = node.sequence {
                for (i, item) in seq.enumerated() {
                    let path = "nearest_neighbours[\(i)]"
                    guard let pairs = r.mapping(item, path, allowed: ["from", "name", "areas"]) else { continue }
                    var v: [String: Node] = [:]
                    for (name, _, value) in pairs { v[name] = value }
                    guard let f = v["from"], let from = r.int(f, "\(path).from") else {
                        if v["from"] == nil { r.fail(item, "\(path).from", "missing required key") }
                        continue
                    }
                    let areas = v["areas"].flatMap { r.strings($0, "\(path).areas") } ?? []
                    if v["areas"] == nil { r.fail(item, "\(path).areas", "missing required key") }
                    for a in areas where a.range(of: code, options: .regularExpression) == nil {
                        r.fail(v["areas"], "\(path).areas", "'\(a)' is not a GSS area code (like E06000051)")
                    }
                    if areas.contains(area) { r.fail(v["areas"], "\(path).areas", "the area itself is not its own neighbour") }
                    lists.append(
                        Neighbours(
                            from: from, name: v["name"].flatMap { r.string($0, "\(path).name") } ?? "nearest neighbours", areas: areas))
                }
            } else {
                r.fail(node, "nearest_neighbours", "expected a list of neighbour lists")
            }
        }
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        return ComparatorGroups(area: area, neighbours: lists, location: r.location(root, ""))
    }
}

/// Every benchmark definition under a folder, with the comparator groups.
public struct BenchmarkCatalogue: Sendable {
    public let definitions: [BenchmarkDefinition]
    public let groups: ComparatorGroups

    /// Loads `areas.yaml` and every other `*.yaml` in `directory`; all mistakes at once.
    public static func load(directory: String, profiles: ProfileCatalogue) throws(DefinitionErrors) -> BenchmarkCatalogue {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        var errors: [DefinitionError] = []
        var groups: ComparatorGroups?
        var definitions: [BenchmarkDefinition] = []
        for name in names {
            let path = directory + "/" + name
            do {
                if name == "areas.yaml" {
                    groups = try ComparatorGroups.load(path: path)
                } else {
                    definitions.append(try BenchmarkDefinition.load(path: path, profiles: profiles))
                }
            } catch { errors += error.errors }
        }
        if groups == nil && errors.isEmpty {
            errors.append(
                DefinitionError(
                    file: directory + "/areas.yaml", line: 0, column: 0, key: "", message: "missing: the area and its comparator groups"))
        }
        var seen: [String: String] = [:]
        for d in definitions {
            if let other = seen[d.profile] { errors.append(d.location.error("benchmarks for '\(d.profile)' are also defined in \(other)")) }
            seen[d.profile] = d.location.file
        }
        if !errors.isEmpty { throw DefinitionErrors(errors) }
        return BenchmarkCatalogue(definitions: definitions, groups: groups!)
    }

    public func definition(for profile: String) -> BenchmarkDefinition? { definitions.first { $0.profile == profile } }
}
