import CSVText
import Columnar
import Definitions
import Foundation
import Ingest

/// How well a drop's people were linked, measured against each record's true person.
///
/// A record is one role of one accepted row (a crime's victim, its suspect). Pairwise measures
/// count pairs of records: linked pairs share a person id, true pairs share a true person, and
/// correct pairs are both. Precision is correct / linked, recall correct / true. A record the
/// linkage gave no id is a person of its own. Each dataset and role is measured over the pairs
/// with at least one of its records.
public struct LinkageEvaluation: Sendable, Codable {
    public struct Measures: Sendable, Codable, Equatable {
        public var records = 0
        /// Records the linkage gave no person id (no identifier it could key).
        public var unlinked = 0
        public var linkedPairs = 0
        public var truePairs = 0
        public var correctPairs = 0
        /// True pairs whose two records are joined by what the records present (a chain of
        /// records of the person sharing an NHS number or a local id, or naming the person): the
        /// pairs any linkage could find. A pair of an A&E record (NHS number only) and a police
        /// record (names only) of someone no record shows with both is not one.
        public var linkablePairs = 0
        public var correctLinkablePairs = 0
        /// Records whose id is not the one most of their true person's records have.
        public var splitOff = 0
        /// Records whose id is held mostly by another true person's records.
        public var mergedIn = 0

        public var precision: Double { linkedPairs == 0 ? 1 : Double(correctPairs) / Double(linkedPairs) }
        public var recall: Double { truePairs == 0 ? 1 : Double(correctPairs) / Double(truePairs) }
        /// Recall of the linkable pairs.
        public var linkableRecall: Double { linkablePairs == 0 ? 1 : Double(correctLinkablePairs) / Double(linkablePairs) }
    }

    public struct Group: Sendable, Codable, Equatable {
        public let dataset: String
        public let role: String
        public var measures: Measures
    }

    public var overall = Measures()
    public var groups: [Group] = []
    /// True people among the records, and person ids the linkage gave them.
    public var truePeople = 0
    public var linkedPeople = 0
    /// True people whose records have more than one id (a record without an id counts as one).
    public var peopleSplit = 0
    /// Ids given to the records of more than one true person.
    public var idsMerging = 0
    /// Truth rows with no accepted record (refused at ingest).
    public var truthRowsNotRead = 0
    /// Accepted records with a person id that the truth has no person for.
    public var linkedWithoutTruth = 0
    /// The profiles' people figures built from the linked ids and from the true people.
    public var figures: [FigureEffect] = []
}

/// The records measured: each one's linked id, true person and (dataset, role) group, and per
/// table the true person of each row's role (for building the profiles as the truth has them).
struct TruthRecords {
    var linked: [UInt32] = []
    var truth: [UInt32] = []
    var group: [UInt16] = []
    var groups: [(dataset: String, role: String)] = []
    /// What each record presents of its person (for the pairs any linkage could find).
    var presented: [Presented] = []
    /// Where each record is: its file (index into `files`) and line.
    var files: [String] = []
    var places: [(file: Int32, line: Int32)] = []
    var truthRowsMatched = 0
    var linkedWithoutTruth = 0
    /// Table name → role → each row's record (its index + 1; 0: none), for building the
    /// profiles with other ids (the true people, the linkable parts of each).
    var recordColumns: [String: [String: [UInt32]]] = [:]

