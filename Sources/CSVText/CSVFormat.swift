/// How the engine writes CSV, in one place, for every file it writes (the analysts' tables, each
/// group's tables, comparator files): RFC 4180 quoting (a field holding a comma, a double quote, CR
/// or LF is quoted, its quotes doubled), and a leading apostrophe on text a spreadsheet would run
/// as a formula (starting with `=`, `+`, `-`, `@`, tab, CR or LF). Numbers are written as numbers
/// (a negative change stays `-7`).
public enum CSVFormat {
    /// A text field as written: neutralised, then quoted.
    public static func text(_ s: String) -> String { quoted(neutralised(s)) }

    /// A number (or another field the engine formats itself) as written: quoted only if it must be.
    public static func number(_ s: String) -> String { quoted(s) }

    /// Text that a spreadsheet would take for a formula, with a leading apostrophe.
    public static func neutralised(_ s: String) -> String {
        // Every such character is ASCII: its scalar is the string's first byte.
        switch s.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: return "'" + s
        default: return s
        }
    }

    /// The field quoted when it holds a comma, a double quote, CR or LF.
    public static func quoted(_ s: String) -> String {
        // By byte, not by character: a CR LF pair, or a comma with a combining mark after it, is one
        // character that equals none of these, yet a CSV reader sees the comma, CR or LF in it.
        s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// One line of already written fields.
    public static func line(_ fields: [String]) -> String { fields.joined(separator: ",") + "\n" }
}
