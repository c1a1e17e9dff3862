import ArgumentParser
import Definitions
import Foundation
import Ingest

/// `profiler validate`: checks the definitions, then a drop against them.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the source definitions, and that a drop has every file and column they name.",
        discussion: "With no --data, checks the bundled sample drop.")

    @Option(name: .long, help: "The drop folder to check (default: the bundled sample drop).")
    var data: String?

    @Option(name: .long, help: "Folder of definitions, with sources/ and codes/ (default: the project's profiles/).")
    var profiles: String?

    func run() throws {
        let layout = try locateProject()
        let profilesDir = profiles ?? layout.profilesDirectory
        let catalogue: SourceCatalogue
        do {
            catalogue = try SourceCatalogue.load(profiles: profilesDir)
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            FileHandle.standardError.write(Data("profiler validate: \(error.errors.count) problem(s) in the definitions\n".utf8))
            throw ExitStatus.configuration
        }
        print("definitions: \(catalogue.sources.count) sources in \(profilesDir)/sources are valid")
        let drop = data ?? layout.sampleDrop
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: drop, isDirectory: &isDirectory), isDirectory.boolValue else {
            FileHandle.standardError.write(Data("profiler validate: no drop folder at \(drop)\n".utf8))
            throw ExitStatus.badInput
        }
        let inspection = DropInspection.inspect(drop: drop, catalogue: catalogue)
        print("drop: \(drop)")
        var problems = 0
        for f in inspection.files {
            guard let path = f.path else {
                print("  \(f.source): MISSING (no \(catalogue.source(f.source)!.file).csv or .csv.gz)")
                problems += 1
                continue
            }
            let name = URL(fileURLWithPath: path).lastPathComponent
            if let e = f.readError {
                print("  \(f.source): \(name): cannot read: \(e)")
                problems += 1
                continue
            }
            print("  \(f.source): \(name): \(f.records ?? 0) records" + (f.missingColumns.isEmpty ? ", all columns present" : ""))
            for m in f.missingColumns {
                print("    missing column '\(m.column)' (named at \(m.at.description) \(m.at.key))")
                problems += 1
            }
            if !f.unmappedColumns.isEmpty { print("    not read by the definition: \(f.unmappedColumns.joined(separator: ", "))") }
        }
        for u in inspection.unknownFiles { print("  note: \(u) is not read by any definition") }
        if problems > 0 {
            print("\(problems) problem(s): the drop does not match its definitions")
            throw ExitStatus.badInput
        }
        print("the drop matches its definitions")
    }
}
