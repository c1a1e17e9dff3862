import Columnar
import Definitions
import Dispatch
import Foundation

/// Computes a profile's tables and success measures from an ingested drop for a reporting period.
///
/// Rows are selected and grouped in parallel over chunks of each source table; chunks are joined in
/// row order, and every measure is a count or a sorted distinct count, so the result is the same on
/// any number of cores.
public struct ProfileEngine: Sendable {
    public let drop: DropData
    public let period: ReportingPeriod
    public let threads: Int

    public init(drop: DropData, period: ReportingPeriod, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.drop = drop
        self.period = period
        self.threads = max(1, threads)
    }

    /// One selected row, expanded for each group it falls in.
    /// One selected row (or one of its groups, for a row in several): 32 bytes, the fields kept
    /// narrow because the largest profiles hold millions of events.
    struct Event {
        private var group32: UInt32
        var person: UInt32
        var other: UInt32
        var day: Int32
        private var age32: Int32
        private var set16: UInt16
        /// The value a sum: or mean: measure reads (NaN when blank).
        var value: Double

        init(group: Int, person: UInt32, other: UInt32, day: Int32, set: Int, age: Int64, value: Double) {
            group32 = UInt32(group)
            self.person = person
            self.other = other
            self.day = day
            set16 = UInt16(set)
            // A blank age, or one no cohort could hold, is no age.
            age32 = age == IntegerColumn.null || age < Int64(Int32.min + 1) || age > Int64(Int32.max) ? Int32.min : Int32(age)
            self.value = value
        }

        var group: Int {
            get { Int(group32) }
            set { group32 = UInt32(newValue) }
        }
        var set: Int { Int(set16) }
        var age: Int64 { age32 == Int32.min ? IntegerColumn.null : Int64(age32) }
    }

    /// Which year an event falls in: 0 the reporting year, 1 the year before, 2 neither.
    func yearOf(_ day: Int32) -> Int { period.current.contains(day) ? 0 : (period.previous.contains(day) ? 1 : 2) }

    /// Selects and groups the rows of `sets`. Returns the events and the dimension label tables.
    func select(_ sets: [EventSet], by dims: [Breakdown], otherRole: String? = nil, sumField: String? = nil) -> ([Event], [LabelTable]) {
        var labels = [LabelTable](repeating: LabelTable(), count: dims.count)
        var plans: [SelectionPlan] = []
        // The people of each `also_in` list, found once however many sets name the same list.
        var alsoPeople: [String: [UInt8]] = [:]
        for (s, set) in sets.enumerated() {
            guard let table = drop.tables[set.source] else { continue }
            var people: [UInt8]? = nil
            if !set.alsoIn.isEmpty {
                let key = set.alsoIn.map { Self.canonical($0) + "@" + ($0.person ?? "") }.sorted().joined(separator: "+")
                people = alsoPeople[key] ?? peopleByYear(in: set.alsoIn)
                alsoPeople[key] = people
            }
            plans.append(
                SelectionPlan(
                    set, index: s, table: table, by: dims, otherRole: otherRole, sumField: sumField, alsoPeople: people, engine: self,
                    labels: &labels))
        }
        let sizes = labels.map { max(1, $0.count) }
        // Every set's rows chosen first, so that the events are written once, into room made once.
        let chosen = plans.map { $0.choose(sizes: sizes, threads: threads) }
        let starts = chosen.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let out = [Event](unsafeUninitializedCapacity: starts.last!) { buffer, count in
            for (i, plan) in plans.enumerated() { plan.write(chosen[i], to: buffer, at: starts[i], sizes: sizes, threads: threads) }
            count = starts.last!
        }
        return (out, labels)
    }
}
