import Definitions
import Foundation

/// What a drop holds against the source definitions: for each source, its file (plain or gzip),
/// whether every column the definition reads is in the file's header, and how many records it has.
public struct DropInspection: Sendable {
    public struct SourceFile: Sendable {
        public let source: String
        /// Path of the file found, or nil if the drop has none for this source.
        public let path: String?
        /// Columns the definition names that the header lacks, each with where it was named.
        public let missingColumns: [(column: String, at: SourceLocation)]
        /// Header columns that no part of the definition reads.
        public let unmappedColumns: [String]
        /// Data records (the header excluded); nil when the file could not be read.
        public let records: Int?
        public let readError: CSVReadError?

        public var isUsable: Bool { path != nil && missingColumns.isEmpty && readError == nil }
    }

    public let drop: String
    public let files: [SourceFile]
    /// CSV files in the drop that no definition reads.
    public let unknownFiles: [String]

    public var isUsable: Bool { files.allSatisfy(\.isUsable) }

    /// Looks for `<file>.csv`, then `<file>.csv.gz`, for every source of the catalogue.
    /// - Complexity: reads each file once, O(bytes in the drop).
    public static func inspect(drop: String, catalogue: SourceCatalogue, countRecords: Bool = true) -> DropInspection {
        let fm = FileManager.default
        var results: [SourceFile] = []
        var claimed = Set<String>()
        for source in catalogue.sources {
            let candidates = [source.file + ".csv", source.file + ".csv.gz"]
            guard let name = candidates.first(where: { fm.fileExists(atPath: drop + "/" + $0) }) else {
                results.append(SourceFile(source: source.id, path: nil, missingColumns: [], unmappedColumns: [], records: nil, readError: nil))
                continue
            }
            claimed.insert(name)
            let path = drop + "/" + name
            var header: [String] = []
            var records = 0
            var readError: CSVReadError?
            do {
                try CSVReader(path: path).forEachRecord { record in
                    if record.index == 1 {
                        header = record.strings()
                        return countRecords
                    }
                    records += 1
                    return true
                }
            } catch let e as CSVReadError {
                readError = e
            } catch {
                readError = CSVReadError(kind: .parse, file: path, message: "\(error)")
            }
            let present = Set(header)
            let referenced = source.columnReferences
            var missing: [(String, SourceLocation)] = []
            var reported = Set<String>()
            for ref in referenced where !present.contains(ref.column) && reported.insert(ref.column).inserted {
                missing.append((ref.column, ref.at))
            }
            let used = Set(referenced.map(\.column))
            results.append(SourceFile(
                source: source.id, path: path, missingColumns: missing,
                unmappedColumns: header.filter { !used.contains($0) },
                records: readError == nil && countRecords ? records : nil, readError: readError))
        }
        let all = (try? fm.contentsOfDirectory(atPath: drop)) ?? []
        let unknown = all.filter { ($0.hasSuffix(".csv") || $0.hasSuffix(".csv.gz")) && !claimed.contains($0) }.sorted()
        return DropInspection(drop: drop, files: results, unknownFiles: unknown)
    }
}
