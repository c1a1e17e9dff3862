/// A JSON value as the engine writes it: object members in the order given (a writer never sorts
/// them; `JSONValueEncoder` gives them sorted), integers apart from other numbers, and numbers
/// with an optional fixed number of decimals. `JSONWriter` renders it.
public enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    /// A number, with `decimals` places when given (`%.Nf`), else in its shortest form. Written as
    /// null when it is not finite (JSON has no NaN or infinity).
    case number(Double, decimals: Int? = nil)
    case bool(Bool)
    case null

    /// The member `key` of an object (the last of that name), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }
}

extension JSONValue: Equatable {
    /// Objects are equal when their members are, in the same order; numbers when their values
    /// and decimals are (NaN is never equal, as for Double).
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.number(let x, let d), .number(let y, let e)): x == y && d == e
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }
}

/// Literals, so that a document reads as its JSON: `["group": .string(id), "tables": []]` keeps
/// its keys in the order written.
extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(dictionaryLiteral members: (String, JSONValue)...) { self = .object(members.map { (key: $0.0, value: $0.1) }) }
    public init(arrayLiteral items: JSONValue...) { self = .array(items) }
    public init(stringLiteral s: String) { self = .string(s) }
    public init(integerLiteral n: Int) { self = .integer(n) }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(nilLiteral: ()) { self = .null }
}
