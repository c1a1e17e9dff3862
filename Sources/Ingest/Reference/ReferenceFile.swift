import CSVText
import Reference

/// A reference file of the drop read by its header's names (`population.csv`, `services.csv`):
/// the `required` columns must be there, and every row must be as wide as the header.
enum ReferenceFile {
    /// One data row: its values by column name (blank for a column the file does not have) and its line.
    struct Row {
        let values: [String]
        let columns: [String: Int]
        let line: Int

        subscript(_ name: String) -> String { columns[name].map { values[$0] } ?? "" }
    }

    static func forEachRow(_ path: String, required: [String], _ body: (Row) throws -> Void) throws {
        var columns: [String: Int] = [:]
        try CSVReader(path: path).forEachRecord { r in
            let v = r.strings()
            if r.index == 1 {
                for (i, n) in v.enumerated() { columns[n] = i }
                for needed in required where columns[needed] == nil {
                    throw ReferenceDataError(file: path, line: r.line, message: "missing column '\(needed)'")
                }
                return true
            }
            guard v.count == columns.count else {
                throw ReferenceDataError(file: path, line: r.line, message: "expected \(columns.count) fields, found \(v.count)")
            }
            try body(Row(values: v, columns: columns, line: r.line))
            return true
        }
    }
}
