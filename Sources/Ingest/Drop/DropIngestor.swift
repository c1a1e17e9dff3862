import Columnar
import Definitions
import Dispatch
import Foundation

/// How to run an ingest.
public struct IngestOptions: Sendable {
    /// Sources read at once (each source's files in order on one thread).
    public var threads: Int
    /// Where refused rows go (`<folder>/<source>.rejects.csv`); nil keeps only their count and place.
    public var quarantineFolder: String?
    /// Told as each source finishes (for progress on a terminal); called from worker threads.
    public var progress: (@Sendable (String) -> Void)?

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: String? = nil,
                progress: (@Sendable (String) -> Void)? = nil) {
        self.threads = max(1, threads)
        self.quarantineFolder = quarantineFolder
        self.progress = progress
    }
}

/// A drop read into typed column tables, one per source, with person ids linked across sources,
/// and the account of every file.
public struct IngestedDrop: Sendable {
    public let tables: [String: ColumnTable]
    public let reports: [FileReport]
    /// Sources the drop should have but does not (optional sources excluded).
    public let missingSources: [String]
    /// CSV files of the drop that no source reads.
    public let unknownFiles: [String]
    /// Distinct people found across all sources.
    public let people: Int
    public let reference: ReferenceData
    public let quarantineFiles: [String]

    public var status: FileReport.Status {
        if !missingSources.isEmpty || reports.contains(where: { $0.status == .failed }) { return .failed }
        if reports.contains(where: { $0.status == .warnings }) || !unknownFiles.isEmpty { return .warnings }
        return .clean
    }
}

