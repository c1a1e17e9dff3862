import ArgumentParser
import Definitions
import Foundation
import Ingest

/// Options shared by the verbs that read a drop.
struct DropOptions: ParsableArguments {
    @Option(name: .long, help: "The drop folder (default: the bundled sample drop).")
    var data: String?

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

    /// Loads definitions, reference data and the key; failures are configuration errors (exit 3).
    func prepare(layout: ProjectLayout) throws -> (catalogue: SourceCatalogue, drop: String, reference: ReferenceData, key: LinkageKey) {
        let profilesDir = profiles ?? layout.profilesDirectory
        let catalogue: SourceCatalogue
        do {
            catalogue = try SourceCatalogue.load(profiles: profilesDir, sources: sources)
        } catch {
            standardError(error.description)
            standardError("profiler: \(error.errors.count) problem(s) in the definitions under \(profilesDir)")
            throw ExitStatus.configuration
        }
        let drop = data ?? layout.sampleDrop
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: drop, isDirectory: &isDirectory), isDirectory.boolValue else {
            standardError("profiler: no drop folder at \(drop)")
            throw ExitStatus.badInput
        }
        let isDemo = URL(fileURLWithPath: drop).resolvingSymlinksInPath().standardizedFileURL.path
            == URL(fileURLWithPath: layout.sampleDrop).resolvingSymlinksInPath().standardizedFileURL.path
        let key: LinkageKey
        do {
            // Public formats name no person, so they need no key.
            let needsKey = catalogue.sources.contains { !$0.people.isEmpty }
            key = try LinkageKey.resolve(keyFile: keyFile, environment: ProcessInfo.processInfo.environment,
                                         isDemoDrop: isDemo || !needsKey)
        } catch {
            standardError("profiler: \(error)")
            throw ExitStatus.configuration
        }
        let reference: ReferenceData
        do {
            reference = try ReferenceData.load(drop: drop, defaultGeography: layout.geography, aliases: layout.lsoaAliases)
        } catch {
            standardError("profiler: reference data: \(error)")
            throw ExitStatus.badInput
        }
        return (catalogue, drop, reference, key)
    }

    /// Options for the ingest; progress goes to standard error when it is a terminal.
    func ingestOptions(progress: Bool) -> IngestOptions {
        var report: (@Sendable (String) -> Void)? = nil
        if progress {
            let started = ContinuousClock.now
            report = { @Sendable message in
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                standardError("  [\(String(format: "%.1f", seconds)) s, \(residentMegabytes()) MB, peak \(peakMB()) MB] " + message)
            }
        }
        return IngestOptions(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: quarantine,
                             partBytes: partMB << 20, progress: report)
    }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
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
