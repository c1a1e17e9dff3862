import Columnar
import Definitions
import FuzzSupport
import Ingest

/// The field parsers over any bytes: dates (every layout the definitions use, and a layout taken
/// from the input), NHS numbers, postcodes and LSOA codes through the reference lookups, whole
/// numbers and decimals, text decoding and name normalisation.
///
/// Invariants: a date is nil or a real day between 1800 and 2200 that, written back in the same
/// layout, gives the input; every day written in a layout reads back as itself; an NHS number is
/// valid exactly when the NHS rules (ten digits, modulus 11, issued range, not one digit repeated)
/// say so; a postcode that resolves is normalised to its one canonical form, which resolves alike;
/// an LSOA in the area is one of the area's codes or a 2021 alias of one; whole numbers agree with
/// Swift's own parser; decimals follow the documented grammar; UTF-8 validation agrees with the
/// standard library; decoded text is valid UTF-8.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParsers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let hash = input.reduce(UInt64(14695981039346656037)) { ($0 ^ UInt64($1)) &* 1099511628211 }
    checkDates(input, hash: hash)
    checkNHSNumber(input)
    checkPlaces(input)
    checkNumbers(input)
    checkText(input)
    return 0
}

// MARK: Dates

let layouts: [DatePattern] = [
    "dd/MM/yyyy", "yyyy-MM-dd", "dd/MM/yyyy HH:mm", "yyyy-MM-dd HH:mm:ss", "dd-MMM-yy",
    "dd-MMM-yyyy", "yyyyMMdd", "yyyy-MM", "d/M/yyyy", "yyyy-MM-dd'T'HH:mm:ss", "MMM yyyy", "H:mm d/M/yy",
]
.map { try! DatePattern($0) }

func checkDates(_ input: UnsafeBufferPointer<UInt8>, hash: UInt64) {
    for pattern in layouts { checkDate(input, pattern) }
    // A layout from the input: the text before the first NUL byte, applied to the bytes after it.
    if let nul = input.firstIndex(of: 0) {
        let text = String(decoding: input[..<nul], as: UTF8.self)
        if let pattern = try? DatePattern(text) {
            Fuzz.require(pattern.tokens.contains { [.year4, .year2].contains($0) }, "layout '\(text)' has no year")
            checkDate(UnsafeBufferPointer(rebasing: input[(nul + 1)...]), pattern)
            roundTrip(pattern, hash: hash)
        }
    }
    for pattern in layouts { roundTrip(pattern, hash: hash) }
}

func checkDate(_ value: UnsafeBufferPointer<UInt8>, _ pattern: DatePattern) {
    let parser = DateParser(pattern)
    guard let day = parser.day(value) else { return }
    let c = DayNumber.civil(Int(day))
    Fuzz.require((1800...2200).contains(c.year), "'\(show(value))' as \(pattern) gives the year \(c.year)")
    Fuzz.require(DayNumber.from(year: c.year, month: c.month, day: c.day) == Int(day), "day \(day) is not a calendar day")
    // Written back in the layout, with the input's times and month-name case, it is the input.
    let written = write(c, pattern, like: Array(value))
    Fuzz.require(
        written == Array(value), "'\(show(value))' as \(pattern) gives \(DayNumber.isoString(day)), written back '\(show(written))'")
}

/// A day from the input, written in the layout, reads back as itself.
func roundTrip(_ pattern: DatePattern, hash: UInt64) {
    let twoDigitYear = pattern.tokens.contains(.year2)
    let first = twoDigitYear ? DayNumber.from(year: 1970, month: 1, day: 1) : DayNumber.from(year: 1800, month: 1, day: 1)
    let last = twoDigitYear ? DayNumber.from(year: 2069, month: 12, day: 31) : DayNumber.from(year: 2200, month: 12, day: 31)
    var c = DayNumber.civil(first + Int(hash % UInt64(last - first + 1)))
    let hasDay = pattern.tokens.contains { $0 == .day1 || $0 == .day2 }
    if !hasDay { c.day = 1 }
    let expected = Int32(DayNumber.from(year: c.year, month: c.month, day: c.day))
    let text = write(c, pattern, like: [], seed: hash)
    let back = text.withUnsafeBufferPointer { DateParser(pattern).day($0) }
    Fuzz.require(
        back == expected,
        "\(DayNumber.isoString(expected)) written as '\(show(text))' in \(pattern) reads back as \(back.map(DayNumber.isoString) ?? "nil")")
}

