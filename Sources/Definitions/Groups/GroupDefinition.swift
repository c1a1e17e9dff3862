import Foundation
import Yams

/// A partnership group and what it receives (`profiles/groups/<group>.yaml`): its profiles, its
/// audience, and the disclosure rule that follows from it.
public struct GroupDefinition: Sendable {
    /// Who reads a group's outputs: the partners (their pattern is chosen first) or the public. What
    /// each must withhold at least is `profiles/audiences.yaml`'s (`AudiencePolicy`).
    public enum Audience: String, Sendable, CaseIterable {
        case partners, `public`
    }

    /// Safe as a folder name: lower-case letters, digits and underscores.
    public let id: String
    public let title: String
    public let profiles: [String]
    public let audience: Audience
    /// Counts from 1 to `threshold - 1` are withheld: the file's `suppress_below`.
    public let threshold: Int
    /// A one-page scorecard of every profile's measures of success.
    public let scorecard: Bool
    public let location: SourceLocation
    /// Where the threshold is set.
    public let thresholdLocation: SourceLocation

    static let keys: Set<String> = ["group", "title", "profiles", "audience", "suppress_below", "scorecard"]

    public static func load(path: String, profiles: ProfileCatalogue, audiences: AudiencePolicy) throws(DefinitionErrors) -> GroupDefinition
    {
        return try parse(DefinitionReader.text(of: path), file: path, profiles: profiles, audiences: audiences)
    }

    public static func parse(_ yaml: String, file: String, profiles: ProfileCatalogue, audiences: AudiencePolicy) throws(DefinitionErrors)
        -> GroupDefinition
    {
        let r = DefinitionReader(file: file)
        let (root, v) = try r.document(yaml, allowed: keys)
        var id = ""
        if let g = v["group"] {
            id = r.string(g, "group") ?? ""
            // The id names the group's output folder, so it may not climb out of it.
            if id.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
                r.fail(g, "group", "'\(id)' must be lower-case letters, digits and underscores (it names the group's output folder)")
            } else if id == "tables" {
                r.fail(g, "group", "'tables' is the analysts' folder of the output; choose another name")
            }
        } else {
            r.fail(root, "group", "missing required key")
        }
        let title = v["title"].flatMap { r.string($0, "title") } ?? id
        var chosen: [String] = []
        if let p = v["profiles"] {
            chosen = r.strings(p, "profiles") ?? []
            if chosen == ["all"] { chosen = profiles.profiles.map(\.id) }
            for name in chosen where profiles.profile(name) == nil {
                r.fail(
                    p, "profiles",
                    "unknown profile '\(name)' (defined: \(profiles.profiles.map(\.id).sorted().joined(separator: ", ")), or all)")
            }
        } else {
            r.fail(root, "profiles", "missing required key")
        }
        var audience = Audience.partners
        if let a = v["audience"], let s = r.string(a, "audience") {
            if let parsed = Audience(rawValue: s) {
                audience = parsed
            } else {
                r.fail(a, "audience", "unknown audience '\(s)' (expected one of: partners, public)")
            }
        }
        let least = audiences.least[audience] ?? 2
        var threshold = least
        var thresholdAt = r.location(root, "suppress_below")
        if v["suppress_below"] == nil {
            r.fail(
                root, "suppress_below",
                "missing required key: each group states its threshold (at least \(least) for its audience, \(audience.rawValue))")
        }
        if let t = v["suppress_below"], let n = r.int(t, "suppress_below") {
            thresholdAt = r.location(t, "suppress_below")
            if n < 2 || n > 100 {
                r.fail(
                    t, "suppress_below",
                    "\(n) is outside 2 to 100: counts of 1 to suppress_below - 1 are withheld, so 2 withholds 1s and 100 withholds up to 99"
                )
            } else if n < least {
                r.fail(
                    t, "suppress_below",
                    "a \(audience.rawValue) audience needs counts of 1 to \(least - 1) withheld (\(least) or more, \(audiences.location.file))"
                )
            } else {
                threshold = n
            }
        }
        let scorecard = v["scorecard"].flatMap { r.bool($0, "scorecard") } ?? false
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        return GroupDefinition(
            id: id, title: title, profiles: chosen, audience: audience, threshold: threshold, scorecard: scorecard,
            location: r.location(root, ""), thresholdLocation: thresholdAt)
    }

    /// Every group under a folder; all mistakes at once.
    public static func loadAll(directory: String, profiles: ProfileCatalogue, audiences: AudiencePolicy) throws(DefinitionErrors)
        -> [GroupDefinition]
    {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        if names.isEmpty {
            throw DefinitionErrors([
                DefinitionError(file: directory, line: 0, column: 0, key: "", message: "no group definitions (*.yaml) found")
            ])
        }
        var groups: [GroupDefinition] = [], errors: [DefinitionError] = []
        for name in names {
            do { groups.append(try load(path: directory + "/" + name, profiles: profiles, audiences: audiences)) } catch {
                errors += error.errors
            }
        }
        var seen: [String: String] = [:]
        for g in groups {
            if let other = seen[g.id] { errors.append(g.location.error("group '\(g.id)' is also defined in \(other)")) }
            seen[g.id] = g.location.file
        }
        // Partners also read the public outputs, so their pattern is chosen inside the public one:
        // that protects them only if the public withholds at least what partners do.
        let publicThreshold = groups.filter { $0.audience == .public }.map(\.threshold).min()
        for g in groups where g.audience == .partners {
            if let p = publicThreshold, g.threshold > p {
                errors.append(
                    g.thresholdLocation.error(
                        "suppress_below: \(g.threshold) for partners is above the public summary's \(p): partners also read the public outputs, which would show the counts of \(p) to \(g.threshold - 1) this group withholds; use \(p) or less"
                    ))
            }
        }
        if !errors.isEmpty { throw DefinitionErrors(errors) }
        return groups
    }
}
