import Columnar
import Definitions
import Dispatch

/// How the rows of one event set become events: its conditions compiled to row tests, a coder
/// per breakdown, and the columns an event carries (person, other person, date, age, summed value).
/// Rows are tested and grouped in chunks on every core; chunks are joined in row order, so the
/// events are the same on any number of cores.
struct SelectionPlan {
    typealias Event = ProfileEngine.Event
    static let chunk = 1 << 16

    let index: Int
    let table: ColumnTable
    let tests: [EventSelection.RowTest]
    let coders: [DimensionCoder]
    let person: PersonColumn?, other: PersonColumn?, date: DayColumn?, age: IntegerColumn?, summed: Column?

    init(
        _ set: EventSet, index: Int, table: ColumnTable, by dims: [Breakdown], otherRole: String?, sumField: String?,
        alsoPeople: [UInt8]? = nil,
        engine: ProfileEngine, labels: inout [LabelTable]
    ) {
        self.index = index
        self.table = table
        var tests = set.conditions.map { EventSelection.compile($0, table: table, area: engine.drop.area) }
        if let alsoPeople { tests.append(Self.alsoIn(set, table: table, people: alsoPeople, period: engine.period)) }
        self.tests = tests
        var coders: [DimensionCoder] = []
        for (i, d) in dims.enumerated() {
            coders.append(
                DimensionCoder.make(d, table: table, agency: set.agency, period: engine.period, area: engine.drop.area, labels: &labels[i]))
        }
        self.coders = coders
        func personColumn(_ name: String?) -> PersonColumn? {
            if let name, case .person(let c)? = table[name] { return c }
            return nil
        }
        person = personColumn(set.person)
        other = personColumn(otherRole)
        if case .day(let c)? = table["date"] { date = c } else { date = nil }
        var age: IntegerColumn? = nil
        if let p = set.person {
            if case .integer(let c)? = table["\(p).age_at_event"] { age = c } else if case .integer(let c)? = table["\(p).age"] { age = c }
        }
        self.age = age
        summed = sumField.flatMap { table[$0] }
    }

    /// Keeps the rows whose own person has an event of the set's `also_in` sets in the same
    /// financial year (the reporting year or the one before; rows of other years are left out).
    /// `people`: `ProfileEngine.peopleByYear(in: set.alsoIn)`.
    static func alsoIn(_ set: EventSet, table: ColumnTable, people flags: [UInt8], period: ReportingPeriod) -> EventSelection.RowTest {
        guard let role = set.ownPerson, case .person(let own)? = table[role], case .day(let date)? = table["date"] else {
            return { _ in false }
        }
        let current = period.current, previous = period.previous
        return { row in
            let p = Int(own.ids[row])
            guard p != 0, p < flags.count else { return false }
            let day = date.days[row]
            let bit: UInt8 = current.contains(day) ? 1 : (previous.contains(day) ? 2 : 0)
            return flags[p] & bit != 0
        }
    }

    /// The chunk's rows that pass every condition, as a bitmask built a condition at a time.
    func selected(_ c: Int) -> RowMask {
        let base = c * Self.chunk
        let n = min(table.rowCount, base + Self.chunk) - base
        var mask = RowMask(count: n, allSet: true)
        for test in tests { mask.formIntersection(RowMask(count: n) { test(base + $0) }) }
        return mask
    }

    @inline(__always) func event(_ row: Int, group: Int) -> Event {
        // The summed or averaged field's value; NaN when blank. A date: the days from the row's
        // date (NaN when before it: a mistake, not a length of time).
        var value = Double.nan
        switch summed {
        case .integer(let c)?: if c.values[row] != IntegerColumn.null { value = Double(c.values[row]) }
        case .decimal(let c)?: value = c.values[row]
        case .day(let c)?:
            if let date, c.days[row] != DayColumn.null, date.days[row] != DayColumn.null, c.days[row] >= date.days[row] {
                value = Double(c.days[row] - date.days[row])
            }
        default: break
        }
        return Event(
            group: group, person: person?.ids[row] ?? 0, other: other?.ids[row] ?? 0, day: date?.days[row] ?? DayColumn.null,
            set: index, age: age?.values[row] ?? IntegerColumn.null, value: value)
    }

    /// The set's rows chosen, on all cores, before any event is written: per chunk of rows, the
    /// rows that pass (one event each: nearly always), or the chunk's events already made (a row in
    /// several groups, through a set field).
    enum Chosen {
        case rows([RowMask])
        case events([[Event]])

        var count: Int {
            switch self {
            case .rows(let masks): masks.reduce(0) { $0 + $1.cardinality }
            case .events(let chunks): chunks.reduce(0) { $0 + $1.count }
            }
        }
    }

    func choose(sizes: [Int], threads: Int) -> Chosen {
        let chunks = (table.rowCount + Self.chunk - 1) / Self.chunk
        let workers = min(threads, max(1, chunks))
        if coders.allSatisfy({ $0.one != nil }) { return .rows(parallelMap(Array(0..<chunks), threads: workers) { selected($0) }) }
        return .events(
            parallelMap(Array(0..<chunks), threads: workers) { c in
                var local: [Event] = []
                let base = c * Self.chunk
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
                return local
            })
    }

    /// Writes the chosen events, in row order, to `target` from `start` (room for `chosen.count`
    /// events): each chunk to its own place, on all cores.
    func write(_ chosen: Chosen, to target: UnsafeMutableBufferPointer<Event>, at start: Int, sizes: [Int], threads: Int) {
        // Unchecked: each chunk writes only its own range, starts[c]..<starts[c + 1], and every
        // worker has finished before this returns (parallelFor waits).
        nonisolated(unsafe) let target = target
        switch chosen {
        case .rows(let masks):
            let starts = masks.reduce(into: [start]) { $0.append($0.last! + $1.cardinality) }
            parallelFor(masks.count, threads: min(threads, max(1, masks.count))) { c in
                let base = c * Self.chunk
                var at = starts[c]
                masks[c].forEachRow { offset in
                    let row = base + offset
                    var g = 0, stride = 1
                    for i in coders.indices {
                        g += coders[i].one.unsafelyUnwrapped(row) * stride
                        stride *= sizes[i]
                    }
                    (target.baseAddress! + at).initialize(to: event(row, group: g))
                    at += 1
                }
                precondition(at == starts[c + 1], "chunk \(c) wrote other than its \(starts[c + 1] - starts[c]) events")
            }
        case .events(let chunks):
            let starts = chunks.reduce(into: [start]) { $0.append($0.last! + $1.count) }
            parallelFor(chunks.count, threads: min(threads, max(1, chunks.count))) { i in
                chunks[i].withUnsafeBufferPointer { c in
                    if !c.isEmpty { (target.baseAddress! + starts[i]).initialize(from: c.baseAddress!, count: c.count) }
                }
            }
        }
    }
}
