/// Why a row was refused.
public enum RejectKind: String, Sendable, CaseIterable, Codable {
    case cast = "cast"
    case missingColumns = "missing-columns"
    case tooManyColumns = "too-many-columns"
    case unterminatedQuote = "unterminated-quote"
    case invalidEncoding = "invalid-encoding"
    case unknownCode = "unknown-code"
    case missingRequired = "missing-required-field"
    /// The row's key is not in the other file of its source's `join:`.
    case unmatchedJoinKey = "unmatched-join-key"
}
