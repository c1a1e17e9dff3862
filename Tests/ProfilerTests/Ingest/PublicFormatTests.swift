import Columnar
import Definitions
import Foundation
import TestSupport
import Testing

@testable import Ingest

/// The public files analysts download, read with the definitions in profiles/public.
@Suite("Ingest: public formats")
struct PublicFormatTests {
    /// Both West Mercia months ingest completely, and the crimes in Shropshire's LSOAs by type are
    /// what a plain count over the files, using the ONS lookup, gives.
    @Test func westMerciaStreetFilesAgreeWithAnIndependentCount() throws {
        let folder = TestPaths.publicData + "/policeuk"
        let drop = try ingestDrop(folder, sources: "public")
        #expect(drop.reports.count == 2)
        for r in drop.reports {
            #expect(r.fatalError == nil)
            #expect(r.rejected == 0 && r.accepted == r.rowsRead)
        }
        let rows = drop.reports.map(\.rowsRead).reduce(0, +)
        #expect(rows == 10_136 + 10_038)

        // Independent: the ONS lookup's Shropshire LSOAs, and a plain count by crime type.
        let lookup = try CSVTable(path: TestPaths.publicData + "/ons_geography/LSOA11_WD19_LAD19_EW_LU.csv.gz")
        let shropshire = Set(lookup.rows.filter { $0[lookup.column("LAD19CD")] == "E06000051" }.map { $0[lookup.column("LSOA11CD")] })
        var expected: [String: Int] = [:]
        for file in ["2018-12-west-mercia-street.csv", "2019-01-west-mercia-street.csv"] {
            let t = try CSVTable(path: folder + "/" + file)
            for row in t.rows where shropshire.contains(row[t.column("LSOA code")]) {
                expected[row[t.column("Crime type")], default: 0] += 1
            }
        }

        let table = try #require(drop.tables["policeuk_street"])
        guard case .area(let areas)? = table["lsoa"], case .code(let types)? = table["crime_type"] else {
            Issue.record("unexpected column types"); return
        }
        var counted: [String: Int] = [:]
        for i in 0..<table.rowCount where AreaColumn.isInArea(areas.areas[i]) { counted[types.value(i)!, default: 0] += 1 }
        #expect(counted == expected)
        #expect(counted.values.reduce(0, +) > 3_000)
        #expect(counted.count == 14)
        // Rows outside Shropshire, and "No Location" rows, are counted, not dropped.
        let geography = drop.reports.flatMap(\.geography)
        #expect(geography.map(\.outsideArea).reduce(0, +) > 10_000)
        #expect(geography.map(\.missing).reduce(0, +) == 25 + 17)
    }

    /// The files of one source are read at once and joined in name order; one whose columns are
    /// in another order than the first file's is refused as a whole, and the others still count.
    @Test func filesOfOneSourceAreJoinedInOrderAndAMisorderedOneIsRefused() throws {
        let dir = try TemporaryDirectory("policeuk")
        defer { dir.remove() }
        let folder = TestPaths.publicData + "/policeuk"
        let first = "2018-12-west-mercia-street.csv", second = "2019-01-west-mercia-street.csv"
        try FileManager.default.copyItem(atPath: folder + "/" + first, toPath: dir.file(first))
        try FileManager.default.copyItem(atPath: folder + "/" + second, toPath: dir.file(second))
        let together = try ingestDrop(dir.path, sources: "public")
        let single = try ingestDrop(folder, sources: "public", threads: 1)
        #expect(together.reports.map(\.file) == [first, second])
        #expect(together.tables["policeuk_street"]?.rowCount == 10_136 + 10_038)
        guard case .code(let a)? = together.tables["policeuk_street"]?["crime_type"],
            case .code(let b)? = single.tables["policeuk_street"]?["crime_type"]
        else { Issue.record("no crime types"); return }
        #expect((0..<a.codes.count).map { a.value($0) } == (0..<b.codes.count).map { b.value($0) })

        // The second month with its first two columns swapped.
        let t = try CSVTable(path: folder + "/" + second)
        var text = csvLine([t.header[1], t.header[0]] + t.header.dropFirst(2)) + "\n"
        for row in t.rows { text += csvLine([row[1], row[0]] + row.dropFirst(2)) + "\n" }
        try text.write(toFile: dir.file(second), atomically: true, encoding: .utf8)
        let drop = try ingestDrop(dir.path, sources: "public")
        let reports = drop.reports
        #expect(reports.count == 2)
        #expect(reports[0].accepted == 10_136 && reports[0].fatalError == nil)
        #expect(reports[1].accepted == 0 && reports[1].fatalError?.contains("different order") == true)
        #expect(drop.tables["policeuk_street"]?.rowCount == 10_136)
        #expect(drop.status == .failed)
    }

