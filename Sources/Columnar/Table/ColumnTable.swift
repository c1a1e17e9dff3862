/// An immutable table of named, typed columns of equal length: what ingest hands to the profiles.
public struct ColumnTable: Sendable {
    public let name: String
    public let rowCount: Int
    public let columnNames: [String]
    private let columnsByName: [String: Column]

    public init(name: String, rowCount: Int, columns: [(String, Column)]) {
        self.name = name
        self.rowCount = rowCount
        columnNames = columns.map(\.0)
        var byName: [String: Column] = [:]
        for (n, c) in columns {
            precondition(c.count == rowCount, "column \(n) of \(name) has \(c.count) rows, not \(rowCount)")
            byName[n] = c
        }
        columnsByName = byName
    }

    public subscript(_ name: String) -> Column? { columnsByName[name] }

    public var columns: [(name: String, column: Column)] { columnNames.map { ($0, columnsByName[$0]!) } }

    /// Bytes held by all columns.
    public var byteSize: Int { columnsByName.values.reduce(0) { $0 + $1.byteSize } }
}
