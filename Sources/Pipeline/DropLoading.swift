import Definitions
import Foundation
import Ingest
import Logging

/// Why a pipeline stopped. Each is one of the command line's exit codes; the pipeline has logged
/// what went wrong before it throws.
public enum PipelineFailure: Error, Sendable, Equatable {
    /// A file over its tolerance, unreadable or missing, a drop folder that is not there, bad
    /// reference data (exit 2).
    case badInput
    /// A bad definition, an unknown or refused option, no linkage key (exit 3).
    case configuration
    /// A file that could not be written, a failure the engine did not foresee (exit 4).
    case internalError
    /// Another build holds the output's lock (exit 5).
    case locked
    /// An option the definitions refuse (an unknown profile or group), with the message the
    /// command line shows for a refused option (exit 3).
    case refused(String)
}

/// Where a drop comes from and how it is read: the settings the verbs that read a drop share.
public struct DropSettings: Sendable {
    /// Drop folders, read in order as one (empty: the bundled sample drop).
    public var data: [String] = []
    /// Folder of definitions (nil: the project's profiles/).
    public var profiles: String?
    /// Which definitions under it: `sources` (partnership extracts) or `public`.
    public var sources = "sources"
    public var keyFile: String?
    /// Files, and parts of large files, read at once (nil: all cores).
    public var threads: Int?
    public var partBytes = IngestOptions().partBytes
    /// Folder for refused rows, which hold personal data.
    public var quarantine: String?
    /// Progress as JSON log lines (else text lines on a terminal).
    public var jsonLog = false
    /// Notes the line of every refused record (`IngestedDrop.refusedLines`), so the accepted
    /// records of a file can be found again (a linkage evaluation).
    public var noteRefusedLines = false
    /// Overrides the linkage definition (`profiles/linkage.yaml`): the method, the threshold.
    public var linkageMethod: LinkageDefinition.Method?
    public var linkageThreshold: Double?

    public init() {}

    /// The drops read, in order: the latest last.
    public func drops(layout: ProjectLayout) -> [String] { data.isEmpty ? [layout.sampleDrop] : data }

    /// The drop whose reference files (geography, postcodes, comparators, ward boundaries) are
    /// used: the latest that has a `reference` folder, else the latest.
    public static func referenceDrop(_ drops: [String]) -> String {
        drops.last { FileManager.default.fileExists(atPath: $0 + "/reference") } ?? drops.last!
    }

    /// What `prepare` loads before any record is read.
    public struct Prepared: Sendable {
        public let catalogue: SourceCatalogue
        public let drops: [String]
        public let reference: ReferenceData
        public let key: LinkageKey
    }