    /// Pairs each accepted record of every file the truth describes with its true person.
    /// - Throws: `DropMerge.Failure` when a file no longer gives the records ingest accepted.
    init(_ ingested: IngestedDrop, truth: LinkageTruth, catalogue: SourceCatalogue) throws {
        let described = Set(truth.files.map(\.name))
        // The records of each file and role, by line, as the first source reading them met them.
        var recordsOf: [String: (lines: [Int32], records: [UInt32])] = [:]
        for name in ingested.tables.keys.sorted() {
            guard let table = ingested.tables[name] else { continue }
            let reports = ingested.reports.filter { $0.source == name && described.contains($0.file) }
            guard !reports.isEmpty else { continue }
            let roles = table.columns.compactMap { c -> (String, [UInt32])? in
                if case .person(let p) = c.column { return (c.name, p.ids) }
                return nil
            }
            var columns = roles.map { _ in [UInt32](repeating: 0, count: table.rowCount) }
            var row = 0
            for report in ingested.reports where report.source == name {
                defer { row += report.accepted }
                guard described.contains(report.file), let path = ingested.filePaths[report.file] else { continue }
                let definitions = roles.map { role in catalogue.source(name)?.people.first { $0.name == role.0 } }
                let (lines, shown) = try Self.acceptedRecords(
                    path, refused: Set(ingested.refusedLines[report.file] ?? []), expected: report.accepted, name: report.file,
                    roles: definitions, system: name)
                files.append(report.file)
                for (r, (role, ids)) in roles.enumerated() {
                    let key = report.file + "\u{1F}" + role
                    let fileTruth = truth.roles[report.file]?[role]
                    let earlier = recordsOf[key]
                    let g = groupIndex(report.file, role)
                    var (cursor, seen) = (0, 0)
                    var mine: (lines: [Int32], records: [UInt32]) = ([], [])
                    for (i, line) in lines.enumerated() {
                        if let earlier {
                            // Another source reads the file too: its records are counted once.
                            while seen < earlier.lines.count && earlier.lines[seen] < Int32(line) { seen += 1 }
                            if seen < earlier.lines.count && earlier.lines[seen] == Int32(line) {
                                columns[r][row + i] = earlier.records[seen]
                            }
                            continue
                        }
                        let person = fileTruth?.person(on: Int32(line), from: &cursor) ?? 0
                        let id = ids[row + i]
                        if person == 0 {
                            if id != 0 { linkedWithoutTruth += 1 }
                            continue
                        }
                        columns[r][row + i] = UInt32(linked.count + 1)
                        mine.lines.append(Int32(line))
                        mine.records.append(UInt32(linked.count + 1))
                        linked.append(id)
                        presented.append(shown[r][i])
                        places.append((Int32(files.count - 1), Int32(line)))
                        self.truth.append(person)
                        group.append(g)
                        truthRowsMatched += 1
                    }
                    if earlier == nil { recordsOf[key] = mine }
                }
            }
            recordColumns[name] = Dictionary(uniqueKeysWithValues: zip(roles.map(\.0), columns))
        }
    }

    private mutating func groupIndex(_ file: String, _ role: String) -> UInt16 {
        var dataset = file
        for suffix in [".gz", ".csv"] where dataset.hasSuffix(suffix) { dataset.removeLast(suffix.count) }
        if let i = groups.firstIndex(where: { $0.dataset == dataset && $0.role == role }) { return UInt16(i) }
        groups.append((dataset, role))
        return UInt16(groups.count - 1)
    }

    /// The line each accepted record of a file starts on, read again (the header and the refused
    /// records skipped), and what each record presents of each role's person.
    static func acceptedRecords(
        _ path: String, refused: Set<Int>, expected: Int, name: String, roles: [PersonRole?], system: String
    ) throws -> (lines: [Int], presented: [[Presented]]) {
        var lines: [Int] = []
        lines.reserveCapacity(expected)
        var presented = roles.map { _ in [Presented]() }
        var readers: [Presented.Reader] = []
        try AcceptedRecords.read(
            path, refused: refused, expected: expected, name: name,
            header: { header in readers = roles.map { Presented.Reader($0, header: header, source: system) } },
            record: { record in
                lines.append(record.line)
                for r in readers.indices { presented[r].append(readers[r].read(record)) }
            })
        return (lines, presented)
    }
}

/// What one record presents of its person, for deciding which true pairs any linkage could find:
/// a valid NHS number, a local id (hashed with its system, in memory only), and whether it names
/// the person: a surname with a date of birth, or with a forename and an age (the months of
/// birth). A name alone names no one: many people share one.
struct Presented {
    var nhs: UInt64 = 0
    var local = 0
    var named = false
    /// Whether it presents any identifier (an NHS number, a local id, a surname): a record that
    /// presents none is no one any linkage could count.
    var any = false

    struct Reader {
        var nhs: Int?, surname: Int?, forename: Int?, birth: Int?, local: Int?, age: Int?
        let system: String

        init(_ role: PersonRole?, header: [String], source: String) {
            var system = source
            for id in role?.identity ?? [] {
                let column = header.firstIndex(of: id.column)
                switch id.kind {
                case .nhsNumber: nhs = column
                case .surname: surname = column
                case .forename: forename = column
                case .dateOfBirth: birth = column
                case .localID:
                    local = column
                    system = id.system.map { "system:" + $0 } ?? source
                }
            }
            self.system = system
            if let f = role?.fields.first(where: { $0.name == "age" && $0.type == .integer }) { age = header.firstIndex(of: f.column) }
        }

        func read(_ record: CSVRecord) -> Presented {
            func text(_ c: Int?) -> String? {
                guard let c, c < record.count else { return nil }
                let s = record.string(c).trimmingCharacters(in: .whitespaces)
                return s.isEmpty ? nil : s
            }
            var p = Presented()
            if let c = nhs, c < record.count, case .valid(let v) = Identifiers.nhsNumber(record.field(c)) { p.nhs = v }
            if let id = text(local) {
                var h = Hasher()
                h.combine(system)
                h.combine(id)
                p.local = h.finalize() | 1
            }
            p.named = text(surname) != nil && (text(birth) != nil || (text(forename) != nil && text(age) != nil))
            p.any = p.nhs != 0 || p.local != 0 || text(surname) != nil
            return p
        }
    }
}
