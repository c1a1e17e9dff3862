import Foundation

/// Checks and normalises the identifiers that make a person key.
public enum Identifiers {
    public enum NHSCheck: Equatable, Sendable { case absent, valid, invalid }

    /// Normalises an NHS number (spaces and hyphens removed) into `out` and checks it: ten digits, a
    /// modulus-11 check digit, an issued range (Scotland 010-311, Northern Ireland 320-399, England
    /// and Wales 400-499 and 600-799) or the test range 999, and not a placeholder of one repeated digit.
    public static func nhsNumber(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> NHSCheck {
        out.removeAll(keepingCapacity: true)
        for c in b {
            if c >= 48 && c <= 57 { out.append(c - 48) }
            else if c == 0x20 || c == 0x2D || c == 0x09 { continue }
            else { return .invalid }
        }
        if out.isEmpty { return .absent }
        guard out.count == 10 else { return .invalid }
        if out.allSatisfy({ $0 == out[0] }) { return .invalid }
        var sum = 0
        for i in 0..<9 { sum += Int(out[i]) * (10 - i) }
        let check = (11 - sum % 11) % 11
        guard check != 10, check == Int(out[9]) else { return .invalid }
        let prefix = Int(out[0]) * 100 + Int(out[1]) * 10 + Int(out[2])
        let issued = (10...311).contains(prefix) || (320...399).contains(prefix) || (400...499).contains(prefix)
            || (600...799).contains(prefix) || prefix == 999
        guard issued else { return .invalid }
        for i in 0..<10 { out[i] += 48 }
        return .valid
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
