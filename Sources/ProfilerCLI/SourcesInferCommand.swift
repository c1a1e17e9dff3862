import ArgumentParser
import Definitions
import Foundation
import Ingest
import Pipeline

/// `profiler sources infer FILE...`: drafts a source definition from every row of the files.
struct SourcesInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Draft a source definition from a CSV file (or several with the same columns), every row read.",
        discussion: """
            Reads the files as ingest does (plain or gzip, UTF-8 or Windows-1252, CRLF or LF) and writes a commented \
            draft: each column's type from all its values (dates with their layout, day-first or month-first decided \
            by the values; numbers; yes/no flags; codes with their values and counts as a draft code list; free text), \
            the identity columns (NHS numbers by check digit and issued range, names, dates of birth, local person ids) \
            drafted into people, postcodes and LSOA codes, and a record id. Each guess has its evidence as a comment. \
            The draft loads as it is, and `profiler validate` with it reads every row of the files it came from. \
            Exit codes: 0 drafted; 2 a file that cannot be read as CSV (empty, no header, binary or Excel, UTF-16, \
            columns that change part way); 3 a bad option or an existing --out file.
            """)

    @Argument(help: "The CSV files (.csv or .csv.gz), one layout.")
    var files: [String]

    @Option(name: .long, help: "The source id (default: from the first file's name).")
    var name: String?

    @Option(name: .long, help: "Where to write the draft (default: profiles/sources/ID.yaml of --profiles; - for standard output).")
    var out: String?

    @Option(name: .long, help: "Folder of definitions the draft goes into by default (default: the project's profiles/).")
    var profiles: String?

    @Flag(name: .long, help: "Replace an existing --out file.")
    var force = false

    @Option(name: .long, help: "Parts of large files read at once (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file") }
        for f in files where !FileManager.default.fileExists(atPath: f) { throw ValidationError("no file '\(f)'") }
        if let name, SourceDraftName.isValid(name) == false {
            throw ValidationError("--name '\(name)': lower-case letters, digits and underscores, starting with a letter")
        }
    }

    /// The area's geography, to say which places are the area's: the files' folder's own
    /// (`reference/geography.csv`, as a drop has), else the project's.
    private func geography() -> ReferenceData? {
        guard let layout = ProjectLayout.locate() else { return nil }
        let folder = (files[0] as NSString).deletingLastPathComponent
        return try? ReferenceData.load(drop: folder.isEmpty ? "." : folder, defaultGeography: layout.geography, aliases: layout.lsoaAliases)
    }

    func run() throws {
        let started = Date()
        let draft: SourceDraft
        do {
            draft = try SourceDraft.infer(files, id: name, threads: max(1, threads), reference: geography())
        } catch {
            FileHandle.standardError.write(Data("profiler sources infer: \(error.description)\n".utf8))
            throw ExitStatus.badInput
        }
        let target = try out ?? ((profiles ?? locateProject().profilesDirectory) + "/sources/\(draft.id).yaml")
        if target == "-" {
            print(draft.yaml, terminator: "")
        } else {
            if FileManager.default.fileExists(atPath: target) && !force {
                FileHandle.standardError.write(
                    Data("profiler sources infer: \(target) exists; give another --out, or --force to replace it\n".utf8))
                throw ExitStatus.configuration
            }
            try draft.yaml.write(toFile: target, atomically: true, encoding: .utf8)
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        FileHandle.standardError.write(
            Data(
                "drafted source '\(draft.id)' from \(draft.rowCount) rows of \(files.count) file(s) in \(seconds) s\(target == "-" ? "" : " into \(target)")\n"
                    .utf8))
    }
}
