import Foundation

/// One output table of a profile: rows of labels and numbers under named columns.
public struct ProfileTable: Sendable {
    public let profile: String
    public let id: String
    public let section: String
    public let title: String
    /// How the table is computed, in words.
    public let description: String
    public let columns: [String]
    public var rows: [[Cell]]
    /// What each column holds, for disclosure control.
    public var kinds: [ColumnKind]
    /// Columns kept only for disclosure control (the counts behind a rate shown without them);
    /// never exported.
    public var hidden: Set<Int> = []

    /// What a column holds.
    public enum ColumnKind: Sendable, Equatable {
        /// A breakdown's value: the rows' labels.
        case label
        /// A count of records or people: small numbers are suppressed.
        case count
        /// A rate, share or difference worked out from the counts in these columns of the same row:
        /// suppressed with any of them.
        case derived(bases: [Int])
        /// Text, or a figure that reveals no small count.
        case other
    }

    public enum Cell: Sendable, Equatable, CustomStringConvertible {
        case text(String)
        case count(Int)
        case number(Double, decimals: Int)
        case missing
        /// Withheld by disclosure control (shown as `c`, as official statistics do).
        case suppressed

        public var description: String {
            switch self {
            case .text(let s): s
            case .count(let n): String(n)
            case .number(let x, let d):
                x.isFinite ? String(format: "%.\(d)f", x) : ""
            case .missing: ""
            case .suppressed: "c"
            }
        }
    }

    public init(profile: String, id: String, section: String, title: String, description: String, columns: [String], rows: [[Cell]],
                kinds: [ColumnKind]? = nil, hidden: Set<Int> = []) {
        self.kinds = kinds ?? Array(repeating: .other, count: columns.count)
        self.hidden = hidden
        self.profile = profile
        self.id = id
        self.section = section
        self.title = title
        self.description = description
        self.columns = columns
        self.rows = rows
    }

    /// The table as CSV text: a header, then rows; text cells quoted when needed.
    public func csv() -> String {
        let shown = columns.indices.filter { !hidden.contains($0) }
        var out = shown.map { Self.quoted(columns[$0]) }.joined(separator: ",") + "\n"
        for row in rows { out += shown.map { Self.quoted(row[$0].description) }.joined(separator: ",") + "\n" }
        return out
    }

    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
