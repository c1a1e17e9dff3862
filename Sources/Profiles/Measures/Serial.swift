import Definitions

/// People of the first role linked, in the group's events, to two or more distinct people of the
/// second (serial perpetrators: `serial:suspect:victim`).
struct Serial: MeasureKind {
    static let grammar = MeasureGrammar("serial", [.role, .role])
    let role: String, other: String
    init(_ measure: Measure) { (role, other) = (measure.arguments[0], measure.arguments[1]) }
    var selection: MeasureSelection { .pair(role, other) }
    var output: MeasureOutput { .count }

    func compute(_ input: MeasureInput) -> [Double?] {
        var triples = input.year.compactMap { e -> (Int, UInt32, UInt32)? in
            e.person == 0 || e.other == 0 ? nil : (e.group, e.person, e.other)
        }
        triples.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var n = [Double?](repeating: 0, count: input.groups)
        var i = 0
        while i < triples.count {
            var j = i
            var distinct = 0
            var last: UInt32 = 0
            while j < triples.count && triples[j].0 == triples[i].0 && triples[j].1 == triples[i].1 {
                if triples[j].2 != last { distinct += 1; last = triples[j].2 }
                j += 1
            }
            if distinct >= 2 { n[triples[i].0]! += 1 }
            i = j
        }
        return n
    }

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "serial(\(other)):" + events.people(role), additivity: .monotone, year: year, records: events.records)
    }
}
