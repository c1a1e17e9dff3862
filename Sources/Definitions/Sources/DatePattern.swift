/// A date layout as analysts write it (`dd/MM/yyyy`, `yyyy-MM-dd HH:mm:ss`, `dd-MMM-yy`, `yyyyMMdd`,
/// `yyyy-MM` for a month, read as its first day).
///
/// Tokens: `yyyy` `yy` (two-digit year, pivoted), `MM` `M` `MMM` (Jan..Dec), `dd` `d`, `HH` `H`,
/// `mm`, `ss`; any other non-letter is a literal; text in single quotes is a literal (`'T'`).
public struct DatePattern: Sendable, Equatable, CustomStringConvertible {
    public enum Token: Sendable, Equatable {
        case year4, year2, month2, month1, monthName, day2, day1, hour2, hour1, minute2, second2
        case literal(UInt8)
    }

    public let text: String
    public let tokens: [Token]

    public var description: String { text }

    /// Parses a pattern, or explains what is wrong with it.
    public init(_ text: String) throws(PatternError) {
        self.text = text
        var tokens: [Token] = []
        let chars = Array(text.utf8)
        var i = 0
        func run(of c: UInt8) -> Int {
            var n = 0
            while i + n < chars.count && chars[i + n] == c { n += 1 }
            return n
        }
        while i < chars.count {
            let c = chars[i]
            if c == UInt8(ascii: "'") {
                i += 1
                while i < chars.count && chars[i] != UInt8(ascii: "'") {
                    tokens.append(.literal(chars[i]))
                    i += 1
                }
                guard i < chars.count else { throw PatternError(message: "a quoted literal is not closed") }
                i += 1
                continue
            }
            let isLetter = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            guard isLetter else {
                tokens.append(.literal(c))
                i += 1
                continue
            }
            let n = run(of: c)
            let token: Token? =
                switch (Character(UnicodeScalar(c)), n) {
                case ("y", 4): .year4
                case ("y", 2): .year2
                case ("M", 3): .monthName
                case ("M", 2): .month2
                case ("M", 1): .month1
                case ("d", 2): .day2
                case ("d", 1): .day1
                case ("H", 2): .hour2
                case ("H", 1): .hour1
                case ("m", 2): .minute2
                case ("s", 2): .second2
                default: nil
                }
            guard let token else {
                let bad = String(repeating: Character(UnicodeScalar(c)), count: n)
                throw PatternError(message: "'\(bad)' is not a date token (use yyyy, yy, MM, M, MMM, dd, d, HH, H, mm, ss)")
            }
            tokens.append(token)
            i += n
        }
        let hasYear = tokens.contains(.year4) || tokens.contains(.year2)
        let hasMonth = tokens.contains(.month2) || tokens.contains(.month1) || tokens.contains(.monthName)
        guard hasYear && hasMonth else {
            throw PatternError(message: "a date pattern needs a year and a month (a missing day means the 1st)")
        }
        self.tokens = tokens
    }

    public struct PatternError: Error, Sendable {
        public let message: String
    }
}
