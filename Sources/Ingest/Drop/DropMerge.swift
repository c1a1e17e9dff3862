import CSVText
import Columnar
import Crypto
import Definitions
import Dispatch
import Foundation

/// A build over several drops (`--data drop1 --data drop2`): each drop's files are read as files of
/// the same sources, then a record that a later drop gives again (the same dataset, the same values
/// in the source's `record_id` columns) is kept only from the latest drop that has it. Records are
/// matched by a SHA-256 of their record-id fields as written (compared byte for byte), worked out in
/// a pass of its own over each file, outside the ingest's per-row path; the hashes stay in memory.
///
/// - Only accepted rows replace or are replaced; a record refused in a later drop leaves the
///   earlier drop's accepted copy in place.
/// - Rows whose record-id fields are all blank are kept and never matched.
/// - Several rows of one drop with the same record id are all kept (they are that drop's own).
/// - A source with no `record_id` read from more than one drop cannot be de-duplicated: every
///   row is kept and the build warns (status `warnings`, exit code 1).
/// - People are linked over every accepted row of every drop, replaced rows included; the count of
///   people is then taken again over the rows kept.
public enum DropMerge {
    /// What the merge did, per dataset (in the data-quality report and the manifest).
    public struct Report: Sendable, Codable {
        public struct Dataset: Sendable, Codable {
            public let source: String
            /// Accepted rows over every drop, before the merge.
            public var accepted = 0
            /// Rows dropped because a later drop has the same record.
            public var replaced = 0
            /// Rows whose record-id fields are all blank (kept, never matched).
            public var withoutRecordID = 0
            public var kept: Int { accepted - replaced }
        }
        public let drops: [String]
        public var datasets: [Dataset] = []
        /// Sources read from more than one drop with no `record_id`: every row kept.
        public var notDeduplicated: [String] = []
        public var replaced: Int { datasets.reduce(0) { $0 + $1.replaced } }
    }

    /// The merge could not find again the records ingest accepted (a file changed while read).
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A record's identity: the first 128 bits of the SHA-256 of its record-id fields.
    struct RecordKey: Hashable {
        let high: UInt64
        let low: UInt64
    }

    /// Short names for the drops in reports: each folder's name, or its path where two share a name.
    static func labels(_ drops: [String]) -> [String] {
        let names = drops.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
        return Set(names).count == names.count ? names : drops
    }

    /// De-duplicates `ingested` (read from `work`, whose files came from the drops as `dropOfPath`
    /// tells) in place of the tables it holds.
    static func apply(
        _ ingested: IngestedDrop, work: [(SourceDefinition, [String])], displayNames: [String: String],
        dropOfPath: [String: Int], drops: [String], threads: Int
    ) throws -> IngestedDrop {
        var result = ingested
        var report = Report(drops: drops)
        var replacedByFile: [String: Int] = [:]
        for (source, paths) in work {
            guard let table = ingested.tables[source.id] else { continue }
            let reports = ingested.reports.filter { $0.source == source.id }
            guard reports.map(\.file) == paths.map({ displayNames[$0] ?? $0 }) else {
                throw Failure(description: "\(source.id): the files reported are not the files read")
            }
            var dataset = Report.Dataset(source: source.id)
            dataset.accepted = table.rowCount
            let fromDrops = Set(paths.compactMap { dropOfPath[$0] })
            if source.recordID.isEmpty {
                if fromDrops.count > 1 { report.notDeduplicated.append(source.id) }
                report.datasets.append(dataset)
                continue
            }
            // Each file's accepted records, in table order.
            let keys = try recordKeys(
                source: source, paths: paths, reports: reports, displayNames: displayNames,
                refused: ingested.refusedLines, threads: threads)
            guard keys.reduce(0, { $0 + $1.count }) == table.rowCount else {
                throw Failure(
                    description: "\(source.id): \(keys.reduce(0) { $0 + $1.count }) records found again for \(table.rowCount) rows")
            }
            var firstRow: [Int] = []
            var row = 0
            for k in keys { firstRow.append(row); row += k.count }
            // From the latest drop back: a record a later drop has is dropped here.
            var later = Set<RecordKey>()
            var dropped = [Bool](repeating: false, count: table.rowCount)
            for drop in fromDrops.sorted(by: >) {
                let files = paths.indices.filter { dropOfPath[paths[$0]] == drop }
                for f in files {
                    var replaced = 0
                    for (i, key) in keys[f].enumerated() {
                        guard let key else { dataset.withoutRecordID += 1; continue }
                        if later.contains(key) { dropped[firstRow[f] + i] = true; replaced += 1 }
                    }
                    replacedByFile[reports[f].file] = replaced
                    dataset.replaced += replaced
                }
                for f in files { for case let key? in keys[f] { later.insert(key) } }
            }
            if dataset.replaced > 0 {
                result.tables[source.id] = table.filtered(by: RowMask(count: table.rowCount) { !dropped[$0] })
            }
            report.datasets.append(dataset)
        }
        for i in result.reports.indices {
            if let n = replacedByFile[result.reports[i].file] { result.reports[i].replaced = n }
        }
        if report.replaced > 0 { result.people = distinctPeople(result.tables) }
        result.merge = report
        return result
    }

