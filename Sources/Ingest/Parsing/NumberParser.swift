/// Integers and decimals read straight from bytes.
public enum NumberParser {
    /// An optionally signed run of digits (`-12`, `+7`, `0042`); nil for anything else or overflow.
    public static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !b.isEmpty else { return nil }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < b.count else { return nil }
        var v: Int64 = 0
        while i < b.count {
            let d = Int64(b[i]) &- 48
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            v = a
            i += 1
        }
        return negative ? -v : v
    }

    /// A decimal (`12.5`, `-0.25`, `1e3`, `1,234.5` with thousands commas); nil for anything else.
    /// Commas only group the whole part's digits in threes (`0,5` and `1,25`, decimal commas, are
    /// refused rather than read as 5 and 125).
    public static func decimal(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !b.isEmpty, b.count < 64 else { return nil }
        var text = [UInt8]()
        text.reserveCapacity(b.count)
        var sawDigit = false
        var i = 0
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            text.append(b[0])
            i = 1
        }
        // The whole part: digits, in groups of three after the first (of one to three) if commas are used.
        var run = 0, grouped = false
        while i < b.count, (b[i] >= 48 && b[i] <= 57) || b[i] == UInt8(ascii: ",") {
            if b[i] == UInt8(ascii: ",") {
                guard grouped ? run == 3 : (1...3).contains(run) else { return nil }
                grouped = true
                run = 0
            } else {
                text.append(b[i])
                run += 1
                sawDigit = true
            }
            i += 1
        }
        if grouped && run != 3 { return nil }
        // The rest: only the characters of a fraction and an exponent (Double(String) would also
        // take hexadecimal, `0x1p3`, and stop at a NUL byte, reading `12\0abc` as 12).
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 {
                sawDigit = true
            } else if c != UInt8(ascii: ".") && c != UInt8(ascii: "-") && c != UInt8(ascii: "+") && c | 0x20 != UInt8(ascii: "e") {
                return nil
            }
            text.append(c)
            i += 1
        }
        guard sawDigit else { return nil }
        return Double(String(decoding: text, as: UTF8.self)).flatMap { $0.isFinite ? $0 : nil }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes without leading and trailing spaces and tabs.
    @inlinable @inline(__always)
    public func trimmed() -> UnsafeBufferPointer<UInt8> {
        var s = 0, e = count
        while s < e && (self[s] == 0x20 || self[s] == 0x09) { s += 1 }
        while e > s && (self[e - 1] == 0x20 || self[e - 1] == 0x09) { e -= 1 }
        return UnsafeBufferPointer(rebasing: self[s..<e])
    }
}
