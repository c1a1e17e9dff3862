import Foundation

/// Every source definition of a `profiles/sources` folder, loaded and checked together.
public struct SourceCatalogue: Sendable {
    public let sources: [SourceDefinition]
    /// The integer bandings `band(field)` breakdowns use (`profiles/codes`, `bands:`).
    public let bandings: [Banding]
    /// How people are linked beyond exact keys (`profiles/linkage.yaml`).
    public var linkage = LinkageDefinition()

    public init(sources: [SourceDefinition], bandings: [Banding] = [], linkage: LinkageDefinition = LinkageDefinition()) {
        self.sources = sources
        self.bandings = bandings
        self.linkage = linkage
    }

    /// Loads every `*.yaml` / `*.yml` file of `directory`, in name order, reporting all mistakes of
    /// all files at once; two files may not define the same source or read the same drop file.
    public static func load(directory: String, sharedCodes: String? = nil) throws(DefinitionErrors) -> SourceCatalogue {
        let (shared, bandings) =
            try sharedCodes.map { dir throws(DefinitionErrors) in try SharedCodeLists.loadAll(directory: dir) } ?? ([], [])
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw DefinitionErrors([DefinitionError(file: directory, line: 0, column: 0, key: "", message: "cannot list the folder")])
        }
        if names.isEmpty {
            throw DefinitionErrors([
                DefinitionError(file: directory, line: 0, column: 0, key: "", message: "no source definitions (*.yaml) found")
            ])
        }
        var sources: [SourceDefinition] = []
        var errors: [DefinitionError] = []
        for name in names {
            do {
                sources.append(try SourceDefinition.load(path: directory + "/" + name, shared: shared))
            } catch {
                errors += error.errors
            }
        }
        var ids: [String: SourceDefinition] = [:]
        var files: [String: SourceDefinition] = [:]
        for s in sources {
            if let other = ids[s.id] {
                errors.append(s.location.error("source '\(s.id)' is also defined in \(other.location.file)").with(key: "source"))
            }
            if let other = files[s.file], s.rereads != other.id && other.rereads != s.id {
                errors.append(s.location.error("file '\(s.file)' is also read by \(other.location.file)").with(key: "file"))
            }
            ids[s.id] = s
            files[s.file] = s
        }
        // (A source that failed to load is not named again here.)
        for s in sources where errors.isEmpty {
            if let id = s.rereads, !sources.contains(where: { $0.id == id && $0.file == s.file }) {
                errors.append(s.location.error("rereads '\(id)': no source of that id reads file '\(s.file)'").with(key: "rereads"))
            }
        }
        if !errors.isEmpty { throw DefinitionErrors(errors) }
        return SourceCatalogue(sources: sources, bandings: bandings)
    }

    public func source(_ id: String) -> SourceDefinition? { sources.first { $0.id == id } }

    /// Loads `<profiles>/<sources>` (the partnership's `sources`, or `public` formats) with the
    /// shared code lists of `<profiles>/codes`.
    public static func load(profiles: String, sources: String = "sources") throws(DefinitionErrors) -> SourceCatalogue {
        let codes = profiles + "/codes"
        guard !sources.contains("/"), !sources.contains("..") else {
            throw DefinitionErrors([
                DefinitionError(file: sources, line: 0, column: 0, key: "", message: "a definitions folder name, not a path")
            ])
        }
        var errors: [DefinitionError] = []
        var linkage = LinkageDefinition()
        do { linkage = try LinkageDefinition.load(profiles: profiles) } catch { errors = error.errors }
        var catalogue: SourceCatalogue
        do {
            catalogue = try load(
                directory: profiles + "/" + sources, sharedCodes: FileManager.default.fileExists(atPath: codes) ? codes : nil)
        } catch {
            throw DefinitionErrors(error.errors + errors)
        }
        guard errors.isEmpty else { throw DefinitionErrors(errors) }
        catalogue.linkage = linkage
        return catalogue
    }
}

extension DefinitionError {
    func with(key: String) -> DefinitionError {
        DefinitionError(file: file, line: line, column: column, key: key, message: message)
    }
}
