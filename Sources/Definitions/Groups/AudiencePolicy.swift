import Foundation
import Yams

/// The least each audience's groups must withhold (`profiles/audiences.yaml`): a group's
/// `suppress_below` may not be below its audience's `least_suppress_below`.
public struct AudiencePolicy: Sendable {
    public let least: [GroupDefinition.Audience: Int]
    public let location: SourceLocation

    /// `profiles/audiences.yaml` under a definitions folder.
    public static func load(profiles directory: String) throws(DefinitionErrors) -> AudiencePolicy {
        let path = directory + "/audiences.yaml"
        return try parse(DefinitionReader.text(of: path), file: path)
    }

    public static func parse(_ yaml: String, file: String) throws(DefinitionErrors) -> AudiencePolicy {
        let r = DefinitionReader(file: file)
        let (root, v) = try r.document(yaml, allowed: ["audiences"])
        var least: [GroupDefinition.Audience: Int] = [:]
        if let node = v["audiences"], let pairs = r.mapping(node, "audiences") {
            for (name, k, spec) in pairs {
                let key = "audiences.\(name)"
                guard let audience = GroupDefinition.Audience(rawValue: name) else {
                    r.fail(k, key, "unknown audience '\(name)' (expected: partners, public)")
                    continue
                }
                guard let fields = r.mapping(spec, key, allowed: ["least_suppress_below", "description"]) else { continue }
                guard let (_, _, n) = fields.first(where: { $0.0 == "least_suppress_below" }),
                    let value = r.int(n, key + ".least_suppress_below")
                else {
                    r.fail(spec, key + ".least_suppress_below", "missing required key")
                    continue
                }
                if value < 2 || value > 100 {
                    r.fail(n, key + ".least_suppress_below", "\(value) is outside 2 to 100")
                } else {
                    least[audience] = value
                }
            }
            for audience in GroupDefinition.Audience.allCases where least[audience] == nil && r.errors.isEmpty {
                r.fail(node, "audiences.\(audience.rawValue)", "missing: every audience states its least suppress_below")
            }
            if let p = least[.partners], let q = least[.public], p > q {
                r.fail(
                    node, "audiences.partners.least_suppress_below",
                    "\(p) is above the public's \(q): partners also read the public outputs")
            }
        } else if v["audiences"] == nil {
            r.fail(root, "audiences", "missing required key")
        }
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        return AudiencePolicy(least: least, location: r.location(root, ""))
    }
}
