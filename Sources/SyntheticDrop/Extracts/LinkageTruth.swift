import CSVText
import Crypto
import Foundation

/// The role a person plays in a record, by the name the shipped source definitions give it
/// (`people:` in profiles/sources/*.yaml), for the columns the extract's writer fills.
enum PersonRole: String {
    case victim, suspect, person, patient, client, child, adult, applicant, pupil
}

/// Who each person-bearing record of a drop really presents, gathered as the extracts are written
/// (`profiler sample --truth FILE`) so that linkage can be measured; written apart from the drop,
/// never read by ingest. Noting costs no random numbers and moves no row: the drop is the same
/// bytes with it or without it.
///
/// A record gets a row for each role whose columns it fills: a crime against an organisation has
/// no victim row, a crime with no suspect no suspect row. A record whose role columns are written
/// but carry no identifier at all (an A&E attendance or admission without its NHS number, the
/// only identifier those extracts carry) still has its row: the person is real, only
/// unidentifiable.
///
/// The file (gzip when its name ends in `.gz`), format 1:
///
///     # profiler linkage truth 1
///     # file police_crimes.csv.gz records 123456 sha256 <hex of the file's bytes on disk>
///     ...
///     file,line,role,person
///     police_crimes.csv.gz,2,victim,1042
///
/// one `# file` line per extract with rows, in the order written; `line` the physical line the
/// record starts on (the header's is 1); `person` the person's index in the population plus one.
final class LinkageTruth {
    struct Entry {
        let line: Int32
        let person: Int32
        let role: PersonRole
    }

    /// One extract's rows, with what identifies the file they describe.
    struct File {
        let name: String
        let records: Int
        let sha256: String
        let entries: [Entry]
    }

    private(set) var files: [File] = []
    private var pending: [Entry] = []

    /// Rows noted, in all files.
    var rows: Int { files.reduce(pending.count) { $0 + $1.entries.count } }

    /// Notes that the row `w` is writing presents population index `person` in `role`.
    func note(_ w: CSVFileWriter, _ role: PersonRole, _ person: Int) {
        pending.append(Entry(line: Int32(w.line), person: Int32(person), role: role))
    }

    /// Closes the rows noted since the last file as those of `name` (at `path`, closed, holding
    /// `records` data records): hashes the file's bytes. A file with no rows is left out.
    func finish(file name: String, at path: String, records: Int) throws {
        guard !pending.isEmpty else { return }
        files.append(File(name: name, records: records, sha256: try Self.sha256(of: path), entries: pending))
        pending = []
    }

    /// Writes the file at `path`; returns it as written (name `path`, rows the truth rows).
    func write(to path: String) throws -> WrittenFile {
        let w = try CSVFileWriter(path: path)
        w.appendRaw("# profiler linkage truth 1")
        w.endRow()
        for f in files {
            w.appendRaw("# file \(f.name) records \(f.records) sha256 \(f.sha256)")
            w.endRow()
        }
        w.header(["file", "line", "role", "person"])
        for f in files {
            for e in f.entries {
                w.field(f.name)
                w.field(Int(e.line))
                w.field(e.role.rawValue)
                w.field(Int(e.person) + 1)
                w.endRow()
            }
        }
        try w.close()
        return WrittenFile(name: path, rows: w.rows, bytes: fileSize(path))
    }

    /// Lower-case hex SHA-256 of the file's bytes, read a megabyte at a time.
    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SampleDropError.cannotWrite(path + " (cannot read it back to hash it)")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in hash.finalize() { out += [hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