    /// Loads definitions, reference data (from the latest drop) and the key; failures are
    /// configuration errors, a drop that is not there or bad reference data bad input.
    public func prepare(layout: ProjectLayout, log: Logger) throws(PipelineFailure) -> Prepared {
        let profilesDir = profiles ?? layout.profilesDirectory
        var catalogue: SourceCatalogue
        do {
            catalogue = try SourceCatalogue.load(profiles: profilesDir, sources: sources)
        } catch {
            log.error("\(error.description)", metadata: ["phase": "definitions"])
            log.error(
                "profiler: \(error.errors.count) problem(s) in the definitions under \(profilesDir)", metadata: ["phase": "definitions"])
            throw .configuration
        }
        if let m = linkageMethod { catalogue.linkage.method = m }
        if let t = linkageThreshold { catalogue.linkage.threshold = t }
        let drops = drops(layout: layout)
        for drop in drops {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: drop, isDirectory: &isDirectory), isDirectory.boolValue else {
                log.error("profiler: no drop folder at \(drop)", metadata: ["phase": "definitions"])
                throw .badInput
            }
        }
        let demo = URL(fileURLWithPath: layout.sampleDrop).resolvingSymlinksInPath().standardizedFileURL.path
        let isDemo = drops.allSatisfy { URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path == demo }
        let key: LinkageKey
        do {
            // Public formats name no person, so they need no key.
            let needsKey = catalogue.sources.contains { !$0.people.isEmpty }
            key = try LinkageKey.resolve(
                keyFile: keyFile, environment: ProcessInfo.processInfo.environment,
                isDemoDrop: isDemo || !needsKey)
        } catch {
            log.error("profiler: \(error)", metadata: ["phase": "definitions"])
            throw .configuration
        }
        let reference: ReferenceData
        do {
            reference = try ReferenceData.load(
                drop: Self.referenceDrop(drops), defaultGeography: layout.geography, aliases: layout.lsoaAliases)
        } catch {
            log.error("profiler: reference data: \(error)", metadata: ["phase": "definitions"])
            throw .badInput
        }
        return Prepared(catalogue: catalogue, drops: drops, reference: reference, key: key)
    }

    /// Reads the drops (see `DropIngestor.ingest(drops:)`), logging each source as it is read
    /// and what a build over several drops replaced. A failure to merge drops is internal.
    public func ingest(_ prepared: Prepared, log: Logger) throws(PipelineFailure) -> IngestedDrop {
        let drops = prepared.drops
        log.info("reading \(drops.joined(separator: " then ")) ...", metadata: ["phase": "ingest"])
        let ingested: IngestedDrop
        do {
            ingested = try DropIngestor.ingest(
                drops: drops, catalogue: prepared.catalogue, reference: prepared.reference, key: prepared.key,
                options: ingestOptions(log))
        } catch {
            log.error("profiler: internal error: \(error)", metadata: ["phase": "ingest"])
            throw .internalError
        }
        if let merge = ingested.merge {
            for d in merge.datasets where d.replaced > 0 {
                log.notice(
                    "\(d.source): \(d.replaced) of \(d.accepted) rows replaced by a later drop's record, \(d.kept) kept",
                    metadata: [
                        "phase": "ingest", "source": "\(d.source)", "replaced": .stringConvertible(d.replaced),
                        "kept": .stringConvertible(d.kept),
                    ])
            }
            for s in merge.notDeduplicated {
                log.warning(
                    "profiler: warning: \(s) names no record_id, so its rows from \(drops.count) drops are all kept (a record given twice is counted twice)",
                    metadata: ["phase": "ingest", "source": "\(s)"])
            }
        }
        for failure in ingested.quarantineFailures {
            log.error("profiler: \(failure): refused rows were not all kept", metadata: ["phase": "ingest"])
            throw .internalError
        }
        return ingested
    }

    /// Options for the ingest; progress goes to the log (shown on a terminal, or as JSON).
    private func ingestOptions(_ log: Logger) -> IngestOptions {
        var report: (@Sendable (String) -> Void)? = nil
        if log.logLevel <= .info {
            let started = ContinuousClock.now
            let json = jsonLog
            report = { @Sendable message in
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let (rss, peak) = (residentMegabytes(), peakMB())
                if json {
                    log.info(
                        "\(message)",
                        metadata: [
                            "phase": "ingest", "elapsed_s": .stringConvertible((seconds * 10).rounded() / 10),
                            "resident_mb": .stringConvertible(rss), "peak_mb": .stringConvertible(peak),
                        ])
                } else {
                    log.info("  [\(String(format: "%.1f", seconds)) s, \(rss) MB, peak \(peak) MB] \(message)")
                }
            }
        }
        var options = IngestOptions(
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: quarantine,
            partBytes: partBytes, progress: report)
        options.noteRefusedLines = noteRefusedLines
        return options
    }
}

/// A /proc file of this process (they report a size of 0, so they are read with read(2)).
private func procFile(_ name: String) -> String {
    let fd = open("/proc/self/" + name, O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = read(fd, &buffer, buffer.count)
    return String(decoding: buffer[..<max(0, n)], as: UTF8.self)
}

/// Resident memory of this process in megabytes (Linux; 0 where /proc is not available).
public func residentMegabytes() -> Int {
    let fields = procFile("statm").split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
}

/// The most memory this process has had resident so far, in megabytes.
public func peakMB() -> Int {
    guard let line = procFile("status").split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) >> 10
}
