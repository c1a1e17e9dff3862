import CSVText
import Export
import Foundation

/// Each record's true person, as `profiler sample --truth` writes it beside a synthetic drop:
/// `# file NAME records N sha256 HEX` lines naming the drop files it describes, then
/// `file,line,role,person` rows. Read only by `profiler linkage evaluate`; never by ingest.
public struct LinkageTruth: Sendable {
    /// One drop file the truth describes.
    public struct File: Sendable, Equatable {
        public let name: String
        public let records: Int
        public let sha256: String
    }

    /// The true person of each record of one file's role, by the line the record starts on
    /// (lines ascending).
    struct RoleTruth: Sendable {
        var lines: [Int32] = []
        var persons: [UInt32] = []

        /// The person of the record on `line`, found from `cursor` on (the lines of a file are
        /// asked for in ascending order, so the search only moves forward).
        func person(on line: Int32, from cursor: inout Int) -> UInt32? {
            while cursor < lines.count && lines[cursor] < line { cursor += 1 }
            return cursor < lines.count && lines[cursor] == line ? persons[cursor] : nil
        }
    }

    public let path: String
    public let files: [File]
    /// By file name, then role.
    let roles: [String: [String: RoleTruth]]
    /// Rows read.
    public let rows: Int
    /// The largest person number.
    public let maxPerson: UInt32

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    static let magic = "# profiler linkage truth 1"

    /// Reads a truth file (plain or gzip).
    /// - Throws: `Failure` naming the file and line of anything it cannot read.
    public init(path: String) throws {
        self.path = path
        var files: [File] = []
        // Each (file, role)'s rows, appended in place (a dictionary value copied out and back per
        // row would copy its arrays each time).
        var lists: [RoleTruth] = [], listOf: [String: [String: Int]] = [:]
        var sawHeader = false, rows = 0, maxPerson: UInt32 = 0
        var failure: Failure?
        let fail = { (line: Int, why: String) in Failure(description: "\(path):\(line): \(why)") }
        do {
            try CSVReader(path: path).forEachRecord { record in
                let fields = record.strings()
                if record.index == 1 {
                    guard fields.count == 1, fields[0] == Self.magic else {
                        failure = fail(
                            record.line, "not a linkage truth file (it should start '\(Self.magic)', as `profiler sample --truth` writes)")
                        return false
                    }
                    return true
                }
                if !sawHeader {
                    if fields == ["file", "line", "role", "person"] { sawHeader = true; return true }
                    guard let file = Self.fileLine(fields) else {
                        failure = fail(record.line, "expected '# file NAME records N sha256 HEX' or the header 'file,line,role,person'")
                        return false
                    }
                    files.append(file)
                    return true
                }
                guard fields.count == 4, let line = Int32(fields[1]), line >= 2, let person = UInt32(fields[3]), person > 0,
                    !fields[2].isEmpty
                else {
                    failure = fail(record.line, "expected file,line,role,person with a line of 2 or more and a person number above 0")
                    return false
                }
                guard listOf[fields[0]] != nil || files.contains(where: { $0.name == fields[0] }) else {
                    failure = fail(record.line, "file '\(fields[0])' is not among the '# file' lines")
                    return false
                }
                let k: Int
                if let known = listOf[fields[0]]?[fields[2]] {
                    k = known
                } else {
                    k = lists.count
                    lists.append(RoleTruth())
                    listOf[fields[0], default: [:]][fields[2]] = k
                }
                if let last = lists[k].lines.last, last >= line {
                    failure = fail(
                        record.line,
                        "\(fields[0]) line \(line) \(fields[2]) comes after line \(last): rows must be in line order, each once")
                    return false
                }
                lists[k].lines.append(line)
                lists[k].persons.append(person)
                rows += 1
                maxPerson = max(maxPerson, person)
                return true
            }
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
        if let failure { throw failure }
        guard sawHeader else { throw Failure(description: "\(path): no 'file,line,role,person' header: the file is cut short") }
        self.files = files
        self.roles = listOf.mapValues { $0.mapValues { lists[$0] } }
        self.rows = rows
        self.maxPerson = maxPerson
    }

    /// `# file NAME records N sha256 HEX`, read as one field.
    private static func fileLine(_ fields: [String]) -> File? {
        guard fields.count == 1 else { return nil }
        let parts = fields[0].split(separator: " ").map(String.init)
        guard parts.count == 7, parts[0] == "#", parts[1] == "file", parts[3] == "records", let n = Int(parts[4]),
            parts[5] == "sha256", parts[6].count == 64
        else { return nil }
        return File(name: parts[2], records: n, sha256: parts[6])
    }

    /// Checks that the truth was written for the files at these paths (by name): each file it
    /// names is there, with the same bytes.
    /// - Throws: `Failure` naming the first file missing or changed.
    public func check(against paths: [String: String]) throws {
        for f in files {
            guard let path = paths[f.name] else {
                throw Failure(
                    description:
                        "\(self.path) describes \(f.name), which the drop does not have (or no source reads): it was written for another drop"
                )
            }
            guard let digest = Manifest.sha256(ofFile: path), digest == f.sha256 else {
                throw Failure(
                    description:
                        "\(self.path) was written for another version of \(f.name): \(path) does not have the bytes it describes (sha256 differs)"
                )
            }
        }
    }
}
