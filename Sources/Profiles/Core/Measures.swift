import Columnar
import Definitions

/// The measures, each over the events of one year, per group.
enum Measures {
    static func records(_ events: [ProfileEngine.Event], groups: Int) -> [Int] {
        var n = [Int](repeating: 0, count: groups)
        for e in events { n[e.group] += 1 }
        return n
    }

    /// Distinct people per group (people without a key are not counted).
    static func people(_ events: [ProfileEngine.Event], groups: Int, minimumEvents: Int = 1) -> [Int] {
        var pairs = events.compactMap { $0.person == 0 ? nil : (UInt64($0.group) << 32 | UInt64($0.person)) }
        pairs.sort()
        var n = [Int](repeating: 0, count: groups)
        var i = 0
        while i < pairs.count {
            var j = i
            while j < pairs.count && pairs[j] == pairs[i] { j += 1 }
            if j - i >= minimumEvents { n[Int(pairs[i] >> 32)] += 1 }
            i = j
        }
        return n
    }

    /// People linked to two or more distinct people of the other role (serial perpetrators).
    static func serial(_ events: [ProfileEngine.Event], groups: Int) -> [Int] {
        var triples = events.compactMap { e -> (Int, UInt32, UInt32)? in e.person == 0 || e.other == 0 ? nil : (e.group, e.person, e.other) }
        triples.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var n = [Int](repeating: 0, count: groups)
        var i = 0
        while i < triples.count {
            var j = i
            var distinct = 0
            var last: UInt32 = 0
            while j < triples.count && triples[j].0 == triples[i].0 && triples[j].1 == triples[i].1 {
                if triples[j].2 != last { distinct += 1; last = triples[j].2 }
                j += 1
            }
            if distinct >= 2 { n[triples[i].0] += 1 }
            i = j
        }
        return n
    }

    /// Events in the year whose person had another event of the same sets in the 365 days before
    /// (looking back into earlier data too); or, with `distinctPeople`, those people.
    static func repeatsWithinYear(year: [ProfileEngine.Event], all: [ProfileEngine.Event], groups: Int, distinctPeople: Bool = false) -> [Int] {
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
}
