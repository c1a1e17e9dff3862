/// A table cut down to the rows of a mask.
extension ColumnTable {
    /// The rows of `mask`, in order, with every column (dictionaries and labels kept as they are).
    /// - Complexity: O(rows x columns).
    public func filtered(by mask: RowMask) -> ColumnTable {
        precondition(mask.count == rowCount, "a mask of \(mask.count) rows for a table of \(rowCount)")
        let kept = mask.cardinality
        return ColumnTable(name: name, rowCount: kept, columns: columns.map { ($0.name, $0.column.filtered(by: mask, count: kept)) })
    }
}

extension Column {
    func filtered(by mask: RowMask, count: Int) -> Column {
        func gather<T>(_ values: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(count)
            values.withUnsafeBufferPointer { v in mask.forEachRow { out.append(v[$0]) } }
            return out
        }
        switch self {
        case .code(let c): return .code(CodeColumn(codes: gather(c.codes), values: c.values))
        case .day(let c): return .day(DayColumn(days: gather(c.days)))
        case .integer(let c): return .integer(IntegerColumn(values: gather(c.values)))
        case .decimal(let c): return .decimal(DecimalColumn(values: gather(c.values)))
        case .flag(let c): return .flag(FlagColumn(values: gather(c.values)))
        case .flagSet(let c): return .flagSet(FlagSetColumn(masks: gather(c.masks), labels: c.labels))
        case .area(let c): return .area(AreaColumn(areas: gather(c.areas)))
        case .person(let c): return .person(PersonColumn(ids: gather(c.ids)))
        }
    }
}