    /// A source's many files are read in batches, a batch's files one after another by one core
    /// (on one core: four batches of about ten of police.uk's 40 files of March 2024; on 64: one file
    /// each): every column, code for code in the same first-seen order, and every file's report
    /// come out the same.
    @Test func filesReadInBatchesGiveWhatFilesReadOneByOneGive() throws {
        let folder = TestPaths.publicData + "/policeuk/national/2024-03"
        let batched = try ingestDrop(folder, sources: "public", threads: 1)
        let single = try ingestDrop(folder, sources: "public", threads: 64)
        let a = try #require(batched.tables["policeuk_street"]), b = try #require(single.tables["policeuk_street"])
        #expect(a.rowCount == 338_865 && b.rowCount == 338_865)
        #expect(batched.reports.count == 40 && batched.reports.map(\.file) == single.reports.map(\.file))
        #expect(batched.reports.map(\.accepted) == single.reports.map(\.accepted))
        #expect(batched.reports.map(\.rejected) == single.reports.map(\.rejected))
        for name in a.columnNames {
            switch (a[name], b[name]) {
            case (.code(let x)?, .code(let y)?): #expect(x.codes == y.codes && x.values == y.values, "\(name)")
            case (.day(let x)?, .day(let y)?): #expect(x.days == y.days, "\(name)")
            case (.area(let x)?, .area(let y)?): #expect(x.areas == y.areas, "\(name)")
            case (.decimal(let x)?, .decimal(let y)?):
                #expect(x.values.elementsEqual(y.values) { $0 == $1 || $0.isNaN && $1.isNaN }, "\(name)")
            default: Issue.record("\(name): another kind of column, or missing")
            }
        }
    }

    /// A 2024 file uses 2021 LSOA codes: the best-fit lookup places Shropshire's new codes too.
    @Test func lsoa2021CodesResolveThroughTheBestFit() throws {
        let reference = try ReferenceData.load(drop: "/nonexistent", defaultGeography: TestPaths.geography, aliases: TestPaths.lsoaAliases)
        let new = Array("E01035057".utf8).withUnsafeBufferPointer { reference.area(lsoa: $0) }
        let parent = Array("E01028885".utf8).withUnsafeBufferPointer { reference.area(lsoa: $0) }
        #expect(AreaColumn.isInArea(new) && new == parent)
        let birmingham = Array("E01009000".utf8).withUnsafeBufferPointer { reference.area(lsoa: $0) }
        #expect(birmingham == AreaColumn.outside)
        let junk = Array("not-a-code".utf8).withUnsafeBufferPointer { reference.area(lsoa: $0) }
        #expect(junk == AreaColumn.unknown)

        let dir = try TemporaryDirectory("policeuk")
        defer { dir.remove() }
        let name = "2024-03-west-mercia-street.csv.gz"
        try FileManager.default.copyItem(atPath: TestPaths.publicData + "/policeuk/national/2024-03/" + name, toPath: dir.file(name))
        let drop = try ingestDrop(dir.path, sources: "public")
        let wm = try #require(drop.reports.first)
        #expect(wm.rejected == 0)
        let inArea = wm.geography.first?.inArea ?? 0
        let share = Double(inArea) / Double(wm.rowsRead)
        // Shropshire is roughly a fifth of West Mercia's crime.
        #expect(share > 0.12 && share < 0.3, "in area: \(inArea) of \(wm.rowsRead)")
    }

    /// Fingertips: 26 header fields and 25 per row, and a newline inside a quoted indicator name.
    @Test func fingertipsExport() throws {
        let drop = try ingestDrop(TestPaths.publicData + "/fingertips", sources: "public")
        let r = try #require(drop.reports.first)
        #expect(r.rowsRead == 852 && r.accepted == 852)
        let t = try #require(drop.tables["fingertips_indicators"])
        guard case .code(let areas)? = t["area_code"], case .decimal(let values)? = t["value"],
            case .code(let names)? = t["indicator_name"]
        else { Issue.record("columns"); return }
        let shropshire = (0..<t.rowCount).filter { areas.value($0) == "E06000051" }
        #expect(!shropshire.isEmpty)
        #expect(shropshire.allSatisfy { !values.values[$0].isNaN })
        #expect(names.value(0) == "Campylobacter incidence rate/100,000\n")
    }

    /// DfE files: c / x / z / low in number columns are blanks, not rejects.
    @Test func dfeSuppressionSymbolsAreBlank() throws {
        let drop = try ingestDrop(TestPaths.publicData + "/dfe", sources: "public")
        #expect(drop.reports.count == 2)
        for r in drop.reports { #expect(r.rejected == 0 && r.fatalError == nil, "\(r.file)") }
        let t = try #require(drop.tables["dfe_exclusions_children_in_need"])
        guard case .integer(let excl)? = t["permanent_exclusions"], case .code(let la)? = t["new_la_code"] else {
            Issue.record("columns"); return
        }
        let raw = try CSVTable(path: TestPaths.publicData + "/dfe/permanent_exclusions_and_suspensions_la.csv")
        let suppressed = raw.values("t_perm_excl").filter { $0 == "c" }.count
        #expect(excl.values.filter { $0 == IntegerColumn.null }.count == suppressed)
        #expect((0..<t.rowCount).contains { la.value($0) == "E06000051" })
    }
}
