import Columnar
import Definitions

/// Reads one canonical field from its raw column into a typed buffer. `parse` checks a row's value
/// into `pending`; `commit` appends it once every field of the row has passed.
final class FieldBuilder {
    enum Outcome { case ok, missing, cast(String), unknownCode(String) }

    let definition: FieldDefinition
    /// Name in the output table (`date`, `victim.age`).
    let name: String
    let column: Int
    private let date: DateParser?
    private let codeList: CodeList?
    private let yesValues: [[UInt8]]
    private let noValues: [[UInt8]]
    private let nullValues: [[UInt8]]
    private let separator: UInt8
    private let range: ClosedRange<Int64>?

    // Outputs
    @exclusivity(unchecked) private(set) var codes: [UInt32] = []
    @exclusivity(unchecked) private(set) var days: [Int32] = []
    @exclusivity(unchecked) private(set) var integers: [Int64] = []
    @exclusivity(unchecked) private(set) var decimals: [Double] = []
    @exclusivity(unchecked) private(set) var flagValues: [UInt8] = []
    @exclusivity(unchecked) private(set) var masks: [UInt64] = []
    @exclusivity(unchecked) private(set) var areas: [UInt16] = []

    /// Output labels (codes 1...) of code, text and codes fields.
    @exclusivity(unchecked) private(set) var labels = ByteDictionary()
    /// Raw values seen in code fields with a code list, and what each becomes.
    @exclusivity(unchecked) private var raw = ByteDictionary()
    @exclusivity(unchecked) private var rawLabel: [UInt32] = [0]
    @exclusivity(unchecked) private var rawRejected: [Bool] = [false]
    @exclusivity(unchecked) private var rawUnknown: [Bool] = [false]
    @exclusivity(unchecked) private(set) var unknownCounts: [UInt32: Int] = [:]
    @exclusivity(unchecked) private var pending: UInt64 = 0
    @exclusivity(unchecked) private var pendingDouble = 0.0
    @exclusivity(unchecked) private var scratch: [UInt8] = []

    private let reference: ReferenceData

    init(definition: FieldDefinition, name: String, column: Int, codeList: CodeList?, flags: FlagVocabulary, reference: ReferenceData) {
        self.reference = reference
        type = definition.type
        isRequired = definition.required
        self.definition = definition
        self.name = name
        self.column = column
        self.codeList = codeList
        date = definition.dateFormat.map(DateParser.init)
        yesValues = flags.yes.map { Array($0.uppercased().utf8) }
        noValues = flags.no.map { Array($0.uppercased().utf8) }
        nullValues = definition.nullValues.map { Array($0.utf8) }
        separator = definition.separator?.utf8.first ?? UInt8(ascii: ";")
        range = definition.range
    }

    /// Copied out of the definition so the row loop reads plain stored values.
    let type: FieldType
    private let isRequired: Bool

    /// Checks one value (already valid UTF-8) and keeps it pending.
    func parse(_ rawBytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var b = rawBytes.trimmed()
        var isNull = b.isEmpty
        if !isNull && !nullValues.isEmpty && Self.matchesAny(b, nullValues, caseInsensitive: false) {
            isNull = true
            b = UnsafeBufferPointer(rebasing: b[0..<0])
        }
        if isNull && isRequired { return .missing }
        switch type {
        case .text:
            pending = isNull ? 0 : UInt64(labels.insert(b).code)
        case .code:
            // A code list may give a blank its own label ("Open", "Under investigation").
            if isNull && codeList == nil {
                pending = 0
                return .ok
            }
            return parseCode(b)
        case .codes:
            if isNull {
                pending = 0
                return .ok
            }
            return parseCodes(b)
        case .integer:
            if isNull { pending = UInt64(bitPattern: IntegerColumn.null); return .ok }
            guard let v = NumberParser.integer(b) else { return .cast("'\(Self.shown(b))' is not a whole number") }
            if let range, !range.contains(v) { return .cast("'\(v)' is outside the range \(range.lowerBound) to \(range.upperBound)") }
            pending = UInt64(bitPattern: v)
        case .decimal:
            if isNull { pendingDouble = .nan; return .ok }
            guard let v = NumberParser.decimal(b) else { return .cast("'\(Self.shown(b))' is not a number") }
            pendingDouble = v
        case .date:
            if isNull { pending = UInt64(UInt32(bitPattern: DayColumn.null)); return .ok }
            guard let d = date?.day(b) else {
                return .cast("'\(Self.shown(b))' is not a date in \(definition.dateFormat?.text ?? "?")")
            }
            pending = UInt64(UInt32(bitPattern: d))
        case .flag:
            if Self.matchesAny(b, yesValues, caseInsensitive: true) { pending = 1 }
            else if Self.matchesAny(b, noValues, caseInsensitive: true) { pending = 0 }
            else if isNull { pending = UInt64(FlagColumn.null) }
            else { return .cast("'\(Self.shown(b))' is not a yes/no value") }
        case .lsoa:
            pending = UInt64(reference.area(lsoa: b))
        case .postcode:
            pending = UInt64(reference.area(postcode: b, scratch: &scratch))
        }
        return .ok
    }

