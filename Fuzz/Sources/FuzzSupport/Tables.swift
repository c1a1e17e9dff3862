import Columnar

/// A table's cells as text, for comparing two ingests of the same rows. Person ids are numbered
/// by first appearance (the linker's numbering is free; which rows share a person is not).
public func cells(_ table: ColumnTable) -> [String: [String]] {
    var out: [String: [String]] = [:]
    for (name, column) in table.columns {
        Fuzz.require(column.count == table.rowCount, "column \(name) has \(column.count) values in a table of \(table.rowCount) rows")
        switch column {
        case .code(let c): out[name] = c.codes.map { $0 == 0 ? "<null>" : c.values[Int($0)] }
        case .day(let c): out[name] = c.days.map { String($0) }
        case .integer(let c): out[name] = c.values.map { String($0) }
        case .decimal(let c): out[name] = c.values.map { $0.isNaN ? "nan" : String($0) }
        case .flag(let c): out[name] = c.values.map { String($0) }
        case .flagSet(let c):
            out[name] = c.masks.map { m in
                c.labels.indices.filter { m & (1 << UInt64($0)) != 0 }.map { c.labels[$0] }.joined(separator: "|")
            }
        case .area(let c): out[name] = c.areas.map { String($0) }
        case .person(let c):
            var seen: [UInt32: Int] = [:]
            out[name] = c.ids.map { id in
                if let n = seen[id] { return String(n) }
                seen[id] = seen.count
                return String(seen.count - 1)
            }
        }
    }
    return out
}
