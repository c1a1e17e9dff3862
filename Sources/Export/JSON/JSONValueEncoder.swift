import Foundation

/// Turns any `Encodable` into a `JSONValue`, so that what the engine writes through Codable
/// (`QualityReport`) goes through `JSONWriter` and its quoting rules. It encodes as Foundation's
/// JSONEncoder did with `.sortedKeys` and its default strategies, with one change:
///
/// - object keys sorted by their UTF-8 bytes (as `.sortedKeys` sorts them), or left in the order
///   first encoded;
/// - a nil optional left out by `encodeIfPresent` (what synthesised `Codable` does), written as
///   null where encoded outright or in an array;
/// - `Date` as its seconds since 2001-01-01 (JSONEncoder's default), `Data` as base64, `URL` as
///   its absolute string; a `Float` in its own shortest form (0.1, not 0.10000000149011612);
/// - the change: a Double or Float that is not finite is null, where JSONEncoder threw (and a
///   build failed writing its report). An integer beyond `Int` is refused (`EncodingError`).
public struct JSONValueEncoder: Sendable {
    public var sortsKeys: Bool

    public init(sortsKeys: Bool = true) { self.sortsKeys = sortsKeys }

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let box = EncodingBox()
        try box.encode(value, codingPath: [])
        return box.resolved(sortsKeys: sortsKeys)
    }
}

/// One value being encoded: empty until a container or a value is put in it. Containers hold
/// boxes, so a nested container or a super-encoder handed out earlier writes into its place.
final class EncodingBox {
    enum Kind { case empty, value, object, array }
    private(set) var kind = Kind.empty
    private var value = JSONValue.null
    private var keys: [String] = []
    private var members: [String: EncodingBox] = [:]
    private var items: [EncodingBox] = []

    var count: Int { kind == .array ? items.count : members.count }

    func set(_ v: JSONValue) {
        become(.value)
        value = v
    }

    /// Makes this box an object or an array, keeping what it holds if it already is one (a type
    /// may ask for its container twice), starting afresh if it was something else.
    func become(_ k: Kind) {
        guard kind != k else { return }
        (kind, value, keys, members, items) = (k, .null, [], [:], [])
    }

    /// The member `key` of this object: the one there, or a new empty one.
    func member(_ key: String) -> EncodingBox {
        become(.object)
        if let box = members[key] { return box }
        let box = EncodingBox()
        keys.append(key)
        members[key] = box
        return box
    }

    /// A new member `key` in place of any there (a key encoded twice keeps its last value).
    func replacingMember(_ key: String) -> EncodingBox {
        become(.object)
        if members[key] == nil { keys.append(key) }
        let box = EncodingBox()
        members[key] = box
        return box
    }

    func append() -> EncodingBox {
        become(.array)
        let box = EncodingBox()
        items.append(box)
        return box
    }

    /// Encodes `value` here: the types JSONEncoder wrote its own way first, else through the
    /// value's `encode(to:)`.
    func encode<T: Encodable>(_ v: T, codingPath: [any CodingKey]) throws {
        switch v {
        case let x as Double: set(Self.number(x))
        case let x as Float: set(Self.number(x))
        case let x as Data: set(.string(x.base64EncodedString()))
        case let x as URL: set(.string(x.absoluteString))
        default: try v.encode(to: BoxEncoder(box: self, codingPath: codingPath))
        }
    }

    func resolved(sortsKeys: Bool) -> JSONValue {
        switch kind {
        case .value: return value
        case .array: return .array(items.map { $0.resolved(sortsKeys: sortsKeys) })
        case .empty, .object:
            // A value that encoded nothing is an empty object, as in JSONEncoder.
            let order = sortsKeys ? keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } : keys
            return .object(order.map { (key: $0, value: members[$0]!.resolved(sortsKeys: sortsKeys)) })
        }
    }

    static func number(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

    /// A Float as its own shortest decimal form (which reads back as a Double printing the same).
    static func number(_ x: Float) -> JSONValue { x.isFinite ? .number(Double(x.description) ?? Double(x)) : .null }

    static func integer<I: BinaryInteger>(_ n: I, codingPath: [any CodingKey]) throws -> JSONValue {
        guard let i = Int(exactly: n) else {
            throw EncodingError.invalidValue(
                n, EncodingError.Context(codingPath: codingPath, debugDescription: "\(n) is beyond the integers written (Int)"))
        }
        return .integer(i)
    }
}

/// The `Encoder` handed to a value's `encode(to:)`.
struct BoxEncoder: Encoder {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.become(.object)
        return KeyedEncodingContainer(KeyedBox<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.become(.array)
        return UnkeyedBox(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueBox(box: box, codingPath: codingPath) }
}

/// A coding key for a position in an array, or `super`.
struct IndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { (self.stringValue, intValue) = (stringValue, nil) }
    init(intValue: Int) { (stringValue, self.intValue) = ("Index \(intValue)", intValue) }
    static let superKey = IndexKey(stringValue: "super")
}

struct SingleValueBox: SingleValueEncodingContainer {
    let box: EncodingBox
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.set(.null) }
    mutating func encode(_ value: Bool) throws { box.set(.bool(value)) }
    mutating func encode(_ value: String) throws { box.set(.string(value)) }
    mutating func encode(_ value: Double) throws { box.set(EncodingBox.number(value)) }
    mutating func encode(_ value: Float) throws { box.set(EncodingBox.number(value)) }
    mutating func encode(_ value: Int) throws { box.set(.integer(value)) }
    mutating func encode(_ value: Int8) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int16) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int32) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int64) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt8) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt16) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt32) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode(_ value: UInt64) throws { box.set(try EncodingBox.integer(value, codingPath: codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try box.encode(value, codingPath: codingPath) }
}
