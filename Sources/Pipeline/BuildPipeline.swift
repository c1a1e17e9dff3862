import Benchmarking
import Columnar
import Definitions
import Export
import Foundation
import Ingest
import Logging
import Profiles
import Reference

/// What a build is asked for: the drop and how to read it, the output folder, which profiles'
/// analyst tables and which groups' outputs, in which formats, for which period.
public struct BuildRequest: Sendable {
    public var drop = DropSettings()
    public var out = "out"
    /// Profiles whose analysts' tables are written (empty: every profile).
    public var profiles: [String] = []
    /// Groups whose outputs are written (empty: every group in profiles/groups).
    public var groups: [String] = []
    /// The analysts' tables only: no group outputs, so no disclosure control.
    public var tablesOnly = false
    public var formats: Set<GroupOutputs.Format> = Set(GroupOutputs.Format.allCases)
    /// Folder of published comparator files (nil: the engine's Fixtures/comparators).
    public var comparators: String?
    /// A financial year (`2025-26`) or `rolling-12-months` (nil: the latest complete financial year).
    public var period: String?

    public init() {}
}

/// A build from a request to a published output folder: definitions, ingest, profiles, benchmark,
/// disclosure control, export, in that order. The command line, the tests and the benchmarks run
/// it; it logs as it goes and throws `PipelineFailure` (having logged why) when it stops.
public enum BuildPipeline {
    /// The engine's version, written into every build's manifest.
    public static let engineVersion = "0.5.0"

    /// What a finished build says: the summary line, and whether the drop had warnings (exit 1).
    public struct Result: Sendable {
        public let summary: String
        public let warnings: Bool
    }

    /// Runs the build. `print` gets what a user reads on standard output (the summary line, or the
    /// quality report of a drop that fails).
    public static func run(
        _ request: BuildRequest, layout: ProjectLayout, log: Logger,
        print: (String) -> Void = { Swift.print($0) }
    ) throws(PipelineFailure) -> Result {
        let out = request.out
        // An output a build may not replace is refused before anything is touched.
        do {
            try Publication.check(output: out)
        } catch {
            log.error("profiler build: \(error)", metadata: ["phase": "definitions"])
            throw .configuration
        }
        let prepared = try request.drop.prepare(layout: layout, log: log)
        let definitions = try Definitions.load(request, prepared: prepared, layout: layout, log: log)
        // One build at a time into an output: the lock is the kernel's, released however this process ends.
        let lock: OutputLock
        do {
            lock = try OutputLock(output: out)
        } catch let failure as OutputLock.Failure {
            log.error("profiler build: \(failure)", metadata: ["phase": "lock"])
            if case .held = failure { throw .locked }
            throw .internalError
        } catch {
            log.error("profiler build: \(error)", metadata: ["phase": "lock"])
            throw .internalError
        }
        defer { lock.release() }
        let ingested = try request.drop.ingest(prepared, log: log)
        let quality = QualityReport(drops: prepared.drops, keyOrigin: prepared.key.origin.rawValue, ingested: ingested, seconds: 0)
        if ingested.status == .failed {
            // The previous output stays as it was; the report of this drop goes beside it.
            let report = URL(fileURLWithPath: out).standardizedFileURL.path + ".failed-quality.json"
            if let json = try? quality.json() { try? Data(json.utf8).write(to: URL(fileURLWithPath: report)) }
            print(quality.text())
            log.error(
                "profiler build: the drop is over its tolerance or incomplete; nothing was built and \(out) is unchanged (see \(report))",
                metadata: ["phase": "ingest"])
            throw .badInput
        }
        let publication: Publication
        do {
            publication = try Publication(output: out)
        } catch let refusal as Publication.Refusal {
            log.error("profiler build: \(refusal)", metadata: ["phase": "publish"])
            throw .configuration
        } catch {
            log.error("profiler build: \(error); nothing was published and \(out) is unchanged", metadata: ["phase": "publish"])
            throw .internalError
        }
        do {
            let (summary, warnings) = try Stages(
                request: request, layout: layout, definitions: definitions, drops: prepared.drops, sources: prepared.catalogue, log: log
            ).write(ingested, quality: quality, into: publication)
            log.info("publishing \(out)", metadata: ["phase": "publish"])
            try publication.commit()
            let line =
                summary + "; \(quality.rowsRead) rows read, \(quality.rejected) rejected"
                + (ingested.merge.map { ", \($0.replaced) replaced by a later drop" } ?? "") + ", \(ingested.people) people"
            print(line)
            if request.drop.jsonLog {
                log.notice(
                    "\(line)",
                    metadata: [
                        "phase": "done", "rows_read": .stringConvertible(quality.rowsRead),
                        "rejected": .stringConvertible(quality.rejected), "people": .stringConvertible(ingested.people),
                    ])
            }
            return Result(summary: line, warnings: ingested.status == .warnings || !warnings.isEmpty)
        } catch {
            publication.discard()
            // A file that could not be written (disk full, a file-size limit), a folder that could not be made.
            log.error("profiler build: \(error); nothing was published and \(out) is unchanged", metadata: ["phase": "publish"])
            throw .internalError
        }
    }

