import Foundation
import Yams

/// Reads one YAML definition file into nodes that remember their line and column, and collects
/// errors instead of stopping at the first, so an analyst sees every mistake in one run.
final class DefinitionReader {
    let file: String
    private(set) var errors: [DefinitionError] = []
    /// Names defined in the file whose definitions have errors of their own: a reference to one is
    /// not reported again (one misspelt source is one error, not one per table using its events).
    var definedWithErrors: Set<String> = []

    init(file: String) { self.file = file }

    /// A definition file's text, or the error that names it.
    static func text(of path: String) throws(DefinitionErrors) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DefinitionErrors([DefinitionError(file: path, line: 0, column: 0, key: "", message: "cannot read the file as UTF-8 text")]
            )
        }
        return text
    }

    /// The document's root node, or nil with an error (syntax errors carry YAML's own position).
    func parse(_ text: String) -> Node? {
        if let place = AliasGuard.firstExcess(in: text) {
            fail(
                line: place.line, column: place.column, key: "",
                "YAML aliases here would expand the file to more than \(AliasGuard.limit) values: refused")
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                fail(line: 1, column: 1, key: "", "the file is empty")
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                fail(line: mark.line, column: mark.column, key: "", "YAML syntax error: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                fail(line: context.mark.line, column: context.mark.column, key: duplicates.joined(separator: ", "), "key given twice")
            case .reader(let problem, _, _, _):
                fail(line: 1, column: 1, key: "", "cannot read the file as text: \(problem)")
            default:
                fail(line: 1, column: 1, key: "", "YAML error: \(error)")
            }
            return nil
        } catch {
            fail(line: 1, column: 1, key: "", "YAML error: \(error)")
            return nil
        }
    }

    /// The document's root mapping, by key (unknown keys reported), or the errors so far thrown.
    func document(_ yaml: String, allowed: Set<String>) throws(DefinitionErrors) -> (root: Node, values: [String: Node]) {
        guard let root = parse(yaml), let top = mapping(root, "", allowed: allowed) else { throw DefinitionErrors(errors) }
        var values: [String: Node] = [:]
        for (name, _, v) in top { values[name] = v }
        return (root, values)
    }

    func fail(line: Int, column: Int, key: String, _ message: String) {
        errors.append(DefinitionError(file: file, line: line, column: column, key: key, message: message))
    }

    func fail(_ node: Node?, _ key: String, _ message: String) {
        fail(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, key: key, message)
    }

    /// The node's key-value pairs in file order, or nil (with an error) if it is not a mapping.
    /// Keys not in `allowed` are reported as unknown, with the allowed keys named.
    func mapping(_ node: Node, _ key: String, allowed: Set<String>? = nil) -> [(String, Node, Node)]? {
        guard let map = node.mapping else {
            fail(node, key, "expected a mapping of keys to values")
            return nil
        }
        var pairs: [(String, Node, Node)] = []
        for (k, v) in map {
            guard let name = k.scalar?.string else {
                fail(k, key, "keys must be plain text")
                continue
            }
            let path = key.isEmpty ? name : "\(key).\(name)"
            if let allowed, !allowed.contains(name) {
                fail(k, path, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
                continue
            }
            pairs.append((name, k, v))
        }
        return pairs
    }

    func string(_ node: Node, _ key: String) -> String? {
        guard let s = node.scalar?.string else {
            fail(node, key, "expected a text value")
            return nil
        }
        return s
    }

    func bool(_ node: Node, _ key: String) -> Bool? {
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            fail(node, key, "expected true or false")
            return nil
        }
    }

    func int(_ node: Node, _ key: String) -> Int? {
        guard let s = node.scalar?.string, let v = Int(s) else {
            fail(node, key, "expected a whole number")
            return nil
        }
        return v
    }

    func number(_ node: Node, _ key: String) -> Double? {
        guard let s = node.scalar?.string, let v = Double(s) else {
            fail(node, key, "expected a number")
            return nil
        }
        return v
    }

    /// A list of text values; a single scalar counts as a list of one.
    func strings(_ node: Node, _ key: String) -> [String]? {
        if let s = node.scalar?.string { return [s] }
        guard let seq = node.sequence else {
            fail(node, key, "expected a list of values")
            return nil
        }
        var out: [String] = []
        for item in seq {
            guard let s = item.scalar?.string else {
                fail(item, key, "expected a text value in the list")
                continue
            }
            out.append(s)
        }
        return out
    }

    /// Location of a node, for definitions that keep it for later checks against data.
    func location(_ node: Node, _ key: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, key: key)
    }
}

/// Where in a definition file something was declared.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let key: String
    public var description: String { "\(file):\(line):\(column)" }

    public func error(_ message: String) -> DefinitionError {
        DefinitionError(file: file, line: line, column: column, key: key, message: message)
    }
}
