import Definitions

/// Why a row was refused: the kind, the column (1-based) and a message naming the field.
extension SourceIngestor {
    struct Failure {
        let kind: RejectKind
        let column: Int
        let message: String
    }

    /// Why a field refused its row (`outcome` nil: its bytes are not valid text).
    @inline(never)
    func failure(_ outcome: FieldBuilder.Outcome?, of builder: FieldBuilder) -> Failure {
        let c = builder.column
        switch outcome {
        case nil:
            return Failure(
                kind: .invalidEncoding, column: c + 1,
                message: "bytes that are not valid \(source.encoding.rawValue) in \(builder.definition.column)")
        case .missing?: return Failure(kind: .missingRequired, column: c + 1, message: "\(builder.definition.column) is required but blank")
        case .cast?: return Failure(kind: .cast, column: c + 1, message: "\(builder.definition.column): \(builder.message)")
        case .unknownCode?: return Failure(kind: .unknownCode, column: c + 1, message: "\(builder.definition.column): \(builder.message)")
        case .ok?: preconditionFailure("a field that passed is not a failure")
        }
    }
}
