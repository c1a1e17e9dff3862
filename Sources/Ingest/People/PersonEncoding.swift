import Columnar
import Crypto

/// What probabilistic matching compares of one distinct identity (surname, forename, date of
/// birth, birth year, sex, postcode), all keyed: names as Bloom filters of their letter pairs,
/// whose bit positions come from the partnership's key; date-of-birth parts and postcode as keyed
/// tags; block keys as keyed pseudonyms. Nothing in it is a clear identifier, and it never leaves
/// the process (it is dropped once people are linked).
struct PersonEncoding: Sendable {
    /// 128-bit Bloom filters of the surname's and the forename's letter pairs (0: none).
    var surname: (UInt64, UInt64) = (0, 0)
    var forename: (UInt64, UInt64) = (0, 0)
    /// Keyed tags of the birth day, month and year (day and month share a domain, so a swapped
    /// day and month still agree as a set); 0: no date of birth.
    var day: UInt32 = 0, month: UInt32 = 0, year: UInt32 = 0
    var postcode: UInt32 = 0
    /// A keyed tag of the birth year and month (0: no date of birth).
    var yearMonth: UInt32 = 0
    /// Without a date of birth: the first of the 13 months the person was born in, from the age on
    /// the event's date (year × 12 + month - 1; kept in clear, as the tables hold the age), and
    /// where the keyed year-month tags of those months start in the encodings' window table, plus
    /// one (13 tags). 0 when not known.
    var windowStart: Int32 = 0
    var window: UInt32 = 0
    /// 1 female, 2 male, 0 not known.
    var sex: UInt8 = 0
    /// Block keys: surname, forename and year of birth (the date of birth's, or either year the
    /// months of birth from an age touch: two keys); forename initial and date of birth; surname
    /// and date of birth (0: a part missing). Records are compared only with those sharing one.
    var blocks: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The full name, keyed (0 without a forename): how many people share it weighs its agreement.
    var name: UInt64 = 0

    var hasForename: Bool { forename != (0, 0) }

    /// A 64-bit hash of everything it holds (never 0): equal for two encodings of one identity
    /// (the window follows from `windowStart`).
    var fingerprint: UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        @inline(__always) func mix(_ w: UInt64) { h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 31 }
        mix(surname.0); mix(surname.1); mix(forename.0); mix(forename.1)
        mix(UInt64(day) << 32 | UInt64(month)); mix(UInt64(year) << 32 | UInt64(postcode))
        mix(UInt64(yearMonth) << 32 | UInt64(UInt32(bitPattern: windowStart))); mix(UInt64(sex))
        mix(blocks.0); mix(blocks.1); mix(blocks.2); mix(blocks.3)
        return h == 0 ? 1 : h
    }

    func sameContents(_ o: PersonEncoding) -> Bool {
        surname == o.surname && forename == o.forename && day == o.day && month == o.month && year == o.year
            && postcode == o.postcode && yearMonth == o.yearMonth && windowStart == o.windowStart && sex == o.sex
            && blocks == o.blocks && name == o.name
    }

    var hasBirthDate: Bool { year != 0 }
}

/// Builds the clear identity of a row (in memory only, interned into the part's pool) and turns
/// each distinct one into its `PersonEncoding` under the key.
///
/// The clear identity: date of birth (4 bytes, day number, or Int32.max), the first month of the
/// birth window from the age (4, month index, or 0), sex (1), then surname, 0x1F, forename, 0x1F,
/// postcode (normalised: upper-case letters and digits).
///
/// Every keyed value comes from HMAC-SHA256 under the key: a letter pair's filter bits, a day's,
/// month's, year's or month of a year's tag (each made once, then looked up), a postcode's tag.
/// Block keys mix keyed parts (the filters and tags), so they are keyed too.
final class EncodingBuilder {
    // @exclusivity(unchecked) below: one pool's builder, used by the one worker that pseudonymises
    // it and never re-entered (docs/ARCHITECTURE.md, "Unsafe choices").
    /// Letter pairs' Bloom-filter masks: for each of 27 × 27 pairs of A-Z and the padding `_`,
    /// 4 bit positions of 128 taken from HMAC-SHA256 of the pair under the key.
    private let masks: [(UInt64, UInt64)]
    private let hmac: PersonKeyer.PrecomputedHMAC
    /// Tags made so far (0: not yet): days and months 0...31, years and months of years by offset.
    @exclusivity(unchecked) private var numberTags = [UInt32](repeating: 0, count: 32)
    @exclusivity(unchecked) private var yearTags = [UInt32](repeating: 0, count: 4096)
    /// Months of the years 1800 to 2141 by offset from January 1800 (0: not yet), others by month.
    @exclusivity(unchecked) private var monthTags = [UInt32](repeating: 0, count: 4096)
    @exclusivity(unchecked) private var otherMonthTags: [UInt32: UInt32] = [:]
    /// Postcodes' tags by the postcode packed in a word (up to 8 letters and digits): one area's
    /// identities share a few thousand postcodes, each keyed once.
    @exclusivity(unchecked) private var postcodeTags: [UInt64: UInt32] = [:]

