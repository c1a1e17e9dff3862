import CYaml

/// Bounds what YAML aliases can make a definition grow to. Aliases are shared by the YAML library,
/// but anything that walks, compares or hashes the nodes (a mapping key made of aliases is hashed
/// to find duplicate keys) visits every expansion: nine anchors of nine aliases each are 9^9
/// values from a few hundred bytes (a "billion laughs"). One pass over the parser's events, before
/// the document is composed, adds up each node's size with every alias expanded. (`CYaml` is the
/// libyaml that Yams builds and parses with: its event API, not a second YAML library.)
enum AliasGuard {
    /// Values (scalars and collections) a definition may expand to: far more than any real one.
    static let limit = 100_000

    /// Where (1-based line and column) the document's expanded size first passes `limit`; nil
    /// when it stays within it, or when the text is not valid YAML (composing it then says why).
    static func firstExcess(in text: String) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b -> (line: Int, column: Int)? in
            yaml_parser_set_input_string(&parser, b.baseAddress, b.count)
            // Expanded size of each anchored node; open collections with their anchor and size so far.
            var sizes: [String: Int] = [:]
            var open: [(anchor: String?, size: Int)] = []
            var total = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                var added = 0
                var closing: (anchor: String?, size: Int)?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    added = 1
                    if let a = event.data.scalar.anchor { sizes[String(cString: a)] = 1 }
                case YAML_ALIAS_EVENT:
                    added = event.data.alias.anchor.flatMap { sizes[String(cString: $0)] } ?? 1
                case YAML_SEQUENCE_START_EVENT:
                    open.append((event.data.sequence_start.anchor.map { String(cString: $0) }, 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((event.data.mapping_start.anchor.map { String(cString: $0) }, 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    closing = open.popLast()
                default:
                    break
                }
                if let (anchor, size) = closing {
                    if let anchor { sizes[anchor] = size }
                    added = size
                }
                if added > 0 {
                    if open.isEmpty { total += added } else { open[open.count - 1].size += added }
                }
                if total > limit || added > limit || (open.last?.size ?? 0) > limit {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
            }
        }
    }
}
