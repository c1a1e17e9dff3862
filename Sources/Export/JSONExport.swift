import Foundation
import Profiles

/// A group's tables as one JSON document (`profiles.json`) for dashboards: numbers as numbers,
/// withheld cells as the string "c", blanks as null; keys in a fixed order.
public enum JSONExport {
    public static func document(
        group: String, title: String, audience: String, disclosure: String, period: String,
        profiles: [(id: String, title: String, tables: [ProfileTable])], extra: [ProfileTable]
    ) -> Data {
        var out = "{\n"
        out += "  \"group\": \(string(group)),\n  \"title\": \(string(title)),\n  \"audience\": \(string(audience)),\n"
        out += "  \"disclosure\": \(string(disclosure)),\n  \"period\": \(string(period)),\n"
        out += "  \"profiles\": [\n"
        out += profiles.map { p in
            "    {\"id\": \(string(p.id)), \"title\": \(string(p.title)), \"tables\": [\n"
                + p.tables.map { "      " + table($0) }.joined(separator: ",\n") + "\n    ]}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"tables\": [\n" + extra.map { "    " + table($0) }.joined(separator: ",\n") + "\n  ]\n}\n"
        return Data(out.utf8)
    }

    static func table(_ t: ProfileTable) -> String {
        let shown = t.columns.indices.filter { !t.hidden.contains($0) }
        let rows = t.rows.map { row in "[" + shown.map { cell(row[$0]) }.joined(separator: ", ") + "]" }
        return
            "{\"id\": \(string(t.id)), \"section\": \(string(t.section)), \"title\": \(string(t.title)), \"description\": \(string(t.description)), "
            + "\"columns\": [" + shown.map { string(t.columns[$0]) }.joined(separator: ", ") + "], \"rows\": ["
            + rows.joined(separator: ", ") + "]}"
    }

    static func cell(_ c: ProfileTable.Cell) -> String {
        switch c {
        case .text(let s): string(s)
        case .count(let n): String(n)
        case .number(let x, let d): x.isFinite ? String(format: "%.\(d)f", x) : "null"
        case .missing: "null"
        case .suppressed: "\"c\""
        }
    }

    /// `s` as a JSON string literal (`<` escaped too, so it can sit in a page).
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // safe to embed in a page
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
