import CSVText
import CZlib
import Columnar
import Foundation
import Statistics

/// One published value of an indicator for one area and period, as a Fingertips export gives it
/// (the engine's comparator format: police.uk and DfE figures are converted into it).
public struct PublishedValue: Sendable, Equatable {
    public var indicatorID: String
    public var indicatorName: String
    public var areaCode: String
    public var areaName: String
    /// `Country`, `Region`, `County & UA` ...
    public var areaType: String
    public var parentCode = ""
    public var parentName = ""
    public var sex = "Persons"
    public var age = "All ages"
    public var period: String
    public var value: Double?
    public var lower95: Double?
    public var upper95: Double?
    public var lower998: Double?
    public var upper998: Double?
    public var count: Double?
    public var denominator: Double?
    public var note = ""
    public var comparedToEngland = ""
    public var comparedToParent = ""

    public init(indicatorID: String, indicatorName: String, areaCode: String, areaName: String, areaType: String, period: String) {
        self.indicatorID = indicatorID
        self.indicatorName = indicatorName
        self.areaCode = areaCode
        self.areaName = areaName
        self.areaType = areaType
        self.period = period
    }

    /// Sets the crude rate of `count` per `multiplier` of `denominator`, with its 95% and 99.8%
    /// intervals (exact Poisson below 10, Byar's method from 10), and the comparison at 95% with
    /// England's rate (none for England itself). Count and denominator are left to the caller.
    /// - Returns: the 95% interval, or nil (and nothing set) when the rate cannot be worked out.
    @discardableResult
    public mutating func setCrudeRate(count: Double, denominator: Double, multiplier: Double, england: Double?, polarity: Polarity)
        -> ConfidenceInterval?
    {
        guard let r95 = try? PoissonInterval.rate(count: count, denominator: denominator, multiplier: multiplier, level: .ninetyFive),
            let r998 = try? PoissonInterval.rate(
                count: count, denominator: denominator, multiplier: multiplier, level: .ninetyNinePointEight)
        else { return nil }
        value = r95.value
        lower95 = r95.interval.lower; upper95 = r95.interval.upper
        lower998 = r998.interval.lower; upper998 = r998.interval.upper
        comparedToEngland =
            areaType == "Country"
            ? ComparisonOutcome.notCompared.rawValue
            : ComparisonOutcome(interval: r95.interval, benchmark: england, polarity: polarity).rawValue
        return r95.interval
    }

