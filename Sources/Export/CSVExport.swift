import Foundation
import Profiles

/// Writes a table as CSV for a group: UTF-8 with a header, hidden columns left out, and every text
/// cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab, CR or LF)
/// neutralised with a leading apostrophe. Numbers are written as numbers (a negative change stays
/// `-7`); withheld cells as `c`.
public enum CSVExport {
    public static func text(_ table: ProfileTable) -> String {
        let shown = table.columns.indices.filter { !table.hidden.contains($0) }
        var out = shown.map { quoted(neutralised(table.columns[$0])) }.joined(separator: ",") + "\n"
        for row in table.rows {
            out +=
                shown.map { i -> String in
                    switch row[i] {
                    case .text(let s): return quoted(neutralised(s))
                    default: return quoted(row[i].description)
                    }
                }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Text that a spreadsheet would take for a formula gets a leading apostrophe.
    public static func neutralised(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return ["=", "+", "-", "@", "\t", "\r", "\n"].contains(first) ? "'" + s : s
    }

    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