    static let bitsPerPair = 4

    init(key: SymmetricKey) {
        hmac = PersonKeyer.PrecomputedHMAC(key: key)
        var masks: [(UInt64, UInt64)] = []
        masks.reserveCapacity(27 * 27)
        let letters = [UInt8(ascii: "_")] + (UInt8(ascii: "A")...UInt8(ascii: "Z"))
        for a in letters {
            for b in letters {
                masks.append(Self.mask(hmac, [0x42, a, b]))
            }
        }
        self.masks = masks
    }

    /// The filter bits of one letter pair: `bitsPerPair` positions from the pair's MAC.
    private static func mask(_ hmac: PersonKeyer.PrecomputedHMAC, _ tagged: [UInt8]) -> (UInt64, UInt64) {
        var m: (UInt64, UInt64) = (0, 0)
        var mac = tagged.withUnsafeBufferPointer { hmac.mac($0) }
        for _ in 0..<bitsPerPair {
            let bit = Int(mac & 127)
            mac = mac >> 7 | mac << 57
            if bit < 64 { m.0 |= 1 << UInt64(bit) } else { m.1 |= 1 << UInt64(bit - 64) }
        }
        return m
    }

    @inline(__always) private static func isLetterOrPad(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || c == 0x5F }

    @inline(__always) private func pairMask(_ a: UInt8, _ b: UInt8) -> (UInt64, UInt64) {
        guard Self.isLetterOrPad(a) && Self.isLetterOrPad(b) else {
            // Letters outside A-Z (a name in another script): the MAC of the byte pair.
            return Self.mask(hmac, [0x62, a, b])
        }
        return masks[(a == 0x5F ? 0 : Int(a - 0x40)) * 27 + (b == 0x5F ? 0 : Int(b - 0x40))]
    }

    /// The Bloom filter of a name's letter pairs, padded (`_SMITH_`).
    func filter(_ name: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        guard !name.isEmpty else { return (0, 0) }
        var f: (UInt64, UInt64) = (0, 0)
        var previous: UInt8 = 0x5F
        for i in 0...name.count {
            let c = i < name.count ? name[i] : 0x5F
            let m = pairMask(previous, c)
            f.0 |= m.0
            f.1 |= m.1
            previous = c
        }
        return f
    }

    /// A keyed tag of a value in a domain.
    private func tag(_ domain: UInt8, _ bytes: [UInt8]) -> UInt32 {
        let v = ([domain] + bytes).withUnsafeBufferPointer { hmac.mac($0) }
        return UInt32(truncatingIfNeeded: v) | 1
    }

    /// A postcode's keyed tag (its letters and digits), made once per postcode of up to 8 of them.
    private func postcodeTag(_ postcode: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard postcode.count <= 8 else { return tag(0x50, Array(postcode)) }
        var packed: UInt64 = 0
        for c in postcode { packed = packed << 8 | UInt64(c) }
        if let t = postcodeTags[packed] { return t }
        let t = tag(0x50, Array(postcode))
        postcodeTags[packed] = t
        return t
    }

    /// A day's or month's number (1...31), in one domain so that a swapped day and month agree.
    private func numberTag(_ n: Int) -> UInt32 {
        if numberTags[n] == 0 { numberTags[n] = tag(0x44, [UInt8(n)]) }
        return numberTags[n]
    }

    private func yearTag(_ year: Int) -> UInt32 {
        let i = year & 4095
        if yearTags[i] == 0 { yearTags[i] = tag(0x59, [UInt8(year & 0xFF), UInt8((year >> 8) & 0xFF)]) }
        return yearTags[i]
    }

