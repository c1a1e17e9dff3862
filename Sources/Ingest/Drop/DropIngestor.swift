import CSVText
import Columnar
import Definitions
import Dispatch
import Foundation

/// How to run an ingest.
public struct IngestOptions: Sendable {
    /// Cores used: sources, and parts of large files, are read at once.
    public var threads: Int
    /// Where refused rows go (`<folder>/<source>.rejects.csv`); nil keeps only their count and place.
    public var quarantineFolder: String?
    /// Told as each source finishes (for progress on a terminal); called from worker threads.
    public var progress: (@Sendable (String) -> Void)?
    /// Plain files of at least twice this size are cut into parts of about this size, read at once
    /// on several cores. The cut does not depend on the number of threads, nor do the results.
    public var partBytes: Int
    /// Notes the line of every refused record per file (`IngestedDrop.refusedLines`), so that the
    /// accepted records of a file can be found again (a build over several drops).
    public var noteRefusedLines = false
    /// How people are linked beyond exact keys (a drop's ingest takes its catalogue's).
    public var linkage = LinkageDefinition()

    public init(
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: String? = nil,
        partBytes: Int = 128 << 20, progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.partBytes = partBytes
        self.threads = max(1, threads)
        self.quarantineFolder = quarantineFolder
        self.progress = progress
    }
}

/// A drop read into typed column tables, one per source, with person ids linked across sources,
/// and the account of every file.
public struct IngestedDrop: Sendable {
    public internal(set) var tables: [String: ColumnTable]
    public internal(set) var reports: [FileReport]
    /// Sources the drop should have but does not (optional sources excluded).
    public let missingSources: [String]
    /// CSV files of the drop that no source reads.
    public let unknownFiles: [String]
    /// Distinct people found across all sources.
    public internal(set) var people: Int
    /// What probabilistic matching did (nil when the linkage definition asks for exact keys only).
    public internal(set) var probabilisticLinkage: ProbabilisticLinkage?
    public let reference: ReferenceData
    public let quarantineFiles: [String]
    /// Quarantine files that could not be written (disk full, a file-size limit): refused rows lost.
    public var quarantineFailures: [String] = []
    /// The line each refused record starts on, per file as reported (with `noteRefusedLines`).
    public var refusedLines: [String: [Int]] = [:]
    /// The path of each file read, by the name it is reported under.
    public var filePaths: [String: String] = [:]
    /// How records of several drops were de-duplicated (nil for a single drop).
    public internal(set) var merge: DropMerge.Report?

    /// What the later stages read of it: the column tables and the area's reference.
    public var data: DropData {
        DropData(
            tables: tables,
            area: AreaReference(
                lsoas: reference.geography.lsoas.map {
                    .init(code: $0.code, wardName: $0.wardName, locality: $0.locality, imdDecile: $0.imdDecile)
                },
                residents: reference.residents, children: reference.children, services: reference.services,
                ageBands: reference.ageBands, residentsByAge: reference.residentsByAge))
    }

