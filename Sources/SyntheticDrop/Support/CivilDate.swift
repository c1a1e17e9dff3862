import Columnar

/// The generator's calendar: day numbers as the columnar core counts them.
enum CivilDate {
    static func dayNumber(year: Int, month: Int, day: Int) -> Int { DayNumber.from(year: year, month: month, day: day) }

    static func civil(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) { DayNumber.civil(dayNumber) }

    /// Whole years from `birth` to `day`.
    static func age(birth: Int, on day: Int) -> Int { DayNumber.years(from: birth, to: day) }

    /// The day `years` after `day` (29 February falls back to 28 February).
    static func adding(years: Int, to day: Int) -> Int {
        let c = civil(day)
        let d = (c.month == 2 && c.day == 29) ? 28 : c.day
        return dayNumber(year: c.year + years, month: c.month, day: d)
    }

    static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
