import CSVText
import Columnar
import Foundation
import Reference

/// The drop's `reference/services.csv`: where services are provided (`service_id, service_type,
/// lsoa_code`, and `name` and `category` where the file has them; a site is placed by its LSOA). A
/// site in a well-formed LSOA of another area is left out (a service over the border); a code that
/// is no LSOA is an error.
extension ReferenceData {
    static let serviceColumns = ["service_id", "service_type", "lsoa_code"]

    mutating func loadServices(_ path: String) throws {
        var columns: [String: Int] = [:]
        var sites: [ServiceSite] = []
        try CSVReader(path: path).forEachRecord { r in
            let v = r.strings()
            if r.index == 1 {
                for (i, n) in v.enumerated() { columns[n] = i }
                for needed in Self.serviceColumns where columns[needed] == nil {
                    throw ReferenceDataError(file: path, line: r.line, message: "missing column '\(needed)'")
                }
                return true
            }
            guard v.count == columns.count else {
                throw ReferenceDataError(file: path, line: r.line, message: "expected \(columns.count) fields, found \(v.count)")
            }
            func at(_ name: String) -> String { columns[name].map { v[$0].trimmingCharacters(in: .whitespaces) } ?? "" }
            let code = at("lsoa_code")
            let area = Array(code.utf8).withUnsafeBufferPointer { self.area(lsoa: $0) }
            if area == AreaColumn.outside { return true }
            guard AreaColumn.isInArea(area) else {
                throw ReferenceDataError(file: path, line: r.line, message: "lsoa_code '\(code)' is not an LSOA code")
            }
            for needed in ["service_id", "service_type"] where at(needed).isEmpty {
                throw ReferenceDataError(file: path, line: r.line, message: "\(needed) is blank")
            }
            sites.append(
                ServiceSite(id: at("service_id"), type: at("service_type"), name: at("name"), category: at("category"), lsoa: Int(area)))
            return true
        }
        services = sites
    }
}