    /// The keyed tag of a month (year × 12 + month - 1).
    private func yearMonthTag(_ month: Int) -> UInt32 {
        let offset = month - 1800 * 12
        if offset >= 0 && offset < monthTags.count && monthTags[offset] != 0 { return monthTags[offset] }
        let m = UInt32(truncatingIfNeeded: month)
        if let t = otherMonthTags[m] { return t }
        let t = tag(0x4D, [UInt8(month & 0xFF), UInt8((month >> 8) & 0xFF), UInt8((month >> 16) & 0xFF)])
        if offset >= 0 && offset < monthTags.count { monthTags[offset] = t } else { otherMonthTags[m] = t }
        return t
    }

    /// A block key from keyed parts (never 0).
    @inline(__always) private static func blockKey(_ kind: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64? = nil, _ d: UInt64? = nil)
        -> UInt64
    {
        var h = 0x9E37_79B9_7F4A_7C15 &* (kind + 1)
        @inline(__always) func mix(_ p: UInt64) {
            h = (h ^ p) &* 0xBF58_476D_1CE4_E5B9; h ^= h >> 29; h = h &* 0x94D0_49BB_1331_11EB; h ^= h >> 32
        }
        mix(a)
        mix(b)
        if let c { mix(c) }
        if let d { mix(d) }
        return h == 0 ? 1 : h
    }

    /// The encoding of one clear identity (as `RoleBuilder` lays it out).
    /// A window's 13 tags are appended to `windows`.
    func encode(_ identity: UnsafeBufferPointer<UInt8>, windows: inout [UInt32]) -> PersonEncoding {
        var e = PersonEncoding()
        let dob = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(identity)[0..<4]).loadUnaligned(as: Int32.self)
        let windowStart = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(identity)[4..<8]).loadUnaligned(as: Int32.self)
        e.sex = identity[8]
        // surname 0x1F forename 0x1F postcode
        var (cut0, cut1) = (identity.count, identity.count)
        for i in 9..<identity.count where identity[i] == 0x1F {
            if cut0 == identity.count {
                cut0 = i
            } else {
                cut1 = i
                break
            }
        }
        let surname = UnsafeBufferPointer(rebasing: identity[9..<cut0])
        let forename = UnsafeBufferPointer(rebasing: identity[min(cut0 + 1, identity.count)..<cut1])
        let postcode = UnsafeBufferPointer(rebasing: identity[min(cut1 + 1, identity.count)..<identity.count])
        e.surname = filter(surname)
        e.forename = filter(forename)
        if !postcode.isEmpty { e.postcode = postcodeTag(postcode) }
        if dob != Int32.max {
            let c = DayNumber.civil(Int(dob))
            e.day = numberTag(c.day)
            e.month = numberTag(c.month)
            e.year = yearTag(c.year)
            e.yearMonth = yearMonthTag(c.year * 12 + c.month - 1)
        } else if windowStart > 0 {
            e.windowStart = windowStart
            e.window = UInt32(windows.count + 1)
            for k in 0..<13 { windows.append(yearMonthTag(Int(windowStart) + k)) }
        }
        let surnameKey = e.surname.0 ^ e.surname.1.rotateLeft(17)
        let dobKey = UInt64(e.day) | UInt64(e.month) << 16 ^ UInt64(e.year) << 32
        // The forename's initial, keyed: the filter bits of its first letter pair (`_A`).
        let initial = forename.isEmpty ? (0, 0) : pairMask(0x5F, forename[0])
        if !forename.isEmpty {
            e.name = Self.blockKey(0, e.surname.0, e.surname.1, e.forename.0, e.forename.1)
            if e.year != 0 {
                e.blocks.0 = Self.blockKey(1, e.name, UInt64(e.year))
            } else if windowStart > 0 {
                let first = Int(windowStart) / 12, last = (Int(windowStart) + 12) / 12
                e.blocks.0 = Self.blockKey(1, e.name, UInt64(yearTag(first)))
                if last != first { e.blocks.3 = Self.blockKey(1, e.name, UInt64(yearTag(last))) }
            }
        }
        if !forename.isEmpty && e.year != 0 { e.blocks.1 = Self.blockKey(2, initial.0, initial.1, dobKey) }
        if e.year != 0 { e.blocks.2 = Self.blockKey(3, surnameKey, dobKey) }
        return e
    }
}

extension UInt64 {
    @inline(__always) fileprivate func rotateLeft(_ n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
