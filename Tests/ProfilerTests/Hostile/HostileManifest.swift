import Foundation
import TestSupport
import Testing

/// The hostile-input corpus's expectations, read from the tables of `Fixtures/hostile/README.md`:
/// the table a person reads is the one the tests check.
struct HostileManifest: Sendable {
    static let folder = TestPaths.root + "/Fixtures/hostile"

    /// One row of a table, by column name (backticks and surrounding spaces removed).
    struct Row: Sendable, CustomTestStringConvertible {
        let cells: [String: String]
        let line: Int
        subscript(_ column: String) -> String {
            guard let v = cells[column] else { fatalError("no column '\(column)' in the manifest table (line \(line))") }
            return v
        }
        var testDescription: String { cells["extract"] ?? cells["definition"] ?? cells["drop"] ?? "line \(line)" }
    }

    /// Tables by the name of their first column.
    let tables: [String: [Row]]

    static func load() throws -> HostileManifest {
        let text = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        var tables: [String: [Row]] = [:]
        var header: [String]? = nil
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.hasPrefix("|") else { header = nil; continue }
            let cells = line.dropFirst().dropLast(line.hasSuffix("|") ? 1 : 0).split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") }
            if header == nil { header = cells; continue }
            if cells.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == ":" } }) { continue }
            guard let h = header, h.count == cells.count else {
                fatalError("Fixtures/hostile/README.md line \(n + 1): \(cells.count) cells where the header has \(header?.count ?? 0)")
            }
            tables[h[0], default: []].append(Row(cells: Dictionary(uniqueKeysWithValues: zip(h, cells)), line: n + 1))
        }
        return HostileManifest(tables: tables)
    }

    static let shared: HostileManifest = {
        do { return try load() } catch { fatalError("cannot read Fixtures/hostile/README.md: \(error)") }
    }()

    static var extracts: [Row] { shared.tables["extract"] ?? [] }
    static var definitions: [Row] { shared.tables["definition"] ?? [] }
    static var drops: [Row] { shared.tables["drop"] ?? [] }
}
