import Columnar
import Definitions
import Foundation
import Ingest
import Profiles

/// Ingests a drop the way the command line does, with the bundled geography.
public func ingestDrop(
    _ drop: String, sources: String = "sources", demo: Bool = true, threads: Int = 2,
    quarantine: String? = nil, partBytes: Int = IngestOptions().partBytes, linkage: LinkageDefinition.Method? = nil
) throws -> IngestedDrop {
    var catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles, sources: sources)
    if let linkage { catalogue.linkage.method = linkage }
    let reference = try ReferenceData.load(drop: drop, defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
    let key = try LinkageKey.resolve(
        keyFile: nil, environment: demo ? [:] : [LinkageKey.environmentVariable: "a-test-key-that-is-long-enough-0123456789"],
        isDemoDrop: demo)
    return DropIngestor.ingest(
        drop: drop, catalogue: catalogue, reference: reference, key: key,
        options: IngestOptions(threads: threads, quarantineFolder: quarantine, partBytes: partBytes))
}

/// Writes fields as one CSV line (quoted where needed), for tests that edit extracts.
public func csvLine(_ fields: [String]) -> String {
    fields.map { f in
        f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
    }.joined(separator: ",")
}

/// A plain-text copy of the bundled sample drop (extracts gunzipped) that a test may change.
public func plainSampleDropCopy() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory("drop")
    try FileManager.default.removeItem(atPath: dir.path)
    try FileManager.default.copyItem(atPath: TestPaths.sampleDrop, toPath: dir.path)
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".gz") {
        _ = try ProcessRun.tool("/usr/bin/env", ["gzip", "-d", dir.file(name)])
    }
    return dir
}

/// Every string a table holds (dictionary values and set labels).
public func allStrings(_ table: ColumnTable) -> [String] {
    table.columns.flatMap { (_, column) -> [String] in
        switch column {
        case .code(let c): return c.values
        case .flagSet(let c): return c.labels
        default: return []
        }
    }
}

extension ProfileEngine {
    /// An engine over an ingested drop's data, as the build makes one.
    public init(drop: IngestedDrop, period: ReportingPeriod, threads: Int = 2) {
        self.init(drop: drop.data, period: period, threads: threads)
    }
}

/// Whether a row passes a condition, worked out plainly from the column (the reference that the
/// engine's compiled row tests are checked against).
public func naivelyPasses(_ c: Condition, _ table: ColumnTable, _ row: Int, area: AreaReference? = nil) -> Bool {
    switch (table[c.field], c.test) {
    case (.area(let col)?, .wardWithSite(let categories)):
        guard let area, Int(col.areas[row]) < area.lsoas.count else { return false }
        let ward = area.lsoas[Int(col.areas[row])].wardName
        return area.services.contains { site in
            categories.contains { $0.lowercased() == site.category.lowercased() } && area.lsoas[site.lsoa].wardName == ward
        }
    case (.code(let col)?, .oneOf(let v)): return col.value(row).map { s in v.contains { $0.lowercased() == s.lowercased() } } ?? false
    case (.code(let col)?, .noneOf(let v)): return !(col.value(row).map { s in v.contains { $0.lowercased() == s.lowercased() } } ?? true)
    case (.flag(let col)?, .oneOf(let v)):
        return (col.values[row] == 1 && v.contains { $0.lowercased() == "yes" })
            || (col.values[row] == 0 && v.contains { $0.lowercased() == "no" })
    case (.flagSet(let col)?, .anyOf(let v)):
        return col.labels.enumerated().contains { i, l in
            col.masks[row] & (1 << UInt64(i)) != 0 && v.contains { $0.lowercased() == l.lowercased() }
        }
    case (.integer(let col)?, .between(let a, let b)):
        return col.values[row] != IntegerColumn.null && col.values[row] >= a && col.values[row] <= b
    case (.integer(let col)?, .atLeast(let a)): return col.values[row] != IntegerColumn.null && col.values[row] >= a
    case (.integer(let col)?, .atMost(let a)): return col.values[row] != IntegerColumn.null && col.values[row] <= a
    default: return false
    }
}
