import Benchmarking
import Columnar
import Definitions
import Disclosure
import Export
import Foundation
import Ingest
import Logging
import Profiles

/// The stages after ingest, writing into a publication's staging folder: the profiles (side by
/// side), each profile's comparison section, the analysts' tables, disclosure control for every
/// audience, each group's outputs, and the manifest.
struct Stages {
    let request: BuildRequest
    let layout: ProjectLayout
    let definitions: BuildPipeline.Definitions
    let drops: [String]
    let sources: SourceCatalogue
    let log: Logger

    /// Writes everything, the quality report with what the drop says about the definitions
    /// (conditions that matched nothing, tables with nothing in the year) among it; returns the
    /// summary line's beginning and those warnings.
    func write(_ ingested: IngestedDrop, quality: QualityReport, into publication: Publication) throws -> (
        summary: String, warnings: [DefinitionWarning]
    ) {
        let period = reportingPeriod(ingested)
        let engine = ProfileEngine(
            drop: ingested.data, period: period, threads: request.drop.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let dropPath = DropSettings.referenceDrop(drops)
        // The manifest's digests of the inputs, worked out while the profiles are built.
        let inputs = ingested.reports.map {
            Manifest.Input(
                file: $0.file, source: $0.source, path: ingested.filePaths[$0.file] ?? dropPath + "/" + $0.file,
                rowsRead: $0.rowsRead, accepted: $0.accepted, rejected: $0.rejected, replaced: $0.replaced)
        }
        let digests = Manifest.FileDigests(paths: inputs.map(\.path) + definitions.comparatorFiles, threads: engine.threads)
        let built = profiles(engine)
        let warnings = check(built, engine)
        for w in warnings { log.warning("profiler build: \(w)", metadata: ["phase": "aggregate"]) }
        var quality = quality
        quality.definitionWarnings = warnings.isEmpty ? nil : warnings
        try publication.write("quality.json", Data(try quality.json().utf8))
        log.info("writing the tables and \(definitions.groups.count) groups' outputs", metadata: ["phase": "publish"])
        // The analysts' tables, unsuppressed: for the partnership's analysts only.
        var written = 0
        for p in definitions.chosen {
            for table in built[p.id] ?? [] {
                try publication.write("tables/\(p.id)/\(table.id).csv", Data(CSVExport.text(table).utf8))
                written += 1
            }
        }
        let disclosure = try groupOutputs(built, period: period, threads: engine.threads, dropPath: dropPath, into: publication)
        try Manifest.write(
            into: publication, engineVersion: BuildPipeline.engineVersion, builtAt: Date(), drop: dropPath,
            period: "\(period)", previousPeriod: period.previousLabel,
            inputs: inputs, comparators: definitions.comparatorFiles, disclosure: disclosure,
            drops: drops, replaced: ingested.merge?.datasets.map { ($0.source, $0.accepted, $0.replaced) } ?? [],
            digests: digests)
        let summary =
            "built \(definitions.chosen.count) profiles (\(written) tables) for \(period) beside \(period.previousLabel) in \(request.out)/tables, "
            + "and \(definitions.groups.count) groups' outputs in \(request.out)/<group>"
        return (summary, warnings)
    }

    /// What the drop says about the definitions, from the profiles built in memory (nothing written).
    func definitionWarnings(_ ingested: IngestedDrop) -> [DefinitionWarning] {
        let engine = ProfileEngine(
            drop: ingested.data, period: reportingPeriod(ingested),
            threads: request.drop.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        return check(profiles(engine), engine)
    }

    /// Every profile built in memory from these tables for `period` (nothing written).
    func builtProfiles(_ data: DropData, period: ReportingPeriod) -> [String: [ProfileTable]] {
        profiles(ProfileEngine(drop: data, period: period, threads: request.drop.threads ?? ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Conditions that matched no row and tables with nothing in the year, profile by profile.
    private func check(_ built: [String: [ProfileTable]], _ engine: ProfileEngine) -> [DefinitionWarning] {
        var warnings: [DefinitionWarning] = []
        for p in definitions.profiles.profiles where built[p.id] != nil {
            warnings += engine.unmatchedConditions(p, sources: sources) + engine.emptyTables(built[p.id] ?? [], of: p)
        }
        return warnings
    }

    /// The requested period, else the latest complete financial year of the data.
    func reportingPeriod(_ ingested: IngestedDrop) -> ReportingPeriod {
        // A blank date is the least day there is, so the latest of all is the latest given.
        let lastDay =
            ingested.tables.values.compactMap { t -> Int32? in
                guard case .day(let d)? = t["date"], let last = d.days.max(), last != DayColumn.null else { return nil }
                return last
            }.max() ?? 0
        return request.period == "rolling-12-months"
            ? ReportingPeriod.rolling12Months(endingOn: lastDay)
            : (request.period.flatMap(ReportingPeriod.init) ?? ReportingPeriod.latestComplete(endingBy: lastDay))
    }

    /// Every profile a chosen table or a group needs, each once, with its comparison section.
    private func profiles(_ engine: ProfileEngine) -> [String: [ProfileTable]] {
        let needed = Set(definitions.chosen.map(\.id)).union(definitions.groups.flatMap(\.profiles))
        log.info("building profiles for \(engine.period)", metadata: ["phase": "aggregate"])
        // Profiles are built side by side, as many at once as there are threads (each also scans its
        // tables on every thread): a small profile's serial steps then overlap another's scans.
        let todo = definitions.profiles.profiles.filter { needed.contains($0.id) }
        let (benchmarks, areas, published) = (definitions.benchmarks, definitions.areas, definitions.published)
        let threads = engine.threads
        let results = parallelMap(todo, threads: threads) { p in
            // Each build keeps its own selected events; the engine is shared and immutable.
            var tables = engine.build(p)
            if let definition = benchmarks.definition(for: p.id) {
                tables += BenchmarkSection(definition: definition, groups: benchmarks.groups, areas: areas, published: published)
                    .tables(profile: p, engine: engine)
            }
            return tables
        }
        var built: [String: [ProfileTable]] = [:]
        for (p, tables) in zip(todo, results) {
            built[p.id] = tables
            log.info("  built \(p.id)", metadata: ["phase": "aggregate", "profile": "\(p.id)"])
        }
        return built
    }

    /// Each group's tables, with its audience's disclosure control chosen once per audience over
    /// every table it may see; returns what it cost each group, for the manifest.
    private func groupOutputs(
        _ built: [String: [ProfileTable]], period: ReportingPeriod, threads: Int, dropPath: String,
        into publication: Publication
    ) throws -> [Manifest.Disclosure] {
        // The area's ward boundaries for the report's map: the drop's own, else the engine's.
        let wardFile =
            FileManager.default.fileExists(atPath: dropPath + "/reference/wards.geojson")
            ? dropPath + "/reference/wards.geojson" : layout.wardBoundaries
        let outputs = GroupOutputs(
            period: "\(period)", previousPeriod: period.previousLabel, formats: request.formats,
            wards: HTMLReport.wardShapes(geoJSON: wardFile))
        var byID: [String: GroupOutputs.Built] = [:]
        for (id, tables) in built {
            let p = definitions.profiles.profile(id)
            byID[id] = GroupOutputs.Built(title: p?.title ?? id, description: p?.description ?? "", tables: tables)
        }
        let groups = definitions.groups.map { g in
            GroupOutputs.Group(
                id: g.id, title: g.title, isPublic: g.audience == .public, threshold: g.threshold, profiles: g.profiles,
                scorecard: g.scorecard)
        }
        let started = Date()
        let releases = outputs.protect(groups, built: byID, order: definitions.chosen.map(\.id), threads: threads)
        log.info(
            "disclosure control for \(Set(groups.map(\.threshold)).count) audience(s) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s",
            metadata: ["phase": "publish"])
        // Each group's files written side by side (each into its own folder); a failure is
        // reported for the first group, in the definitions' order, that had one.
        let profiles = byID
        let written = parallelMap(groups, threads: threads) { g in
            Result { try outputs.write(g, releases: releases, built: profiles, into: publication) }
        }
        var withheld = 0
        var disclosure: [Manifest.Disclosure] = []
        for (g, result) in zip(groups, written) {
            let (rule, loss) = try result.get()
            withheld += loss.withheldTables.count
            disclosure.append(
                Manifest.Disclosure(
                    group: g.id, audience: g.isPublic ? "public" : "partners", rule: rule.description,
                    published: loss.published, primary: loss.primary, secondary: loss.secondary,
                    withheldTables: loss.withheldTables))
        }
        if withheld > 0 {
            log.notice(
                "profiler build: \(withheld) table(s) withheld whole by disclosure control (see manifest.json and each group's DISCLOSURE.txt)",
                metadata: ["phase": "publish"])
        }
        return disclosure
    }
}
