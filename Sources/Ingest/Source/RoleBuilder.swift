import Columnar
import Definitions

/// Pseudonymises one person role of a source (victim, suspect, child ...). From each row it keeps
/// only three 64-bit pseudonyms (NHS number, match key, local id); the clear values are read from
/// libcsv's buffer into scratch space and forgotten.
final class RoleBuilder {
    let role: PersonRole
    private let namespace: [UInt8]
    private var nhsColumn: Int?
    private var surnameColumn: Int?
    private var forenameColumn: Int?
    private var birthColumn: Int?
    private var localColumn: Int?
    private let birthParser: DateParser?

    private(set) var nhs: [UInt64] = []
    private(set) var matchKey: [UInt64] = []
    private(set) var local: [UInt64] = []
    private(set) var invalidNHSNumbers = 0
    private var pending: (UInt64, UInt64, UInt64, Bool) = (0, 0, 0, false)
    private var digits: [UInt8] = []
    private var key: [UInt8] = []
    private var localKey: [UInt8] = []

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
    func parse(_ field: (Int) -> UnsafeBufferPointer<UInt8>, keyer: inout PersonKeyer) {
        var nhsKey: UInt64 = 0, mk: UInt64 = 0, lk: UInt64 = 0
        var invalid = false
        if let c = nhsColumn {
            switch Identifiers.nhsNumber(field(c), into: &digits) {
            case .valid: nhsKey = digits.withUnsafeBufferPointer { keyer.pseudonym(.nhs, $0) }
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
                mk = key.withUnsafeBufferPointer { keyer.pseudonym(.matchKey, $0) }
            }
        }
        if let l = localColumn {
            let id = field(l).trimmed()
            if !id.isEmpty {
                localKey.removeAll(keepingCapacity: true)
                localKey.append(contentsOf: namespace)
                localKey.append(contentsOf: id)
                lk = localKey.withUnsafeBufferPointer { keyer.pseudonym(.localID, $0) }
            }
        }
        pending = (nhsKey, mk, lk, invalid)
    }

    func commit() {
        nhs.append(pending.0)
        matchKey.append(pending.1)
        local.append(pending.2)
        if pending.3 { invalidNHSNumbers += 1 }
    }
}
