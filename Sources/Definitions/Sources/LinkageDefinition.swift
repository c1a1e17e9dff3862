import Foundation

/// How people are linked beyond exact keys (`profiles/linkage.yaml`): whether records that no
/// NHS number, match key or local id links are compared by their keyed encodings, and the match
/// probability above which two of them are one person.
public struct LinkageDefinition: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        /// NHS number, match key (surname, initial, date of birth) and local id only.
        case exact
        /// Exact keys, then keyed Bloom-filter encodings compared within blocks, weighed by
        /// Fellegi-Sunter with weights estimated from the drop (EM).
        case probabilistic
    }

    public var method: Method = .probabilistic
    /// The match probability (0 to 1) above which two people's records are linked.
    public var threshold = 0.8
    /// Where it was read from ("" for the engine's defaults).
    public var file = ""

    public init(method: Method = .probabilistic, threshold: Double = 0.8) {
        self.method = method
        self.threshold = threshold
    }

    /// `<profiles>/linkage.yaml`, or the defaults when there is none.
    public static func load(profiles directory: String) throws(DefinitionErrors) -> LinkageDefinition {
        let path = directory + "/linkage.yaml"
        guard FileManager.default.fileExists(atPath: path) else { return LinkageDefinition() }
        return try parse(DefinitionReader.text(of: path), file: path)
    }

    public static func parse(_ yaml: String, file: String) throws(DefinitionErrors) -> LinkageDefinition {
        let r = DefinitionReader(file: file)
        let (_, v) = try r.document(yaml, allowed: ["method", "threshold", "description"])
        var definition = LinkageDefinition()
        definition.file = file
        if let node = v["method"], let s = r.string(node, "method") {
            if let m = Method(rawValue: s) {
                definition.method = m
            } else {
                r.fail(node, "method", "unknown method '\(s)' (expected: \(Method.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        if let node = v["threshold"], let t = r.number(node, "threshold") {
            if t.isFinite && t >= 0 && t <= 1 {
                definition.threshold = t
            } else {
                r.fail(node, "threshold", "\(node.scalar?.string ?? "") is outside 0 to 1: it is a match probability")
            }
        }
        if !r.errors.isEmpty { throw DefinitionErrors(r.errors) }
        return definition
    }
}
