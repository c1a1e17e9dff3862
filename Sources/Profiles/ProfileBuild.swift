import Columnar
import Definitions

/// One profile's build: the engine, and the events it has selected without a breakdown, kept for
/// the length of the build (a profile's success measures, cohorts and agency counts select the same
/// sets again and again). A build is made for each profile and used on one thread, so its cache
/// needs no lock; the engine it reads is immutable and shared by every build.
final class ProfileBuild {
    typealias Event = ProfileEngine.Event

    let engine: ProfileEngine
    private var cache: [String: [Event]] = [:]

    init(_ engine: ProfileEngine) { self.engine = engine }

    var drop: DropData { engine.drop }
    var period: ReportingPeriod { engine.period }
    func yearOf(_ day: Int32) -> Int { engine.yearOf(day) }

    /// The events of `sets` grouped by `dims`, with the dimensions' label tables; those without a
    /// breakdown are selected once per build.
    func events(_ sets: [EventSet], by dims: [Breakdown], otherRole: String? = nil, sumField: String? = nil) -> ([Event], [LabelTable]) {
        guard dims.isEmpty else { return engine.select(sets, by: dims, otherRole: otherRole, sumField: sumField) }
        let key = sets.map { "\($0.location)|\($0.person ?? "")" }.joined(separator: ",") + "|\(otherRole ?? "")|\(sumField ?? "")"
        if let hit = cache[key] { return (hit, []) }
        let selected = engine.select(sets, by: dims, otherRole: otherRole, sumField: sumField)
        cache[key] = selected.0
        return selected
    }

    /// The events of a measure's selection over the sets.
    func events(_ selection: MeasureSelection, _ sets: [EventSet], by dims: [Breakdown]) -> ([Event], [LabelTable]) {
        switch selection {
        case .rows: events(sets, by: dims)
        case .role(let r): events(sets.map { $0.counting(r) }, by: dims)
        case .pair(let a, let b): events(sets.map { $0.counting(a) }, by: dims, otherRole: b)
        case .summing(let f): events(sets, by: dims, sumField: f)
        }
    }

    func countMeaning(_ m: Measure, _ sets: [EventSet], year: String?) -> ProfileTable.CountMeaning? {
        engine.countMeaning(m, sets, year: year)
    }

    func axis(_ d: Breakdown, _ sets: [EventSet]) -> ProfileTable.Axis { engine.axis(d, sets) }
}
