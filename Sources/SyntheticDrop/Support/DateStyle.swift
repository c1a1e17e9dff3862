/// The date layouts the synthetic agencies use, as real extracts do: each agency its own.
enum DateStyle {
    case iso  // 2025-04-07
    case isoDateTime  // 2025-04-07 14:05:00
    case ukSlash  // 07/04/2025
    case ukSlashTime  // 07/04/2025 14:05
    case compact  // 20250407
    case dayMonthShortYear  // 07-Apr-25
    case dayMonthYear  // 07-Apr-2025
}

extension CSVFileWriter {
    /// Writes day number `day` (and a time of day in minutes, where the style has one) as a field.
    func date(_ day: Int, _ style: DateStyle, minutes: Int = 0) {
        beginRawField()
        let c = CivilDate.civil(day)
        switch style {
        case .iso, .isoDateTime:
            appendDigits(c.year, width: 4); appendByte(0x2D)
            appendDigits(c.month, width: 2); appendByte(0x2D)
            appendDigits(c.day, width: 2)
            if style == .isoDateTime {
                appendByte(0x20)
                appendDigits(minutes / 60, width: 2); appendByte(0x3A)
                appendDigits(minutes % 60, width: 2); appendRaw(":00")
            }
        case .ukSlash, .ukSlashTime:
            appendDigits(c.day, width: 2); appendByte(0x2F)
            appendDigits(c.month, width: 2); appendByte(0x2F)
            appendDigits(c.year, width: 4)
            if style == .ukSlashTime {
                appendByte(0x20)
                appendDigits(minutes / 60, width: 2); appendByte(0x3A)
                appendDigits(minutes % 60, width: 2)
            }
        case .compact:
            appendDigits(c.year, width: 4); appendDigits(c.month, width: 2); appendDigits(c.day, width: 2)
        case .dayMonthShortYear, .dayMonthYear:
            appendDigits(c.day, width: 2); appendByte(0x2D)
            appendRaw(CivilDate.monthAbbreviations[c.month - 1]); appendByte(0x2D)
            if style == .dayMonthYear { appendDigits(c.year, width: 4) } else { appendDigits(c.year % 100, width: 2) }
        }
    }

    /// A date, or an empty field when `day` is nil.
    func date(_ day: Int?, _ style: DateStyle) {
        if let day { date(day, style) } else { empty() }
    }
}
