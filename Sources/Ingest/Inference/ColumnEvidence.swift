import Columnar
import Definitions

/// What every value of one column says about its type, gathered over the whole file: how many are
/// blank, how many parse as whole numbers, decimals, dates in each candidate layout, NHS numbers,
/// postcodes, LSOA codes or yes/no values, by the same parsers ingest uses (so a type drafted from
/// it reads every value); the distinct values while there are few; whether every value is unique.
/// One per column per part of the file read at once; parts are merged in order.
struct ColumnEvidence: Sendable {
    /// Above this many distinct values a column is not a code list (its values stop being kept).
    static let distinctCap = 200
    /// Values that parse as nothing a number or date column can hold, kept (with counts) while
    /// there are at most this many kinds: they may be the column's markers for "not known" (`c`,
    /// `x`, `low`), drafted as null_values.
    static let markerCap = 6

    var values = 0
    var blank = 0
    var integers = 0
    var decimals = 0
    var minimum = Double.infinity
    var maximum = -Double.infinity
    /// Per candidate date layout (`DateCandidates.patterns`): values read, first and last day.
    var dates: [Int]
    var firstDay: [Int32]
    var lastDay: [Int32]
    /// Values whose first part (before the first separator) is above 12: day-first evidence.
    var firstPartAbove12 = 0
    var secondPartAbove12 = 0
    var validNHS = 0
    var invalidNHSShaped = 0
    var postcodes = 0
    var lsoaShaped = 0
    /// LSOA codes of the area's geography: its own (2011) codes, and 2021 codes it reads through
    /// their best fit (counted when a geography is given).
    var lsoaInArea = 0
    var lsoa2021InArea = 0
    /// Values made only of letters, spaces, hyphens, apostrophes and dots (names look like this).
    var nameShaped = 0
    var longest = 0
    /// Whole numbers written with a leading zero (`007`): an identifier or code, not a number.
    var leadingZeros = 0
    /// Values that are not valid UTF-8 (the file is then read as windows-1252).
    var notUTF8 = 0
    /// The distinct values (trimmed) with their counts, until there are more than `distinctCap`.
    var distinct = CountedValues(cap: distinctCap)
    var manyDistinct: Bool { distinct.overflowed }
    /// Values that are neither blank nor a number, and neither a date in any layout, by kind, until
    /// there are more than `markerCap` kinds.
    var markers = CountedValues(cap: markerCap)
    var manyMarkers: Bool { markers.overflowed }
    /// Values tried in the date layouts; after `datesDecidedAfter`, a layout that read none of
    /// them is tried no more (it cannot read every value).
    var datesTried = 0
    var activeDates: [Int]
    static let datesDecidedAfter = 1_000
    /// Per separator of a cell holding several codes (`;`, `|`, `,`): the values holding it, and the
    /// distinct parts of every value (with the rows holding each) once one has, while they are few.
    static let separators: [UInt8] = [0x3B, 0x7C, 0x2C]
    var withSeparator = [0, 0, 0]
    var parts: [CountedValues?] = [nil, nil, nil]
    var partsOverflow = [false, false, false]
    /// The file is read as Windows-1252 (some value is not UTF-8): values are written as ingest
    /// will read them, a byte a character. Set once every row is read.
    var windows1252 = false
    /// Hashes of the values seen, while no value has repeated and none is blank (a record id).
    var hashes: Set<UInt64>? = []

    init() {
        let n = DateCandidates.patterns.count
        dates = [Int](repeating: 0, count: n)
        firstDay = [Int32](repeating: .max, count: n)
        lastDay = [Int32](repeating: .min, count: n)
        activeDates = Array(0..<n)
    }

    /// The share of non-blank values `n` is.
    func share(_ n: Int) -> Double { values == blank ? 0 : Double(n) / Double(values - blank) }
    var filled: Int { values - blank }

    /// `ascii`: the record is known to be ASCII (then the value is valid UTF-8).
    mutating func add(_ raw: UnsafeBufferPointer<UInt8>, ascii: Bool, dates parsers: DateCandidates, reference: ReferenceData? = nil) {
        values += 1
        let b = raw.trimmed()
        if b.isEmpty {
            blank += 1
            hashes = nil
            return
        }
        longest = max(longest, b.count)
        if !ascii && !TextDecoder.isValidUTF8(b) { notUTF8 += 1 }
        distinct.add(b)
        if hashes != nil { rememberHash(b) }
        rememberParts(b)
        let first = b[0]
        let digitFirst = first >= 48 && first <= 57
        var number = false
        if digitFirst || first == 0x2D || first == 0x2B || first == 0x2E {
            if let v = NumberParser.integer(b) {
                if first == 48 && b.count > 1 { leadingZeros += 1 }
                integers += 1
                decimals += 1
                number = true
                note(Double(v))
            } else if let v = NumberParser.decimal(b) {
                decimals += 1
                number = true
                note(v)
            }
        }
        var date = false
        if !activeDates.isEmpty && b.count >= 6 && b.count <= 25 && (digitFirst || isLetter(first)) { date = addDate(b, parsers) }
        if !number && !date { markers.add(b) }
        if b.count >= 10 && b.count <= 13 && digitFirst {
            switch Identifiers.nhsNumber(b) {
            case .valid: validNHS += 1
            case .invalid: if b.count == 10 || b.count == 12 { invalidNHSShaped += 1 }
            case .absent: break
            }
        }
        if b.count >= 5 && b.count <= 8 && isLetter(first), ReferenceData.normalisedPostcode(b) != nil { postcodes += 1 }
        if b.count == 9, ReferenceData.looksLikeLSOA(b) {
            lsoaShaped += 1
            if let reference { placeInArea(b, reference) }
        }
        if b.allSatisfy({ isLetter($0) || $0 == 0x20 || $0 == 0x2D || $0 == 0x27 || $0 == 0x2E || $0 >= 0x80 }) { nameShaped += 1 }
    }

