import Columnar
import Definitions

/// Reads a date from raw bytes by a `DatePattern`, straight from libcsv's buffer: no `String`, no
/// `DateFormatter`. Checks the calendar (no 31 February); times are read, checked and dropped.
public struct DateParser: Sendable {
    public let pattern: DatePattern
    /// Two-digit years below this are 20xx, the rest 19xx.
    public var pivot = 70

    /// The pattern is `yyyy-MM-dd` (most extracts): read by a straight path.
    private let isISO: Bool
    /// Per year from 1800 to 2200: the day number of its 1 January times two, plus one in a leap
    /// year (a date becomes a day number by two table reads, no division).
    private let years: [Int32]
    private static let firstYear = 1800, lastYear = 2200
    /// Days before each month (index 1-12) in a common year, and days in each.
    private static let monthStarts: [Int32] = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    private static let monthDays = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    public init(_ pattern: DatePattern) {
        self.pattern = pattern
        isISO = pattern.tokens == [.year4, .literal(0x2D), .month2, .literal(0x2D), .day2]
        years = (Self.firstYear...Self.lastYear).map { y in
            Int32(DayNumber.from(year: y, month: 1, day: 1)) * 2 + (Self.daysIn(month: 2, year: y) == 29 ? 1 : 0)
        }
    }

    /// The day number of a date with `year` in 1800-2200 and `month` in 1-12, or nil if the day is
    /// not in the month.
    @inline(__always)
    private func civilDay(year: Int, month: Int, day: Int) -> Int32? {
        let info = years[year - Self.firstYear]
        let leap: Int32 = month >= 2 ? info & 1 : 0
        guard day >= 1, day <= Self.monthDays[month] + (month == 2 ? Int(leap) : 0) else { return nil }
        return info >> 1 + Self.monthStarts[month] + (month > 2 ? leap : 0) + Int32(day - 1)
    }

    /// Day number (days since 1970-01-01), or nil if the bytes do not fit the pattern or the calendar.
    @inline(__always)
    public func day(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        isISO ? isoDay(b) : patternDay(b)
    }

    /// `yyyy-MM-dd`: ten bytes, checked as the general path checks them.
    private func isoDay(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        @inline(__always) func number(_ from: Int, _ to: Int) -> Int {
            var x = 0
            for i in from..<to {
                let d = Int(b[i]) &- 48
                if d < 0 || d > 9 { return -1 }
                x = x * 10 + d
            }
            return x
        }
        let year = number(0, 4), month = number(5, 7), day = number(8, 10)
        guard year >= Self.firstYear, year <= Self.lastYear, month >= 1, month <= 12 else { return nil }
        return civilDay(year: year, month: month, day: day)
    }

    private func patternDay(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        var i = 0
        var year = -1, month = -1, day = 1
        @inline(__always) func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let d = Int(b[i + k]) &- 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            i += n
            return v
        }
        /// One or two digits (for `d`, `M`, `H`).
        @inline(__always) func shortNumber() -> Int? {
            guard let first = digits(1) else { return nil }
            guard i < b.count, b[i] >= 48, b[i] <= 57 else { return first }
            let second = Int(b[i] - 48)
            i += 1
            return first * 10 + second
        }
        for token in pattern.tokens {
            switch token {
            case .year4: guard let v = digits(4) else { return nil }; year = v
            case .year2: guard let v = digits(2) else { return nil }; year = v < pivot ? 2000 + v : 1900 + v
            case .month2: guard let v = digits(2) else { return nil }; month = v
            case .month1: guard let v = shortNumber() else { return nil }; month = v
            case .monthName:
                guard i + 3 <= b.count, let m = Self.monthNumber(b[i], b[i + 1], b[i + 2]) else { return nil }
                month = m
                i += 3
            case .day2: guard let v = digits(2) else { return nil }; day = v
            case .day1: guard let v = shortNumber() else { return nil }; day = v
            case .hour2: guard let v = digits(2), v < 24 else { return nil }
            case .hour1: guard let v = shortNumber(), v < 24 else { return nil }
            case .minute2, .second2: guard let v = digits(2), v < 60 else { return nil }
            case .literal(let c): guard i < b.count, b[i] == c else { return nil }; i += 1
            }
        }
        guard i == b.count, (1...12).contains(month), year >= Self.firstYear, year <= Self.lastYear else { return nil }
        return civilDay(year: year, month: month, day: day)
    }

    static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let key = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
        switch key {
        case 0x6A616E: return 1  // jan
        case 0x666562: return 2
        case 0x6D6172: return 3
        case 0x617072: return 4
        case 0x6D6179: return 5
        case 0x6A756E: return 6
        case 0x6A756C: return 7
        case 0x617567: return 8
        case 0x736570: return 9
        case 0x6F6374: return 10
        case 0x6E6F76: return 11
        case 0x646563: return 12
        default: return nil
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date.
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int { DayNumber.from(year: year, month: month, day: day) }

    /// `yyyy-MM-dd` of a day number, for reports.
    public static func isoString(_ dayNumber: Int32) -> String { DayNumber.isoString(dayNumber) }
}
