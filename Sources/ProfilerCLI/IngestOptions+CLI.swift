import ArgumentParser
import Foundation
import Ingest
import Logging
import Pipeline

/// Options shared by the verbs that read a drop.
struct DropOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A drop folder (default: the bundled sample drop). Repeatable: the drops are read in order as one, and a record that a later drop gives again (same dataset, same record_id) is kept from the latest only.",
            valueName: "folder"))
    var data: [String] = []

    @Option(
        name: .customLong("log-format"),
        help: "Log lines on standard error as text, or as JSON (one object per line: time, level, message, metadata).")
    var logFormat: LogFormat = .text

    @Option(name: .long, help: "Folder of definitions, with sources/ and codes/ (default: the project's profiles/).")
    var profiles: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Which definitions under the profiles folder: sources (partnership extracts) or public (police.uk, Fingertips, DfE).",
            valueName: "name"))
    var sources = "sources"

    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp("File holding the linkage key (else $\(LinkageKey.environmentVariable)).", valueName: "file"))
    var keyFile: String?

    @Option(name: .long, help: "Files, and parts of large files, read at once (default: all cores).")
    var threads: Int?

    @Option(
        name: .customLong("part-mb"),
        help: ArgumentHelp(
            "Plain files of at least twice this many megabytes are cut into parts read at once; 0 reads every file whole.", valueName: "MB")
    )
    var partMB = IngestOptions().partBytes >> 20

    @Option(
        name: .long,
        help: ArgumentHelp("Folder for refused rows, which hold personal data (kept apart from every output).", valueName: "folder"))
    var quarantine: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if partMB < 0 { throw ValidationError("--part-mb must be 0 or more") }
    }

    /// The log of this run (`--log-format`).
    var logger: Logger { Logger.profiler(format: logFormat) }

    /// The settings the pipeline reads a drop with.
    var settings: DropSettings {
        var s = DropSettings()
        s.data = data
        s.profiles = profiles
        s.sources = sources
        s.keyFile = keyFile
        s.threads = threads
        s.partBytes = partMB << 20
        s.quarantine = quarantine
        s.jsonLog = logFormat == .json
        return s
    }
}

func standardError(_ line: String) {
    LogOutput.write(line)
}

/// The command line's exit code for a pipeline that stopped (its reason already logged); a
/// refused option is reported as the argument parser reports one.
func exitingOnFailure<T>(_ body: () throws(PipelineFailure) -> T) throws -> T {
    do {
        return try body()
    } catch {
        switch error {
        case .badInput: throw ExitStatus.badInput
        case .configuration: throw ExitStatus.configuration
        case .internalError: throw ExitStatus.internalError
        case .locked: throw ExitStatus.locked
        case .refused(let message): throw ValidationError(message)
        }
    }
}
