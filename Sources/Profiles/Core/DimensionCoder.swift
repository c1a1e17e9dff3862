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

    static let ageBands: [(String, ClosedRange<Int>)] = [
        ("0-4", 0...4), ("5-9", 5...9), ("10-15", 10...15), ("16-17", 16...17), ("18-24", 18...24), ("25-34", 25...34),
        ("35-44", 35...44), ("45-54", 45...54), ("55-64", 55...64), ("65-74", 65...74), ("75-84", 75...84), ("85+", 85...200),
    ]

    /// Builds the coder, adding every label the dimension can give for this source to `labels`.
    static func make(_ dimension: Breakdown, table: ColumnTable, agency: String, period: ReportingPeriod,
                     area: AreaReference, labels: inout LabelTable) -> DimensionCoder {
        let notRecorded = labels.add(LabelTable.notRecorded, rank: LabelTable.lastRank)
        switch dimension {
        case .agency:
            let i = labels.add(agency)
            return DimensionCoder(one: { _ in i })
        case .agencyCount:
            // Filled in per person by the engine.
            return DimensionCoder(many: { _ in [] })
        case .field(let name):
            switch table[name] {
            case .code(let c)?:
                let map = c.values.enumerated().map { i, v in i == 0 ? notRecorded : labels.add(v) }
                return DimensionCoder(one: { map[Int(c.codes[$0])] })
            case .flag(let f)?:
                let yes = labels.add("Yes", rank: 0), no = labels.add("No", rank: 1)
                return DimensionCoder(one: { row in f.values[row] == 1 ? yes : (f.values[row] == 0 ? no : notRecorded) })
            case .flagSet(let s)?:
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
                return DimensionCoder(one: { _ in notRecorded })
            }
        case .month(let name):
            guard case .day(let d)? = table[name] else { return DimensionCoder(one: { _ in notRecorded }) }
            var monthLabel: [Int32: Int] = [:]
            var first = period.previous.lowerBound
            var rank = 0
            while first <= period.current.upperBound {
                let iso = DayNumber.isoString(first)
                monthLabel[first] = labels.add(String(iso.prefix(7)), rank: rank)
                rank += 1
                let c = iso.split(separator: "-").map { Int($0)! }
                first = Int32(DayNumber.from(year: c[1] == 12 ? c[0] + 1 : c[0], month: c[1] % 12 + 1, day: 1))
            }
            let starts = monthLabel.keys.sorted()
            let labelOfStart = starts.map { monthLabel[$0]! }
            return DimensionCoder(one: { row in
                let day = d.days[row]
                guard day != DayColumn.null, day >= starts[0] else { return notRecorded }
                var lo = 0, hi = starts.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if starts[mid] <= day { lo = mid } else { hi = mid - 1 }
                }
                return labelOfStart[lo]
            })
        case .ageBand(let name):
            guard case .integer(let n)? = table[name] else { return DimensionCoder(one: { _ in notRecorded }) }
            let map = ageBands.enumerated().map { i, b in labels.add(b.0, rank: i) }
            return DimensionCoder(one: { row in
                let v = n.values[row]
                guard v != IntegerColumn.null, v >= 0 else { return notRecorded }
                let band = ageBands.firstIndex { $0.1.contains(Int(v)) } ?? ageBands.count - 1
                return map[band]
            })
        case .ward(let name), .locality(let name), .deprivation(let name):
            guard case .area(let a)? = table[name] else { return DimensionCoder(one: { _ in notRecorded }) }
            let outside = labels.add(LabelTable.outsideArea, rank: LabelTable.lastRank - 2)
            let unknown = labels.add(LabelTable.unknownPlace, rank: LabelTable.lastRank - 1)
            let lsoas = area.lsoas
            let map: [Int] = lsoas.map { l in
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
}