    public var status: FileReport.Status {
        if !missingSources.isEmpty || reports.contains(where: { $0.status == .failed }) { return .failed }
        if reports.contains(where: { $0.status == .warnings }) || !unknownFiles.isEmpty { return .warnings }
        if let merge, !merge.notDeduplicated.isEmpty { return .warnings }
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
            claimed.formUnion(mine)
            // A dataset given both plain and gzipped is read once, from the plain file.
            mine = mine.filter { !($0.hasSuffix(".gz") && mine.contains(String($0.dropLast(3)))) }
            bySource.append(mine)
        }
        return (bySource, csv.filter { !claimed.contains($0) })
    }

    /// Reads every source of `catalogue` found in `drop`.
    public static func ingest(
        drop: String, catalogue: SourceCatalogue, reference: ReferenceData, key: LinkageKey,
        options: IngestOptions = IngestOptions()
    ) -> IngestedDrop {
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
        var options = options
        options.linkage = catalogue.linkage
        return ingest(work, reference: reference, key: key, options: options, missing: missing, unknown: unknown)
    }

    /// Reads the given files of each source.
    /// Files are reported under `displayNames[path]`, else their name.
    public static func ingest(
        _ work: [(SourceDefinition, [String])], reference: ReferenceData, key: LinkageKey,
        options: IngestOptions = IngestOptions(), missing: [String] = [], unknown: [String] = [],
        displayNames: [String: String] = [:]
    ) -> IngestedDrop {
        let run = IngestRun(work: work, reference: reference, keyer: PersonKeyer(key: key), options: options, displayNames: displayNames)
        let done = run.joinSources(run.readTasks())
        let (linked, probabilistic) = link(done.map(\.ingestor), options: options)
        let (tables, reports) = run.tablesAndReports(done, linked: linked)
        options.progress?("column tables ready")
        return IngestedDrop(
            tables: tables, reports: reports, missingSources: missing, unknownFiles: unknown,
            people: linked.people, probabilisticLinkage: probabilistic, reference: reference,
            quarantineFiles: done.compactMap(\.quarantine),
            quarantineFailures: done.compactMap(\.quarantineFailure),
            refusedLines: done.reduce(into: [:]) { all, r in all.merge(r.refusedLines) { $0 + $1 } },
            filePaths: Dictionary(work.flatMap { $0.1.map { (run.shown($0), $0) } }, uniquingKeysWith: { a, _ in a }))
    }

    /// Links people across every role of every part of every source, by their pseudonyms.
    private static func link(_ ingestors: [SourceIngestor], options: IngestOptions) -> (PersonLinker.Linked, ProbabilisticLinkage?) {
        let parts = ingestors.flatMap(\.peopleParts)
        var rows: [PersonLinker.RoleRows] = []
        for (p, part) in parts.enumerated() {
            for role in part.roles {
                rows.append(
                    .init(
                        nhs: role.nhs, matchKey: role.matchKey, local: role.local, pseudonyms: part.pseudonyms, pool: p,
                        identity: role.identity, hasOtherIdentifiers: role.hasOtherIdentifiers))
            }
        }
        options.progress?("linking people across \(rows.count) person roles")
        var linked = PersonLinker.link(rows, threads: options.threads)
        options.progress?("\(linked.people) people linked by exact keys")
        var probabilistic: ProbabilisticLinkage?
        if options.linkage.method == .probabilistic {
            let report = ProbabilisticLinker.refine(rows, &linked, definition: options.linkage, threads: options.threads)
            probabilistic = report
            options.progress?(
                "\(linked.people) people after probabilistic matching: \(report.links) links from \(report.candidatePairs) candidate pairs"
            )
        }
        rows = []
        for part in parts { for role in part.roles { role.releaseCodes() } }
        return (linked, probabilistic)
    }

    /// One source's table: its columns, a person id column per role, and its file reports with how
    /// each row was keyed and the per-file summaries.
    static func table(of ingestor: SourceIngestor, linked: PersonLinker.Linked, firstRole: Int) -> (ColumnTable, [FileReport]) {
        var columns = ingestor.columns()
        var fileReports = ingestor.reports
        let roleCount = ingestor.roleNames.count
        var ids = [[UInt32]](repeating: [], count: roleCount)
        var k = firstRole
        for part in ingestor.peopleParts {
            for roleIndex in 0..<roleCount {
                if ids[roleIndex].isEmpty {
                    ids[roleIndex] = linked.ids[k + roleIndex]
                } else {
                    ids[roleIndex] += linked.ids[k + roleIndex]
                }
                // How each row was keyed, counted into its file's report.
                let via = linked.via[k + roleIndex]
                for (f, range) in ingestor.fileRows.enumerated() {
                    let overlap = range.clamped(to: part.rows)
                    guard !overlap.isEmpty else { continue }
                    var counts = [Int](repeating: 0, count: 6)
                    via.withUnsafeBufferPointer { v in
                        for i in overlap { counts[Int(v[i - part.rows.lowerBound].rawValue)] += 1 }
                    }
                    var l = fileReports[f].linkage[roleIndex]
                    l.byNHSNumber += counts[Int(PersonLinker.Via.nhs.rawValue)]
                    l.bridgedToNHSNumber += counts[Int(PersonLinker.Via.bridged.rawValue)]
                    l.byMatchKey += counts[Int(PersonLinker.Via.matchKey.rawValue)]
                    l.byLocalID += counts[Int(PersonLinker.Via.localID.rawValue)]
                    l.unkeyed += counts[Int(PersonLinker.Via.none.rawValue)]
                    l.byProbabilisticMatch += counts[Int(PersonLinker.Via.probabilistic.rawValue)]
                    fileReports[f].linkage[roleIndex] = l
                }
            }
            k += roleCount
        }
        for (name, personIDs) in zip(ingestor.roleNames, ids) {
            columns.append((name, .person(PersonColumn(ids: personIDs))))
        }
        return (ColumnTable(name: ingestor.source.id, rowCount: ingestor.rowCount, columns: columns), fileReports)
    }

    /// One file, or one part of a file, to read.
    struct Read: Sendable {
        let path: String
        var part: CSVPart?
        var header: [String] = []
    }

    /// Work for one core: one file, or one part of one large file.
    struct Task: Sendable {
        let source: Int
        let read: Read
        let bytes: Int
    }

    /// About how many bytes of text a file of `bytes` bytes holds (a gzip file about six times its size).
    static func textBytes(_ bytes: Int, path: String) -> Int { bytes * (path.hasSuffix(".gz") ? 6 : 1) }

    /// One task per file, so that the files of a source are read at once; large plain files are
    /// also cut at record boundaries into parts of about `partBytes`.
    static func plan(_ work: [(SourceDefinition, [String])], options: IngestOptions) -> [Task] {
        var tasks: [Task] = []
        for (i, (_, paths)) in work.enumerated() {
            for path in paths {
                let size = fileSize(path)
                guard let cut = CSVSplitter.parts(of: path, size: size, partBytes: options.partBytes, threads: options.threads) else {
                    tasks.append(Task(source: i, read: Read(path: path), bytes: size))
                    continue
                }
                var header: [String] = []
                _ = try? CSVReader(path: path, part: cut[0]).forEachRecord {
                    header = $0.headerNames(); return false
                }
                // The first part holds no record (only blank lines): the header is further on, so
                // the file is read whole.
                guard !header.isEmpty else {
                    tasks.append(Task(source: i, read: Read(path: path), bytes: size))
                    continue
                }
                for p in cut { tasks.append(Task(source: i, read: Read(path: path, part: p, header: header), bytes: p.bytes.count)) }
            }
        }
        return tasks
    }
}

