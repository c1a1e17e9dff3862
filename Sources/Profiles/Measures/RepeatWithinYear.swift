import Columnar
import Definitions

/// Events in the year whose person had another event of the same sets in the 365 days before
/// (looking back into earlier data too).
struct RepeatWithinYear: PeopleMeasure {
    static let grammar = MeasureGrammar("repeat_within_year", [.optionalRole])
    let role: String?

    func compute(_ input: MeasureInput) -> [Double?] {
        Self.count(year: input.year, all: input.all, groups: input.groups).map(Double.init)
    }

    /// Repeat events per group; or, with `distinctPeople`, the people with one.
    static func count(year: [ProfileEngine.Event], all: [ProfileEngine.Event], groups: Int, distinctPeople: Bool = false) -> [Int] {
        var counted = Set<UInt64>()
        var history: [UInt32: [Int32]] = [:]
        for e in all where e.person != 0 && e.day != DayColumn.null { history[e.person, default: []].append(e.day) }
        for k in history.keys { history[k]!.sort() }
        var n = [Int](repeating: 0, count: groups)
        for e in year where e.person != 0 && e.day != DayColumn.null {
            guard let days = history[e.person] else { continue }
            // Is there a day d with e.day - 365 <= d < e.day?
            var lo = 0, hi = days.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if days[mid] < e.day { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 && days[lo - 1] >= e.day - 365 {
                if distinctPeople && !counted.insert(UInt64(e.group) << 32 | UInt64(e.person)).inserted { continue }
                n[e.group] += 1
            }
        }
        return n
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "repeat_within_year:" + events.people(role), additivity: .additive, year: year, records: events.records)
    }
}
