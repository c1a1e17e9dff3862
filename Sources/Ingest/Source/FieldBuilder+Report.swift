import Columnar
import Definitions

/// What a field builder tells the data-quality report, and the byte matching its parsing shares.
extension FieldBuilder {
    /// Unknown codes met, most frequent first, with what ingest did with them.
    func unknownCodes() -> [FileReport.UnknownCode] {
        guard let list = codeList else { return [] }
        let treatment: String =
            switch list.unknown {
            case .reject: "rejected"
            case .keep: "kept as written"
            case .label(let l): "labelled '\(l)'"
            }
        return unknownRows.indices.filter { unknownRows[$0] > 0 }.map { code in
            FileReport.UnknownCode(field: name, value: raw.string(UInt32(code)), count: unknownRows[code], treatment: treatment)
        }.sorted { ($0.count, $1.value) > ($1.count, $0.value) }
    }

    /// Whether `b` equals one of `candidates` (which are upper case when `caseInsensitive`).
    @inline(__always)
    static func matchesAny(_ b: UnsafeBufferPointer<UInt8>, _ candidates: [[UInt8]], caseInsensitive: Bool) -> Bool {
        outer: for c in candidates where c.count == b.count {
            for i in 0..<c.count {
                var x = b[i]
                if caseInsensitive && x >= 0x61 && x <= 0x7A { x -= 32 }
                if x != c[i] { continue outer }
            }
            return true
        }
        return false
    }

    /// A value as shown in a message: at most 40 characters.
    static func shown(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: b, as: UTF8.self)
        return s.count > 40 ? String(s.prefix(40)) + "..." : s
    }
}
