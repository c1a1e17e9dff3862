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

    @Option(name: .long, help: "Files read at once (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Folder for refused rows, which hold personal data (kept apart from every output).", valueName: "folder"))
    var quarantine: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
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
        if progress { report = { @Sendable message in standardError("  " + message) } }
        return IngestOptions(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, quarantineFolder: quarantine,
                             progress: report)
    }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
