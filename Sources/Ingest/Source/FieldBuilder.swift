import Columnar
import Definitions

/// Reads one canonical field from its raw column into a typed buffer. `parse` checks a row's value
/// and writes it at the row's place; the ingestor keeps the row by counting it once every field of
/// the row has passed (a refused row is written over by the next).
final class FieldBuilder {
    /// What `parse` made of a value; for `cast` and `unknownCode`, `message` says why. A plain
    /// enum, so the row loop passes no strings around.
    enum Outcome: UInt8 { case ok, missing, cast, unknownCode }

    /// Why the last value refused was refused.
    private(set) var message = ""

    @inline(never)
    private func refuse(_ outcome: Outcome, _ why: String) -> Outcome {
        message = why
        return outcome
    }

    let definition: FieldDefinition
    /// Name in the output table (`date`, `victim.age`).
    let name: String
    let column: Int
    private let date: DateParser?
    let codeList: CodeList?
    private let yesValues: PackedSet
    private let noValues: PackedSet
    private let nullValues: PackedSet
    private let separator: UInt8
    private let range: ClosedRange<Int64>?
    /// Flag fields: what each one-byte value becomes (`flagSlow`: worked out by `parseValue`).
    private let flagBytes: UnsafeMutablePointer<UInt8>?
    /// Code and text fields: the label code + 1 of each one-byte value met (0: not met yet, or
    /// one that must take `parseValue` every time: blank, null, or not in the code list).
    private let codeBytes: UnsafeMutablePointer<UInt32>?
    static let flagSlow: UInt8 = 0xFE

    // @exclusivity(unchecked) below: one ingest task's state, never re-entered (docs/ARCHITECTURE.md, "Unsafe choices").
    /// The values, one per row, of the width of the field's type, and where the row loop writes them.
    private var storage: RowBuffer
    @exclusivity(unchecked) private var values: RowSlots

