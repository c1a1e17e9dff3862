import CSVText
import Foundation
import Profiles

/// A table as CSV (UTF-8 with a header, hidden columns left out), for a group or the analysts,
/// through the engine's one CSV format (`CSVFormat`: quoting, and text a spreadsheet would run as a
/// formula neutralised). Withheld cells are written `c`.
public enum CSVExport {
    public static func text(_ table: ProfileTable) -> String {
        let shown = table.columns.indices.filter { !table.hidden.contains($0) }
        var out = CSVFormat.line(shown.map { CSVFormat.text(table.columns[$0]) })
        for row in table.rows {
            out += CSVFormat.line(
                shown.map { i -> String in
                    if case .text(let s) = row[i] { return CSVFormat.text(s) }
                    return CSVFormat.number(row[i].description)
                })
        }
        return out
    }
}
