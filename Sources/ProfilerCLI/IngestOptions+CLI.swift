import ArgumentParser
import Definitions
import Foundation
import Ingest
import Logging

/// Options shared by the verbs that read a drop.
struct DropOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A drop folder (default: the bundled sample drop). Repeatable: the drops are read in order as one, and a record that a later drop gives again (same dataset, same record_id) is kept from the latest only.", valueName: "folder"))
    var data: [String] = []

    @Option(name: .customLong("log-format"), help: "Log lines on standard error as text, or as JSON (one object per line: time, level, message, metadata).")
    var logFormat: LogFormat = .text

    @Option(name: .long, help: "Folder of definitions, with sources/ and codes/ (default: the project's profiles/).")
    var profiles: String?

    @Option(name: .long, help: ArgumentHelp("Which definitions under the profiles folder: sources (partnership extracts) or public (police.uk, Fingertips, DfE).", valueName: "name"))
    var sources = "sources"

    @Option(name: .customLong("key-file"), help: ArgumentHelp("File holding the linkage key (else $\(LinkageKey.environmentVariable)).", valueName: "file"))
    var keyFile: String?

    @Option(name: .long, help: "Files, and parts of large files, read at once (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("part-mb"), help: ArgumentHelp("Plain files of at least twice this many megabytes are cut into parts read at once; 0 reads every file whole.", valueName: "MB"))
    var partMB = IngestOptions().partBytes >> 20

    @Option(name: .long, help: ArgumentHelp("Folder for refused rows, which hold personal data (kept apart from every output).", valueName: "folder"))
    var quarantine: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if partMB < 0 { throw ValidationError("--part-mb must be 0 or more") }
    }

    /// The log of this run (`--log-format`).
    var logger: Logger { Logger.profiler(format: logFormat) }

    /// The drops read, in order: the latest last.
    func drops(layout: ProjectLayout) -> [String] { data.isEmpty ? [layout.sampleDrop] : data }

    /// The drop whose reference files (geography, postcodes, comparators, ward boundaries) are
    /// used: the latest that has a `reference` folder, else the latest.
    static func referenceDrop(_ drops: [String]) -> String {
        drops.last { FileManager.default.fileExists(atPath: $0 + "/reference") } ?? drops.last!
    }

    /// Loads definitions, reference data (from the latest drop) and the key; failures are
    /// configuration errors (exit 3), a drop that is not there or bad reference data bad input (2).
    func prepare(layout: ProjectLayout) throws -> (catalogue: SourceCatalogue, drops: [String], reference: ReferenceData, key: LinkageKey) {
        let log = logger
        let profilesDir = profiles ?? layout.profilesDirectory
        let catalogue: SourceCatalogue
        do {
            catalogue = try SourceCatalogue.load(profiles: profilesDir, sources: sources)
        } catch {
            log.error("\(error.description)", metadata: ["phase": "definitions"])
            log.error("profiler: \(error.errors.count) problem(s) in the definitions under \(profilesDir)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        let drops = drops(layout: layout)
        for drop in drops {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: drop, isDirectory: &isDirectory), isDirectory.boolValue else {
                log.error("profiler: no drop folder at \(drop)", metadata: ["phase": "definitions"])
                throw ExitStatus.badInput
            }
        }
        let demo = URL(fileURLWithPath: layout.sampleDrop).resolvingSymlinksInPath().standardizedFileURL.path
        let isDemo = drops.allSatisfy { URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path == demo }
        let key: LinkageKey
        do {
            // Public formats name no person, so they need no key.
            let needsKey = catalogue.sources.contains { !$0.people.isEmpty }
            key = try LinkageKey.resolve(keyFile: keyFile, environment: ProcessInfo.processInfo.environment,
                                         isDemoDrop: isDemo || !needsKey)
        } catch {
            log.error("profiler: \(error)", metadata: ["phase": "definitions"])
            throw ExitStatus.configuration
        }
        let reference: ReferenceData
        do {
            reference = try ReferenceData.load(drop: Self.referenceDrop(drops), defaultGeography: layout.geography, aliases: layout.lsoaAliases)
        } catch {
            log.error("profiler: reference data: \(error)", metadata: ["phase": "definitions"])
            throw ExitStatus.badInput
        }
        return (catalogue, drops, reference, key)
    }

    /// Reads the drops (see `DropIngestor.ingest(drops:)`), logging each source as it is read
    /// and what a build over several drops replaced. A failure to merge drops is internal (exit 4).
    func ingest(_ drops: [String], catalogue: SourceCatalogue, reference: ReferenceData, key: LinkageKey) throws -> IngestedDrop {
        let log = logger
        log.info("reading \(drops.joined(separator: " then ")) ...", metadata: ["phase": "ingest"])
        let ingested: IngestedDrop
        do {
            ingested = try DropIngestor.ingest(drops: drops, catalogue: catalogue, reference: reference, key: key, options: ingestOptions(log))
        } catch {
            log.error("profiler: internal error: \(error)", metadata: ["phase": "ingest"])
            throw ExitStatus.internalError
        }
        if let merge = ingested.merge {
            for d in merge.datasets where d.replaced > 0 {
                log.notice("\(d.source): \(d.replaced) of \(d.accepted) rows replaced by a later drop's record, \(d.kept) kept",
                           metadata: ["phase": "ingest", "source": "\(d.source)", "replaced": .stringConvertible(d.replaced), "kept": .stringConvertible(d.kept)])
            }
            for s in merge.notDeduplicated {
                log.warning("profiler: warning: \(s) names no record_id, so its rows from \(drops.count) drops are all kept (a record given twice is counted twice)",
                            metadata: ["phase": "ingest", "source": "\(s)"])
            }
        }
        for failure in ingested.quarantineFailures {
            log.error("profiler: \(failure): refused rows were not all kept", metadata: ["phase": "ingest"])
            throw ExitStatus.internalError
        }
        return ingested
    }

    /// Options for the ingest; progress goes to the log (shown on a terminal, or as JSON).
    private func ingestOptions(_ log: Logger) -> IngestOptions {
        var report: (@Sendable (String) -> Void)? = nil
        if log.logLevel <= .info {
            let started = ContinuousClock.now
            let json = logFormat == .json
            report = { @Sendable message in
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let (rss, peak) = (residentMegabytes(), peakMB())
                if json {
                    log.info("\(message)", metadata: ["phase": "ingest", "elapsed_s": .stringConvertible((seconds * 10).rounded() / 10),
                                                      "resident_mb": .stringConvertible(rss), "peak_mb": .stringConvertible(peak)])
                } else {
                    log.info("  [\(String(format: "%.1f", seconds)) s, \(rss) MB, peak \(peak) MB] \(message)")
                }
            }
        }
        return IngestOptions(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: quarantine,
                             partBytes: partMB << 20, progress: report)
    }
}

func standardError(_ line: String) {
    LogOutput.write(line)
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
func residentMegabytes() -> Int {
    let fields = procFile("statm").split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
}

/// The most memory this process has had resident so far, in megabytes.
func peakMB() -> Int {
    guard let line = procFile("status").split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) >> 10
}
