import Foundation
import TestSupport
import Testing

@testable import Reference

@Suite("Area geography")
struct GeographyTests {
    @Test func bundledShropshireLookupIsComplete() throws {
        let g = try AreaGeography.load(path: TestPaths.geography)
        #expect(g.lsoas.count == 193)
        #expect(g.wards.count == 63)
        #expect(Set(g.lsoas.map(\.authorityCode)) == ["E06000051"])
        #expect(Set(g.lsoas.map(\.locality)).count == 5)
        #expect(g.lsoas.allSatisfy { (1...10).contains($0.imdDecile) && $0.imdRank >= 1 })
    }

    /// The shipped subset agrees with the ONS lookups it was derived from, row by row.
    @Test func bundledLookupMatchesTheONSFiles() throws {
        let g = try AreaGeography.load(path: TestPaths.geography)
        let ons = try CSVTable(path: TestPaths.publicData + "/ons_geography/LSOA11_WD19_LAD19_EW_LU.csv.gz")
        let imd = try CSVTable(path: TestPaths.publicData + "/ons_geography/LSOA11_LAD19_IMD19_EN_LU.csv.gz")
        var wardOf: [String: String] = [:]
        for row in ons.rows where row[ons.column("LAD19CD")] == "E06000051" {
            wardOf[row[ons.column("LSOA11CD")]] = row[ons.column("WD19NM")]
        }
        var rankOf: [String: Int] = [:]
        for row in imd.rows where row[imd.column("LAD19CD")] == "E06000051" {
            rankOf[row[imd.column("LSOA11CD")]] = Int(row[imd.column("IMD19")])
        }
        #expect(wardOf.count == 193)
        for l in g.lsoas {
            #expect(wardOf[l.code] == l.wardName, "ward of \(l.code)")
            #expect(rankOf[l.code] == l.imdRank, "IMD rank of \(l.code)")
        }
    }

    @Test func malformedLookupNamesFileAndLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(
            "geo.csv", AreaGeography.columns.joined(separator: ",") + "\nE01,A,W1,Ward,North,E06,LA,notanumber,3,-2.1,52.1\n")
        #expect {
            _ = try AreaGeography.load(path: path)
        } throws: { error in
            guard let e = error as? ReferenceDataError else { return false }
            return e.line == 2 && e.message.contains("imd_rank")
        }
    }
}
