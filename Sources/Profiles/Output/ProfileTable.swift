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

    public enum Cell: Sendable, Equatable, CustomStringConvertible {
        case text(String)
        case count(Int)
        case number(Double, decimals: Int)
        case missing

        public var description: String {
            switch self {
            case .text(let s): s
            case .count(let n): String(n)
            case .number(let x, let d):
                x.isFinite ? String(format: "%.\(d)f", x) : ""
            case .missing: ""
            }
        }
    }

    public init(profile: String, id: String, section: String, title: String, description: String, columns: [String], rows: [[Cell]]) {
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
        var out = columns.map(Self.quoted).joined(separator: ",") + "\n"
        for row in rows { out += row.map { Self.quoted($0.description) }.joined(separator: ",") + "\n" }
        return out
    }

    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