    /// The days a published period covers: `2017` (calendar year), `2016/17` (financial year,
    /// April to March), `2024-02` (a month), `2024-02 to 2024-03` (months); nil for other forms.
    public static func days(of period: String) -> ClosedRange<Int32>? {
        func month(_ s: Substring) -> (Int, Int)? {
            let p = s.split(separator: "-")
            guard p.count == 2, p[0].count == 4, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m) else { return nil }
            return (y, m)
        }
        func range(_ y0: Int, _ m0: Int, _ y1: Int, _ m1: Int) -> ClosedRange<Int32> {
            let end = m1 == 12 ? DayNumber.from(year: y1 + 1, month: 1, day: 1) : DayNumber.from(year: y1, month: m1 + 1, day: 1)
            return Int32(DayNumber.from(year: y0, month: m0, day: 1))...Int32(end - 1)
        }
        let t = period.trimmingCharacters(in: .whitespaces)
        if t.count == 4, let y = Int(t) { return range(y, 1, y, 12) }
        let fy = t.split(separator: "/")
        if fy.count == 2, fy[0].count == 4, fy[1].count == 2, let y = Int(fy[0]), let yy = Int(fy[1]), (y + 1) % 100 == yy {
            return range(y, 4, y + 1, 3)
        }
        if let (y, m) = month(Substring(t)) { return range(y, m, y, m) }
        let parts = t.components(separatedBy: " to ")
        if parts.count == 2, let a = month(Substring(parts[0])), let b = month(Substring(parts[1])), (a.0, a.1) <= (b.0, b.1) {
            return range(a.0, a.1, b.0, b.1)
        }
        return nil
    }

    /// Reads the rows of an ingested Fingertips-format table (source `fingertips_indicators`).
    public static func read(_ table: ColumnTable) -> [PublishedValue] {
        func text(_ name: String, trimmed: Bool = false) -> (Int) -> String {
            guard case .code(var c)? = table[name] else { return { _ in "" } }
            // Each distinct value trimmed once, not each row's.
            if trimmed { c.values = c.values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } }
            return { c.value($0) ?? "" }
        }
        func number(_ name: String) -> (Int) -> Double? {
            switch table[name] {
            case .decimal(let c)?: return { c.values[$0].isNaN ? nil : c.values[$0] }
            case .integer(let c)?: return { c.values[$0] == IntegerColumn.null ? nil : Double(c.values[$0]) }
            default: return { _ in nil }
            }
        }
        let id = text("indicator_id"), name = text("indicator_name", trimmed: true), area = text("area_code"), areaName = text("area_name")
        let type = text("area_type"), parent = text("parent_code"), parentName = text("parent_name"), sex = text("sex"), age = text("age")
        let category = text("category"), period = text("time_period"), value = number("value")
        let l95 = number("lower_ci_95"), u95 = number("upper_ci_95"), l998 = number("lower_ci_998"), u998 = number("upper_ci_998")
        let count = number("count"), denominator = number("denominator"), note = text("value_note")
        let england = text("compared_to_england"), parentComparison = text("compared_to_parent")
        var out: [PublishedValue] = []
        for i in 0..<table.rowCount where category(i).isEmpty {
            var v = PublishedValue(
                indicatorID: id(i), indicatorName: name(i),
                areaCode: area(i), areaName: areaName(i), areaType: type(i), period: period(i))
            v.parentCode = parent(i)
            v.parentName = parentName(i)
            v.sex = sex(i)
            v.age = age(i)
            v.value = value(i)
            v.lower95 = l95(i); v.upper95 = u95(i); v.lower998 = l998(i); v.upper998 = u998(i)
            v.count = count(i)
            v.denominator = denominator(i)
            v.note = note(i)
            v.comparedToEngland = england(i)
            v.comparedToParent = parentComparison(i)
            out.append(v)
        }
        return out
    }

    /// The Fingertips export's columns, in its order.
    public static let fingertipsHeader = [
        "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
        "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit",
        "Upper CI 99.8 limit", "Count", "Denominator", "Value note", "Recent Trend", "Compared to England value or percentiles",
        "Compared to Region value or percentiles", "Time period Sortable", "New data", "Compared to goal",
    ]

    /// Writes values as a Fingertips-format CSV (UTF-8, LF), readable by the same source definition;
    /// gzip-compressed when the path ends in `.gz` (no name or time in the header, so the same
    /// values give the same bytes).
    public static func writeFingertipsCSV(_ values: [PublishedValue], to path: String) throws {
        // Through the engine's one CSV format: text quoted and neutralised, numbers as numbers;
        // bytes appended to one buffer (no array or string per line).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 200 + 512)
        func text(_ s: String) { CSVFormat.appendText(s, to: &bytes) }
        func number(_ d: Double?) {
            guard let d else { return }
            if d == d.rounded() && abs(d) < 1e15 {
                CSVFormat.appendInteger(Int64(d), to: &bytes)
            } else {
                bytes.append(contentsOf: String(format: "%.10g", d).utf8)
            }
        }
        func comma() { bytes.append(0x2C) }
        func field(_ s: String) {
            text(s)
            comma()
        }
        func numberAfterComma(_ d: Double?) {
            comma()
            number(d)
        }
        bytes.append(contentsOf: CSVFormat.line(fingertipsHeader.map(CSVFormat.text)).utf8)
        for v in values {
            // Field by field (an array of a line's fields would be made for every line).
            field(v.indicatorID); field(v.indicatorName); field(v.parentCode); field(v.parentName)
            field(v.areaCode); field(v.areaName); field(v.areaType); field(v.sex); field(v.age)
            comma()
            comma()
            text(v.period)
            numberAfterComma(v.value); numberAfterComma(v.lower95); numberAfterComma(v.upper95)
            numberAfterComma(v.lower998); numberAfterComma(v.upper998); numberAfterComma(v.count)
            numberAfterComma(v.denominator)
            comma()
            field(v.note)
            comma()
            field(v.comparedToEngland)
            field(v.comparedToParent)
            // The period's leading year (when its first four characters are digits) as a date.
            let year = v.period.utf8.prefix(4)
            if year.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                bytes.append(contentsOf: year)
                bytes.append(contentsOf: "0000".utf8)
            } else if year.contains(where: { $0 >= 0x80 }) && v.period.prefix(4).allSatisfy(\.isNumber) {
                text(String(v.period.prefix(4)) + "0000")
            }
            comma()
            comma()
            bytes.append(0x0A)
        }
        guard path.hasSuffix(".gz") else {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            return
        }
        guard let gz = gzopen(path, "wb9") else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        let written = bytes.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(gz) == Z_OK, Int(written) == bytes.count else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
