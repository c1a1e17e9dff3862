/// How the engine writes CSV, in one place, for every file it writes (the analysts' tables, each
/// group's tables, comparator files): RFC 4180 quoting (a field holding a comma, a double quote, CR
/// or LF is quoted, its quotes doubled), and a leading apostrophe on text a spreadsheet would run
/// as a formula (starting with `=`, `+`, `-`, `@`, tab, CR or LF). Numbers are written as numbers
/// (a negative change stays `-7`).
public enum CSVFormat {
    /// A text field as written: neutralised, then quoted.
    public static func text(_ s: String) -> String { quoted(neutralised(s)) }

    /// A number (or another field the engine formats itself) as written: quoted only if it must be.
    public static func number(_ s: String) -> String { quoted(s) }

    /// Text that a spreadsheet would take for a formula, with a leading apostrophe.
    public static func neutralised(_ s: String) -> String { startsLikeFormula(s.utf8.first) ? "'" + s : s }

    /// Whether text starting with this byte would be run as a formula (every such character is
    /// ASCII: its scalar is the string's first byte).
    private static func startsLikeFormula(_ first: UInt8?) -> Bool {
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: true
        default: false
        }
    }

    /// Whether a field of these bytes must be quoted: it holds a comma, a double quote, CR or LF.
    private static func needsQuotes<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The field quoted when it holds a comma, a double quote, CR or LF.
    public static func quoted(_ s: String) -> String {
        // By byte, not by character: a CR LF pair, or a comma with a combining mark after it, is one
        // character that equals none of these, yet a CSV reader sees the comma, CR or LF in it.
        needsQuotes(s.utf8) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Appends `s` as `text(_:)` writes it, its bytes copied straight when it needs neither
    /// apostrophe nor quotes (nearly always), without making a string.
    public static func appendText(_ s: String, to out: inout [UInt8]) {
        var s = s
        let plain = s.withUTF8 { u -> Bool in
            guard !startsLikeFormula(u.first), !needsQuotes(u) else { return false }
            out.append(contentsOf: u)
            return true
        }
        if !plain { out.append(contentsOf: text(s).utf8) }
    }

    /// Appends the decimal digits of `n` (a minus sign first when negative), as `String(n)` spells it.
    public static func appendInteger(_ n: Int64, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of UInt64.max
        var magnitude = n.magnitude
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if n < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[at...]))
        }
    }

    /// One line of already written fields.
    public static func line(_ fields: [String]) -> String { fields.joined(separator: ",") + "\n" }
}
