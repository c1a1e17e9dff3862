import Columnar
import Definitions
import Ingest

extension ProfileEngine {
    /// A count of a profile's events with a date in `days`: rows, or distinct people. For set
    /// against a published figure for the same period (benchmarking).
    public func count(_ names: [String], of profile: ProfileDefinition, people: Bool, days: ClosedRange<Int32>) -> Int {
        let (all, _) = events(names.compactMap(profile.eventSet), by: [])
        let inRange = all.filter { days.contains($0.day) }
        return people ? Measures.people(inRange, groups: 1)[0] : inRange.count
    }

    /// The dates the extracts behind the named sets cover: from the earliest to the latest date
    /// of any of their rows (nil when they have none).
    public func coverage(_ names: [String], of profile: ProfileDefinition) -> ClosedRange<Int32>? {
        var lo = Int32.max, hi = Int32.min
        for set in names.compactMap(profile.eventSet) {
            guard case .day(let dates)? = drop.tables[set.source]?["date"] else { continue }
            for d in dates.days where d != DayColumn.null {
                lo = min(lo, d)
                hi = max(hi, d)
            }
        }
        return lo <= hi ? lo...hi : nil
    }

    /// The area's residents, and its children aged 0-17, from the drop's population reference.
    public var residents: Int { drop.reference.residents.reduce(0, +) }
    public var children: Int { drop.reference.children.reduce(0, +) }
}
