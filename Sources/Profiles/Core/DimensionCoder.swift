import Columnar
import Definitions

/// Turns a row of one source into the label indices of one dimension (several for a set field).
struct DimensionCoder: Sendable {
    /// A row's one label (most dimensions).
    let one: (@Sendable (Int) -> Int)?
    /// A row's labels, for dimensions that give several or none (set fields, the agency count).
    let many: (@Sendable (Int) -> [Int])?

    init(one: @escaping @Sendable (Int) -> Int) { self.one = one; many = nil }
    init(many: @escaping @Sendable (Int) -> [Int]) { self.many = many; one = nil }

    /// A row's labels (for the rare dimension of several; the row loop uses `one` where it can).
    func code(_ row: Int) -> [Int] { one.map { [$0(row)] } ?? many!(row) }

    /// Builds the coder, adding every label the dimension can give for this source to `labels`.
    static func make(
        _ dimension: Breakdown, table: ColumnTable, agency: String, period: ReportingPeriod,
        area: AreaReference, labels: inout LabelTable
    ) -> DimensionCoder {
        let notRecorded = labels.add(LabelTable.notRecorded, rank: LabelTable.lastRank)
        let none = DimensionCoder(one: { _ in notRecorded })
        switch dimension {
        case .agency:
            let i = labels.add(agency)
            return DimensionCoder(one: { _ in i })
        case .agencyCount:
            // Filled in per person by the engine.
            return DimensionCoder(many: { _ in [] })
        case .field(let name):
            return table[name].flatMap { field($0, notRecorded: notRecorded, labels: &labels) } ?? none
        case .month(let name):
            guard case .day(let d)? = table[name] else { return none }
            return month(d, period: period, notRecorded: notRecorded, labels: &labels)
        case .ageBand(let name, let banding):
            guard case .integer(let n)? = table[name] else { return none }
            let bands = banding.bands
            let map = bands.enumerated().map { i, b in labels.add(b.label, rank: i) }
            return DimensionCoder(one: { row in
                let v = n.values[row]
                guard v != IntegerColumn.null, v >= 0 else { return notRecorded }
                let band = bands.firstIndex { $0.range.contains(Int(v)) } ?? bands.count - 1
                return map[band]
            })
        case .ward(let name), .locality(let name), .deprivation(let name):
            guard case .area(let a)? = table[name] else { return none }
            return place(dimension, a, area: area, notRecorded: notRecorded, labels: &labels)
        }
    }

    /// A code, flag or flag-set field's labels (nil for a field of another type).
    private static func field(_ column: Column, notRecorded: Int, labels: inout LabelTable) -> DimensionCoder? {
        switch column {
        case .code(let c):
            let map = c.values.enumerated().map { i, v in i == 0 ? notRecorded : labels.add(v) }
            return DimensionCoder(one: { map[Int(c.codes[$0])] })
        case .flag(let f):
            let yes = labels.add("Yes", rank: 0), no = labels.add("No", rank: 1)
            return DimensionCoder(one: { row in f.values[row] == 1 ? yes : (f.values[row] == 0 ? no : notRecorded) })
        case .flagSet(let s):
            let map = s.labels.map { labels.add($0) }
            let none = labels.add("None recorded", rank: LabelTable.lastRank - 1)
            return DimensionCoder(many: { row in
                let m = s.masks[row]
                if m == 0 { return [none] }
                var out: [Int] = []
                for bit in 0..<map.count where m & (1 << UInt64(bit)) != 0 { out.append(map[bit]) }
                return out
            })
        default:
            return nil
        }
    }

    /// Each month of the year before and the reporting year, in time order (`2025-04`).
    private static func month(_ d: DayColumn, period: ReportingPeriod, notRecorded: Int, labels: inout LabelTable) -> DimensionCoder {
        var starts: [Int32] = [], labelOfStart: [Int] = []
        var first = period.previous.lowerBound
        while first <= period.current.upperBound {
            let (year, month, _) = DayNumber.civil(Int(first))
            labelOfStart.append(labels.add(String(DayNumber.isoString(first).prefix(7)), rank: starts.count))
            starts.append(first)
            first = Int32(DayNumber.from(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1))
        }
        let (monthStarts, monthLabels) = (starts, labelOfStart)
        return DimensionCoder(one: { row in
            let day = d.days[row]
            guard day != DayColumn.null, day >= monthStarts[0] else { return notRecorded }
            var lo = 0, hi = monthStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if monthStarts[mid] <= day { lo = mid } else { hi = mid - 1 }
            }
            return monthLabels[lo]
        })
    }

    /// A place's ward, locality or deprivation decile, from its LSOA; places outside the area and
    /// unknown to the geography are labelled as such.
    private static func place(
        _ dimension: Breakdown, _ a: AreaColumn, area: AreaReference, notRecorded: Int,
        labels: inout LabelTable
    ) -> DimensionCoder {
        let outside = labels.add(LabelTable.outsideArea, rank: LabelTable.lastRank - 2)
        let unknown = labels.add(LabelTable.unknownPlace, rank: LabelTable.lastRank - 1)
        let map: [Int] = area.lsoas.map { l in
            switch dimension {
            case .ward: return labels.add(l.wardName)
            case .locality: return labels.add(l.locality)
            default:
                let d = l.imdDecile
                return labels.add(d == 1 ? "1 (most deprived)" : (d == 10 ? "10 (least deprived)" : String(d)), rank: d)
            }
        }
        return DimensionCoder(one: { row in
            let v = a.areas[row]
            switch v {
            case AreaColumn.missing: return notRecorded
            case AreaColumn.outside: return outside
            case AreaColumn.unknown: return unknown
            default: return map[Int(v)]
            }
        })
    }
}
