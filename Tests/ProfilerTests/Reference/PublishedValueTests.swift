import Columnar
import Foundation
import Reference
import TestSupport
import Testing

/// Published comparator values and the areas they are for: periods as date ranges, the Fingertips
/// file written and read back, the comparator areas with their populations.
@Suite("Reference: published values and comparator areas")
struct PublishedValueTests {
    @Test(arguments: [
        ("2017", "2017-01-01", "2017-12-31"), ("2016/17", "2016-04-01", "2017-03-31"), ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024-02 to 2024-03", "2024-02-01", "2024-03-31"), ("2023/24", "2023-04-01", "2024-03-31"),
    ])
    func publishedPeriodsAreDateRanges(_ period: String, _ first: String, _ last: String) throws {
        let days = try #require(PublishedValue.days(of: period))
        #expect(DayNumber.isoString(days.lowerBound) == first && DayNumber.isoString(days.upperBound) == last)
    }

    @Test func unreadablePeriodsAreNil() {
        for p in ["2015 - 17", "2016/18", "Q1 2024", "2024-13", ""] { #expect(PublishedValue.days(of: p) == nil, "\(p)") }
    }

    /// Values written as a Fingertips file (gzipped) read back through the CSV reader field by
    /// field, blanks kept blank.
    @Test func aFingertipsFileKeepsEveryField() throws {
        let dir = try TemporaryDirectory("fingertips")
        defer { dir.remove() }
        var a = PublishedValue(
            indicatorID: "92863", indicatorName: "Violent crime", areaCode: "E06000051", areaName: "Shropshire",
            areaType: "Counties & UAs", period: "2023/24")
        a.value = 21.5
        a.lower95 = 20.1
        a.upper95 = 23.0
        a.count = 7000
        a.denominator = 325_000
        let b = PublishedValue(
            indicatorID: "92863", indicatorName: "Violent crime", areaCode: "E92000001", areaName: "England",
            areaType: "England", period: "2023/24")
        let path = dir.file("indicators-test.csv.gz")
        try PublishedValue.writeFingertipsCSV([a, b], to: path)
        let table = try CSVTable(path: path)
        #expect(table.header == PublishedValue.fingertipsHeader)
        #expect(table.rows.count == 2)
        let value = table.column("Value"), count = table.column("Count"), code = table.column("Area Code")
        #expect(table.rows[0][code] == "E06000051" && Double(table.rows[0][value]) == 21.5 && Double(table.rows[0][count]) == 7000)
        #expect(table.rows[1][code] == "E92000001" && table.rows[1][value].isEmpty)
    }

    /// The bundled comparator areas: Shropshire in the West Midlands and West Mercia; its
    /// population for a year is the file's, and a later year takes the latest published.
    @Test func theBundledComparatorAreas() throws {
        let areas = try AreaLookup(folder: TestPaths.comparators)
        let shropshire = try #require(areas.areas["E06000051"])
        #expect(shropshire.name == "Shropshire" && shropshire.regionCode == "E12000005" && shropshire.forceName == "West Mercia")
        #expect(areas.name(of: "E12000005") == "West Midlands" && areas.name(of: AreaLookup.englandCode) == "England")
        let population = try CSVTable(path: TestPaths.comparators + "/population.csv")
        let rows = population.rows.filter { $0[0] == "E06000051" && $0[population.column("age_band")] == "0-17" }
        let latest = try #require(rows.map { Int($0[population.column("year")])! }.max())
        for row in rows {
            let year = Int(row[population.column("year")])!
            let found = try #require(areas.population("E06000051", age: "0-17", year: year))
            #expect(found.year == year && found.value == Double(row[population.column("population")]))
        }
        #expect(areas.population("E06000051", age: "0-17", year: latest + 5)?.year == latest)
    }
}
