import Columnar
import Definitions
import Foundation

/// One drop's ingest, stage by stage: its files read as tasks (whole files, or parts of large
/// ones) in batches on every core; each source's pieces joined in file order; and, once people are
/// linked, each source's table with its file reports.
struct IngestRun: Sendable {
    let work: [(SourceDefinition, [String])]
    let reference: ReferenceData
    let keyer: PersonKeyer
    let options: IngestOptions
    let displayNames: [String: String]
    let tasks: [DropIngestor.Task]
    /// The tasks as read: each batch by one core into one ingestor, in order (see `batches`).
    let batches: [Range<Int>]
    let quarantines: [QuarantineWriter?]
    /// Sources read as more than one batch (several files, or parts of one).
    let split: Set<Int>

    init(
        work: [(SourceDefinition, [String])], reference: ReferenceData, keyer: PersonKeyer, options: IngestOptions,
        displayNames: [String: String]
    ) {
        (self.work, self.reference, self.keyer, self.options, self.displayNames) = (work, reference, keyer, options, displayNames)
        let tasks = DropIngestor.plan(work, options: options)
        self.tasks = tasks
        batches = Self.batches(tasks, threads: options.threads)
        quarantines = work.map { w in
            QuarantineWriter.make(folder: options.quarantineFolder, source: w.0.id, noteLines: options.noteRefusedLines)
        }
        split = Set(Dictionary(grouping: batches, by: { tasks[$0.lowerBound].source }).filter { $0.value.count > 1 }.keys)
    }

    /// The tasks cut into batches: runs of whole files of one source, next to each other in file
    /// order, of up to about a quarter of a core's share of the bytes; a part of a large file on
    /// its own. One ingestor reads a batch's files one after another, so the pieces to join are a
    /// few batches, not every file (police.uk's 1,512 files, a force's month each, were 1,512
    /// dictionaries of place names, each added to the source's at the join).
    static func batches(_ tasks: [DropIngestor.Task], threads: Int) -> [Range<Int>] {
        let target = max(1, tasks.reduce(0) { $0 + $1.bytes } / max(1, 4 * threads))
        var batches: [Range<Int>] = []
        var start = 0, bytes = 0
        for (i, t) in tasks.enumerated() {
            let continues =
                i > start && t.read.part == nil && tasks[i - 1].read.part == nil && t.source == tasks[start].source
                && bytes + t.bytes <= target
            if !continues && i > 0 {
                batches.append(start..<i)
                (start, bytes) = (i, 0)
            }
            bytes += t.bytes
        }
        if !tasks.isEmpty { batches.append(start..<tasks.count) }
        return batches
    }

    /// How a file is named in reports.
    func shown(_ path: String) -> String { displayNames[path] ?? (path as NSString).lastPathComponent }

    /// Every batch read, in batch order (the largest first on the cores, so the last to finish is
    /// a small one).
    func readTasks() -> [TaskResult] {
        let bytes = batches.map { b in b.reduce(0) { $0 + tasks[$1].bytes } }
        let order = batches.indices.sorted { bytes[$0] != bytes[$1] ? bytes[$0] > bytes[$1] : $0 < $1 }
        let read = parallelMap(order, threads: options.threads) { index in
            let batch = batches[index]
            let first = tasks[batch.lowerBound]
            let source = work[first.source].0
            let isSplit = split.contains(first.source)
            // A source read in batches spools each batch's rejects until they are joined.
            let quarantine =
                isSplit
                ? QuarantineWriter.make(
                    folder: options.quarantineFolder, source: source.id, part: batch.lowerBound, noteLines: options.noteRefusedLines)
                : quarantines[first.source]
            let ingestor = SourceIngestor(
                source: source, reference: reference, quarantine: quarantine,
                encodesIdentities: options.linkage.method == .probabilistic)
            var held = true
            // The batch's text still to read once each file is: room is made for it at the first.
            var ahead = batch.reduce(0) { $0 + DropIngestor.textBytes(tasks[$1].bytes, path: tasks[$1].read.path) }
            for t in batch {
                let r = tasks[t].read
                ahead -= DropIngestor.textBytes(tasks[t].bytes, path: r.path)
                ingestor.bytesAhead = ahead
                held = ingestor.ingest(path: r.path, displayName: shown(r.path), part: r.part, header: r.header) && held
                if isSplit {
                    let part = r.part.map { " part \($0.index + 1)" } ?? ""
                    options.progress?("\(source.id): \(shown(r.path))\(part) read, \(ingestor.rowCount) rows accepted")
                }
            }
            ingestor.finishReading(keyer: keyer)
            return TaskResult(ingestor: ingestor, splitHeld: held, spool: isSplit ? quarantine : nil)
        }
        var results = [TaskResult?](repeating: nil, count: batches.count)
        for (k, index) in order.enumerated() { results[index] = read[k] }
        return results.map { $0! }
    }

