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
    /// the keyed year-month tags of those months. 0 and empty when not known.
    var windowStart: Int32 = 0
    var window: [UInt32] = []
    /// 1 female, 2 male, 0 not known.
    var sex: UInt8 = 0
    /// Block keys: surname and forename; forename initial and date of birth; surname and date of
    /// birth (0: a part missing). Records are compared only with those sharing one.
    var blocks: (UInt64, UInt64, UInt64) = (0, 0, 0)

    var hasForename: Bool { forename != (0, 0) }

    /// Everything it holds, as words: equal for two encodings of one clear identity.
    var fingerprint: [UInt64] {
        [
            surname.0, surname.1, forename.0, forename.1, UInt64(day) << 32 | UInt64(month), UInt64(year) << 32 | UInt64(postcode),
            UInt64(yearMonth) << 32 | UInt64(UInt32(bitPattern: windowStart)), UInt64(sex), blocks.0, blocks.1, blocks.2,
        ]
    }
    var hasBirthDate: Bool { year != 0 }
}

/// Builds the clear identity of a row (in memory only, interned into the part's pool) and turns
/// each distinct one into its `PersonEncoding` under the key.
///
/// The clear identity: date of birth (4 bytes, day number, or Int32.max), the first month of the
/// birth window from the age (4, month index, or 0), sex (1), then surname, 0x1F, forename, 0x1F,
/// postcode (normalised: upper-case letters and digits).
struct EncodingBuilder {
    /// Letter pairs' Bloom-filter masks: for each of 27 × 27 pairs of A-Z and the padding `_`,
    /// 4 bit positions of 128 taken from HMAC-SHA256 of the pair under the key.
    private let masks: [(UInt64, UInt64)]
    private let hmac: PersonKeyer.PrecomputedHMAC

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

    @inline(__always) private static func letterIndex(_ c: UInt8) -> Int {
        c >= 0x41 && c <= 0x5A ? Int(c - 0x40) : 0
    }

    /// The Bloom filter of a name's letter pairs, padded (`_SMITH_`); letters outside A-Z (a
    /// name in another script) fall on the padding's pairs, and are told apart by the MAC of
    /// the byte pair instead.
    func filter(_ name: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        guard !name.isEmpty else { return (0, 0) }
        var f: (UInt64, UInt64) = (0, 0)
        var previous: UInt8 = 0x5F
        for c in name + [0x5F] {
            let m: (UInt64, UInt64)
            if (c < 0x41 || c > 0x5A) && c != 0x5F || (previous < 0x41 || previous > 0x5A) && previous != 0x5F {
                m = Self.mask(hmac, [0x62, previous, c])
            } else {
                m = masks[Self.letterIndex(previous) * 27 + Self.letterIndex(c)]
            }
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

    /// The keyed tag of a month (year × 12 + month - 1).
    private func yearMonthTag(_ month: Int) -> UInt32 { tag(0x4D, [UInt8(month & 0xFF), UInt8((month >> 8) & 0xFF), UInt8(month >> 16)]) }

    private func blockKey(_ parts: [UInt8]) -> UInt64 { ([0x4B] + parts).withUnsafeBufferPointer { hmac.mac($0) } }

    /// The encoding of one clear identity (as `RoleBuilder` lays it out).
    func encode(_ identity: UnsafeBufferPointer<UInt8>) -> PersonEncoding {
        var e = PersonEncoding()
        let dob = identity[0..<4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        let rest = Array(identity[9...])
        let parts = rest.split(separator: 0x1F, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        let surname = parts[0], forename = parts.count > 1 ? parts[1] : [], postcode = parts.count > 2 ? parts[2] : []
        e.surname = surname.withUnsafeBufferPointer { filter($0) }
        e.forename = forename.withUnsafeBufferPointer { filter($0) }
        let windowStart = identity[4..<8].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        e.sex = identity[8]
        if !postcode.isEmpty { e.postcode = tag(0x50, postcode) }
        var dobBytes: [UInt8] = []
        if dob != Int32.max {
            let c = DayNumber.civil(Int(dob))
            e.day = tag(0x44, [UInt8(c.day)])
            e.month = tag(0x44, [UInt8(c.month)])
            e.year = tag(0x59, [UInt8(c.year & 0xFF), UInt8(c.year >> 8)])
            e.yearMonth = yearMonthTag(c.year * 12 + c.month - 1)
            withUnsafeBytes(of: dob) { dobBytes = Array($0) }
        } else if windowStart > 0 {
            e.windowStart = windowStart
            e.window = (0..<13).map { yearMonthTag(Int(windowStart) + $0) }
        }
        let initial = forename.first.map { [$0] } ?? []
        if !forename.isEmpty { e.blocks.0 = blockKey([1] + surname + [0x1F] + forename) }
        if !forename.isEmpty && !dobBytes.isEmpty { e.blocks.1 = blockKey([2] + initial + [0x1F] + dobBytes) }
        if !dobBytes.isEmpty { e.blocks.2 = blockKey([3] + surname + [0x1F] + dobBytes) }
        return e
    }
}
