import Ingest

/// A financial year (1 April to 31 March) and the one before it.
public struct ReportingPeriod: Sendable, Equatable, CustomStringConvertible {
    /// The calendar year in which the financial year starts (2025 for 2025-26).
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    /// Parses `2025-26`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let a = Int(parts[0]), parts[0].count == 4, let b = Int(parts[1]), b == (a + 1) % 100 else { return nil }
        startYear = a
    }

    public var description: String { label(startYear) }
    public var previousLabel: String { label(startYear - 1) }

    private func label(_ y: Int) -> String {
        let next = (y + 1) % 100
        return "\(y)-\(next < 10 ? "0" : "")\(next)"
    }

    public var current: ClosedRange<Int32> { Self.year(startYear) }
    public var previous: ClosedRange<Int32> { Self.year(startYear - 1) }

    static func year(_ y: Int) -> ClosedRange<Int32> {
        Int32(DateParser.dayNumber(year: y, month: 4, day: 1))...Int32(DateParser.dayNumber(year: y + 1, month: 3, day: 31))
    }

    /// The latest financial year that ends on or before `lastDay`.
    public static func latestComplete(endingBy lastDay: Int32) -> ReportingPeriod {
        var y = 2200
        while Int32(DateParser.dayNumber(year: y + 1, month: 3, day: 31)) > lastDay { y -= 1 }
        return ReportingPeriod(startYear: y)
    }
}
