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

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: String? = nil,
                partBytes: Int = 128 << 20, progress: (@Sendable (String) -> Void)? = nil) {
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
        DropData(tables: tables, area: AreaReference(
            lsoas: reference.geography.lsoas.map { .init(code: $0.code, wardName: $0.wardName, locality: $0.locality, imdDecile: $0.imdDecile) },
            residents: reference.residents, children: reference.children))
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
    /// Files are reported under `displayNames[path]`, else their name.
    public static func ingest(_ work: [(SourceDefinition, [String])], reference: ReferenceData, key: LinkageKey,
                              options: IngestOptions = IngestOptions(), missing: [String] = [], unknown: [String] = [],
                              displayNames: [String: String] = [:]) -> IngestedDrop {
        let tasks = plan(work, options: options)
        let keyer = PersonKeyer(key: key)
        @Sendable func shown(_ path: String) -> String { displayNames[path] ?? (path as NSString).lastPathComponent }
        let quarantines = work.map { w in QuarantineWriter.make(folder: options.quarantineFolder, source: w.0.id, noteLines: options.noteRefusedLines) }
        // Sources read as more than one task (several files, or parts of one).
        let split = Set(Dictionary(grouping: tasks, by: \.source).filter { $0.value.count > 1 }.keys)
        let results = Slots<TaskResult>(count: tasks.count)
        let next = Counter()
        // Largest pieces first, so the last to finish is a small one (results keep file order).
        let order = tasks.indices.sorted { tasks[$0].bytes != tasks[$1].bytes ? tasks[$0].bytes > tasks[$1].bytes : $0 < $1 }
        DispatchQueue.concurrentPerform(iterations: min(options.threads, max(1, tasks.count))) { _ in
            while let taken = next.take(below: tasks.count) {
                let t = tasks[order[taken]]
                let source = work[t.source].0
                // A source read in parts spools each part's rejects until the parts are joined.
                let quarantine = split.contains(t.source)
                    ? QuarantineWriter.make(folder: options.quarantineFolder, source: source.id, part: order[taken], noteLines: options.noteRefusedLines)
                    : quarantines[t.source]
                let ingestor = SourceIngestor(source: source, reference: reference, quarantine: quarantine)
                let r = t.read
                let held = ingestor.ingest(path: r.path, displayName: shown(r.path), part: r.part, header: r.header)
                ingestor.finishReading(keyer: keyer)
                results.set(order[taken], TaskResult(ingestor: ingestor, splitHeld: held, spool: split.contains(t.source) ? quarantine : nil))
                if split.contains(t.source) {
                    let part = r.part.map { " part \($0.index + 1)" } ?? ""
                    options.progress?("\(source.id): \(shown(r.path))\(part) read, \(ingestor.rowCount) rows accepted")
                }
            }
        }
        let pieces = results.all()
        // Join each source's pieces in file order (sources in parallel).
        let joined = Slots<SourceResult>(count: work.count)
        let finished = Counter(), nextSource = Counter()
        DispatchQueue.concurrentPerform(iterations: min(options.threads, max(1, work.count))) { _ in
            while let i = nextSource.take(below: work.count) {
                let (source, paths) = work[i]
                let mine = tasks.indices.filter { tasks[$0].source == i }.map { pieces[$0] }
                var ingestor = mine[0].ingestor
                var whole = mine.allSatisfy(\.splitHeld)
                if whole { whole = ingestor.join(mine.dropFirst().map(\.ingestor)) }
                if whole {
                    for piece in mine { if let spool = piece.spool { quarantines[i]?.adopt(spool) } }
                } else {
                    // A part cut inside a record, or parts that cannot be joined: read the source in one piece.
                    for piece in mine { piece.spool?.discard() }
                    ingestor = SourceIngestor(source: source, reference: reference, quarantine: quarantines[i])
                    for path in paths { ingestor.ingest(path: path, displayName: shown(path)) }
                    ingestor.finishReading(keyer: keyer)
                }
                quarantines[i]?.close()
                joined.set(i, SourceResult(ingestor: ingestor, quarantine: quarantines[i].flatMap { $0.rows > 0 ? $0.path : nil },
                                           quarantineFailure: quarantines[i]?.failure, refusedLines: quarantines[i]?.refusedLines ?? [:]))
                options.progress?("\(source.id): \(ingestor.rowCount) rows accepted from \(paths.count) file(s) (\(finished.take(below: .max)! + 1) of \(work.count) sources)")
            }
        }
        let done = joined.all()
        // Link people across every role of every part of every source, by their pseudonyms.
        let parts = done.flatMap(\.ingestor.peopleParts)
        var rows: [PersonLinker.RoleRows] = []
        for (p, part) in parts.enumerated() {
            for role in part.roles {
                rows.append(.init(nhs: role.nhs, matchKey: role.matchKey, local: role.local, pseudonyms: part.pseudonyms, pool: p,
                                  hasOtherIdentifiers: role.hasOtherIdentifiers))
            }
        }
        options.progress?("linking people across \(rows.count) person roles")
        let linked = PersonLinker.link(rows, threads: options.threads)
        options.progress?("\(linked.people) people linked")
        rows = []
        for part in parts { for role in part.roles { role.releaseCodes() } }
        // Each source's table (columns, person ids, how rows were keyed, file summaries), sources in
        // parallel; `firstRole[i]` is where source i's roles start in the linker's output.
        let firstRole = done.reduce(into: [0]) { starts, r in
            starts.append(starts.last! + r.ingestor.peopleParts.count * r.ingestor.roleNames.count)
        }
        let built = Slots<(ColumnTable, [FileReport])>(count: done.count)
        let nextTable = Counter()
        // Largest sources first, so the last to finish is a small one.
        let bySize = done.indices.sorted { done[$0].ingestor.rowCount > done[$1].ingestor.rowCount }
        DispatchQueue.concurrentPerform(iterations: min(options.threads, max(1, done.count))) { _ in
            while let taken = nextTable.take(below: done.count) {
                let i = bySize[taken]
                built.set(i, table(of: done[i].ingestor, linked: linked, firstRole: firstRole[i]))
            }
        }
        var tables: [String: ColumnTable] = [:]
        var reports: [FileReport] = []
        var summaries: [(report: Int, table: ColumnTable, builder: FieldBuilder, rows: Range<Int>)] = []
        for (i, (table, fileReports)) in built.all().enumerated() {
            tables[table.name] = table
            let ingestor = done[i].ingestor
            for (f, report) in fileReports.enumerated() {
                for b in ingestor.fieldBuilders() { summaries.append((reports.count, table, b, ingestor.fileRows[f])) }
                reports.append(report)
                // Unknown codes are counted per source; the source's first file carries them.
                if f == 0 && report.unknownCodes.isEmpty {
                    reports[reports.count - 1].unknownCodes = ingestor.fieldBuilders().flatMap { Array($0.unknownCodes().prefix(10)) }
                }
            }
        }
        // The per-file figures of every column (null rates, date ranges, geography), each column of
        // each file on its own, on all cores; added to the reports in field order.
        let figures = Slots<ColumnFigures?>(count: summaries.count)
        let nextSummary = Counter()
        nonisolated(unsafe) let jobs = summaries
        DispatchQueue.concurrentPerform(iterations: min(options.threads, max(1, jobs.count))) { _ in
            while let j = nextSummary.take(below: jobs.count) {
                let field = jobs[j].builder.name
                figures.set(j, jobs[j].table[field].map { ColumnFigures(of: $0, field: field, rows: jobs[j].rows) })
            }
        }
        for (job, f) in zip(summaries, figures.all()) {
            guard let f else { continue }
            f.add(to: &reports[job.report], rows: job.rows.count)
        }
        options.progress?("column tables ready")
        return IngestedDrop(tables: tables, reports: reports, missingSources: missing, unknownFiles: unknown,
                            people: linked.people, reference: reference, quarantineFiles: done.compactMap(\.quarantine),
                            quarantineFailures: done.compactMap(\.quarantineFailure),
                            refusedLines: done.reduce(into: [:]) { all, r in all.merge(r.refusedLines) { $0 + $1 } },
                            filePaths: Dictionary(work.flatMap { $0.1.map { (shown($0), $0) } }, uniquingKeysWith: { a, _ in a }))
    }

    /// One source's table: its columns, a person id column per role, and its file reports with how
    /// each row was keyed and the per-file summaries.
    private static func table(of ingestor: SourceIngestor, linked: (via: [[PersonLinker.Via]], people: Int, ids: [[UInt32]]),
                              firstRole: Int) -> (ColumnTable, [FileReport]) {
        var columns = ingestor.columns()
        var fileReports = ingestor.reports
        let roleCount = ingestor.roleNames.count
        var ids = [[UInt32]](repeating: [], count: roleCount)
        var k = firstRole
        for part in ingestor.peopleParts {
            for roleIndex in 0..<roleCount {
                if ids[roleIndex].isEmpty { ids[roleIndex] = linked.ids[k + roleIndex] } else { ids[roleIndex] += linked.ids[k + roleIndex] }
                // How each row was keyed, counted into its file's report.
                let via = linked.via[k + roleIndex]
                for (f, range) in ingestor.fileRows.enumerated() {
                    let overlap = range.clamped(to: part.rows)
                    guard !overlap.isEmpty else { continue }
                    var counts = [Int](repeating: 0, count: 5)
                    via.withUnsafeBufferPointer { v in
                        for i in overlap { counts[Int(v[i - part.rows.lowerBound].rawValue)] += 1 }
                    }
                    var l = fileReports[f].linkage[roleIndex]
                    l.byNHSNumber += counts[Int(PersonLinker.Via.nhs.rawValue)]
                    l.bridgedToNHSNumber += counts[Int(PersonLinker.Via.bridged.rawValue)]
                    l.byMatchKey += counts[Int(PersonLinker.Via.matchKey.rawValue)]
                    l.byLocalID += counts[Int(PersonLinker.Via.localID.rawValue)]
                    l.unkeyed += counts[Int(PersonLinker.Via.none.rawValue)]
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
    private struct Read {
        let path: String
        var part: CSVPart?
        var header: [String] = []
    }

    /// Work for one core: one file, or one part of one large file.
    private struct Task {
        let source: Int
        let read: Read
        let bytes: Int
    }

    /// One task per file, so that the files of a source are read at once; large plain files are
    /// also cut at record boundaries into parts of about `partBytes`.
    private static func plan(_ work: [(SourceDefinition, [String])], options: IngestOptions) -> [Task] {
        var tasks: [Task] = []
        for (i, (_, paths)) in work.enumerated() {
            for path in paths {
                let size = fileSize(path)
                guard let cut = CSVSplitter.parts(of: path, size: size, partBytes: options.partBytes, threads: options.threads) else {
                    tasks.append(Task(source: i, read: Read(path: path), bytes: size))
                    continue
                }
                var header: [String] = []
                _ = try? CSVReader(path: path, part: cut[0]).forEachRecord { header = $0.strings(); return false }
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
private struct ColumnFigures: Sendable {
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
            report.dateRanges.append(.init(field: field, first: DateParser.isoString(days.lowerBound), last: DateParser.isoString(days.upperBound)))
        }
        if let geography { report.geography.append(geography) }
        report.nullRates.append(.init(field: field, nulls: nulls, rate: n == 0 ? 0 : Double(nulls) / Double(n)))
    }
}

// Each written by one worker and read after every worker has finished.
private struct SourceResult: @unchecked Sendable {
    let ingestor: SourceIngestor
    let quarantine: String?
    let quarantineFailure: String?
    let refusedLines: [String: [Int]]
}

private struct TaskResult: @unchecked Sendable {
    let ingestor: SourceIngestor
    /// False when a part turned out to end inside a record.
    let splitHeld: Bool
    let spool: QuarantineWriter?
}
