import Columnar
import Definitions

/// Reads one person role of a source (victim, suspect, child ...). From each row it keeps the NHS
/// number as a number, and codes into the source's identifier pool for the match key and local id;
/// once the part is read (`finish`), NHS numbers and match keys are interned in tight passes and
/// everything becomes keyed pseudonyms; no clear value reaches a column.
final class RoleBuilder {
    let role: PersonRole
    private let namespace: [UInt8]
    private var nhsColumn: Int?
    private var surnameColumn: Int?
    private var forenameColumn: Int?
    private var birthColumn: Int?
    private var localColumn: Int?
    private let birthParser: DateParser?
    /// The role's sex, age and postcode fields, compared by probabilistic matching when present.
    private var sexColumn: Int?
    private var ageColumn: Int?
    private var postcodeColumn: Int?
    /// Whether each row's clear identity is interned for probabilistic matching (names given, and
    /// the linkage definition asks for it).
    let encodes: Bool

    /// Per row, while reading: the NHS number (0 = none); the match key packed in two words
    /// (`ShortKeyTable.Key`; a key too long to pack is its pool code with a high word of 0; none is
    /// 0, 0); the local id's code into the pool (0 = none). NHS numbers and packed match keys are
    /// interned once the part is read, in tight passes whose table probes overlap in the processor.
    private var nhsStorage = RowBuffer(of: UInt64.self)
    private var matchLowStorage = RowBuffer(of: UInt64.self)
    private var matchHighStorage = RowBuffer(of: UInt64.self)
    private var localStorage = RowBuffer(of: UInt32.self)
    private var ageStorage = RowBuffer(of: Int64.self)
    private var identityStorage = RowBuffer(of: UInt32.self)
    // @exclusivity(unchecked) below: one ingest task's state, never re-entered (docs/ARCHITECTURE.md, "Unsafe choices").
    /// Where the row loop writes them.
    @exclusivity(unchecked) private var nhsNumbers = RowSlots(base: nil, width: 8)
    @exclusivity(unchecked) private var matchLow = RowSlots(base: nil, width: 8)
    @exclusivity(unchecked) private var matchHigh = RowSlots(base: nil, width: 8)
    @exclusivity(unchecked) private var localCodes = RowSlots(base: nil, width: 4)
    @exclusivity(unchecked) private var ageValues = RowSlots(base: nil, width: 8)
    @exclusivity(unchecked) private var identityCodes = RowSlots(base: nil, width: 4)

    private func refreshSlots() {
        nhsNumbers = nhsStorage.slots
        matchLow = matchLowStorage.slots
        matchHigh = matchHighStorage.slots
        localCodes = localStorage.slots
        ageValues = ageStorage.slots
        identityCodes = identityStorage.slots
    }

    /// Per row, once finished: codes into the source's identifier pool (0 = none). A role without
    /// match key or local id (`hasOtherIdentifiers` false) keeps neither: both stay empty.
    private(set) var nhs: [UInt32] = []
    private(set) var matchKey: [UInt32] = []
    private(set) var local: [UInt32] = []
    /// Per row, once finished: the code of its clear identity in the pool (0 = none), whose
    /// encoding probabilistic matching compares; empty when the role does not encode.
    private(set) var identity: [UInt32] = []
    @exclusivity(unchecked) private(set) var invalidNHSNumbers = 0
    /// Age in whole years on the row's event date, from the date of birth (which itself is dropped).
    private(set) var ages: [Int64] = []
    var hasBirthDate: Bool { birthColumn != nil }
    /// Whether rows can carry a match key (surname, forename and date of birth) or a local id.
    let hasOtherIdentifiers: Bool
    @exclusivity(unchecked) private var key: [UInt8] = []
    @exclusivity(unchecked) private var localKey: [UInt8] = []
    @exclusivity(unchecked) private var identityBatch = IdentityBatch()

