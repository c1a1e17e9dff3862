import Foundation
import Yams

/// Code lists shared by several sources (sex, ethnicity in each agency's coding), one or more per
/// file under `profiles/codes`, each file holding a `codes:` mapping like a source's.
public enum SharedCodeLists {
    public static func load(directory: String) throws(DefinitionErrors) -> [CodeList] { try loadAll(directory: directory).lists }

    /// The folder's code lists (`codes:`) and bandings (`bands:`), every mistake of every file at once.
    public static func loadAll(directory: String) throws(DefinitionErrors) -> (lists: [CodeList], bandings: [Banding]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var lists: [CodeList] = []
        var bandings: [Banding] = []
        var errors: [DefinitionError] = []
        for name in names {
            let path = directory + "/" + name
            let r = DefinitionReader(file: path)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(DefinitionError(file: path, line: 0, column: 0, key: "", message: "cannot read the file as UTF-8 text"))
                continue
            }
            if let root = r.parse(text), let top = r.mapping(root, "", allowed: ["codes", "bands"]) {
                for (key, _, v) in top where key == "bands" {
                    for b in Banding.parse(v, r) {
                        if bandings.contains(where: { $0.name == b.name }) {
                            r.fail(v, "bands.\(b.name)", "banding '\(b.name)' is defined twice")
                        }
                        bandings.append(b)
                    }
                }
                for (key, _, v) in top where key == "codes" {
                    for list in SourceDefinition.parseCodeLists(v, r) {
                        if let other = lists.first(where: { $0.name == list.name }) {
                            r.fail(
                                line: list.location.line, column: list.location.column, key: list.location.key,
                                "code list '\(list.name)' is also defined in \(other.location.file)")
                        }
                        lists.append(list)
                    }
                }
            }
            errors += r.errors
        }
        if !errors.isEmpty { throw DefinitionErrors(errors) }
        return (lists, bandings)
    }
}
