extension CSVReader {
    /// The first record of the file (its header), or an empty array for an empty file.
    public func header() throws -> [String] {
        var result: [String] = []
        try forEachRecord { record in
            result = record.strings()
            return false
        }
        return result
    }
}