public enum DropIngestor {
    /// The files of `drop` each source reads, in name order.
    public static func files(in drop: String, for catalogue: SourceCatalogue) -> (bySource: [[String]], unknown: [String]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: drop)) ?? []).sorted()
        let csv = names.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".csv.gz") }
        var claimed = Set<String>()
        var bySource: [[String]] = []
        for s in catalogue.sources {
            var mine = csv.filter { s.matches(fileName: $0) }
            // A dataset given both plain and gzipped is read once, from the plain file.
            mine = mine.filter { !($0.hasSuffix(".gz") && mine.contains(String($0.dropLast(3)))) }
            claimed.formUnion(mine)
            bySource.append(mine)
        }
        return (bySource, csv.filter { !claimed.contains($0) })
    }

    /// Reads every source of `catalogue` found in `drop`.
    public static func ingest(drop: String, catalogue: SourceCatalogue, reference: ReferenceData, key: LinkageKey,
                              options: IngestOptions = IngestOptions()) -> IngestedDrop {
        let (bySource, unknown) = files(in: drop, for: catalogue)
        var work: [(SourceDefinition, [String])] = []
        var missing: [String] = []
        for (s, names) in zip(catalogue.sources, bySource) {
            if names.isEmpty {
                if !s.optional { missing.append(s.id) }
                continue
            }
            work.append((s, names.map { drop + "/" + $0 }))
        }
        return ingest(work, reference: reference, key: key, options: options, missing: missing, unknown: unknown)
    }

    /// Reads the given files of each source.
    public static func ingest(_ work: [(SourceDefinition, [String])], reference: ReferenceData, key: LinkageKey,
                              options: IngestOptions = IngestOptions(), missing: [String] = [], unknown: [String] = []) -> IngestedDrop {
        let results = ResultSlots(count: work.count)
        let next = Counter()
        // Largest sources first, so the last to finish is a small one (results keep source order).
        let order = work.indices.sorted { a, b in
            let sa = work[a].1.reduce(0) { $0 + fileSize($1) }, sb = work[b].1.reduce(0) { $0 + fileSize($1) }
            return sa != sb ? sa > sb : a < b
        }
        let finished = Counter()
        DispatchQueue.concurrentPerform(iterations: min(options.threads, max(1, work.count))) { _ in
            while let taken = next.take(below: work.count) {
                let i = order[taken]
                let (source, paths) = work[i]
                let quarantine = options.quarantineFolder.map { QuarantineWriter(folder: $0, source: source.id) }
                let ingestor = SourceIngestor(source: source, reference: reference, quarantine: quarantine)
                for path in paths { ingestor.ingest(path: path, displayName: (path as NSString).lastPathComponent) }
                quarantine?.close()
                results.set(i, SourceResult(ingestor: ingestor, quarantine: quarantine.flatMap { $0.rows > 0 ? $0.path : nil }))
                options.progress?("\(source.id): \(ingestor.rowCount) rows accepted from \(paths.count) file(s) (\(finished.take(below: .max)! + 1) of \(work.count) sources)")
            }
        }
        let done = results.all()
        // Pseudonymise every distinct identifier once, then link people across every role of every source.
        let pseudonyms = PersonKeyer(key: key).pseudonymise(done.map(\.ingestor.pool), threads: options.threads)
        var rows: [PersonLinker.RoleRows] = []
        for (r, map) in zip(done, pseudonyms) {
            for role in r.ingestor.roles {
                rows.append(.init(nhs: role.nhs, matchKey: role.matchKey, local: role.local, pseudonyms: map))
            }
        }
        options.progress?("linking people across \(rows.count) person roles")
        let linked = PersonLinker.link(rows)
        rows = []
        for r in done { for role in r.ingestor.roles { role.releaseCodes() } }
        var tables: [String: ColumnTable] = [:]
        var reports: [FileReport] = []
        var k = 0
        for r in done {
            let ingestor = r.ingestor
            var columns = ingestor.columns()
            var fileReports = ingestor.reports
            for (roleIndex, role) in ingestor.roles.enumerated() {
                columns.append((role.role.name, .person(PersonColumn(ids: linked.ids[k]))))
                for (f, range) in ingestor.fileRows.enumerated() {
                    var l = fileReports[f].linkage[roleIndex]
                    for i in range {
                        switch linked.via[k][i] {
                        case .nhs: l.byNHSNumber += 1
                        case .bridged: l.bridgedToNHSNumber += 1
                        case .matchKey: l.byMatchKey += 1
                        case .localID: l.byLocalID += 1
                        case .none: l.unkeyed += 1
                        }
                    }
                    fileReports[f].linkage[roleIndex] = l
                }
                k += 1
            }
            let table = ColumnTable(name: ingestor.source.id, rowCount: ingestor.rowCount, columns: columns)
            for f in fileReports.indices { summarise(&fileReports[f], table: table, builders: ingestor.fieldBuilders(), rows: ingestor.fileRows[f]) }
            tables[ingestor.source.id] = table
            reports += fileReports
        }
        return IngestedDrop(tables: tables, reports: reports, missingSources: missing, unknownFiles: unknown,
                            people: linked.people, reference: reference, quarantineFiles: done.compactMap(\.quarantine))
    }

    /// Adds the per-file data-quality figures: date ranges, null rates, geography, unknown codes.
    private static func summarise(_ report: inout FileReport, table: ColumnTable, builders: [FieldBuilder], rows: Range<Int>) {
        let n = rows.count
        for b in builders {
            guard let column = table[b.name] else { continue }
            var nulls = 0
            switch column {
            case .day(let c):
                var lo = Int32.max, hi = Int32.min
                for i in rows {
                    let d = c.days[i]
                    if d == DayColumn.null { nulls += 1; continue }
                    lo = min(lo, d); hi = max(hi, d)
                }
                if lo <= hi {
                    report.dateRanges.append(.init(field: b.name, first: DateParser.isoString(lo), last: DateParser.isoString(hi)))
                }
            case .code(let c): for i in rows where c.codes[i] == 0 { nulls += 1 }
            case .integer(let c): for i in rows where c.values[i] == IntegerColumn.null { nulls += 1 }
            case .decimal(let c): for i in rows where c.values[i].isNaN { nulls += 1 }
            case .flag(let c): for i in rows where c.values[i] == FlagColumn.null { nulls += 1 }
            case .flagSet(let c): for i in rows where c.masks[i] == 0 { nulls += 1 }
            case .area(let c):
                var g = FileReport.Geography(field: b.name)
                for i in rows {
                    switch c.areas[i] {
                    case AreaColumn.missing: g.missing += 1; nulls += 1
                    case AreaColumn.outside: g.outsideArea += 1
                    case AreaColumn.unknown: g.unknownCode += 1
                    default: g.inArea += 1
                    }
                }
                report.geography.append(g)
            case .person: break
            }
            report.nullRates.append(.init(field: b.name, nulls: nulls, rate: n == 0 ? 0 : Double(nulls) / Double(n)))
        }
        // Unknown codes are counted per source; the source's first file carries them.
        if report.unknownCodes.isEmpty && rows.lowerBound == 0 {
            report.unknownCodes = builders.flatMap { Array($0.unknownCodes().prefix(10)) }
        }
    }
}

private struct SourceResult: @unchecked Sendable {
    let ingestor: SourceIngestor
    let quarantine: String?
}

/// Results written by worker threads, each to its own slot.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [SourceResult?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: SourceResult) { lock.lock(); slots[i] = r; lock.unlock() }
    func all() -> [SourceResult] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
