import ArgumentParser
import CSVText
import Foundation
import Ingest

/// `profiler diff OLD NEW`: which tables of two builds differ, and in which cells.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List the tables and cells that changed between two builds.",
        discussion: """
            Compares every CSV file of two build folders (the groups' and the analysts' tables): files \
            only in one, and for files in both, each cell that changed, rows matched by their labels \
            (the columns before the first number). Exit code 0 when nothing changed, 1 when something did.
            """)

    @Argument(help: "The earlier build folder.") var old: String
    @Argument(help: "The later build folder.") var new: String
    @Option(name: .long, help: "Cells listed per table at most.") var limit = 20

    func run() throws {
        for folder in [old, new] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("no build folder at \(folder)")
            }
        }
        let changes = try Self.compare(old: old, new: new, limit: limit)
        for line in changes.lines { print(line) }
        print(changes.changedFiles == 0 ? "no table changed" : "\(changes.changedFiles) table(s) changed")
        if changes.changedFiles > 0 { throw ExitStatus.warnings }
    }

    struct Changes {
        var lines: [String] = []
        var changedFiles = 0
    }

    static func compare(old: String, new: String, limit: Int) throws -> Changes {
        func csvFiles(_ root: String) -> Set<String> {
            Set((FileManager.default.subpaths(atPath: root) ?? []).filter { $0.hasSuffix(".csv") })
        }
        let a = csvFiles(old), b = csvFiles(new)
        var out = Changes()
        for f in a.subtracting(b).sorted() { out.lines.append("- \(f): only in \(old)"); out.changedFiles += 1 }
        for f in b.subtracting(a).sorted() { out.lines.append("+ \(f): only in \(new)"); out.changedFiles += 1 }
        for f in a.intersection(b).sorted() {
            let x = try read(old + "/" + f), y = try read(new + "/" + f)
            guard x.header != y.header || x.rows != y.rows else { continue }
            out.changedFiles += 1
            if x.header != y.header {
                out.lines.append("~ \(f): columns changed (\(x.header.joined(separator: ",")) -> \(y.header.joined(separator: ",")))")
                continue
            }
            out.lines.append("~ \(f):")
            // Rows matched by their labels: the leading columns that are not numbers in either build.
            let width =
                x.header.indices.first { i in (x.rows + y.rows).contains { Double($0[i]) != nil || $0[i] == "c" } } ?? x.header.count
            func key(_ row: [String]) -> String { row.prefix(max(1, width)).joined(separator: " | ") }
            let before = Dictionary(x.rows.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            let after = Dictionary(y.rows.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            var listed = 0
            func note(_ s: String) {
                if listed < limit { out.lines.append("    " + s) }
                listed += 1
            }
            for row in x.rows where after[key(row)] == nil { note("row \(key(row)): removed") }
            for row in y.rows {
                guard let was = before[key(row)] else { note("row \(key(row)): added"); continue }
                for i in row.indices where i < was.count && row[i] != was[i] {
                    note("\(key(row)) / \(x.header[i]): \(was[i]) -> \(row[i])")
                }
            }
            if listed > limit { out.lines.append("    ... and \(listed - limit) more") }
        }
        return out
    }

    static func read(_ path: String) throws -> (header: [String], rows: [[String]]) {
        var header: [String] = [], rows: [[String]] = []
        try CSVReader(path: path).forEachRecord { r in
            if r.index == 1 { header = r.strings() } else { rows.append(r.strings()) }
            return true
        }
        return (header, rows)
    }
}