    /// The definitions a build reads beside the sources, and the published comparators.
    struct Definitions {
        let profiles: ProfileCatalogue
        let chosen: [ProfileDefinition]
        let groups: [GroupDefinition]
        let benchmarks: BenchmarkCatalogue
        let published: [PublishedValue]
        let areas: AreaLookup
        let comparatorFiles: [String]

        static func load(_ request: BuildRequest, prepared: DropSettings.Prepared, layout: ProjectLayout, log: Logger)
            throws(PipelineFailure) -> Definitions
        {
            let root = request.drop.profiles ?? layout.profilesDirectory
            let dropPath = DropSettings.referenceDrop(prepared.drops)
            let profiles: ProfileCatalogue, benchmarks: BenchmarkCatalogue
            do {
                profiles = try ProfileCatalogue.load(
                    directory: root + "/priorities", sources: prepared.catalogue, measures: MeasureLibrary.grammars)
                benchmarks = try BenchmarkCatalogue.load(directory: root + "/benchmarks", profiles: profiles)
            } catch {
                log.error("\(error.description)", metadata: ["phase": "definitions"])
                throw .configuration
            }
            let comparatorFolder = request.comparators ?? layout.comparators
            // The engine's comparator files, and any that come with the (latest) drop (reference/comparators).
            let comparatorFolders =
                [comparatorFolder]
                + (FileManager.default.fileExists(atPath: dropPath + "/reference/comparators") ? [dropPath + "/reference/comparators"] : [])
            let published: ComparatorFiles.Loaded, areas: AreaLookup
            do {
                published = try ComparatorFiles.load(folders: comparatorFolders, profilesDirectory: root, geography: layout.geography)
                areas = try AreaLookup(folder: comparatorFolder)
            } catch {
                log.error("profiler build: comparator files in \(comparatorFolder): \(error)", metadata: ["phase": "definitions"])
                throw .configuration
            }
            for r in published.reports where r.status == .failed {
                log.error(
                    "profiler build: comparator file \(r.file): \(r.fatalError ?? "over its tolerance of rejected rows")",
                    metadata: ["phase": "definitions"])
                throw .badInput
            }
            var chosen: [ProfileDefinition] = profiles.profiles
            if !request.profiles.isEmpty {
                chosen = []
                for id in request.profiles {
                    guard let p = profiles.profile(id) else {
                        throw .refused("no profile '\(id)'; known: \(profiles.profiles.map(\.id).joined(separator: ", "))")
                    }
                    chosen.append(p)
                }
            }
            let all: [GroupDefinition]
            do {
                all = try GroupDefinition.loadAll(
                    directory: root + "/groups", profiles: profiles, audiences: AudiencePolicy.load(profiles: root))
            } catch {
                log.error("\(error.description)", metadata: ["phase": "definitions"])
                throw .configuration
            }
            var groups = request.tablesOnly ? [] : all
            if !request.tablesOnly && !request.groups.isEmpty {
                groups = []
                for id in request.groups {
                    guard let g = all.first(where: { $0.id == id }) else {
                        throw .refused("no group '\(id)'; known: \(all.map(\.id).joined(separator: ", "))")
                    }
                    groups.append(g)
                }
            }
            let files = comparatorFolders.flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
                    .filter { $0.hasPrefix("indicators-") }.map { folder + "/" + $0 }
            }
            return Definitions(
                profiles: profiles, chosen: chosen, groups: groups, benchmarks: benchmarks, published: published.values,
                areas: areas, comparatorFiles: files)
        }
    }
}
