import Columnar
import Definitions
import Foundation
import Ingest
import Profiles
import Statistics
import TestSupport
import Testing

/// `mean:FIELD` against plain loops: each group's values (an integer field, or the days from the
/// row's date to a date field, blanks and negative days left out), their mean, and the 95%
/// interval mean ± t·s/√n with s's divisor n − 1; and its number of values kept as a hidden
/// count, which the mean and its interval are declared derived from, with the records.
@Suite("Profiles: the mean measure")
struct MeanMeasureTests {
    /// Each label's values in year `y` of the table's single breakdown.
    static func plainValues(_ t: TableDefinition, _ profile: ProfileDefinition, field: String, year y: Int) throws -> [String: [Double]] {
        let drop = ProfileReferenceTests.fixture.ingested
        let period = ProfileReferenceTests.period
        var out: [String: [Double]] = [:]
        for set in t.events.compactMap(profile.eventSet) {
            let source = try #require(drop.tables[set.source])
            guard case .day(let dates)? = source["date"] else { continue }
            for row in 0..<source.rowCount where set.conditions.allSatisfy({ naivelyPasses($0, source, row, area: drop.data.area) }) {
                guard (y == 0 ? period.current : period.previous).contains(dates.days[row]) else { continue }
                let key = NaiveReferenceTests.labels(t.by[0], source, row, drop.reference.geography, agency: set.agency)[0]
                switch source[field] {
                case .integer(let c)?:
                    if c.values[row] != IntegerColumn.null { out[key, default: []].append(Double(c.values[row])) }
                case .day(let c)?:
                    let days = Int(c.days[row]) - Int(dates.days[row])
                    if c.days[row] != DayColumn.null && days >= 0 { out[key, default: []].append(Double(days)) }
                default: Issue.record("\(field) is neither an integer nor a date")
                }
            }
        }
        return out
    }

    @Test(arguments: [("self_neglect", "days_to_enquiry", "enquiry_start"), ("exploitation", "school_sessions_lost", "sessions")])
    func eachGroupsMeanAndIntervalMatchThePlainOnes(profileID: String, tableID: String, field: String) throws {
        let profile = try #require(ProfileReferenceTests.profiles.profile(profileID))
        let t = try #require(profile.tables.first { $0.id == tableID })
        let table = try #require(ProfileReferenceTests.tables(profileID)[tableID])
        let suffixes = ProfileReferenceTests.period.columnSuffixes
        var checked = 0, intervals = 0
        for (y, suffix) in [suffixes.current, suffixes.previous].enumerated() {
            let plain = try Self.plainValues(t, profile, field: field, year: y)
            let heading = "mean_\(field)"
            let (mean, lower, upper, n) = (
                try #require(table.columns.firstIndex(of: "\(heading)_\(suffix)")),
                try #require(table.columns.firstIndex(of: "\(heading)_lower_95_\(suffix)")),
                try #require(table.columns.firstIndex(of: "\(heading)_upper_95_\(suffix)")),
                try #require(table.columns.firstIndex(of: "\(heading)_values_\(suffix)"))
            )
            #expect(table.hidden.contains(n) && !table.hidden.contains(mean))
            let records = try #require(table.columns.firstIndex(of: "records_\(suffix)"))
            #expect(table.kinds[mean] == .derived(bases: [n, records]) && table.kinds[lower] == .derived(bases: [n, records]))
            #expect(table.kinds[n] == .count)
            for row in table.rows {
                let values = plain[row[0].description] ?? []
                #expect(row[n].description == String(values.count), "\(tableID) \(row[0]) \(suffix)")
                guard !values.isEmpty else {
                    #expect(row[mean] == .missing)
                    continue
                }
                let m = values.reduce(0, +) / Double(values.count)
                #expect(row[mean].description == String(format: "%.1f", m), "\(tableID) \(row[0]) \(suffix)")
                checked += 1
                guard values.count >= 2 else {
                    #expect(row[lower] == .missing && row[upper] == .missing)
                    continue
                }
                let s = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
                let half =
                    abs(StudentTDistribution.quantile(0.025, degreesOfFreedom: Double(values.count - 1))) * s
                    / Double(values.count).squareRoot()
                #expect(row[lower].description == String(format: "%.1f", m - half), "\(tableID) \(row[0]) \(suffix)")
                #expect(row[upper].description == String(format: "%.1f", m + half), "\(tableID) \(row[0]) \(suffix)")
                intervals += 1
            }
        }
        #expect(checked >= 5 && intervals >= 5, "\(checked) means, \(intervals) intervals")
    }
}
