import Columnar
import Foundation
import Ingest
import Logging
import Profiles

/// One people figure of a profile (a column of distinct people, repeat or serial people, people
/// known to other agencies), summed over its table's rows, as built from the linked ids and from
/// the true people.
public struct FigureEffect: Sendable, Codable, Equatable {
    public let profile: String
    public let table: String
    public let column: String
    public let linked: Int
    public let truth: Int
    /// Built from the linkable parts of each true person (the records that what they present
    /// joins): the figure the best linkage of these records could give.
    public let linkable: Int

    /// (linked - truth) / truth; 0 when both are 0.
    public var difference: Double { Self.relative(linked, truth) }
    /// (linked - linkable) / linkable.
    public var differenceFromLinkable: Double { Self.relative(linked, linkable) }

    static func relative(_ a: Int, _ b: Int) -> Double { b == 0 ? (a == 0 ? 0 : 1) : Double(a - b) / Double(b) }
}

extension LinkageEvaluation {
    /// Reads a drop as a build does, measures its linkage against `truthPath`, and builds every
    /// profile twice (linked ids, true people) to compare their people figures.
    /// - Throws: `.badInput` (logged) for a truth file that cannot be read or was written for
    ///   another drop, and what reading the drop throws.
    public static func run(
        settings: DropSettings, truthPath: String, layout: ProjectLayout, log: Logger, missesPath: String? = nil
    ) throws(PipelineFailure) -> LinkageEvaluation {
        let truth: LinkageTruth
        do { truth = try LinkageTruth(path: truthPath) } catch {
            log.error("profiler linkage evaluate: \(error)", metadata: ["phase": "truth"])
            throw .badInput
        }
        var settings = settings
        settings.noteRefusedLines = true
        guard settings.data.count <= 1 else { throw .refused("--data: a linkage evaluation reads one drop, not \(settings.data.count)") }
        let prepared = try settings.prepare(layout: layout, log: log)
        var request = BuildRequest()
        request.drop = settings
        let definitions = try BuildPipeline.Definitions.load(request, prepared: prepared, layout: layout, log: log)
        let ingested = try settings.ingest(prepared, log: log)
        let records: TruthRecords
        do {
            try truth.check(against: ingested.filePaths)
            records = try TruthRecords(ingested, truth: truth, catalogue: prepared.catalogue)
        } catch {
            log.error("profiler linkage evaluate: \(error)", metadata: ["phase": "truth"])
            throw .badInput
        }
        var evaluation = LinkageEvaluation()
        log.info("measuring \(records.linked.count) records against the truth", metadata: ["phase": "evaluate"])
        var misses = "file,line,role,id,true_person,what\n"
        let components = evaluation.measure(records) { i, what in
            let (f, line) = records.places[i]
            misses +=
                "\(records.files[Int(f)]),\(line),\(records.groups[Int(records.group[i])].role),\(records.linked[i]),\(records.truth[i]),\(what)\n"
        }
        if let missesPath {
            do { try Data(misses.utf8).write(to: URL(fileURLWithPath: missesPath)) } catch {
                log.error("profiler linkage evaluate: cannot write \(missesPath): \(error)", metadata: ["phase": "evaluate"])
                throw .internalError
            }
        }
        evaluation.truthRowsNotRead = truth.rows - records.truthRowsMatched
        evaluation.linkedWithoutTruth = records.linkedWithoutTruth
        let stages = Stages(
            request: request, layout: layout, definitions: definitions, drops: prepared.drops, sources: prepared.catalogue, log: log)
        let period = stages.reportingPeriod(ingested)
        log.info("building the profiles from the linked ids, then from the true people", metadata: ["phase": "evaluate"])
        let linked = stages.builtProfiles(ingested.data, period: period)
        func built(_ ids: [UInt32]) -> [String: [ProfileTable]] {
            let columns = records.recordColumns.mapValues { roles in roles.mapValues { rows in rows.map { $0 == 0 ? 0 : ids[Int($0) - 1] } }
            }
            return stages.builtProfiles(
                DropData(tables: truthTables(ingested.data.tables, columns), area: ingested.data.area), period: period)
        }
        // The best any linkage could give: each person's linkable parts, and no one for a record
        // that presents no identifier.
        let linkable = components.indices.map { records.presented[$0].any ? components[$0] : 0 }
        evaluation.figures = peopleFigures(linked: linked, truth: built(records.truth), linkable: built(linkable))
        return evaluation
    }

    /// The tables with each person column the truth describes holding the true people instead.
    static func truthTables(_ tables: [String: ColumnTable], _ truth: [String: [String: [UInt32]]]) -> [String: ColumnTable] {
        tables.mapValues { table in
            guard let roles = truth[table.name] else { return table }
            let columns = table.columns.map { c -> (String, Column) in
                guard let ids = roles[c.name], case .person = c.column else { return (c.name, c.column) }
                return (c.name, .person(PersonColumn(ids: ids)))
            }
            return ColumnTable(name: table.name, rowCount: table.rowCount, columns: columns)
        }
    }

    /// Every count column of people (distinct, repeat or serial people), summed over its rows, in
    /// both builds.
    static func peopleFigures(
        linked: [String: [ProfileTable]], truth: [String: [ProfileTable]], linkable: [String: [ProfileTable]]
    ) -> [FigureEffect] {
        var figures: [FigureEffect] = []
        for profile in linked.keys.sorted() {
            let trueTables = Dictionary((truth[profile] ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let linkableTables = Dictionary((linkable[profile] ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for table in linked[profile] ?? [] {
                guard let other = trueTables[table.id], let best = linkableTables[table.id], let meaning = table.meaning else { continue }
                for c in meaning.counts.keys.sorted() {
                    let cells = meaning.counts[c] ?? []
                    guard cells.contains(where: { $0.map { $0.additivity != .additive } ?? false }) else { continue }
                    figures.append(
                        FigureEffect(
                            profile: profile, table: table.id, column: table.columns[c], linked: total(table, c), truth: total(other, c),
                            linkable: total(best, c)))
                }
            }
        }
        return figures
    }

    private static func total(_ table: ProfileTable, _ column: Int) -> Int {
        table.rows.reduce(0) { sum, row in
            if column < row.count, case .count(let n) = row[column] { return sum + n }
            return sum
        }
    }
}