    private func label(forRaw code: UInt32, _ b: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: b, as: UTF8.self)
        var labelCode: UInt32 = 0
        var rejected = false
        if let list = codeList {
            if let l = list.label(for: text) {
                labelCode = l.isEmpty ? 0 : labels.insert(l)
            } else {
                switch list.unknown {
                case .reject: rejected = true
                case .keep: labelCode = text.isEmpty ? 0 : labels.insert(text)
                case .label(let l): labelCode = labels.insert(l)
                }
            }
        } else {
            labelCode = text.isEmpty ? 0 : labels.insert(text)
        }
        rawLabel.append(labelCode)
        rawRejected.append(rejected)
        rawUnknown.append(codeList.map { $0.label(for: text) == nil } ?? false)
        precondition(rawLabel.count == Int(code) + 1)
    }

    private func parseCode(_ b: UnsafeBufferPointer<UInt8>) -> Outcome {
        let (code, isNew) = raw.insert(b)
        if isNew { label(forRaw: code, b) }
        if rawUnknown[Int(code)] { unknownCounts[code, default: 0] += 1 }
        if rawRejected[Int(code)] {
            return .unknownCode("'\(Self.shown(b))' is not in code list \(codeList?.name ?? "")")
        }
        pending = UInt64(rawLabel[Int(code)])
        return .ok
    }

    private func parseCodes(_ b: UnsafeBufferPointer<UInt8>) -> Outcome {
        var mask: UInt64 = 0
        var start = 0
        var i = 0
        while i <= b.count {
            if i == b.count || b[i] == separator {
                let part = UnsafeBufferPointer(rebasing: b[start..<i]).trimmed()
                if !part.isEmpty {
                    let outcome = parseCode(part)
                    if case .ok = outcome {} else { return outcome }
                    let l = pending
                    if l != 0 {
                        guard l <= 64 else { return .cast("more than 64 distinct values in a set field") }
                        mask |= 1 << (l - 1)
                    }
                }
                start = i + 1
            }
            i += 1
        }
        pending = mask
        return .ok
    }

    func reserve(_ rows: Int) {
        switch type {
        case .text, .code: codes.reserveCapacity(rows)
        case .codes: masks.reserveCapacity(rows)
        case .integer: integers.reserveCapacity(rows)
        case .decimal: decimals.reserveCapacity(rows)
        case .date: days.reserveCapacity(rows)
        case .flag: flagValues.reserveCapacity(rows)
        case .lsoa, .postcode: areas.reserveCapacity(rows)
        }
    }

    /// The day just parsed by a date field (nil when blank).
    var pendingDay: Int32? {
        let d = Int32(bitPattern: UInt32(truncatingIfNeeded: pending))
        return type == .date && d != DayColumn.null ? d : nil
    }

    func commit() {
        switch type {
        case .text, .code: codes.append(UInt32(truncatingIfNeeded: pending))
        case .codes: masks.append(pending)
        case .integer: integers.append(Int64(bitPattern: pending))
        case .decimal: decimals.append(pendingDouble)
        case .date:
            days.append(Int32(bitPattern: UInt32(truncatingIfNeeded: pending)))
        case .flag: flagValues.append(UInt8(truncatingIfNeeded: pending))
        case .lsoa, .postcode: areas.append(UInt16(truncatingIfNeeded: pending))
        }
    }

    /// Appends the rows of `others`, the same field read from later parts of the source in file
    /// order, and empties them. Labels are renumbered into this builder's dictionary, which keeps
    /// first-seen order across parts (so the result equals reading the parts in one go).
    /// Call `canAppend` first: a set field cannot hold more than 64 labels.
    func append(contentsOf others: [FieldBuilder]) {
        let total = others.reduce(rowCount) { $0 + $1.rowCount }
        switch type {
        case .text, .code: codes.reserveCapacity(total)
        case .codes: masks.reserveCapacity(total)
        case .integer: integers.reserveCapacity(total)
        case .decimal: decimals.reserveCapacity(total)
        case .date: days.reserveCapacity(total)
        case .flag: flagValues.reserveCapacity(total)
        case .lsoa, .postcode: areas.reserveCapacity(total)
        }
        for other in others {
            // Raw values seen there: their labels join this dictionary, their unknown counts add up.
            for code in stride(from: 1, through: other.raw.count, by: 1) {
                other.raw.withBytes(UInt32(code)) { b in
                    let (mine, isNew) = raw.insert(b)
                    if isNew { label(forRaw: mine, b) }
                    if let n = other.unknownCounts[UInt32(code)] { unknownCounts[mine, default: 0] += n }
                }
            }
            var labelMap = [UInt32](repeating: 0, count: other.labels.count + 1)
            for code in stride(from: 1, through: other.labels.count, by: 1) {
                labelMap[code] = other.labels.withBytes(UInt32(code)) { labels.insert($0).code }
            }
            switch type {
            case .text, .code:
                labelMap.withUnsafeBufferPointer { map in
                    for c in other.codes { codes.append(map[Int(c)]) }
                }
            case .codes:
                for m in other.masks {
                    var out: UInt64 = 0, rest = m
                    while rest != 0 {
                        out |= 1 << (labelMap[rest.trailingZeroBitCount + 1] - 1)
                        rest &= rest - 1
                    }
                    masks.append(out)
                }
            case .integer: integers += other.integers
            case .decimal: decimals += other.decimals
            case .date: days += other.days
            case .flag: flagValues += other.flagValues
            case .lsoa, .postcode: areas += other.areas
            }
            other.releaseRows()
        }
    }

    /// Rows held.
    var rowCount: Int {
        switch type {
        case .text, .code: codes.count
        case .codes: masks.count
        case .integer: integers.count
        case .decimal: decimals.count
        case .date: days.count
        case .flag: flagValues.count
        case .lsoa, .postcode: areas.count
        }
    }

    /// Whether appending `others` keeps a set field within its 64 labels.
    func canAppend(_ others: [FieldBuilder]) -> Bool {
        guard type == .codes else { return true }
        var projected = labels
        for other in others {
            for code in stride(from: 1, through: other.labels.count, by: 1) {
                if other.labels.withBytes(UInt32(code), { projected.insert($0).code }) > 64 { return false }
            }
        }
        return true
    }

    private func releaseRows() {
        codes = []; days = []; integers = []; decimals = []; flagValues = []; masks = []; areas = []
    }

    /// The finished column.
    func finishedColumn() -> Column {
        switch type {
        case .text, .code: return .code(CodeColumn(codes: codes, values: labels.strings()))
        case .codes: return .flagSet(FlagSetColumn(masks: masks, labels: Array(labels.strings().dropFirst())))
        case .integer: return .integer(IntegerColumn(values: integers))
        case .decimal: return .decimal(DecimalColumn(values: decimals))
        case .date: return .day(DayColumn(days: days))
        case .flag: return .flag(FlagColumn(values: flagValues))
        case .lsoa, .postcode: return .area(AreaColumn(areas: areas))
        }
    }

    /// Unknown codes met, most frequent first, with what ingest did with them.
    func unknownCodes() -> [FileReport.UnknownCode] {
        guard let list = codeList else { return [] }
        let treatment: String = switch list.unknown {
        case .reject: "rejected"
        case .keep: "kept as written"
        case .label(let l): "labelled '\(l)'"
        }
        return unknownCounts.map { (code, count) in
            FileReport.UnknownCode(field: name, value: raw.string(code), count: count, treatment: treatment)
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
