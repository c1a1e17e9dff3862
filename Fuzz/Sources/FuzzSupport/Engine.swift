import CSVText
import Definitions
import Foundation
import Ingest
import Profiles

/// The project's own definitions and reference data, loaded once per fuzzing process.
public enum Engine {
    public static var profiles: String { Fuzz.root + "/profiles" }
    public static var geography: String { Fuzz.root + "/Fixtures/geography/shropshire_lsoa.csv" }
    public static var aliasFile: String { Fuzz.root + "/Fixtures/geography/shropshire_lsoa21_best_fit.csv" }
    public static var sampleDrop: String { Fuzz.root + "/Fixtures/sample-drop" }

    /// The partnership's sources and the public formats, as the command line loads them.
    public static let sources: SourceCatalogue = loadOrDie { try SourceCatalogue.load(profiles: profiles) }
    public static let publicSources: SourceCatalogue = loadOrDie { try SourceCatalogue.load(profiles: profiles, sources: "public") }
    public static let sharedCodes: [CodeList] = loadOrDie { try SharedCodeLists.load(directory: profiles + "/codes") }
    public static let audiences: AudiencePolicy = loadOrDie { try AudiencePolicy.load(profiles: profiles) }
    public static let profileCatalogue: ProfileCatalogue = loadOrDie {
        try ProfileCatalogue.load(directory: profiles + "/priorities", sources: sources, measures: MeasureLibrary.grammars)
    }

    /// The bundled drop's reference lookups (Shropshire's LSOAs, the 2021 aliases, the postcodes).
    public static let reference: ReferenceData = loadOrDie {
        try ReferenceData.load(drop: sampleDrop, defaultGeography: geography, aliases: aliasFile)
    }

    /// The 2021 LSOA codes the reference data maps to 2011 ones.
    public static let aliases: [String: String] = loadOrDie {
        var map: [String: String] = [:]
        try CSVReader(path: aliasFile).forEachRecord { r in
            if r.index > 1 && r.count >= 2 { map[r.string(0)] = r.string(1) }
            return true
        }
        return map
    }

    public static let key: LinkageKey = loadOrDie { try LinkageKey.resolve(keyFile: nil, environment: [:], isDemoDrop: true) }

    static func loadOrDie<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch {
            fatalError("the fuzz targets need the project's definitions and fixtures under \(Fuzz.root): \(error)")
        }
    }
}
