/// Why a row was refused.
public enum RejectKind: String, Sendable, CaseIterable, Codable {
    case cast = "cast"
    case missingColumns = "missing-columns"
    case tooManyColumns = "too-many-columns"
    case unterminatedQuote = "unterminated-quote"
    case invalidEncoding = "invalid-encoding"
    case unknownCode = "unknown-code"
    case missingRequired = "missing-required-field"
}

/// One refused row: where, why, and the raw fields (personal data: quarantine only, never reports).
public struct Reject: Sendable {
    public let file: String
    public let line: Int
    /// 1-based field position, 0 where the whole row is at fault.
    public let column: Int
    public let columnName: String
    public let kind: RejectKind
    /// Says what is wrong without repeating an identifier's value.
    public let message: String
    public let rawFields: [String]
}
