import Foundation
import Yams

/// A measure as a definition names it: `people:suspect` is the measure `people` with the argument
/// `suspect`. What each measure means and computes is its own type in the Profiles module; the
/// loader checks a measure against the grammars it is given (`MeasureGrammar`).
public struct Measure: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let arguments: [String]

    public init(_ name: String, _ arguments: [String] = []) {
        self.name = name
        self.arguments = arguments
    }

    public static let records = Measure("records")

    public var description: String { ([name] + arguments).joined(separator: ":") }

    /// The column heading: `people:suspect` heads `people_suspect`.
    public var heading: String { ([name] + arguments).joined(separator: "_") }
}

/// What one measure's definition may say: its name and the arguments after it, so that the loader
/// can check a definition (with file, line and key) before any data is read.
public struct MeasureGrammar: Sendable {
    public enum Argument: Sendable {
        /// A person role of every event set (`people:suspect`); the set's own person when omitted.
        case optionalRole
        /// A person role of every event set, required (`serial:suspect:victim`).
        case role
        /// An integer or decimal field of every event set's source (`sum:sessions`).
        case numericField
        /// An integer, decimal or date field of every event set's source (`mean:sessions`; a date
        /// gives the days from the row's date to it: `mean:end_date`).
        case numericOrDateField
        /// A category of the drop's service sites (`sites:drug_and_alcohol`), checked against the
        /// drop (`profiles check --data`); lower-case letters, digits and underscores.
        case category
    }

    public let name: String
    public let arguments: [Argument]

    public init(_ name: String, _ arguments: [Argument] = []) {
        self.name = name
        self.arguments = arguments
    }

    /// How the measure is written, for messages: `people[:role]`, `serial:role:role`, `sum:field`.
    public var usage: String {
        name
            + arguments.map {
                switch $0 {
                case .optionalRole: "[:role]"
                case .role: ":role"
                case .numericField, .numericOrDateField: ":field"
                case .category: ":category"
                }
            }.joined()
    }
}

extension ProfileDefinition {
    /// Reads a measure (`people:suspect`) and checks it against the grammars and the event sets'
    /// sources: the roles it names are people of every set, a summed field is a number in each.
    static func measure(
        _ text: String, _ node: Node, _ key: String, _ sets: [EventSet], _ sources: SourceCatalogue,
        _ grammars: [MeasureGrammar], _ r: DefinitionReader
    ) -> Measure? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name = parts[0], arguments = Array(parts.dropFirst())
        let required = grammars.first { $0.name == name }?.arguments.filter { $0 != .optionalRole }.count ?? 0
        // A blank measure (an empty string, or `::`) names nothing: it falls to the message below.
        guard !name.isEmpty, !arguments.contains(""), let grammar = grammars.first(where: { $0.name == name }),
            (required...grammar.arguments.count).contains(arguments.count)
        else {
            let near = Suggestions.nearest(name, in: grammars.map(\.name))
            r.fail(
                node, key,
                "unknown measure '\(text)'" + (near.isEmpty ? "" : "; did you mean \(near.map { "'\($0)'" }.joined(separator: " or "))?")
                    + " (\(grammars.map(\.usage).joined(separator: ", ")))")
            return nil
        }
        for (argument, value) in zip(grammar.arguments, arguments) {
            switch argument {
            case .optionalRole, .role: guard role(value, node, key, sets, sources, r) else { return nil }
            case .category:
                guard value.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
                    r.fail(
                        node, key,
                        "\(name): a category is lower-case letters, digits and underscores, as services.csv writes it ('\(value)')")
                    return nil
                }
            case .numericField, .numericOrDateField:
                let dates = argument == .numericOrDateField
                for set in sets {
                    let type = sources.source(set.source)!.outputFields.first { $0.name == value }?.type
                    guard type == .integer || type == .decimal || (dates && type == .date) else {
                        r.fail(
                            node, key,
                            "\(name): needs an integer\(dates ? ", decimal or date" : " or decimal") field; "
                                + (type.map { "\(value) of source \(set.source) is \($0.rawValue)" }
                                    ?? "source \(set.source) has no field '\(value)'"))
                        return nil
                    }
                }
            }
        }
        // A measure of the sets' own person checks that each set has one.
        if grammar.arguments.first == .optionalRole, arguments.isEmpty, !role(nil, node, key, sets, sources, r) { return nil }
        return Measure(name, arguments)
    }

    /// Whether every set's source has the person `name` (the set's own person when nil).
    private static func role(
        _ name: String?, _ node: Node, _ key: String, _ sets: [EventSet], _ sources: SourceCatalogue,
        _ r: DefinitionReader
    ) -> Bool {
        for set in sets {
            let people = sources.source(set.source)!.people.map(\.name)
            guard let wanted = name ?? set.person, people.contains(wanted) else {
                r.fail(
                    node, key,
                    "source \(set.source) (events \(set.name)) has no person '\(name ?? "?")' to count"
                        + (people.isEmpty ? " (it has no people)" : " (its people: \(people.joined(separator: ", ")))"))
                return false
            }
        }
        return true
    }
}