/// A civil date in a layout. Times are copied from `like` where it has digits at that place
/// (else made up from `seed`); a month name takes `like`'s letter case when its letters match; a
/// one-or-two-digit number is written as `like` wrote it, else with one digit, or two when a
/// number follows (the parser reads two digits when it can: `dM` cannot tell 1/12 from 11/2).
func write(_ c: (year: Int, month: Int, day: Int), _ pattern: DatePattern, like: [UInt8], seed: UInt64 = 0) -> [UInt8] {
    var out: [UInt8] = []
    var seed = seed
    func digits(_ v: Int, _ width: Int) -> [UInt8] {
        var s = Array(String(v).utf8)
        while s.count < width { s.insert(48, at: 0) }
        return s
    }
    func isDigit(_ i: Int) -> Bool { i < like.count && like[i] >= 48 && like[i] <= 57 }
    func short(_ v: Int, padded: Bool) -> [UInt8] {
        let at = out.count
        if isDigit(at) && isDigit(at + 1) && Int(like[at] - 48) * 10 + Int(like[at + 1] - 48) == v { return Array(like[at...at + 1]) }
        return digits(v, padded && like.isEmpty ? 2 : 1)
    }
    func time(_ width: Int, below limit: Int, padded: Bool) -> [UInt8] {
        let at = out.count
        if width == 2, isDigit(at), isDigit(at + 1) { return Array(like[at...at + 1]) }
        if width == 1, isDigit(at) { return isDigit(at + 1) ? Array(like[at...at + 1]) : [like[at]] }
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return digits(Int(seed >> 33) % limit, width == 1 && padded ? 2 : width)
    }
    let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    let tokens = pattern.tokens
    for (t, token) in tokens.enumerated() {
        var numberFollows = false
        if t + 1 < tokens.count {
            switch tokens[t + 1] {
            case .literal(let b): numberFollows = b >= 48 && b <= 57
            case .monthName: numberFollows = false
            default: numberFollows = true
            }
        }
        switch token {
        case .year4: out += digits(c.year, 4)
        case .year2: out += digits(c.year % 100, 2)
        case .month2: out += digits(c.month, 2)
        case .month1: out += short(c.month, padded: numberFollows)
        case .monthName:
            let name = Array(names[c.month - 1].utf8)
            let at = out.count
            if at + 3 <= like.count, (0..<3).allSatisfy({ like[at + $0] | 0x20 == name[$0] }) {
                out += like[at..<at + 3]
            } else {
                out += name
            }
        case .day2: out += digits(c.day, 2)
        case .day1: out += short(c.day, padded: numberFollows)
        case .hour2: out += time(2, below: 24, padded: numberFollows)
        case .hour1: out += time(1, below: 24, padded: numberFollows)
        case .minute2, .second2: out += time(2, below: 60, padded: numberFollows)
        case .literal(let b): out.append(b)
        }
    }
    return out
}

// MARK: NHS numbers

func checkNHSNumber(_ input: UnsafeBufferPointer<UInt8>) {
    let check = Identifiers.nhsNumber(input)
    // The rule, from the NHS data dictionary: separators (space, hyphen, tab) aside, ten digits;
    // weights 10 down to 2 on the first nine; 11 minus the sum mod 11 is the tenth (11 -> 0, 10 never).
    let separators: Set<UInt8> = [0x20, 0x2D, 0x09]
    let kept = input.filter { !separators.contains($0) }
    let expected: Identifiers.NHSCheck
    if kept.isEmpty {
        expected = .absent
    } else if kept.count != 10 || !kept.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
        expected = .invalid
    } else {
        let d = kept.map { Int($0) - 48 }
        let weighted = zip(d.prefix(9), stride(from: 10, through: 2, by: -1)).reduce(0) { $0 + $1.0 * $1.1 }
        var checkDigit = 11 - weighted % 11
        if checkDigit == 11 { checkDigit = 0 }
        let prefix = d[0] * 100 + d[1] * 10 + d[2]
        let issued = [10...311, 320...399, 400...499, 600...799, 999...999].contains { $0.contains(prefix) }
        expected =
            checkDigit != 10 && checkDigit == d[9] && issued && Set(d).count > 1
            ? .valid(UInt64(String(decoding: kept, as: UTF8.self))!) : .invalid
    }
    Fuzz.require(check == expected, "NHS number '\(show(input))' is \(check), the rule says \(expected)")
}