    init(role: PersonRole, source: String, header: [String: Int], encodes: Bool = false) {
        self.role = role
        // Local ids are the source's own unless it names the system they come from.
        let system = role.identity.first { $0.kind == .localID }?.system
        namespace = Array((system.map { "system:" + $0 } ?? source).utf8) + [0x1F]
        var parser: DateParser?
        for id in role.identity {
            let column = header[id.column]
            switch id.kind {
            case .nhsNumber: nhsColumn = column
            case .surname: surnameColumn = column
            case .forename: forenameColumn = column
            case .dateOfBirth:
                birthColumn = column
                parser = id.dateFormat.map(DateParser.init)
            case .localID: localColumn = column
            }
        }
        birthParser = parser
        for f in role.fields {
            if f.name == "sex" { sexColumn = header[f.column] }
            if f.name == "age" && f.type == .integer { ageColumn = header[f.column] }
            if f.type == .postcode { postcodeColumn = header[f.column] }
        }
        self.encodes = encodes && surnameColumn != nil
        hasOtherIdentifiers = (surnameColumn != nil && forenameColumn != nil && birthColumn != nil) || localColumn != nil
    }

    /// The identity columns, for encoding checks.
    var columns: [Int] { [nhsColumn, surnameColumn, forenameColumn, birthColumn, localColumn].compactMap { $0 } }

    /// Reads an accepted row's identity into `row`. `field(i)` gives column i's bytes as valid UTF-8.
    func parse(_ field: (Int) -> UnsafeBufferPointer<UInt8>, eventDay: Int32?, pool: IdentifierPool, row: Int) {
        var lk: UInt32 = 0
        var mk = (low: UInt64(0), high: UInt64(0))
        var birthDay: Int32?
        if let b = birthColumn { birthDay = birthParser?.day(field(b).trimmed()) }
        if birthColumn != nil {
            var age = IntegerColumn.null
            if let birth = birthDay, let event = eventDay, birth <= event { age = Int64(Self.years(from: birth, to: event)) }
            ageValues.store(age, at: row)
        }
        var number: UInt64 = 0
        if let c = nhsColumn {
            switch Identifiers.nhsNumber(field(c)) {
            case .valid(let v): number = v
            case .invalid: invalidNHSNumbers += 1
            case .absent: break
            }
        }
        nhsNumbers.store(number, at: row)
        // The normalised surname, when the match key has it (the identity below reuses it).
        var keySurname = -1
        if let s = surnameColumn, let f = forenameColumn, let day = birthDay {
            key.removeAll(keepingCapacity: true)
            Identifiers.normalisedName(field(s), into: &key)
            let surnameLength = key.count
            keySurname = surnameLength
            key.append(0x1F)
            Identifiers.normalisedName(field(f), into: &key, firstLetterOnly: true)
            if surnameLength > 0 && key.count > surnameLength + 1 {
                key.append(0x1F)
                withUnsafeBytes(of: day.littleEndian) { key.append(contentsOf: $0) }
                mk = key.withUnsafeBufferPointer { b in
                    if let packed = ShortKeyTable.Key(b) { return (packed.low, packed.high) }
                    return (UInt64(pool.intern(.matchKey, b)), 0)
                }
            }
        }
        if encodes { batchIdentity(field, birthDay: birthDay, eventDay: eventDay, keySurname: keySurname, pool: pool, row: row) }
        guard hasOtherIdentifiers else { return }
        matchLow.store(mk.low, at: row)
        matchHigh.store(mk.high, at: row)
        if let l = localColumn {
            let id = field(l).trimmed()
            if !id.isEmpty {
                localKey.removeAll(keepingCapacity: true)
                localKey.append(contentsOf: namespace)
                localKey.append(contentsOf: id)
                lk = localKey.withUnsafeBufferPointer { pool.intern(.localID, $0) }
            }
        }
        localCodes.store(lk, at: row)
    }

