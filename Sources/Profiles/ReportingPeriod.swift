import Columnar

/// The reporting window and the one before it: a financial year (1 April to 31 March) beside the
/// previous year, or the rolling 12 months to a day beside the 12 months before.
public struct ReportingPeriod: Sendable, Equatable, CustomStringConvertible {
    public let current: ClosedRange<Int32>
    public let previous: ClosedRange<Int32>
    public let description: String
    public let previousLabel: String

    /// The financial year starting in April of `startYear` (2025 for 2025-26).
    public init(startYear: Int) {
        current = Self.year(startYear)
        previous = Self.year(startYear - 1)
        description = Self.label(startYear)
        previousLabel = Self.label(startYear - 1)
    }

    /// Parses `2025-26`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = Int(parts[0]), parts[0].count == 4, let b = Int(parts[1]), b == (a + 1) % 100 else { return nil }
        self.init(startYear: a)
    }

    /// The 12 months ending on `lastDay`, beside the 12 months before.
    public static func rolling12Months(endingOn lastDay: Int32) -> ReportingPeriod {
        let (year, month, day) = DayNumber.civil(Int(lastDay))
        // The same day a year and two years before (28 February for a 29th).
        let yearAgo = Int32(DayNumber.from(year: year - 1, month: month, day: min(day, month == 2 ? 28 : day)))
        let twoYearsAgo = Int32(DayNumber.from(year: year - 2, month: month, day: min(day, month == 2 ? 28 : day)))
        return ReportingPeriod(
            current: (yearAgo + 1)...lastDay, previous: (twoYearsAgo + 1)...yearAgo,
            description: "12m-to-" + DayNumber.isoString(lastDay),
            previousLabel: "12m-to-" + DayNumber.isoString(yearAgo))
    }

    /// The labels as column-name suffixes (`2025_26`, `2024_25`).
    public var columnSuffixes: (current: String, previous: String) {
        (description.replacingOccurrences(of: "-", with: "_"), previousLabel.replacingOccurrences(of: "-", with: "_"))
    }

    private init(current: ClosedRange<Int32>, previous: ClosedRange<Int32>, description: String, previousLabel: String) {
        self.current = current
        self.previous = previous
        self.description = description
        self.previousLabel = previousLabel
    }

    private static func label(_ y: Int) -> String {
        let next = (y + 1) % 100
        return "\(y)-\(next < 10 ? "0" : "")\(next)"
    }

    static func year(_ y: Int) -> ClosedRange<Int32> {
        Int32(DayNumber.from(year: y, month: 4, day: 1))...Int32(DayNumber.from(year: y + 1, month: 3, day: 31))
    }

    /// The latest financial year that ends on or before `lastDay`.
    public static func latestComplete(endingBy lastDay: Int32) -> ReportingPeriod {
        var y = 2200
        while Int32(DayNumber.from(year: y + 1, month: 3, day: 31)) > lastDay { y -= 1 }
        return ReportingPeriod(startYear: y)
    }
}
