import Columnar
import Definitions

/// The rows of a source table that an event set selects, found by testing the conditions over
/// typed columns (codes compared through a per-value lookup, never per-row strings).
struct EventSelection {
    /// Tests one row.
    typealias RowTest = @Sendable (Int) -> Bool

    static func compile(_ condition: Condition, table: ColumnTable, area: AreaReference) -> RowTest {
        guard let column = table[condition.field] else { return { _ in false } }
        switch (column, condition.test) {
        case (.area(let a), .wardWithSite(let categories)):
            let allowed = wardsWithSite(categories, area: area)
            return { row in
                let l = Int(a.areas[row])
                return l < allowed.count && allowed[l]
            }
        case (.code(let c), .oneOf(let wanted)), (.code(let c), .noneOf(let wanted)):
            let set = Set(wanted.map { $0.lowercased() })
            var negated = false
            if case .noneOf = condition.test { negated = true }
            let negate = negated
            let allowed = c.values.enumerated().map { i, v in (i != 0 && set.contains(v.lowercased())) != negate }
            return { allowed[Int(c.codes[$0])] }
        case (.flag(let f), .oneOf(let wanted)), (.flag(let f), .noneOf(let wanted)):
            var negated = false
            if case .noneOf = condition.test { negated = true }
            let negate = negated
            let lower = Set(wanted.map { $0.lowercased() })
            let yes = lower.contains("yes") || lower.contains("y") || lower.contains("true")
            let no = lower.contains("no") || lower.contains("n") || lower.contains("false")
            return { row in
                let v = f.values[row]
                let hit = (v == 1 && yes) || (v == 0 && no)
                return hit != negate
            }
        case (.flagSet(let s), .anyOf(let wanted)):
            let lower = Set(wanted.map { $0.lowercased() })
            var bits: UInt64 = 0
            for (i, l) in s.labels.enumerated() where lower.contains(l.lowercased()) { bits |= 1 << UInt64(i) }
            let mask = bits
            return { s.masks[$0] & mask != 0 }
        case (.integer(let n), .atLeast(let x)): return { n.values[$0] != IntegerColumn.null && n.values[$0] >= x }
        case (.integer(let n), .atMost(let x)): return { n.values[$0] != IntegerColumn.null && n.values[$0] <= x }
        case (.integer(let n), .between(let lo, let hi)):
            return { n.values[$0] != IntegerColumn.null && n.values[$0] >= lo && n.values[$0] <= hi }
        case (_, .present): return { !Self.isNull(column, $0) }
        case (_, .blank): return { Self.isNull(column, $0) }
        default: return { _ in false }
        }
    }

    /// For each LSOA of the area: whether its ward has a service site of one of the categories.
    static func wardsWithSite(_ categories: [String], area: AreaReference) -> [Bool] {
        let wanted = Set(categories.map { $0.lowercased() })
        let wards = Set(
            area.services.filter { wanted.contains($0.category.lowercased()) && $0.lsoa < area.lsoas.count }.map {
                area.lsoas[$0.lsoa].wardName
            })
        return area.lsoas.map { wards.contains($0.wardName) }
    }

    static func isNull(_ c: Column, _ row: Int) -> Bool {
        switch c {
        case .code(let x): x.codes[row] == 0
        case .day(let x): x.days[row] == DayColumn.null
        case .integer(let x): x.values[row] == IntegerColumn.null
        case .decimal(let x): x.values[row].isNaN
        case .flag(let x): x.values[row] == FlagColumn.null
        case .flagSet(let x): x.masks[row] == 0
        case .area(let x): x.areas[row] == AreaColumn.missing
        case .person(let x): x.ids[row] == 0
        }
    }
}
