import Foundation

/// The engine's one JSON writer: every JSON text it produces (each group's `profiles.json`,
/// `manifest.json`, `quality.json`, `profiler validate --json`, the JSON log lines) is a `JSONValue`
/// rendered here, so the quoting rules are in one place:
///
/// - strings: `"` and `\` escaped; `\n`, `\r`, `\t` as those escapes and every other control
///   character (below U+0020) as `\u00XX`; U+2028 and U+2029 (line ends to JavaScript) as
///   `\u2028`, `\u2029`; `<` as `\u003c`, so no `</script>` or `<!--` can close the page a document is
///   put in; every other scalar as UTF-8 (`/` is not escaped);
/// - numbers: integers as written; a number with decimals as `%.Nf`, else in its shortest form
///   (`1` for 1.0, as JSONEncoder wrote it); a number that is not finite as null.
public enum JSONWriter {
    /// Where lines break. Two spaces of indent a level; a container that breaks its lines writes a
    /// newline after its opening bracket and before its closing one, each member on its own line
    /// (an empty one `[`, a blank line and `]`, as JSONEncoder wrote it).
    public struct Layout: Sendable {
        enum Breaks: Sendable {
            case none, all
            /// The root, and containers that are the value of one of these keys.
            case rootAnd(Set<String>)
        }
        let breaks: Breaks
        /// Between a key and its value.
        let colon: String
        /// Between the members of a container on one line.
        let comma: String

        /// One line, no spaces: `{"a":1,"b":[true,null]}` (the log lines).
        public static let compact = Layout(breaks: .none, colon: ":", comma: ",")
        /// Every container one member a line, `"key": value`.
        public static let indented = Layout(breaks: .all, colon: ": ", comma: ", ")
        /// Every container one member a line, `"key" : value`: how Foundation's JSONEncoder
        /// (`.prettyPrinted`) laid out `quality.json` and `validate --json`, kept for their readers.
        public static let spacedColons = Layout(breaks: .all, colon: " : ", comma: ", ")

        /// A document of records: the root's members one a line, the lists (or objects) under
        /// `keys` one item a line, every item on its line as `{"key": value, ...}`.
        public static func records(listsUnder keys: Set<String>) -> Layout { Layout(breaks: .rootAnd(keys), colon: ": ", comma: ", ") }

        func breaks(root: Bool, key: String?) -> Bool {
            switch breaks {
            case .none: false
            case .all: true
            case .rootAnd(let keys): root || key.map(keys.contains) == true
            }
        }
    }

    /// `value` as JSON text (no final newline).
    public static func text(_ value: JSONValue, layout: Layout = .indented) -> String {
        var out = ""
        write(value, key: nil, root: true, indent: 0, layout: layout, into: &out)
        return out
    }

    /// `value` as the bytes of a file: its text and a newline.
    public static func document(_ value: JSONValue, layout: Layout = .indented) -> Data {
        Data((text(value, layout: layout) + "\n").utf8)
    }

    /// `s` as a JSON string literal, quotes included.
    public static func string(_ s: String) -> String {
        var out = ""
        write(string: s, into: &out)
        return out
    }

    /// A number as it is written: null when not finite, `%.Nf` with decimals, else the shortest
    /// form that reads back as the same Double, without a trailing `.0`.
    public static func number(_ x: Double, decimals: Int? = nil) -> String {
        guard x.isFinite else { return "null" }
        if let decimals { return String(format: "%.\(max(0, decimals))f", x) }
        let s = x.description
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    private static func write(_ value: JSONValue, key: String?, root: Bool, indent: Int, layout: Layout, into out: inout String) {
        switch value {
        case .object(let members):
            let broken = layout.breaks(root: root, key: key)
            container("{", "}", members.count, broken: broken, indent: indent, layout: layout, into: &out) { i, inner, out in
                write(string: members[i].key, into: &out)
                out += layout.colon
                write(members[i].value, key: members[i].key, root: false, indent: inner, layout: layout, into: &out)
            }
        case .array(let items):
            let broken = layout.breaks(root: root, key: key)
            container("[", "]", items.count, broken: broken, indent: indent, layout: layout, into: &out) { i, inner, out in
                write(items[i], key: nil, root: false, indent: inner, layout: layout, into: &out)
            }
        case .string(let s): write(string: s, into: &out)
        case .integer(let n): out += String(n)
        case .number(let x, let decimals): out += number(x, decimals: decimals)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// A container's brackets and members: on one line, or each member on a line of its own
    /// indented a level deeper than the line the container opens on.
    private static func container(
        _ open: String, _ close: String, _ count: Int, broken: Bool, indent: Int, layout: Layout, into out: inout String,
        member: (Int, Int, inout String) -> Void
    ) {
        out += open
        guard broken else {
            for i in 0..<count {
                if i > 0 { out += layout.comma }
                member(i, indent, &out)
            }
            out += close
            return
        }
        let inner = String(repeating: " ", count: indent + 2)
        out += "\n"
        for i in 0..<count {
            if i > 0 { out += ",\n" }
            out += inner
            member(i, indent + 2, &out)
        }
        out += "\n" + String(repeating: " ", count: indent) + close
    }

    /// The quoting rules (see the type's comment). Runs of scalars that need no escape are copied whole.
    private static func write(string s: String, into out: inout String) {
        out += "\""
        let scalars = s.unicodeScalars
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let u = scalars[i]
            guard let escape = escape(u) else {
                i = scalars.index(after: i)
                continue
            }
            out.unicodeScalars.append(contentsOf: scalars[start..<i])
            out += escape
            i = scalars.index(after: i)
            start = i
        }
        out.unicodeScalars.append(contentsOf: scalars[start..<i])
        out += "\""
    }

    private static func escape(_ u: Unicode.Scalar) -> String? {
        switch u {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "<", "\u{2028}", "\u{2029}": return hexEscape(u.value)
        default: return u.value < 0x20 ? hexEscape(u.value) : nil
        }
    }

    private static func hexEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
