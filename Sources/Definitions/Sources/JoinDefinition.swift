/// Columns a source takes from another file of the same drop, matched by a key column: the
/// SSDA903 episodes take the child's date of birth, sex and ethnicity from the header file.
/// The named columns are read as if the source's own file had them (fields and people name them
/// as any column); a row whose key the other file lacks is refused (`unmatched-join-key`).
public struct JoinDefinition: Sendable {
    /// The other file's name without folder or extension (`ssda903_header`), in the same drop
    /// folder as the file being read.
    public let file: String
    /// The key column in the source's own file.
    public let key: String
    /// The key column in the other file (the same name unless `other_key:` gives another).
    public let otherKey: String
    /// The other file's columns brought in, by their header names.
    public let columns: [String]
    public let location: SourceLocation
}
