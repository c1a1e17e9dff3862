import ArgumentParser
import Definitions
import Foundation

/// `profiler sources`: lists the source definitions, explains one, or drafts one from a file.
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract:
            "List the source definitions, show how one maps its extract (profiler sources police_crimes), or draft one from a CSV file (profiler sources infer FILE).",
        subcommands: [SourcesShow.self, SourcesInfer.self], defaultSubcommand: SourcesShow.self)
}

/// `profiler sources [ID]`: lists the source definitions, or explains one.
struct SourcesShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List the source definitions, or show how one maps its extract (profiler sources police_crimes).")

    @Argument(help: "A source id to explain.")
    var source: String?

    @Option(name: .long, help: "Folder of definitions, with sources/ and codes/ (default: the project's profiles/).")
    var profiles: String?

    func run() throws {
        let dir = try profiles ?? locateProject().profilesDirectory
        let catalogue: SourceCatalogue
        do {
            catalogue = try SourceCatalogue.load(profiles: dir)
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitStatus.configuration
        }
        guard let id = source else {
            for s in catalogue.sources {
                print(
                    "\(s.id.padding(toLength: 30, withPad: " ", startingAt: 0)) \(s.agency.padding(toLength: 8, withPad: " ", startingAt: 0)) \(s.title)"
                )
            }
            return
        }
        guard let s = catalogue.source(id) else {
            throw ValidationError("no source '\(id)'; known: \(catalogue.sources.map(\.id).joined(separator: ", "))")
        }
        print("\(s.id): \(s.title) (\(s.agency)), file \(s.file).csv[.gz], \(s.encoding.rawValue), defined in \(s.location.file)")
        if !s.description.isEmpty { print(s.description) }
        if let r = s.rereads { print("reads the file of \(r) again") }
        if let j = s.join {
            print(
                "join: columns \(j.columns.joined(separator: ", ")) from \(j.file).csv[.gz] of the same drop, where its \(j.otherKey) is the row's \(j.key)"
            )
        }
        print("fields:")
        for f in s.fields { print("  \(describe(f))") }
        for role in s.people {
            print(
                "person '\(role.name)': identity from "
                    + role.identity.map { "\($0.kind.rawValue)=\($0.column)" + ($0.system.map { " (ids of \($0))" } ?? "") }.joined(
                        separator: ", ")
                    + " (pseudonymised at ingest)")
            for f in role.fields { print("    \(describe(f))") }
        }
        for list in s.codeLists {
            print("code list \(list.name): \(list.entries.count) codes -> \(Set(list.entries.map(\.label)).count) labels")
        }
    }

    private func describe(_ f: FieldDefinition) -> String {
        var s = "\(f.name) <- \(f.column) : \(f.type.rawValue)"
        if let d = f.dateFormat { s += " (\(d.text))" }
        if let c = f.codeList { s += " via \(c)" }
        if f.required { s += ", required" }
        return s
    }
}
