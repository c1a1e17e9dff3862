import Definitions
import Foundation

extension SourceDraft {
    /// The draft as a source definition, each guess with its evidence as a comment above it.
    public var yaml: String {
        var out = [
            "# yaml-language-server: $schema=../schemas/source.schema.json",
            "# Drafted by `profiler sources infer` from \(Self.comment(files.joined(separator: ", "))): \(n(rows)) rows, every one read.",
            "# Each guess has its evidence in a comment. Check them; set the agency, the title and a description;",
            "# rename fields to the names the profiles use.",
            "source: \(id)",
            "agency: other  # not known from the file: police, health, council, probation, fire or other",
            "title: \(Self.quoted(id))",
            "file: \(Self.quoted(filePattern))",
            "encoding: \(encoding.rawValue)  # \(encodingWhy)",
        ]
        if let recordID {
            let columns = recordID.columns.map(Self.quoted)
            out.append("record_id: \(columns.count == 1 ? columns[0] : "[" + columns.joined(separator: ", ") + "]")  # \(recordID.why)")
        } else {
            out.append(
                "# record_id: no column, nor pair of columns, is unique over the rows; name the columns that together identify a record")
        }
        if let dateFormat { out.append("date_format: \(Self.quoted(dateFormat))") }
        if let shortRows { out.append("short_rows: \(shortRows)") }
        out += shapeNotes.map { "# " + $0 }
        out.append("")
        out.append(fields.isEmpty ? "fields: {}" : "fields:")
        for f in fields { out += fieldLines(f, indent: "  ") }
        if !people.isEmpty {
            out.append("")
            out.append("people:")
            for p in people { out += personLines(p) }
        }
        if !leftOut.isEmpty {
            out.append("")
            out.append("# Left out (personal data that makes no person key here, so it is not read at all):")
            for g in leftOut {
                out.append("#   " + Self.comment("\(g.column): \(g.identity!.rawValue) (\(g.evidence.joined(separator: "; ")))"))
            }
        }
        out += flagLines()
        out += codeLines()
        return out.joined(separator: "\n") + "\n"
    }

    private func fieldLines(_ f: ColumnGuess, indent: String) -> [String] {
        var parts = ["column: \(Self.quoted(f.column))", "type: \(f.type.rawValue)"]
        if let format = f.format, format != dateFormat { parts.append("format: \(Self.quoted(format))") }
        if let separator = f.separator { parts.append("separator: \(Self.quoted(separator))") }
        if !f.codes.isEmpty { parts.append("codes: \(codeListName(f))") }
        if !f.nullValues.isEmpty { parts.append("null_values: [" + f.nullValues.map(Self.quoted).joined(separator: ", ") + "]") }
        return [
            "\(indent)# " + Self.comment("\(f.column): " + f.evidence.joined(separator: "; ")),
            "\(indent)\(f.name): { " + parts.joined(separator: ", ") + " }",
        ]
    }

    private func personLines(_ p: Person) -> [String] {
        var out = ["  \(p.name):"]
        for g in p.identity {
            out.append(
                "    # " + Self.comment("\(g.column): " + g.evidence.joined(separator: "; "))
                    + " (pseudonymised at ingest, never kept in clear)")
            if g.identity == .dateOfBirth, let format = g.format, format != dateFormat {
                out.append("    date_of_birth: { column: \(Self.quoted(g.column)), format: \(Self.quoted(format)) }")
            } else {
                out.append("    \(g.identity!.rawValue): \(Self.quoted(g.column))")
            }
        }
        if !p.fields.isEmpty {
            out.append("    fields:")
            for f in p.fields { out += fieldLines(f, indent: "      ") }
        }
        return out
    }

    private func flagLines() -> [String] {
        let all = fields + people.flatMap(\.fields)
        let flags = all.filter { $0.type == .flag }
        guard !flags.isEmpty else { return [] }
        var yes: [String] = [], no: [String] = []
        for f in flags {
            for v in f.yes where !yes.contains(v) { yes.append(v) }
            for v in f.no where !no.contains(v) { no.append(v) }
        }
        return [
            "", "# The spellings of yes and no the flag fields use (a blank is no).", "flags:",
            "  yes: [" + yes.map(Self.quoted).joined(separator: ", ") + "]", "  no: [" + no.map(Self.quoted).joined(separator: ", ") + "]",
        ]
    }

    private func codeListName(_ f: ColumnGuess) -> String {
        if fields.contains(where: { $0.column == f.column }) { return f.name }
        let role = people.first { $0.fields.contains { $0.column == f.column } }?.name ?? "person"
        return role + "_" + f.name
    }

    private func codeLines() -> [String] {
        let coded = (fields + people.flatMap(\.fields)).filter { !$0.codes.isEmpty }
        guard !coded.isEmpty else { return [] }
        var out = ["", "# Each code list as drafted: every value seen, as itself, with its rows; give each its label.", "codes:"]
        for f in coded {
            out.append("  \(codeListName(f)):")
            out.append("    description: \(Self.quoted("The values of \(f.column), drafted from \(n(rows)) rows"))")
            out.append("    unknown: keep")
            out.append("    map:")
            // Values that read as the same text (bytes Windows-1252 leaves undefined) are one code;
            // so are values that differ only by byte-order marks in front, which the YAML reader
            // drops from any text it gives back (a value of byte-order marks alone is not listed).
            var merged: [(value: String, count: Int)] = []
            for (raw, count) in f.codes {
                let value = String(String.UnicodeScalarView(raw.unicodeScalars.drop { $0 == "\u{FEFF}" }))
                if value.isEmpty && !raw.isEmpty { continue }
                if let i = merged.firstIndex(where: { $0.value == value }) {
                    merged[i].count += count
                } else {
                    merged.append((value, count))
                }
            }
            for (value, count) in merged { out.append("      \(Self.quoted(value)): \(Self.quoted(value))  # \(n(count)) rows") }
        }
        return out
    }

    /// Text for a comment: on one line, with no character a YAML reader refuses (a line break in
    /// a column's name would end the comment and start YAML of the file's choosing).
    static func comment(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if Self.unprintable(u) || u.value == 0xFFFD { out += String(format: "\\u%04X", u.value) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Characters a YAML reader refuses in a file, or reads as a line break or a byte-order mark:
    /// C0 and C1 controls, DEL, the line and paragraph separators, U+FEFF, U+FFFE and U+FFFF.
    static func unprintable(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
            || u.value == 0xFEFF || u.value == 0xFFFE || u.value == 0xFFFF
    }

    /// A YAML double-quoted scalar (read back exactly whatever the text).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Self.unprintable(u) {
                    out += String(format: "\\u%04X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
