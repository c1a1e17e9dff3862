import CSVText
import Ingest

/// A whole CSV file as strings, for checking small test outputs by column name.
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [[String]]

    public init(path: String) throws {
        var header: [String] = []
        var rows: [[String]] = []
        try CSVReader(path: path).forEachRecord { record in
            if record.index == 1 { header = record.strings() } else { rows.append(record.strings()) }
            return true
        }
        self.header = header
        self.rows = rows
    }

    /// Index of a column; traps with the column name if it is missing (a test bug, not data).
    public func column(_ name: String) -> Int {
        guard let i = header.firstIndex(of: name) else { fatalError("no column \(name) in \(header)") }
        return i
    }

    public func values(_ name: String) -> [String] {
        let i = column(name)
        return rows.map { $0[i] }
    }
}
