import Columnar
import Definitions
import Foundation

/// One drop's ingest, stage by stage: its files read as tasks (whole files, or parts of large
/// ones) on every core; each source's pieces joined in file order; and, once people are linked,
/// each source's table with its file reports.
struct IngestRun: Sendable {
    let work: [(SourceDefinition, [String])]
    let reference: ReferenceData
    let keyer: PersonKeyer
    let options: IngestOptions
    let displayNames: [String: String]
    let tasks: [DropIngestor.Task]
    let quarantines: [QuarantineWriter?]
    /// Sources read as more than one task (several files, or parts of one).
    let split: Set<Int>

    init(
        work: [(SourceDefinition, [String])], reference: ReferenceData, keyer: PersonKeyer, options: IngestOptions,
        displayNames: [String: String]
    ) {
        (self.work, self.reference, self.keyer, self.options, self.displayNames) = (work, reference, keyer, options, displayNames)
        tasks = DropIngestor.plan(work, options: options)
        quarantines = work.map { w in
            QuarantineWriter.make(folder: options.quarantineFolder, source: w.0.id, noteLines: options.noteRefusedLines)
        }
        split = Set(Dictionary(grouping: tasks, by: \.source).filter { $0.value.count > 1 }.keys)
    }

    /// How a file is named in reports.
    func shown(_ path: String) -> String { displayNames[path] ?? (path as NSString).lastPathComponent }

    /// Every task read, in task order (the largest first on the cores, so the last to finish is
    /// a small one).
    func readTasks() -> [TaskResult] {
        let order = tasks.indices.sorted { tasks[$0].bytes != tasks[$1].bytes ? tasks[$0].bytes > tasks[$1].bytes : $0 < $1 }
        let read = parallelMap(order, threads: options.threads) { index in
            let t = tasks[index]
            let source = work[t.source].0
            // A source read in parts spools each part's rejects until the parts are joined.
            let quarantine =
                split.contains(t.source)
                ? QuarantineWriter.make(
                    folder: options.quarantineFolder, source: source.id, part: index, noteLines: options.noteRefusedLines)
                : quarantines[t.source]
            let ingestor = SourceIngestor(
                source: source, reference: reference, quarantine: quarantine,
                encodesIdentities: options.linkage.method == .probabilistic)
            let r = t.read
            let held = ingestor.ingest(path: r.path, displayName: shown(r.path), part: r.part, header: r.header)
            ingestor.finishReading(keyer: keyer)
            if split.contains(t.source) {
                let part = r.part.map { " part \($0.index + 1)" } ?? ""
                options.progress?("\(source.id): \(shown(r.path))\(part) read, \(ingestor.rowCount) rows accepted")
            }
            return TaskResult(ingestor: ingestor, splitHeld: held, spool: split.contains(t.source) ? quarantine : nil)
        }
        var results = [TaskResult?](repeating: nil, count: tasks.count)
        for (k, index) in order.enumerated() { results[index] = read[k] }
        return results.map { $0! }
    }

    /// Each source's pieces joined in file order (sources in parallel); a source whose parts
    /// cannot be joined (a part cut inside a record) is read again in one piece.
    func joinSources(_ pieces: [TaskResult]) -> [SourceResult] {
        let finished = Counter()
        return parallelMap(Array(work.indices), threads: options.threads) { i in
            let (source, paths) = work[i]
            let mine = tasks.indices.filter { tasks[$0].source == i }.map { pieces[$0] }
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
