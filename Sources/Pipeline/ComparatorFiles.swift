import Definitions
import Foundation
import Ingest
import Reference

/// Reads a folder of published comparator files: every `indicators-*.csv(.gz)` in it, through the
/// Fingertips export definition in `profiles/public` (real exports, and the engine's conversions
/// of police.uk and DfE figures).
public enum ComparatorFiles {
    public struct Loaded: Sendable {
        public let values: [PublishedValue]
        public let reports: [FileReport]
    }

    /// Reads the comparator files of several folders (the engine's, a drop's own) as one.
    public static func load(folders: [String], profilesDirectory: String, geography: String) throws -> Loaded {
        var values: [PublishedValue] = [], reports: [FileReport] = []
        for f in folders {
            let loaded = try load(folder: f, profilesDirectory: profilesDirectory, geography: geography)
            values += loaded.values
            reports += loaded.reports
        }
        return Loaded(values: values, reports: reports)
    }

    public static func load(folder: String, profilesDirectory: String, geography: String) throws -> Loaded {
        let catalogue = try SourceCatalogue.load(profiles: profilesDirectory, sources: "public")
        let fingertips = catalogue.sources.filter { $0.id == "fingertips_indicators" }
        let reference = try ReferenceData.load(drop: folder, defaultGeography: geography)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let files = names.filter { n in fingertips.first?.matches(fileName: n) == true }.map { folder + "/" + $0 }
        guard let source = fingertips.first, !files.isEmpty else { return Loaded(values: [], reports: []) }
        // Published figures name no person: they are read without the partnership's linkage.
        let drop = DropIngestor.ingestUnlinked(source, files: files, reference: reference)
        return Loaded(values: drop.tables[source.id].map(PublishedValue.read) ?? [], reports: drop.reports)
    }
}