/// One column's data-quality figures over one file's rows: blanks, the range of a date column,
/// where an area column's rows fall.
struct ColumnFigures: Sendable {
    let field: String
    var nulls = 0
    var days: ClosedRange<Int32>?
    var geography: FileReport.Geography?

    init(of column: Column, field: String, rows: Range<Int>) {
        self.field = field
        var nulls = 0
        switch column {
        case .day(let c):
            var lo = Int32.max, hi = Int32.min
            c.days.withUnsafeBufferPointer { days in
                for i in rows {
                    let d = days[i]
                    if d == DayColumn.null { nulls += 1; continue }
                    lo = min(lo, d); hi = max(hi, d)
                }
            }
            if lo <= hi { days = lo...hi }
        case .code(let c): nulls = Self.count(c.codes, rows) { $0 == 0 }
        case .integer(let c): nulls = Self.count(c.values, rows) { $0 == IntegerColumn.null }
        case .decimal(let c): nulls = Self.count(c.values, rows) { $0.isNaN }
        case .flag(let c): nulls = Self.count(c.values, rows) { $0 == FlagColumn.null }
        case .flagSet(let c): nulls = Self.count(c.masks, rows) { $0 == 0 }
        case .area(let c):
            var g = FileReport.Geography(field: field)
            for i in rows {
                switch c.areas[i] {
                case AreaColumn.missing: g.missing += 1
                case AreaColumn.outside: g.outsideArea += 1
                case AreaColumn.unknown: g.unknownCode += 1
                default: g.inArea += 1
                }
            }
            nulls = g.missing
            geography = g
        case .person: break
        }
        self.nulls = nulls
    }

    private static func count<T>(_ values: [T], _ rows: Range<Int>, where isNull: (T) -> Bool) -> Int {
        values.withUnsafeBufferPointer { v in
            var n = 0
            for i in rows where isNull(v[i]) { n += 1 }
            return n
        }
    }

    /// Adds the figures to a file's report of `n` rows, under the field's name.
    func add(to report: inout FileReport, rows n: Int) {
        if let days {
            report.dateRanges.append(
                .init(field: field, first: DateParser.isoString(days.lowerBound), last: DateParser.isoString(days.upperBound)))
        }
        if let geography { report.geography.append(geography) }
        report.nullRates.append(.init(field: field, nulls: nulls, rate: n == 0 ? 0 : Double(nulls) / Double(n)))
    }
}

// Each written by one worker and read after every worker has finished.
struct SourceResult: @unchecked Sendable {
    let ingestor: SourceIngestor
    let quarantine: String?
    let quarantineFailure: String?
    let refusedLines: [String: [Int]]
}

struct TaskResult: @unchecked Sendable {
    let ingestor: SourceIngestor
    /// False when a part turned out to end inside a record.
    let splitHeld: Bool
    let spool: QuarantineWriter?
}

extension DropIngestor {
    /// Reads files of a source that names no person (published figures, such as comparator
    /// files): nothing is pseudonymised or linked, so no linkage key is involved (the keyer is
    /// given a random one it never uses).
    public static func ingestUnlinked(_ source: SourceDefinition, files: [String], reference: ReferenceData, threads: Int = 2)
        -> IngestedDrop
    {
        precondition(source.people.isEmpty, "source \(source.id) names people: it must be read with the partnership's key")
        var random = SystemRandomNumberGenerator()
        let unused = LinkageKey(secret: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }, origin: .unlinked)
        return ingest([(source, files)], reference: reference, key: unused, options: IngestOptions(threads: threads))
    }
}
