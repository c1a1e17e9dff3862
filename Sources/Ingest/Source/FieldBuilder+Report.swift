import Columnar
import Definitions

/// What a field builder tells the data-quality report, and the byte matching and buffers its parsing shares.
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

    /// A flag value: 1 yes, 0 no, `FlagColumn.null` blank; nil: not a yes/no value.
    @inline(__always)
    static func flag(_ b: UnsafeBufferPointer<UInt8>, isNull: Bool, yes: PackedSet, no: PackedSet) -> UInt8? {
        if yes.contains(b) { return 1 }
        if no.contains(b) { return 0 }
        return isNull ? FlagColumn.null : nil
    }

    /// What the general path makes of each one-byte flag value, or `flagSlow` for anything but a
    /// plain value (which then takes that path). The caller deallocates.
    static func flagTable(required: Bool, nulls: PackedSet, yes: PackedSet, no: PackedSet) -> UnsafeMutablePointer<UInt8> {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for c in 0..<256 {
            t[c] = [UInt8(c)].withUnsafeBufferPointer { b in
                let trimmed = b.trimmed()
                let isNull = trimmed.isEmpty || nulls.contains(trimmed)
                if isNull && required { return flagSlow }
                let value = isNull ? UnsafeBufferPointer(rebasing: trimmed[0..<0]) : trimmed
                return flag(value, isNull: isNull, yes: yes, no: no) ?? flagSlow
            }
        }
        return t
    }

    /// A buffer of the column type's values.
    static func buffer(for type: FieldType) -> RowBuffer {
        switch type {
        case .text, .code: RowBuffer(of: UInt32.self)
        case .codes: RowBuffer(of: UInt64.self)
        case .integer: RowBuffer(of: Int64.self)
        case .decimal: RowBuffer(of: Double.self)
        case .date: RowBuffer(of: Int32.self)
        case .flag: RowBuffer(of: UInt8.self)
        case .lsoa, .postcode: RowBuffer(of: UInt16.self)
        }
    }
}
