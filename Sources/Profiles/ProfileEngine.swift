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
    /// Events selected without a breakdown, kept while one profile is built: its success measures,
    /// cohorts and agency counts select the same sets again and again.
    let cache = EventCache()

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
        /// The value summed by a sum: measure (0 when blank).
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
    func events(_ sets: [EventSet], by dims: [Breakdown], otherRole: String? = nil, sumField: String? = nil) -> ([Event], [LabelTable]) {
        guard dims.isEmpty else { return selectEvents(sets, by: dims, otherRole: otherRole, sumField: sumField) }
        let key = sets.map { "\($0.location)|\($0.person ?? "")" }.joined(separator: ",") + "|\(otherRole ?? "")|\(sumField ?? "")"
        if let hit = cache.get(key) { return (hit, []) }
        let selected = selectEvents(sets, by: dims, otherRole: otherRole, sumField: sumField)
        cache.set(key, selected.0)
        return selected
    }

    private func selectEvents(_ sets: [EventSet], by dims: [Breakdown], otherRole: String?, sumField: String?) -> ([Event], [LabelTable]) {
        var labels = [LabelTable](repeating: LabelTable(), count: dims.count)
        var plans: [(ColumnTable, [EventSelection.RowTest], [DimensionCoder], PersonColumn?, PersonColumn?, DayColumn?, IntegerColumn?, Column?)] = []
        for set in sets {
            guard let table = drop.tables[set.source] else { continue }
            let tests = set.conditions.map { EventSelection.compile($0, table: table) }
            var coders: [DimensionCoder] = []
            for (i, d) in dims.enumerated() {
                coders.append(DimensionCoder.make(d, table: table, agency: set.agency, period: period, area: drop.area, labels: &labels[i]))
            }
            var person: PersonColumn? = nil, other: PersonColumn? = nil, date: DayColumn? = nil, age: IntegerColumn? = nil
            if let p = set.person, case .person(let c)? = table[p] { person = c }
            if let o = otherRole, case .person(let c)? = table[o] { other = c }
            if case .day(let c)? = table["date"] { date = c }
            if let p = set.person {
                if case .integer(let c)? = table["\(p).age_at_event"] { age = c } else if case .integer(let c)? = table["\(p).age"] { age = c }
            }
            plans.append((table, tests, coders, person, other, date, age, sumField.flatMap { table[$0] }))
        }
        let sizes = labels.map { max(1, $0.count) }
        var out: [Event] = []
        for (s, plan) in plans.enumerated() {
            let (table, tests, coders, person, other, date, age, summed) = plan
            let allSingle = coders.allSatisfy { $0.one != nil }
            let chunk = 1 << 16
            let chunks = (table.rowCount + chunk - 1) / chunk
            let workers = min(threads, max(1, chunks))
            // The chunk's rows that pass every condition, as a bitmask built a condition at a time.
            @Sendable func selected(_ c: Int) -> RowMask {
                let base = c * chunk
                let n = min(table.rowCount, base + chunk) - base
                var mask = RowMask(count: n, allSet: true)
                for test in tests { mask.formIntersection(RowMask(count: n) { test(base + $0) }) }
                return mask
            }
            @Sendable @inline(__always) func event(_ row: Int, group: Int) -> Event {
                let day = date?.days[row] ?? DayColumn.null
                var value = 0.0
                switch summed {
                case .integer(let c)?: value = c.values[row] == IntegerColumn.null ? 0 : Double(c.values[row])
                case .decimal(let c)?: value = c.values[row].isNaN ? 0 : c.values[row]
                default: break
                }
                return Event(group: group, person: person?.ids[row] ?? 0, other: other?.ids[row] ?? 0, day: day, set: s,
                             age: age?.values[row] ?? IntegerColumn.null, value: value)
            }
            if allSingle {
                // One label per dimension (nearly always): one event per selected row, so every
                // chunk's place in the output is known once its rows are counted, and each chunk
                // writes its events there (no per-chunk arrays, no second copy).
                let masks = Slots<RowMask>(count: chunks)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for c in stride(from: worker, to: chunks, by: workers) { masks.set(c, selected(c)) }
                }
                let chosen = masks.all()
                let starts = chosen.reduce(into: [out.count]) { $0.append($0.last! + $1.cardinality) }
                let total = starts.last!
                out.reserveCapacity(total)
                let previous = out.count
                out = [Event](unsafeUninitializedCapacity: total) { buffer, count in
                    out.withUnsafeBufferPointer { old in
                        if previous > 0 { buffer.baseAddress!.initialize(from: old.baseAddress!, count: previous) }
                    }
                    nonisolated(unsafe) let target = buffer
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        for c in stride(from: worker, to: chunks, by: workers) {
                            let base = c * chunk
                            var at = starts[c]
                            chosen[c].forEachRow { offset in
                                let row = base + offset
                                // The group is worked out in place.
                                var g = 0, stride = 1
                                for i in coders.indices {
                                    g += coders[i].one.unsafelyUnwrapped(row) * stride
                                    stride *= sizes[i]
                                }
                                (target.baseAddress! + at).initialize(to: event(row, group: g))
                                at += 1
                            }
                        }
                    }
                    count = total
                }
                continue
            }
            let results = ChunkResults(count: chunks)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for c in stride(from: worker, to: chunks, by: workers) {
                    var local: [Event] = []
                    let base = c * chunk
                    selected(c).forEachRow { offset in
                        let row = base + offset
                        var groups = [0]
                        var stride = 1
                        for (i, coder) in coders.enumerated() {
                            let codes = coder.code(row)
                            if codes.isEmpty { continue }
                            groups = groups.flatMap { g in codes.map { g + $0 * stride } }
                            stride *= sizes[i]
                        }
                        for g in groups { local.append(event(row, group: g)) }
                    }
                    results.set(c, local)
                }
            }
            results.append(to: &out)
        }
        return (out, labels)
    }
}

/// Per-chunk results written by worker threads, joined in chunk order.
final class ChunkResults: @unchecked Sendable {
    private var slots: [[ProfileEngine.Event]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ events: [ProfileEngine.Event]) { lock.lock(); slots[i] = events; lock.unlock() }
    /// Appends every chunk's events to `out` in chunk order: one copy into room made once, the
    /// chunks copied on all cores (each to its own place).
    func append(to out: inout [ProfileEngine.Event]) {
        let starts = slots.reduce(into: [out.count]) { $0.append($0.last! + $1.count) }
        let total = starts.last!
        guard total > out.count else { slots = []; return }
        let chunks = slots
        slots = []
        out = [ProfileEngine.Event](unsafeUninitializedCapacity: total) { buffer, count in
            out.withUnsafeBufferPointer { old in
                if old.count > 0 { buffer.baseAddress!.initialize(from: old.baseAddress!, count: old.count) }
            }
            nonisolated(unsafe) let target = buffer
            DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
                chunks[i].withUnsafeBufferPointer { c in
                    if c.count > 0 { (target.baseAddress! + starts[i]).initialize(from: c.baseAddress!, count: c.count) }
                }
            }
            count = total
        }
    }
}

/// Selected events by a key naming their sets, for the length of one profile's build.
final class EventCache: @unchecked Sendable {
    private var entries: [String: [ProfileEngine.Event]] = [:]
    private let lock = NSLock()
    func get(_ key: String) -> [ProfileEngine.Event]? { lock.lock(); defer { lock.unlock() }; return entries[key] }
    func set(_ key: String, _ events: [ProfileEngine.Event]) { lock.lock(); entries[key] = events; lock.unlock() }
    func clear() { lock.lock(); entries = [:]; lock.unlock() }
}
