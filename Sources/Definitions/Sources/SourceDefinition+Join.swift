import Yams

extension SourceDefinition {
    static let joinKeys: Set<String> = ["file", "on", "other_key", "columns"]

    /// `join: {file: ssda903_header, on: CHILD, columns: [DOB, SEX, ETHNIC]}`: every key checked,
    /// with its line, like the rest of the definition.
    static func joinDefinition(_ node: Node, _ r: DefinitionReader) -> JoinDefinition? {
        guard let pairs = r.mapping(node, "join", allowed: joinKeys) else { return nil }
        var values: [String: Node] = [:]
        for (name, _, value) in pairs { values[name] = value }
        func required(_ name: String) -> Node? {
            if let v = values[name] { return v }
            r.fail(node, "join.\(name)", "missing required key")
            return nil
        }
        let file = required("file").flatMap { r.string($0, "join.file") } ?? ""
        if file.isEmpty || file.contains("/") || file.contains("..") || file.contains("*") || file.hasSuffix(".csv")
            || file.hasSuffix(".gz")
        {
            r.fail(
                values["file"] ?? node, "join.file",
                "give the other file's name without folder, extension or '*' ('ssda903_header' for ssda903_header.csv)")
        }
        let key = required("on").flatMap { r.string($0, "join.on") } ?? ""
        let otherKey = values["other_key"].flatMap { r.string($0, "join.other_key") } ?? key
        let columns = required("columns").flatMap { r.strings($0, "join.columns") } ?? []
        if let c = values["columns"], columns.isEmpty { r.fail(c, "join.columns", "name at least one column to bring in") }
        var seen = Set<String>()
        for column in columns where !seen.insert(column).inserted {
            r.fail(values["columns"], "join.columns", "column '\(column)' is named twice")
        }
        if columns.contains(key) || columns.contains(otherKey) {
            r.fail(values["columns"], "join.columns", "the key column is matched on, not brought in")
        }
        guard !file.isEmpty, !key.isEmpty, !columns.isEmpty else { return nil }
        return JoinDefinition(file: file, key: key, otherKey: otherKey, columns: columns, location: r.location(node, "join"))
    }
}