    /// Whether an LSOA code is of the area, and a 2021 code read through its best fit.
    private mutating func placeInArea(_ b: UnsafeBufferPointer<UInt8>, _ reference: ReferenceData) {
        let a = reference.area(lsoa: b)
        guard AreaColumn.isInArea(a) else { return }
        lsoaInArea += 1
        if !reference.geography.lsoas[Int(a)].code.utf8.elementsEqual(b) { lsoa2021InArea += 1 }
    }

    @inline(__always) private func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    private mutating func note(_ v: Double) {
        minimum = Swift.min(minimum, v)
        maximum = Swift.max(maximum, v)
    }

    /// Reads the value in each date layout still possible; true if one read it.
    private mutating func addDate(_ b: UnsafeBufferPointer<UInt8>, _ parsers: DateCandidates) -> Bool {
        var any = false
        datesTried += 1
        if datesTried == Self.datesDecidedAfter { activeDates = activeDates.filter { dates[$0] > 0 } }
        for k in activeDates {
            guard let day = parsers.parsers[k].day(b) else { continue }
            any = true
            dates[k] += 1
            firstDay[k] = Swift.min(firstDay[k], day)
            lastDay[k] = Swift.max(lastDay[k], day)
        }
        if any, let (a, c) = Self.firstTwoParts(b) {
            if a > 12 { firstPartAbove12 += 1 }
            if c > 12 { secondPartAbove12 += 1 }
        }
        return any
    }

    /// The first two numbers of a value like `13/04/2024` (nil when it does not start so).
    static func firstTwoParts(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var first: Int? = nil
        var v = 0, digits = 0
        for c in b {
            if c >= 48 && c <= 57 {
                v = v * 10 + Int(c - 48)
                digits += 1
                if digits > 2 { return nil }
            } else {
                guard digits > 0 else { return nil }
                if let first { return (first, v) }
                first = v
                v = 0
                digits = 0
            }
        }
        return nil
    }

    private mutating func rememberHash(_ b: UnsafeBufferPointer<UInt8>) {
        let h = Self.hash(b)
        if hashes!.insert(h).inserted == false { hashes = nil }
    }

    /// FNV-1a over the bytes, then mixed (64 bits: a false repeat among millions of values is
    /// about one in ten million).
    @inline(__always) static func hash(_ b: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// This part's evidence followed by `other`'s (a later part of the file).
    mutating func merge(_ other: ColumnEvidence) {
        values += other.values
        blank += other.blank
        integers += other.integers
        decimals += other.decimals
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        for k in dates.indices {
            dates[k] += other.dates[k]
            firstDay[k] = Swift.min(firstDay[k], other.firstDay[k])
            lastDay[k] = Swift.max(lastDay[k], other.lastDay[k])
        }
        firstPartAbove12 += other.firstPartAbove12
        secondPartAbove12 += other.secondPartAbove12
        validNHS += other.validNHS
        invalidNHSShaped += other.invalidNHSShaped
        postcodes += other.postcodes
        lsoaShaped += other.lsoaShaped
        lsoaInArea += other.lsoaInArea
        lsoa2021InArea += other.lsoa2021InArea
        nameShaped += other.nameShaped
        longest = Swift.max(longest, other.longest)
        leadingZeros += other.leadingZeros
        notUTF8 += other.notUTF8
        for k in 0..<3 { mergeParts(k, other) }
        distinct.merge(other.distinct)
        markers.merge(other.markers)
        hashes = FileEvidence.unique(hashes, then: other.hashes)
    }

    /// A value as ingest reads it in the file's encoding.
    func text(_ b: UnsafeBufferPointer<UInt8>) -> String {
        guard windows1252 else { return String(decoding: b, as: UTF8.self) }
        // The decoded bytes live in the decoder's buffer: it must outlive their reading.
        let decoder = TextDecoder(.windows1252)
        return withExtendedLifetime(decoder) {
            decoder.decode(b).map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: b, as: UTF8.self)
        }
    }

    /// The values that are neither numbers nor dates, with their counts (empty when there are many kinds).
    var markerValues: [(value: String, count: Int)] { markers.sorted(text) }

    /// The distinct values with their counts, most frequent first (empty when there are many).
    var valueCounts: [(value: String, count: Int)] { distinct.sorted(text) }
}

/// The date layouts a column is tried in, most specific first: the first that reads every value
/// is the one drafted.
struct DateCandidates: Sendable {
    static let patterns = [
        "yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "d/M/yyyy", "M/d/yyyy", "dd-MM-yyyy", "dd.MM.yyyy", "yyyy/MM/dd",
        "dd-MMM-yyyy", "dd-MMM-yy", "d-MMM-yy", "dd MMM yyyy", "yyyyMMdd", "yyyy-MM", "dd/MM/yy",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss",
        "MM/dd/yyyy HH:mm", "dd-MM-yyyy HH:mm",
    ]
    let parsers: [DateParser] = patterns.map { DateParser(try! DatePattern($0)) }
}