    /// Output labels (codes 1...) of code, text and codes fields.
    @exclusivity(unchecked) private(set) var labels = ByteDictionary()
    /// Raw values seen in code fields, and per raw code what it becomes: its label code, with
    /// `rejectedFlag` / `unknownFlag` when the code list rejects it or does not know it.
    @exclusivity(unchecked) private(set) var raw = ByteDictionary()
    @exclusivity(unchecked) private var rawInfo: [UInt32] = [0]
    /// Rows per raw code not in the code list.
    @exclusivity(unchecked) private(set) var unknownRows: [Int] = [0]
    private static let rejectedFlag: UInt32 = 1 << 31
    private static let unknownFlag: UInt32 = 1 << 30
    /// Raw codes (code fields) or label codes (text fields) of values of 1 to 15 bytes, by their
    /// packed bytes: one probe, no hashing of bytes, no comparison of memory. Holds at most
    /// `shortLimit` values; the rest go to the dictionaries alone.
    @exclusivity(unchecked) private var short = ShortKeyTable(capacity: 256)
    private static let shortLimit = 1 << 16
    /// Values looked up through the cache, and whether it is still used: a field whose first
    /// `sampleValues` distinct values came in fewer than `sampleValues * 5 / 4` lookups (a
    /// reference number, nearly every value new) gains nothing from it, and stops using it.
    @exclusivity(unchecked) private var cacheLookups = 0
    @exclusivity(unchecked) private var cacheOff = false
    private static let sampleValues = 4096

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
        yesValues = PackedSet(flags.yes.map { Array($0.uppercased().utf8) }, caseInsensitive: true)
        noValues = PackedSet(flags.no.map { Array($0.uppercased().utf8) }, caseInsensitive: true)
        nullValues = PackedSet(definition.nullValues.map { Array($0.utf8) }, caseInsensitive: false)
        separator = definition.separator?.utf8.first ?? UInt8(ascii: ";")
        range = definition.range
        storage = Self.buffer(for: definition.type)
        values = storage.slots
        flagBytes =
            definition.type == .flag
            ? Self.flagTable(required: definition.required, nulls: nullValues, yes: yesValues, no: noValues) : nil
        codeBytes = definition.type == .code || definition.type == .text ? .allocate(capacity: 256) : nil
        codeBytes?.initialize(repeating: 0, count: 256)
    }

    deinit {
        flagBytes?.deallocate()
        codeBytes?.deallocate()
    }

    /// Copied out of the definition so the row loop reads plain stored values.
    let type: FieldType
    private let isRequired: Bool

    /// Checks one value (already valid UTF-8) and writes it at `row`.
    @inline(__always)
    func parse(_ rawBytes: UnsafeBufferPointer<UInt8>, row: Int) -> Outcome {
        // A one-byte flag (nearly every flag), or a one-byte code met before, is a table lookup.
        if rawBytes.count == 1 {
            if let flagBytes {
                let v = flagBytes[Int(rawBytes[0])]
                if v != Self.flagSlow {
                    values.store(v, at: row)
                    return .ok
                }
            } else if let codeBytes {
                let v = codeBytes[Int(rawBytes[0])]
                if v != 0 {
                    values.store(v &- 1, at: row)
                    return .ok
                }
            }
        }
        return parseValue(rawBytes, row: row)
    }

    @inline(never)
    private func parseValue(_ rawBytes: UnsafeBufferPointer<UInt8>, row: Int) -> Outcome {
        var b = rawBytes.trimmed()
        var isNull = b.isEmpty
        if !isNull && !nullValues.isEmpty && nullValues.contains(b) {
            isNull = true
            b = UnsafeBufferPointer(rebasing: b[0..<0])
        }
        if isNull && isRequired { return .missing }
        switch type {
        case .text:
            let code = isNull ? 0 : textCode(b)
            values.store(code, at: row)
            if !isNull && rawBytes.count == 1 { codeBytes.unsafelyUnwrapped[Int(rawBytes[0])] = code &+ 1 }
        case .code:
            // A code list may give a blank its own label ("Open", "Under investigation").
            if isNull && codeList == nil {
                values.store(UInt32(0), at: row)
                return .ok
            }
            let (outcome, label, known) = parseCode(b)
            values.store(label, at: row)
            if known && !isNull && rawBytes.count == 1 { codeBytes.unsafelyUnwrapped[Int(rawBytes[0])] = label &+ 1 }
            return outcome
        case .codes:
            if isNull {
                values.store(UInt64(0), at: row)
                return .ok
            }
            return parseCodes(b, row: row)
        case .integer:
            if isNull { values.store(IntegerColumn.null, at: row); return .ok }
            guard let v = NumberParser.integer(b) else { return refuse(.cast, "'\(Self.shown(b))' is not a whole number") }
            if let range, !range.contains(v) {
                return refuse(.cast, "'\(v)' is outside the range \(range.lowerBound) to \(range.upperBound)")
            }
            values.store(v, at: row)
        case .decimal:
            if isNull { values.store(Double.nan, at: row); return .ok }
            guard let v = NumberParser.decimal(b) else { return refuse(.cast, "'\(Self.shown(b))' is not a number") }
            values.store(v, at: row)
        case .date:
            if isNull { values.store(DayColumn.null, at: row); return .ok }
            guard let d = date.unsafelyUnwrapped.day(b) else {
                return refuse(.cast, "'\(Self.shown(b))' is not a date in \(definition.dateFormat?.text ?? "?")")
            }
            values.store(d, at: row)
        case .flag:
            guard let v = Self.flag(b, isNull: isNull, yes: yesValues, no: noValues) else {
                return refuse(.cast, "'\(Self.shown(b))' is not a yes/no value")
            }
            values.store(v, at: row)
        case .lsoa:
            values.store(reference.area(lsoa: b), at: row)
        case .postcode:
            values.store(reference.area(postcode: b), at: row)
        }
        return .ok
    }

    private func label(forRaw code: UInt32, _ b: UnsafeBufferPointer<UInt8>) {
        // A raw value's label is packed under the two flags of `rawInfo`.
        precondition(labels.count < Int(Self.unknownFlag), "field \(name): more than 2^30 distinct labels")
        var info: UInt32 = 0
        if let list = codeList {
            let text = String(decoding: b, as: UTF8.self)
            if let l = list.label(for: text) {
                info = l.isEmpty ? 0 : labels.insert(l)
            } else if text.isEmpty && list.unknown == .keep {
                // A blank the list does not name, kept as written: blank, not an unknown code.
                info = 0
            } else {
                info = Self.unknownFlag
                switch list.unknown {
                case .reject: info |= Self.rejectedFlag
                case .keep: info |= text.isEmpty ? 0 : labels.insert(text)
                case .label(let l): info |= labels.insert(l)
                }
            }
        } else if !b.isEmpty {
            // No code list: the label is the value, ASCII bytes (nearly all) as they are, others
            // through a string (which repairs invalid UTF-8).
            info = b.contains(where: { $0 >= 0x80 }) ? labels.insert(String(decoding: b, as: UTF8.self)) : labels.insert(b).code
        }
        rawInfo.append(info)
        unknownRows.append(0)
        precondition(rawInfo.count == Int(code) + 1)
    }

    /// The raw code of `b`, adding it (and working out its label) if new.
    @inline(__always)
    private func rawCode(_ b: UnsafeBufferPointer<UInt8>) -> UInt32 { cached(b, insertRaw) }

    /// The label code of a text value, adding it if new.
    @inline(__always)
    private func textCode(_ b: UnsafeBufferPointer<UInt8>) -> UInt32 { cached(b) { labels.insert($0).code } }

    /// The code of `b` from the packed-value cache, else from `insert` (and cached while there is room).
    @inline(__always)
    private func cached(_ b: UnsafeBufferPointer<UInt8>, _ insert: (UnsafeBufferPointer<UInt8>) -> UInt32) -> UInt32 {
        guard !cacheOff, let key = ShortKeyTable.Key(b) else { return insert(b) }
        cacheLookups &+= 1
        if let code = short.find(key) { return code }
        let code = insert(b)
        if short.count < Self.shortLimit { short.set(key, code) }
        if short.count == Self.sampleValues && cacheLookups < Self.sampleValues * 5 / 4 { stopCaching() }
        return code
    }

    @inline(never)
    private func stopCaching() {
        cacheOff = true
        short = ShortKeyTable(capacity: 0)
    }

    private func insertRaw(_ b: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let (code, isNew) = raw.insert(b)
        if isNew { label(forRaw: code, b) }
        return code
    }

    /// The outcome and label code of one code, and whether the code list knows it.
    @inline(__always)
    private func parseCode(_ b: UnsafeBufferPointer<UInt8>) -> (Outcome, UInt32, known: Bool) {
        let code = Int(rawCode(b))
        let info = rawInfo[code]
        if info & Self.unknownFlag != 0 {
            unknownRows[code] += 1
            if info & Self.rejectedFlag != 0 {
                return (refuse(.unknownCode, "'\(Self.shown(b))' is not in code list \(codeList?.name ?? "")"), 0, false)
            }
            return (.ok, info & ~Self.unknownFlag, false)
        }
        return (.ok, info, true)
    }

    private func parseCodes(_ b: UnsafeBufferPointer<UInt8>, row: Int) -> Outcome {
        var mask: UInt64 = 0
        var start = 0
        var i = 0
        while i <= b.count {
            if i == b.count || b[i] == separator {
                let part = UnsafeBufferPointer(rebasing: b[start..<i]).trimmed()
                if !part.isEmpty {
                    let (outcome, l, _) = parseCode(part)
                    if case .ok = outcome {} else { return outcome }
                    if l != 0 {
                        guard l <= 64 else { return refuse(.cast, "more than 64 distinct values in a set field") }
                        mask |= 1 << (l - 1)
                    }
                }
                start = i + 1
            }
            i += 1
        }
        values.store(mask, at: row)
        return .ok
    }

    /// Room for `rows` rows, the first `kept` already written.
    func reserve(_ rows: Int, keeping kept: Int) {
        storage.reserve(rows, keeping: kept)
        values = storage.slots
    }

    /// Forgets the packed-value cache once reading is over (the dictionaries keep every value).
    func dropCaches() {
        short = ShortKeyTable(capacity: 0)
        codeBytes?.update(repeating: 0, count: 256)
    }

    /// The day written at `row` by a date field (nil when blank).
    @inline(__always)
    func day(at row: Int) -> Int32? {
        let d = values.load(row, as: Int32.self)
        return d != DayColumn.null ? d : nil
    }

    /// Appends the rows of `others` (`counts[i]` rows each), the same field read from later parts
    /// of the source in file order, after this builder's `rows`, and empties them. Labels are
    /// renumbered into this builder's dictionary, which keeps first-seen order across parts (so
    /// the result equals reading the parts in one go). Call `canAppend` first: a set field cannot
    /// hold more than 64 labels.
    func append(contentsOf others: [FieldBuilder], counts: [Int], after rows: Int) {
        var at = rows
        reserve(counts.reduce(rows, +), keeping: rows)
        // A code's label is worked out from its raw value: each raw value's label code there
        // maps to its label code here, with no pass over the labels (a text field has no raw values).
        let labelsViaRaw = type == .code || type == .codes
        let labelBits = ~(Self.unknownFlag | Self.rejectedFlag)
        for (other, count) in zip(others, counts) {
            var labelMap = [UInt32](repeating: 0, count: other.labels.count + 1)
            // Raw values seen there: their labels join this dictionary, their unknown counts add up.
            for code in stride(from: 1, through: other.raw.count, by: 1) {
                other.raw.withBytes(UInt32(code)) { b in
                    let (mine, isNew) = raw.insert(b)
                    if isNew { label(forRaw: mine, b) }
                    unknownRows[Int(mine)] += other.unknownRows[code]
                    if labelsViaRaw { labelMap[Int(other.rawInfo[code] & labelBits)] = rawInfo[Int(mine)] & labelBits }
                }
            }
            if !labelsViaRaw {
                for code in stride(from: 1, through: other.labels.count, by: 1) {
                    labelMap[code] = other.labels.withBytes(UInt32(code)) { labels.insert($0).code }
                }
            }
            switch type {
            case .text, .code:
                for r in 0..<count { values.store(labelMap[Int(other.values.load(r, as: UInt32.self))], at: at + r) }
            case .codes:
                for r in 0..<count {
                    var out: UInt64 = 0, rest = other.values.load(r, as: UInt64.self)
                    while rest != 0 {
                        out |= 1 << (labelMap[rest.trailingZeroBitCount + 1] - 1)
                        rest &= rest - 1
                    }
                    values.store(out, at: at + r)
                }
            default:
                if count > 0 { (values.base! + at * values.width).copyMemory(from: other.values.base!, byteCount: count * values.width) }
            }
            at += count
            other.storage.release()
            other.values = other.storage.slots
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

    /// The finished column of the first `rows` rows: the buffer's own array, handed over.
    func finishedColumn(rows: Int) -> Column {
        defer { values = storage.slots }
        switch type {
        case .text, .code: return .code(CodeColumn(codes: storage.take(rows, as: UInt32.self), values: labels.strings()))
        case .codes: return .flagSet(FlagSetColumn(masks: storage.take(rows, as: UInt64.self), labels: Array(labels.strings().dropFirst())))
        case .integer: return .integer(IntegerColumn(values: storage.take(rows, as: Int64.self)))
        case .decimal: return .decimal(DecimalColumn(values: storage.take(rows, as: Double.self)))
        case .date: return .day(DayColumn(days: storage.take(rows, as: Int32.self)))
        case .flag: return .flag(FlagColumn(values: storage.take(rows, as: UInt8.self)))
        case .lsoa, .postcode: return .area(AreaColumn(areas: storage.take(rows, as: UInt16.self)))
        }
    }
}