    /// Each source's pieces joined in file order (sources in parallel); a source whose parts
    /// cannot be joined (a part cut inside a record) is read again in one piece.
    func joinSources(_ pieces: [TaskResult]) -> [SourceResult] {
        let finished = Counter()
        return parallelMap(Array(work.indices), threads: options.threads) { i in
            let (source, paths) = work[i]
            let mine = batches.indices.filter { tasks[batches[$0].lowerBound].source == i }.map { pieces[$0] }
            var ingestor = mine[0].ingestor
            var whole = mine.allSatisfy(\.splitHeld)
            if whole { whole = ingestor.join(mine.dropFirst().map(\.ingestor)) }
            if whole {
                for piece in mine { if let spool = piece.spool { quarantines[i]?.adopt(spool) } }
            } else {
                for piece in mine { piece.spool?.discard() }
                ingestor = SourceIngestor(
                    source: source, reference: reference, quarantine: quarantines[i],
                    encodesIdentities: options.linkage.method == .probabilistic)
                for path in paths { ingestor.ingest(path: path, displayName: shown(path)) }
                ingestor.finishReading(keyer: keyer)
            }
            quarantines[i]?.close()
            options.progress?(
                "\(source.id): \(ingestor.rowCount) rows accepted from \(paths.count) file(s) (\(finished.take(below: .max)! + 1) of \(work.count) sources)"
            )
            return SourceResult(
                ingestor: ingestor, quarantine: quarantines[i].flatMap { $0.rows > 0 ? $0.path : nil },
                quarantineFailure: quarantines[i]?.failure, refusedLines: quarantines[i]?.refusedLines ?? [:])
        }
    }

    /// Each source's table (columns, person ids, how rows were keyed) and every file's report
    /// with the per-file figures of each column.
    func tablesAndReports(_ done: [SourceResult], linked: PersonLinker.Linked) -> ([String: ColumnTable], [FileReport]) {
        // `firstRole[i]` is where source i's roles start in the linker's output.
        let firstRole = done.reduce(into: [0]) { starts, r in
            starts.append(starts.last! + r.ingestor.peopleParts.count * r.ingestor.roleNames.count)
        }
        // Largest sources first, so the last to finish is a small one.
        let bySize = done.indices.sorted { done[$0].ingestor.rowCount > done[$1].ingestor.rowCount }
        let builtBySize = parallelMap(bySize, threads: options.threads) { i in
            DropIngestor.table(of: done[i].ingestor, linked: linked, firstRole: firstRole[i])
        }
        var built = [(ColumnTable, [FileReport])?](repeating: nil, count: done.count)
        for (k, i) in bySize.enumerated() { built[i] = builtBySize[k] }
        var tables: [String: ColumnTable] = [:]
        var reports: [FileReport] = []
        var summaries: [(report: Int, table: ColumnTable, builder: FieldBuilder, rows: Range<Int>)] = []
        for (i, (table, fileReports)) in built.map({ $0! }).enumerated() {
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
        // The per-file figures of every column (null rates, date ranges, geography), each column
        // of each file on its own, on all cores; added to the reports in field order.
        // Unchecked: the builders and tables are only read (a column's name, its finished column).
        nonisolated(unsafe) let jobs = summaries
        let figures = parallelMap(Array(jobs.indices), threads: options.threads) { j in
            let field = jobs[j].builder.name
            return jobs[j].table[field].map { ColumnFigures(of: $0, field: field, rows: jobs[j].rows) }
        }
        for (job, f) in zip(summaries, figures) {
            guard let f else { continue }
            f.add(to: &reports[job.report], rows: job.rows.count)
        }
        return (tables, reports)
    }
}
