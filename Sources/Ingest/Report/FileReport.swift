/// The data-quality account of one ingested file: every row read is accepted or rejected, and the
/// report says why, where, and what the accepted rows look like. It holds no identifier values.
public struct FileReport: Sendable, Codable {
    public struct RejectSummary: Sendable, Codable {
        public var count = 0
        /// The first few places, as `line:column`.
        public var firstPlaces: [String] = []
    }

    public struct UnknownCode: Sendable, Codable {
        public let field: String
        public let value: String
        public let count: Int
        /// What ingest did with it: rejected the row, kept it as written, or gave it a label.
        public let treatment: String
    }

    public struct DateRange: Sendable, Codable {
        public let field: String
        public let first: String
        public let last: String
    }

    public struct NullRate: Sendable, Codable {
        public let field: String
        public let nulls: Int
        public let rate: Double
    }

    public struct Linkage: Sendable, Codable {
        public let role: String
        public var byNHSNumber = 0
        /// No NHS number on the row, but its local id or match key belongs to exactly one NHS number elsewhere.
        public var bridgedToNHSNumber = 0
        public var byMatchKey = 0
        public var byLocalID = 0
        public var unkeyed = 0
        /// Linked to a person by probabilistic matching (counted here, not under the key it had).
        public var byProbabilisticMatch = 0
        /// An NHS number was given but failed the checks (format, check digit, range, placeholder).
        public var invalidNHSNumbers = 0
        public init(role: String) { self.role = role }
        public var keyed: Int { byNHSNumber + bridgedToNHSNumber + byMatchKey + byLocalID + byProbabilisticMatch }
    }

    public struct Geography: Sendable, Codable {
        public let field: String
        public var inArea = 0
        public var outsideArea = 0
        public var unknownCode = 0
        public var missing = 0
    }

    public enum Status: String, Sendable, Codable { case clean, warnings, failed }

    public let source: String
    public let file: String
    public var rowsRead = 0
    public var accepted = 0
    public var rejected = 0
    public var rejects: [String: RejectSummary] = [:]
    public var unknownCodes: [UnknownCode] = []
    public var dateRanges: [DateRange] = []
    public var nullRates: [NullRate] = []
    public var linkage: [Linkage] = []
    public var geography: [Geography] = []
    /// Header columns that no part of the source definition reads.
    public var unreadColumns: [String] = []
    /// Optional columns of the source definition that the file does not have (their fields are blank).
    public var absentColumns: [String] = []
    /// A failure that stopped the file being read to its end (corrupt gzip, unreadable file).
    public var fatalError: String?
    public var maxRejectShare: Double
    public var bytes = 0
    /// In a build over several drops: accepted rows of this file whose record a later drop
    /// replaced (they are not in the table). Read = accepted + rejected still holds; the rows the
    /// build used are accepted - replaced. Nil for a single drop.
    public var replaced: Int?

    public init(source: String, file: String, maxRejectShare: Double) {
        self.source = source
        self.file = file
        self.maxRejectShare = maxRejectShare
    }

    public var rejectShare: Double { rowsRead == 0 ? 0 : Double(rejected) / Double(rowsRead) }

    /// Failed: unreadable, or more rejects than the source tolerates. Warnings: rejects within
    /// tolerance, places outside the area or with unknown codes, or NHS numbers that fail their
    /// check (the rows are kept, keyed by match key or not at all, so linkage is weaker).
    public var status: Status {
        if fatalError != nil || rejectShare > maxRejectShare { return .failed }
        let outside = geography.reduce(0) { $0 + $1.outsideArea + $1.unknownCode }
        let invalid = linkage.reduce(0) { $0 + $1.invalidNHSNumbers }
        return rejected > 0 || outside > 0 || invalid > 0 ? .warnings : .clean
    }

    /// Adds the account of a later part of the same file.
    mutating func absorb(_ part: FileReport) {
        rowsRead += part.rowsRead
        accepted += part.accepted
        rejected += part.rejected
        bytes += part.bytes
        for (kind, s) in part.rejects {
            var mine = rejects[kind] ?? RejectSummary()
            mine.count += s.count
            mine.firstPlaces = Array((mine.firstPlaces + s.firstPlaces).prefix(5))
            rejects[kind] = mine
        }
        for (i, l) in part.linkage.enumerated() where i < linkage.count {
            linkage[i].invalidNHSNumbers += l.invalidNHSNumbers
        }
        if fatalError == nil { fatalError = part.fatalError }
    }

    mutating func record(_ kind: RejectKind, line: Int, column: Int) {
        var s = rejects[kind.rawValue] ?? RejectSummary()
        s.count += 1
        if s.firstPlaces.count < 5 { s.firstPlaces.append("\(line):\(column)") }
        rejects[kind.rawValue] = s
    }
}
