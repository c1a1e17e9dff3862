/// A failure to read a delimited file: what went wrong and where.
public struct CSVReadError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case cannotOpen = "cannot-open"
        case corruptCompression = "corrupt-compression"
        case unterminatedQuote = "unterminated-quote"
        case parse = "parse"
        case outOfMemory = "out-of-memory"
        /// A record longer than `CSVReader.maxRecordBytes` (a line with no end, a gzip bomb).
        case recordTooLarge = "record-too-large"
        /// Text in an encoding the engine does not read (UTF-16).
        case unsupportedEncoding = "unsupported-encoding"
        /// A binary file (a spreadsheet workbook) where CSV text was expected.
        case notText = "not-text"
    }

    public let kind: Kind
    public let file: String
    /// Physical line (1-based) where the failing record starts, when known.
    public let line: Int?
    public let message: String

    public init(kind: Kind, file: String, line: Int? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(kind.rawValue): \(message)"
    }
}