    /// The record key of every accepted record of each file (nil where every record-id field is
    /// blank), files read at once.
    private static func recordKeys(
        source: SourceDefinition, paths: [String], reports: [FileReport], displayNames: [String: String],
        refused: [String: [Int]], threads: Int
    ) throws -> [[RecordKey?]] {
        let results = parallelMap(Array(paths.indices), threads: threads) { f in
            let name = displayNames[paths[f]] ?? paths[f]
            return Result {
                try keysOfFile(
                    paths[f], columns: source.recordID, refused: Set(refused[name] ?? []),
                    expected: reports[f].accepted, name: name)
            }
        }
        return try results.map { try $0.get() }
    }

    /// Reads one file again for its record ids, skipping the header and the records refused.
    private static func keysOfFile(_ path: String, columns: [String], refused: Set<Int>, expected: Int, name: String) throws -> [RecordKey?]
    {
        var keys: [RecordKey?] = []
        keys.reserveCapacity(expected)
        var positions: [Int] = []
        try AcceptedRecords.read(
            path, refused: refused, expected: expected, name: name,
            header: { header in
                positions = columns.compactMap { header.firstIndex(of: $0) }
                guard positions.count == columns.count else { throw Failure(description: "\(name): the header lacks a record_id column") }
            },
            record: { keys.append(key(of: $0, positions: positions)) })
        return keys
    }

    /// SHA-256 over each record-id field, length first, cut to 128 bits; nil when all are blank.
    private static func key(of record: CSVRecord, positions: [Int]) -> RecordKey? {
        var hash = SHA256()
        var blank = true
        for p in positions {
            let field = p < record.count ? record.field(p) : UnsafeBufferPointer(start: nil, count: 0)
            if !field.isEmpty { blank = false }
            var length = UInt64(field.count).littleEndian
            withUnsafeBytes(of: &length) { hash.update(bufferPointer: $0) }
            hash.update(bufferPointer: UnsafeRawBufferPointer(field))
        }
        if blank { return nil }
        let digest = Array(hash.finalize())
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(digest[i]); low = low << 8 | UInt64(digest[8 + i]) }
        return RecordKey(high: high, low: low)
    }

    /// Distinct person ids (0 is no person) over every person column of every table.
    static func distinctPeople(_ tables: [String: ColumnTable]) -> Int {
        var largest: UInt32 = 0
        for t in tables.values { for (_, c) in t.columns { if case .person(let p) = c { largest = max(largest, p.ids.max() ?? 0) } } }
        var seen = [Bool](repeating: false, count: Int(largest) + 1)
        var count = 0
        for t in tables.values {
            for (_, c) in t.columns {
                guard case .person(let p) = c else { continue }
                for id in p.ids where id != 0 && !seen[Int(id)] { seen[Int(id)] = true; count += 1 }
            }
        }
        return count
    }
}

extension DropIngestor {
    /// Reads several drops in order as one: each dataset's files from every drop that has them,
    /// then keeps each record from the latest drop that gives it (see `DropMerge`). One drop is
    /// read as `ingest(drop:)` reads it. Files are reported as `<drop folder>/<file>`.
    /// - Throws: `DropMerge.Failure` when the records accepted cannot be found again.
    public static func ingest(
        drops: [String], catalogue: SourceCatalogue, reference: ReferenceData, key: LinkageKey,
        options: IngestOptions = IngestOptions()
    ) throws -> IngestedDrop {
        if drops.count == 1 { return ingest(drop: drops[0], catalogue: catalogue, reference: reference, key: key, options: options) }
        let labels = DropMerge.labels(drops)
        var perSource = [[String]](repeating: [], count: catalogue.sources.count)
        var displayNames: [String: String] = [:]
        var dropOfPath: [String: Int] = [:]
        var unknown: [String] = []
        for (d, drop) in drops.enumerated() {
            let (bySource, strays) = files(in: drop, for: catalogue)
            for (s, names) in bySource.enumerated() {
                for name in names {
                    let path = drop + "/" + name
                    perSource[s].append(path)
                    displayNames[path] = labels[d] + "/" + name
                    dropOfPath[path] = d
                }
            }
            unknown += strays.map { labels[d] + "/" + $0 }
        }
        var work: [(SourceDefinition, [String])] = []
        var missing: [String] = []
        for (s, paths) in zip(catalogue.sources, perSource) {
            if paths.isEmpty {
                if !s.optional { missing.append(s.id) }
                continue
            }
            work.append((s, paths))
        }
        var noting = options
        noting.noteRefusedLines = true
        noting.linkage = catalogue.linkage
        let ingested = ingest(
            work, reference: reference, key: key, options: noting, missing: missing, unknown: unknown,
            displayNames: displayNames)
        // A drop over its tolerance is not built: nothing to merge.
        if ingested.status == .failed { return ingested }
        return try DropMerge.apply(
            ingested, work: work, displayNames: displayNames, dropOfPath: dropOfPath,
            drops: drops, threads: options.threads)
    }
}
