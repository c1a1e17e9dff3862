import Columnar
import Definitions

/// Reads one person role of a source (victim, suspect, child ...). From each row it keeps three
/// codes into the source's identifier pool (NHS number, match key, local id), which become keyed
/// pseudonyms once the whole drop is read; no clear value reaches a column.
final class RoleBuilder {
    let role: PersonRole
    private let namespace: [UInt8]
    private var nhsColumn: Int?
    private var surnameColumn: Int?
    private var forenameColumn: Int?
    private var birthColumn: Int?
    private var localColumn: Int?
    private let birthParser: DateParser?

    /// Per row, codes into the source's identifier pool (0 = none).
    @exclusivity(unchecked) private(set) var nhs: [UInt32] = []
    @exclusivity(unchecked) private(set) var matchKey: [UInt32] = []
    @exclusivity(unchecked) private(set) var local: [UInt32] = []
    @exclusivity(unchecked) private(set) var invalidNHSNumbers = 0
    /// Age in whole years on the row's event date, from the date of birth (which itself is dropped).
    @exclusivity(unchecked) private(set) var ages: [Int64] = []
    @exclusivity(unchecked) private var pendingAge: Int64 = IntegerColumn.null
    var hasBirthDate: Bool { birthColumn != nil }
    @exclusivity(unchecked) private var pending: (UInt32, UInt32, UInt32, Bool) = (0, 0, 0, false)
    @exclusivity(unchecked) private var digits: [UInt8] = []
    @exclusivity(unchecked) private var key: [UInt8] = []
    @exclusivity(unchecked) private var localKey: [UInt8] = []

    init(role: PersonRole, source: String, header: [String: Int]) {
        self.role = role
        namespace = Array(source.utf8) + [0x1F]
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
    }

    /// The identity columns, for encoding checks.
    var columns: [Int] { [nhsColumn, surnameColumn, forenameColumn, birthColumn, localColumn].compactMap { $0 } }

    /// Computes the row's pseudonyms. `field(i)` gives column i's bytes as valid UTF-8.
    func parse(_ field: (Int) -> UnsafeBufferPointer<UInt8>, eventDay: Int32?, pool: IdentifierPool) {
        var nhsKey: UInt32 = 0, mk: UInt32 = 0, lk: UInt32 = 0
        pendingAge = IntegerColumn.null
        if let b = birthColumn, let event = eventDay, let birth = birthParser?.day(field(b).trimmed()), birth <= event {
            pendingAge = Int64(Self.years(from: birth, to: event))
        }
        var invalid = false
        if let c = nhsColumn {
            switch Identifiers.nhsNumber(field(c), into: &digits) {
            case .valid: nhsKey = pool.internNHS(digits)
            case .invalid: invalid = true
            case .absent: break
            }
        }
        if let s = surnameColumn, let f = forenameColumn, let b = birthColumn,
           let day = birthParser?.day(field(b).trimmed()) {
            key.removeAll(keepingCapacity: true)
            Identifiers.normalisedName(field(s), into: &key)
            let surnameLength = key.count
            key.append(0x1F)
            Identifiers.normalisedName(field(f), into: &key, firstLetterOnly: true)
            if surnameLength > 0 && key.count > surnameLength + 1 {
                key.append(0x1F)
                withUnsafeBytes(of: day.littleEndian) { key.append(contentsOf: $0) }
                mk = key.withUnsafeBufferPointer { pool.intern(.matchKey, $0) }
            }
        }
        if let l = localColumn {
            let id = field(l).trimmed()
            if !id.isEmpty {
                localKey.removeAll(keepingCapacity: true)
                localKey.append(contentsOf: namespace)
                localKey.append(contentsOf: id)
                lk = localKey.withUnsafeBufferPointer { pool.intern(.localID, $0) }
            }
        }
        pending = (nhsKey, mk, lk, invalid)
    }

    /// Whole years between two day numbers.
    static func years(from birth: Int32, to day: Int32) -> Int { DayNumber.years(from: Int(birth), to: Int(day)) }

    /// Drops the per-row identifier codes once people are linked.
    func releaseCodes() {
        nhs = []
        matchKey = []
        local = []
    }

    func reserve(_ rows: Int) {
        nhs.reserveCapacity(rows)
        matchKey.reserveCapacity(rows)
        local.reserveCapacity(rows)
        if birthColumn != nil { ages.reserveCapacity(rows) }
    }

    func commit() {
        if birthColumn != nil { ages.append(pendingAge) }
        nhs.append(pending.0)
        matchKey.append(pending.1)
        local.append(pending.2)
        if pending.3 { invalidNHSNumbers += 1 }
    }
}
