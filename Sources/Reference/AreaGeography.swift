import CSVText
import Foundation

/// The area's geography: each LSOA with its ward, locality, local authority and deprivation.
///
/// Loaded from the reference lookup (`Fixtures/geography/shropshire_lsoa.csv` for the bundled area,
/// derived from the ONS LSOA-ward-LAD and IMD 2019 lookups, OGL v3.0).
public struct AreaGeography: Sendable {
    public struct LSOA: Sendable, Hashable {
        public let code: String
        public let name: String
        public let wardCode: String
        public let wardName: String
        public let locality: String
        public let authorityCode: String
        public let authorityName: String
        /// Index of Multiple Deprivation 2019 rank in England (1 = most deprived).
        public let imdRank: Int
        /// National IMD decile (1 = most deprived tenth of England).
        public let imdDecile: Int
        public let longitude: Double
        public let latitude: Double
    }

    public let lsoas: [LSOA]

    public init(lsoas: [LSOA]) { self.lsoas = lsoas }

    public static let columns = [
        "lsoa_code", "lsoa_name", "ward_code", "ward_name", "locality", "lad_code", "lad_name",
        "imd_rank", "imd_decile",
    ]
    /// Read when present (the bundled lookup has them; a drop's reference copy may not).
    public static let optionalColumns = ["longitude", "latitude"]

    /// Reads the lookup, failing with file and line on a malformed row.
    public static func load(path: String) throws -> AreaGeography {
        var rows: [LSOA] = []
        var index: [String: Int] = [:]
        try CSVReader(path: path).forEachRecord { record in
            let values = record.strings()
            if record.index == 1 {
                for name in columns where !values.contains(name) {
                    throw ReferenceDataError(file: path, line: record.line, message: "missing column '\(name)'")
                }
                for (i, name) in values.enumerated() { index[name] = i }
                return true
            }
            func value(_ name: String) -> String { values.indices.contains(index[name]!) ? values[index[name]!] : "" }
            func number<T: LosslessStringConvertible>(_ name: String, as: T.Type) throws -> T {
                guard let v = T(value(name)) else {
                    throw ReferenceDataError(
                        file: path, line: record.line,
                        message: "column '\(name)': '\(value(name))' is not a number")
                }
                return v
            }
            rows.append(
                LSOA(
                    code: value("lsoa_code"), name: value("lsoa_name"),
                    wardCode: value("ward_code"), wardName: value("ward_name"), locality: value("locality"),
                    authorityCode: value("lad_code"), authorityName: value("lad_name"),
                    imdRank: try number("imd_rank", as: Int.self), imdDecile: try number("imd_decile", as: Int.self),
                    longitude: index["longitude"] == nil ? .nan : try number("longitude", as: Double.self),
                    latitude: index["latitude"] == nil ? .nan : try number("latitude", as: Double.self)))
            return true
        }
        if rows.isEmpty {
            throw ReferenceDataError(file: path, line: nil, message: "the geography lookup has no LSOAs")
        }
        return AreaGeography(lsoas: rows)
    }

    /// Ward names in first-seen order.
    public var wards: [String] {
        var seen = Set<String>()
        return lsoas.compactMap { seen.insert($0.wardName).inserted ? $0.wardName : nil }
    }
}

/// A reference file that cannot be used, with where.
public struct ReferenceDataError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int?
    public let message: String
    public var description: String { "\(line.map { "\(file):\($0)" } ?? file): \(message)" }

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}
