import CSQLite
import Foundation
import Profiles

/// One SQLite database of a group's tables (`profiles.sqlite`): a table per profile table
/// (`<profile>__<table>`), and a catalogue of every table and column with its description,
/// written in one transaction with prepared statements. Withheld cells hold the text `c`, as in
/// the CSV files; blanks are NULL.
public enum SQLiteExport {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The database as bytes: built in memory and serialised, so that the file is written (and
    /// its write checked) like every other file of a publication.
    public static func database(_ tables: [(profile: String, table: ProfileTable)]) throws -> Data {
        let path = "profiles.sqlite (in memory)"
        var db: OpaquePointer?
        guard sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw Failure(description: "cannot create \(path)")
        }
        defer { sqlite3_close(db) }
        func exec(_ sql: String) throws {
            var message: UnsafeMutablePointer<CChar>?
            if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
                let text = message.map { String(cString: $0) } ?? "unknown error"
                sqlite3_free(message)
                throw Failure(description: "\(path): \(text) in: \(sql.prefix(120))")
            }
        }
        func prepare(_ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw Failure(description: "\(path): \(String(cString: sqlite3_errmsg(db)))")
            }
            return statement
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func step(_ s: OpaquePointer) throws {
            guard sqlite3_step(s) == SQLITE_DONE else { throw Failure(description: "\(path): \(String(cString: sqlite3_errmsg(db)))") }
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
        }
        func quoteIdentifier(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

        try exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
        try exec("""
            CREATE TABLE catalogue (table_name TEXT PRIMARY KEY, profile TEXT, table_id TEXT, section TEXT, title TEXT, description TEXT);
            CREATE TABLE columns (table_name TEXT, position INTEGER, column_name TEXT, kind TEXT, description TEXT,
                                  PRIMARY KEY (table_name, position));
            """)
        let catalogue = try prepare("INSERT INTO catalogue VALUES (?, ?, ?, ?, ?, ?)")
        let columnRow = try prepare("INSERT INTO columns VALUES (?, ?, ?, ?, ?)")
        defer { sqlite3_finalize(catalogue); sqlite3_finalize(columnRow) }
        for (profile, table) in tables {
            let name = profile.isEmpty ? table.id : "\(profile)__\(table.id)"
            let shown = table.columns.indices.filter { !table.hidden.contains($0) }
            let definitions = shown.map { i -> String in
                let type: String = switch table.kinds[i] {
                case .label: "TEXT"
                case .count: "INTEGER"
                case .derived: "REAL"
                case .other: "TEXT"
                }
                return quoteIdentifier(table.columns[i]) + " " + type
            }
            try exec("CREATE TABLE \(quoteIdentifier(name)) (\(definitions.joined(separator: ", ")))")
            for (k, v) in [name, profile, table.id, table.section, table.title, table.description].enumerated() {
                sqlite3_bind_text(catalogue, Int32(k + 1), v, -1, transient)
            }
            try step(catalogue)
            for (position, i) in shown.enumerated() {
                let kind: String, about: String
                switch table.kinds[i] {
                case .label: (kind, about) = ("label", "the value of a breakdown")
                case .count: (kind, about) = ("count", "a count; c where withheld by disclosure control")
                case .derived: (kind, about) = ("derived", "worked out from counts of the same row; c where they are withheld")
                case .other: (kind, about) = ("other", "")
                }
                sqlite3_bind_text(columnRow, 1, name, -1, transient)
                sqlite3_bind_int64(columnRow, 2, Int64(position + 1))
                sqlite3_bind_text(columnRow, 3, table.columns[i], -1, transient)
                sqlite3_bind_text(columnRow, 4, kind, -1, transient)
                sqlite3_bind_text(columnRow, 5, about, -1, transient)
                try step(columnRow)
            }
            let insert = try prepare("INSERT INTO \(quoteIdentifier(name)) VALUES (\(shown.map { _ in "?" }.joined(separator: ", ")))")
            defer { sqlite3_finalize(insert) }
            for row in table.rows {
                for (k, i) in shown.enumerated() {
                    let p = Int32(k + 1)
                    switch row[i] {
                    case .text(let s): sqlite3_bind_text(insert, p, s, -1, transient)
                    case .count(let n): sqlite3_bind_int64(insert, p, Int64(n))
                    case .number(let x, _): if x.isFinite { sqlite3_bind_double(insert, p, x) } else { sqlite3_bind_null(insert, p) }
                    case .missing: sqlite3_bind_null(insert, p)
                    case .suppressed: sqlite3_bind_text(insert, p, "c", -1, transient)
                    }
                }
                try step(insert)
            }
        }
        try exec("COMMIT")
        var size: sqlite3_int64 = 0
        guard let bytes = sqlite3_serialize(db, "main", &size, 0) else { throw Failure(description: "cannot serialise \(path)") }
        defer { sqlite3_free(bytes) }
        return Data(bytes: bytes, count: Int(size))
    }
}
