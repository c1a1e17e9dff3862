import CSVText

/// Reading a file of a drop again for the records ingest accepted (a build over several drops
/// finding each record's id, a linkage evaluation finding each record's line).
public enum AcceptedRecords {
    /// Gives `header` the file's header, then `record` each record ingest accepted (the refused
    /// ones, by the line they start on, skipped).
    /// - Throws: `DropMerge.Failure` when the file no longer gives `expected` records, and what
    ///   `header` or `record` throw.
    public static func read(
        _ path: String, refused: Set<Int>, expected: Int, name: String, header: ([String]) throws -> Void,
        record: (CSVRecord) throws -> Void
    ) throws {
        var found = 0
        do {
            try CSVReader(path: path).forEachRecord { r in
                if r.index == 1 {
                    try header(r.headerNames())
                } else if !refused.contains(r.line) {
                    try record(r)
                    found += 1
                }
                return true
            }
        } catch let e as CSVReadError where e.kind == .unterminatedQuote {
            // Ingest refused the rest of the file as one record; the records before it are all here.
        }
        guard found == expected else {
            throw DropMerge.Failure(
                description:
                    "\(name): \(found) records found again where ingest accepted \(expected) (did the file change while it was read?)")
        }
    }
}
