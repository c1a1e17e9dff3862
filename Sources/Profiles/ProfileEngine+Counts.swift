import Columnar
import Definitions

extension ProfileEngine {
    /// A count of a profile's events with a date in `days`: rows, or distinct people. For set
    /// against a published figure for the same period (benchmarking).
    /// What `count(names, of:, people:, days:)` counts, for disclosure control: the same
    /// population as a table's or success measure's count of those events in the reporting year or
    /// the year before; another period is its own.
    public func countMeaning(_ names: [String], of profile: ProfileDefinition, people: Bool, days: ClosedRange<Int32>) -> ProfileTable
        .CountMeaning?
    {
        let (current, previous) = period.columnSuffixes
        let sets = names.compactMap(profile.eventSet)
        if days == period.current || days == period.previous,
            let m = countMeaning(people ? Measure("people") : .records, sets, year: days == period.current ? current : previous)
        {
            // One year's count: part of that year's figures, saying nothing of the total over years.
            return .init(population: m.population, additivity: m.additivity, year: m.year, records: m.records, partial: true)
        }
        // Another period is a population of its own (it overlaps the years, so is no part of them).
        guard let m = countMeaning(people ? Measure("people") : .records, sets, year: nil) else { return nil }
        return .init(
            population: m.population + "|days:\(DayNumber.isoString(days.lowerBound))..\(DayNumber.isoString(days.upperBound))",
            additivity: m.additivity, year: nil)
    }

    public func count(_ names: [String], of profile: ProfileDefinition, people: Bool, days: ClosedRange<Int32>) -> Int {
        let (all, _) = select(names.compactMap(profile.eventSet), by: [])
        let inRange = all.filter { days.contains($0.day) }
        return people ? People.count(inRange, groups: 1)[0] : inRange.count
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
    public var residents: Int { drop.area.residents.reduce(0, +) }
    public var children: Int { drop.area.children.reduce(0, +) }
}