// MARK: Postcodes and LSOAs

func checkPlaces(_ input: UnsafeBufferPointer<UInt8>) {
    let reference = Engine.reference
    var scratch: [UInt8] = []
    let area = reference.area(postcode: input)
    Fuzz.require((area == AreaColumn.missing) == input.isEmpty, "postcode '\(show(input))' gives area \(area)")
    // The lookup packs the postcode as it normalises it; the array form must agree on which
    // postcodes have a UK shape.
    let shaped = ReferenceData.normalisePostcode(input, into: &scratch)
    Fuzz.require(
        input.isEmpty || shaped == (area != AreaColumn.unknown),
        "postcode '\(show(input))' gives area \(area) but its shape is \(shaped ? "" : "not ")a postcode's")
    if !input.isEmpty && area != AreaColumn.unknown {
        // Normalised: outward code (a letter then 1-3 letters or digits), one space, digit and two letters.
        let n = scratch.count
        let letter = { (c: UInt8) in c >= 0x41 && c <= 0x5A }, digit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
        Fuzz.require(
            (6...8).contains(n) && letter(scratch[0]) && scratch[n - 4] == 0x20 && digit(scratch[n - 3])
                && letter(scratch[n - 2]) && letter(scratch[n - 1])
                && scratch[1..<(n - 4)].allSatisfy { letter($0) || digit($0) },
            "postcode '\(show(input))' normalised to '\(show(scratch))'")
        let normal = scratch
        var again: [UInt8] = []
        let same = normal.withUnsafeBufferPointer { reference.area(postcode: $0) }
        let renormalised = normal.withUnsafeBufferPointer { ReferenceData.normalisePostcode($0, into: &again) }
        Fuzz.require(
            same == area && renormalised && again == normal, "postcode '\(show(normal))' resolves differently from '\(show(input))'")
        let lower = Array(input).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        let other = lower.withUnsafeBufferPointer { reference.area(postcode: $0) }
        Fuzz.require(other == area, "postcode '\(show(input))' resolves differently in lower case")
    }

    let lsoa = reference.area(lsoa: input)
    let text = String(decoding: input, as: UTF8.self)
    let codes = reference.geography.lsoas.map(\.code)
    if AreaColumn.isInArea(lsoa) {
        Fuzz.require(Int(lsoa) < codes.count, "LSOA '\(text)' gives area \(lsoa) of \(codes.count)")
        let target = Engine.aliases[text] ?? text
        Fuzz.require(codes[Int(lsoa)] == target, "LSOA '\(text)' resolves to \(codes[Int(lsoa)])")
    } else {
        Fuzz.require(
            !codes.contains(text) && Engine.aliases[text].map { !codes.contains($0) } ?? true,
            "LSOA '\(text)' of the area is not found (\(lsoa))")
        if lsoa == AreaColumn.outside {
            Fuzz.require(
                input.count == 9 && (input[0] == 0x45 || input[0] == 0x57) && input[1] == 0x30 && input[2] == 0x31
                    && input[3...].allSatisfy { $0 >= 48 && $0 <= 57 }, "'\(text)' taken for an LSOA outside the area")
        }
    }
}

// MARK: Numbers

