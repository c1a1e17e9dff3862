/// A mistake in a definition file, with the place an analyst needs to fix it: file, line, column
/// and the dotted path of the offending key (`fields.offence.type`).
public struct DefinitionError: Error, Equatable, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    public let key: String
    public let message: String

    public init(file: String, line: Int, column: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        "\(file):\(line):\(column): \(key.isEmpty ? "" : "\(key): ")\(message)"
    }
}

/// Every mistake found in one pass over a set of definition files.
public struct DefinitionErrors: Error, CustomStringConvertible, Sendable {
    public let errors: [DefinitionError]
    public init(_ errors: [DefinitionError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