    /// Adds a row's clear identity (`EncodingBuilder` describes it) to the batch, written in place
    /// and interned once the batch is full or the part read; a row without a surname has none (code
    /// 0). `keySurname`: the length of the normalised surname at the start of `key`, or -1.
    private func batchIdentity(
        _ field: (Int) -> UnsafeBufferPointer<UInt8>, birthDay: Int32?, eventDay: Int32?, keySurname: Int, pool: IdentifierPool,
        row: Int
    ) {
        // Without a date of birth, the 13 months the person was born in, from the age on the event's
        // date: from the month a year before the last possible birthday.
        var windowStart = Int32(0)
        if birthDay == nil, let a = ageColumn, let event = eventDay, let age = Self.smallInteger(field(a).trimmed()) {
            let c = DayNumber.civil(Int(event))
            windowStart = Int32((c.year - age - 1) * 12 + c.month - 1)
        }
        var sex: UInt8 = 0
        if let c = sexColumn, let first = field(c).trimmed().first {
            sex = first & 0xDF == 0x46 ? 1 : (first & 0xDF == 0x4D ? 2 : 0)
        }
        let added = identityBatch.append(row: row) { out in
            withUnsafeBytes(of: birthDay ?? Int32.max) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: windowStart) { out.append(contentsOf: $0) }
            out.append(sex)
            let start = out.count
            if keySurname >= 0 {
                out.append(contentsOf: key[0..<keySurname])
            } else if let s = surnameColumn {
                Identifiers.normalisedName(field(s), into: &out)
            }
            guard out.count > start else { return false }
            out.append(0x1F)
            if let f = forenameColumn { Identifiers.normalisedName(field(f), into: &out) }
            out.append(0x1F)
            if let p = postcodeColumn {
                for c in field(p) {
                    let u = c >= 0x61 && c <= 0x7A ? c - 0x20 : c
                    if (u >= 0x41 && u <= 0x5A) || (u >= 0x30 && u <= 0x39) { out.append(u) }
                }
            }
            return true
        }
        guard added else {
            identityCodes.store(UInt32(0), at: row)
            return
        }
        if identityBatch.count == Self.identityBatchSize { internBatch(pool) }
    }

    /// Identities interned together.
    private static let identityBatchSize = 256

    private func internBatch(_ pool: IdentifierPool) {
        pool.internIdentities(identityBatch) { row, code in identityCodes.store(code, at: row) }
        identityBatch.removeAll()
    }

    /// A whole number of up to three digits (an age), else nil.
    private static func smallInteger(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty, b.count <= 3 else { return nil }
        var v = 0
        for c in b {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// Once the part's `rows` rows are read: NHS numbers interned into the pool (one tight pass,
    /// whose table probes overlap in the processor), codes and ages moved into arrays.
    func finish(rows: Int, pool: IdentifierPool) {
        guard nhsStorage.capacity > 0 || rows == 0 else { return }
        defer { refreshSlots() }
        // Presized for a third of the rows being distinct people, so the table is rarely rebuilt.
        if nhsColumn != nil { pool.reserveNHS(rows / 3) }
        nhs = [UInt32](unsafeUninitializedCapacity: rows) { out, count in
            for r in 0..<rows {
                let v = nhsNumbers.load(r, as: UInt64.self)
                out[r] = v == 0 ? 0 : pool.internNHS(v)
            }
            count = rows
        }
        // Each buffer given back as soon as it is copied, so at most one is held twice.
        nhsStorage.release()
        if hasOtherIdentifiers {
            matchKey = [UInt32](unsafeUninitializedCapacity: rows) { out, count in
                for r in 0..<rows {
                    let low = matchLow.load(r, as: UInt64.self), high = matchHigh.load(r, as: UInt64.self)
                    out[r] = high != 0 ? pool.internMatchKey(ShortKeyTable.Key(low: low, high: high)) : UInt32(truncatingIfNeeded: low)
                }
                count = rows
            }
            matchLowStorage.release()
            matchHighStorage.release()
            local = localStorage.take(rows, as: UInt32.self)
        }
        ages = birthColumn != nil ? ageStorage.take(rows, as: Int64.self) : []
        ageStorage.release()
        if identityBatch.count > 0 { internBatch(pool) }
        identity = encodes ? identityStorage.take(rows, as: UInt32.self) : []
        identityStorage.release()
    }

    /// Whole years between two day numbers.
    static func years(from birth: Int32, to day: Int32) -> Int { DayNumber.years(from: Int(birth), to: Int(day)) }

    /// Drops the per-row identifier codes once people are linked.
    func releaseCodes() {
        nhs = []
        matchKey = []
        local = []
        identity = []
    }

    /// Room for `rows` rows, the first `kept` already written.
    func reserve(_ rows: Int, keeping kept: Int) {
        nhsStorage.reserve(rows, keeping: kept)
        if hasOtherIdentifiers {
            matchLowStorage.reserve(rows, keeping: kept)
            matchHighStorage.reserve(rows, keeping: kept)
            localStorage.reserve(rows, keeping: kept)
        }
        if birthColumn != nil { ageStorage.reserve(rows, keeping: kept) }
        if encodes { identityStorage.reserve(rows, keeping: kept) }
        refreshSlots()
    }
}