func checkNumbers(_ input: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: input, as: UTF8.self)
    let integer = NumberParser.integer(input)
    // Swift's parser, less Int64.min (the integer column's null).
    let expected = Int64(text).flatMap { $0 == IntegerColumn.null ? nil : $0 }
    Fuzz.require(
        integer == expected,
        "'\(show(input))' as a whole number is \(String(describing: integer)), Swift says \(String(describing: expected))")

    let decimal = NumberParser.decimal(input)
    if let decimal { Fuzz.require(decimal.isFinite, "'\(show(input))' as a decimal is \(decimal)") }
    // The documented grammar: a sign, digits with thousands commas, a point and digits, an exponent.
    let grammar = isDecimal(Array(input))
    if grammar && input.count < 64 {
        let plain = String(decoding: input.filter { $0 != 0x2C }, as: UTF8.self)
        if let v = Double(plain), v.isFinite {
            Fuzz.require(decimal == v, "'\(show(input))' as a decimal is \(String(describing: decimal)), not \(v)")
        }
    } else {
        Fuzz.require(decimal == nil, "'\(show(input))' is not a decimal but reads as \(String(describing: decimal))")
    }
}

/// `[+-]? whole (. digits*)? ([eE] [+-]? digits)?`, where the whole part is digits, or one to
/// three digits then groups of a comma and three digits; at least one digit before the exponent.
func isDecimal(_ b: [UInt8]) -> Bool {
    var i = 0
    func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    func digitRun() -> Int {
        var n = 0
        while i < b.count && digit(b[i]) { n += 1; i += 1 }
        return n
    }
    if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
    let first = digitRun()
    var mantissaDigits = first
    if i < b.count && b[i] == 0x2C {
        guard (1...3).contains(first) else { return false }
        while i < b.count && b[i] == 0x2C {
            i += 1
            let group = digitRun()
            guard group == 3 else { return false }
            mantissaDigits += group
        }
    }
    if i < b.count && b[i] == 0x2E {
        i += 1
        mantissaDigits += digitRun()
    }
    guard mantissaDigits > 0 else { return false }
    if i < b.count && (b[i] == 0x65 || b[i] == 0x45) {
        i += 1
        if i < b.count && (b[i] == 0x2B || b[i] == 0x2D) { i += 1 }
        guard digitRun() > 0 else { return false }
    }
    return i == b.count
}

// MARK: Text

func checkText(_ input: UnsafeBufferPointer<UInt8>) {
    let valid = String(validating: input, as: UTF8.self) != nil
    Fuzz.require(TextDecoder.isValidUTF8(input) == valid, "UTF-8 check of '\(show(input))' says \(!valid), the standard library \(valid)")
    // A NUL byte is refused in either encoding.
    let nul = input.contains(0)
    let utf8 = TextDecoder(.utf8).decode(input)
    Fuzz.require(valid && !nul ? utf8.map(Array.init) == Array(input) : utf8 == nil, "UTF-8 decoding of '\(show(input))'")
    // The decoded bytes live in the decoder's buffer: copied while it lives.
    let decoder = TextDecoder(.windows1252)
    let cp1252 = withExtendedLifetime(decoder) { decoder.decode(input).map(Array.init) }
    Fuzz.require((cp1252 == nil) == nul, "Windows-1252 decoding of '\(show(input))' refused: \(cp1252 == nil)")
    if let cp1252 {
        let scalars = String(validating: cp1252, as: UTF8.self)?.unicodeScalars.count
        let ascii = input.allSatisfy { $0 < 0x80 }
        Fuzz.require(
            ascii ? cp1252 == Array(input) : scalars == input.count,
            "Windows-1252 decoding of '\(show(input))' gives '\(show(cp1252))'")
    }

    for first in [false, true] {
        var name: [UInt8] = []
        Identifiers.normalisedName(input, into: &name, firstLetterOnly: first)
        if input.allSatisfy({ $0 < 0x80 }) {
            let letters = input.filter { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }.map { $0 & 0xDF }
            Fuzz.require(name == (first ? Array(letters.prefix(1)) : letters), "name '\(show(input))' normalised to '\(show(name))'")
        } else {
            let s = String(validating: name, as: UTF8.self)
            Fuzz.require(
                s != nil && s!.allSatisfy(\.isLetter) && (!first || s!.count <= 1),
                "name '\(show(input))' normalised to '\(show(name))'")
        }
    }
}

/// Bytes for a message: printable ASCII as it is, anything else as \xNN.
func show<C: Collection>(_ b: C) -> String where C.Element == UInt8 {
    b.map { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
}
