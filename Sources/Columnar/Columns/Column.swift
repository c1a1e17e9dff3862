/// One typed, immutable column. Nulls are sentinels inside the typed buffer, so a scan is one pass
/// over contiguous memory with no side bitmap.
public enum Column: Sendable {
    /// Dictionary-coded text: `codes[i]` indexes `values`; code 0 is null.
    case code(CodeColumn)
    /// Days since 1970-01-01; `DayColumn.null` is null.
    case day(DayColumn)
    case integer(IntegerColumn)
    case decimal(DecimalColumn)
    /// 1 yes, 0 no, `FlagColumn.null` unknown.
    case flag(FlagColumn)
    /// A set of labels per row as a bit mask over `labels`.
    case flagSet(FlagSetColumn)
    /// An area (LSOA) index into the geography, with sentinels for missing, outside and unknown.
    case area(AreaColumn)
    /// A dense person id (1...n), 0 where the record could not be keyed.
    case person(PersonColumn)

    public var count: Int {
        switch self {
        case .code(let c): c.codes.count
        case .day(let c): c.days.count
        case .integer(let c): c.values.count
        case .decimal(let c): c.values.count
        case .flag(let c): c.values.count
        case .flagSet(let c): c.masks.count
        case .area(let c): c.areas.count
        case .person(let c): c.ids.count
        }
    }

    /// Bytes held by the column's buffers (dictionaries included).
    public var byteSize: Int {
        switch self {
        case .code(let c): c.codes.count * 4 + c.values.reduce(0) { $0 + $1.utf8.count + 16 }
        case .day(let c): c.days.count * 4
        case .integer(let c): c.values.count * 8
        case .decimal(let c): c.values.count * 8
        case .flag(let c): c.values.count
        case .flagSet(let c): c.masks.count * 8 + c.labels.reduce(0) { $0 + $1.utf8.count + 16 }
        case .area(let c): c.areas.count * 2
        case .person(let c): c.ids.count * 4
        }
    }

    /// Number of null values.
    public var nullCount: Int {
        switch self {
        case .code(let c): c.codes.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        case .day(let c): c.days.reduce(0) { $0 + ($1 == DayColumn.null ? 1 : 0) }
        case .integer(let c): c.values.reduce(0) { $0 + ($1 == IntegerColumn.null ? 1 : 0) }
        case .decimal(let c): c.values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .flag(let c): c.values.reduce(0) { $0 + ($1 == FlagColumn.null ? 1 : 0) }
        case .flagSet(let c): c.masks.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        case .area(let c): c.areas.reduce(0) { $0 + ($1 == AreaColumn.missing ? 1 : 0) }
        case .person(let c): c.ids.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        }
    }
}

public struct CodeColumn: Sendable {
    public var codes: [UInt32]
    /// `values[0]` is "" (null); the rest in first-seen order.
    public var values: [String]
    public init(codes: [UInt32], values: [String]) { self.codes = codes; self.values = values }
    public func value(_ row: Int) -> String? { codes[row] == 0 ? nil : values[Int(codes[row])] }
}

public struct DayColumn: Sendable {
    public static let null = Int32.min
    public var days: [Int32]
    public init(days: [Int32]) { self.days = days }
}

public struct IntegerColumn: Sendable {
    public static let null = Int64.min
    public var values: [Int64]
    public init(values: [Int64]) { self.values = values }
}

public struct DecimalColumn: Sendable {
    public var values: [Double]
    public init(values: [Double]) { self.values = values }
}

public struct FlagColumn: Sendable {
    public static let null: UInt8 = 2
    public var values: [UInt8]
    public init(values: [UInt8]) { self.values = values }
}

public struct FlagSetColumn: Sendable {
    public var masks: [UInt64]
    /// Bit i of a mask stands for `labels[i]`.
    public var labels: [String]
    public init(masks: [UInt64], labels: [String]) { self.masks = masks; self.labels = labels }
}

public struct AreaColumn: Sendable {
    /// No location given.
    public static let missing = UInt16.max
    /// A well-formed area code that is not in the area's geography (another authority).
    public static let outside = UInt16.max - 1
    /// Not a recognisable code, or a postcode not in the lookup.
    public static let unknown = UInt16.max - 2
    public var areas: [UInt16]
    public init(areas: [UInt16]) { self.areas = areas }
    public static func isInArea(_ a: UInt16) -> Bool { a < unknown }
}

public struct PersonColumn: Sendable {
    public var ids: [UInt32]
    public init(ids: [UInt32]) { self.ids = ids }
}
