import Foundation

/// Checks and normalises the identifiers that make a person key.
public enum Identifiers {
    public enum NHSCheck: Equatable, Sendable {
        case absent, invalid
        /// The ten digits as a number.
        case valid(UInt64)
    }

    /// Reads an NHS number (spaces, tabs and hyphens ignored) and checks it: ten digits, a
    /// modulus-11 check digit, an issued range (Scotland 010-311, Northern Ireland 320-399, England
    /// and Wales 400-499 and 600-799) or the test range 999, and not a placeholder of one repeated digit.
    public static func nhsNumber(_ b: UnsafeBufferPointer<UInt8>) -> NHSCheck {
        var value: UInt64 = 0
        var digits = 0
        var sum = 0
        var first: UInt8 = 0
        var same = true
        for c in b {
            let d = c &- 48
            if d <= 9 {
                digits += 1
                if digits > 10 { return .invalid }
                if digits == 1 { first = d } else if d != first { same = false }
                if digits <= 9 { sum += Int(d) * (11 - digits) }
                value = value &* 10 &+ UInt64(d)
            } else if c == 0x20 || c == 0x2D || c == 0x09 {
                continue
            } else {
                return .invalid
            }
        }
        if digits == 0 { return .absent }
        guard digits == 10, !same else { return .invalid }
        let check = (11 - sum % 11) % 11
        guard check != 10, UInt64(check) == value % 10 else { return .invalid }
        let prefix = Int(value / 10_000_000)
        let issued =
            (10...311).contains(prefix) || (320...399).contains(prefix) || (400...499).contains(prefix)
            || (600...799).contains(prefix) || prefix == 999
        return issued ? .valid(value) : .invalid
    }

    /// Upper-case letters of a name, without spaces, punctuation or accents (`O'Brien` and
    /// `o brien` both give `OBRIEN`; `Wiśniewski` gives `WISNIEWSKI`). Appends to `out`.
    public static func normalisedName(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], firstLetterOnly: Bool = false) {
        var ascii = true
        for c in b where c >= 0x80 { ascii = false; break }
        if ascii {
            for c in b {
                let u = c & 0xDF
                if u >= 0x41 && u <= 0x5A {
                    out.append(u)
                    if firstLetterOnly { return }
                }
            }
            return
        }
        let folded = String(decoding: b, as: UTF8.self)
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).uppercased()
        for ch in folded where ch.isLetter {
            out.append(contentsOf: ch.utf8)
            if firstLetterOnly { return }
        }
    }
}
