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
        let db = try Connection()
        try db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
        try db.exec(
            """
            CREATE TABLE catalogue (table_name TEXT PRIMARY KEY, profile TEXT, table_id TEXT, section TEXT, title TEXT, description TEXT);
            CREATE TABLE columns (table_name TEXT, position INTEGER, column_name TEXT, kind TEXT, description TEXT,
                                  PRIMARY KEY (table_name, position));
            """)
        let catalogue = try db.prepare("INSERT INTO catalogue VALUES (?, ?, ?, ?, ?, ?)")
        let columnRow = try db.prepare("INSERT INTO columns VALUES (?, ?, ?, ?, ?)")
        defer { sqlite3_finalize(catalogue); sqlite3_finalize(columnRow) }
        for (profile, table) in tables {
            let name = profile.isEmpty ? table.id : "\(profile)__\(table.id)"
            let shown = table.columns.indices.filter { !table.hidden.contains($0) }
            try create(table, named: name, columns: shown, in: db)
            for (k, v) in [name, profile, table.id, table.section, table.title, table.description].enumerated() {
                sqlite3_bind_text(catalogue, Int32(k + 1), v, -1, Connection.transient)
            }
            try db.step(catalogue)
            for (position, i) in shown.enumerated() {
                let (kind, about) = describe(table.kinds[i])
                sqlite3_bind_text(columnRow, 1, name, -1, Connection.transient)
                sqlite3_bind_int64(columnRow, 2, Int64(position + 1))
                sqlite3_bind_text(columnRow, 3, table.columns[i], -1, Connection.transient)
                sqlite3_bind_text(columnRow, 4, kind, -1, Connection.transient)
                sqlite3_bind_text(columnRow, 5, about, -1, Connection.transient)
                try db.step(columnRow)
            }
            try write(table, named: name, columns: shown, into: db)
        }
        try db.exec("COMMIT")
        return try db.serialised()
    }

    /// A column kind's name and description in the catalogue.
    private static func describe(_ kind: ProfileTable.ColumnKind) -> (String, String) {
        switch kind {
        case .label: ("label", "the value of a breakdown")
        case .count: ("count", "a count; c where withheld by disclosure control")
        case .derived: ("derived", "worked out from counts of the same row; c where they are withheld")
        case .other: ("other", "")
        }
    }

    /// The table of the database for the profile table's shown columns.
    private static func create(_ table: ProfileTable, named name: String, columns shown: [Int], in db: Connection) throws {
        let definitions = shown.map { i -> String in
            let type: String =
                switch table.kinds[i] {
                case .label: "TEXT"
                case .count: "INTEGER"
                case .derived: "REAL"
                case .other: "TEXT"
                }
            return Connection.quoted(table.columns[i]) + " " + type
        }
        try db.exec("CREATE TABLE \(Connection.quoted(name)) (\(definitions.joined(separator: ", ")))")
    }

    /// The table's rows, into its table of the database.
    private static func write(_ table: ProfileTable, named name: String, columns shown: [Int], into db: Connection) throws {
        let insert = try db.prepare("INSERT INTO \(Connection.quoted(name)) VALUES (\(shown.map { _ in "?" }.joined(separator: ", ")))")
        defer { sqlite3_finalize(insert) }
        for row in table.rows {
            for (k, i) in shown.enumerated() {
                let p = Int32(k + 1)
                switch row[i] {
                case .text(let s): sqlite3_bind_text(insert, p, s, -1, Connection.transient)
                case .count(let n): sqlite3_bind_int64(insert, p, Int64(n))
                case .number(let x, _): if x.isFinite { sqlite3_bind_double(insert, p, x) } else { sqlite3_bind_null(insert, p) }
                case .missing: sqlite3_bind_null(insert, p)
                case .suppressed: sqlite3_bind_text(insert, p, "c", -1, Connection.transient)
                }
            }
            try db.step(insert)
        }
    }

    /// An in-memory database, closed when released; every failure names the database and SQLite's message.
    private final class Connection {
        static let path = "profiles.sqlite (in memory)"
        static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let db: OpaquePointer

        init() throws {
            var db: OpaquePointer?
            guard sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
                throw Failure(description: "cannot create \(Self.path)")
            }
            self.db = db
        }

        deinit { sqlite3_close(db) }

        func exec(_ sql: String) throws {
            var message: UnsafeMutablePointer<CChar>?
            if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
                let text = message.map { String(cString: $0) } ?? "unknown error"
                sqlite3_free(message)
                throw Failure(description: "\(Self.path): \(text) in: \(sql.prefix(120))")
            }
        }

        func prepare(_ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw Failure(description: "\(Self.path): \(String(cString: sqlite3_errmsg(db)))")
            }
            return statement
        }

        func step(_ s: OpaquePointer) throws {
            guard sqlite3_step(s) == SQLITE_DONE else { throw Failure(description: "\(Self.path): \(String(cString: sqlite3_errmsg(db)))") }
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
        }

        func serialised() throws -> Data {
            var size: sqlite3_int64 = 0
            guard let bytes = sqlite3_serialize(db, "main", &size, 0) else { throw Failure(description: "cannot serialise \(Self.path)") }
            defer { sqlite3_free(bytes) }
            return Data(bytes: bytes, count: Int(size))
        }

        static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    }
}
