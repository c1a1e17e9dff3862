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
        var sites: [ServiceSite] = []
        try ReferenceFile.forEachRow(path, required: Self.serviceColumns) { row in
            func at(_ name: String) -> String { row[name].trimmingCharacters(in: .whitespaces) }
            let code = at("lsoa_code")
            let area = Array(code.utf8).withUnsafeBufferPointer { self.area(lsoa: $0) }
            if area == AreaColumn.outside { return }
            guard AreaColumn.isInArea(area) else {
                throw ReferenceDataError(file: path, line: row.line, message: "lsoa_code '\(code)' is not an LSOA code")
            }
            for needed in ["service_id", "service_type"] where at(needed).isEmpty {
                throw ReferenceDataError(file: path, line: row.line, message: "\(needed) is blank")
            }
            sites.append(
                ServiceSite(id: at("service_id"), type: at("service_type"), name: at("name"), category: at("category"), lsoa: Int(area)))
        }
        services = sites
    }
}
