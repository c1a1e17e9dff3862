import Definitions

/// Distinct people of each group: the event set's person, or another role's (`people:suspect`).
/// People without a key are not counted.
struct People: PeopleMeasure {
    static let grammar = MeasureGrammar("people", [.optionalRole])
    let role: String?

    func compute(_ input: MeasureInput) -> [Double?] { Self.count(input.year, groups: input.groups).map(Double.init) }

    /// Distinct people per group with at least `minimumEvents` events.
    static func count(_ events: [ProfileEngine.Event], groups: Int, minimumEvents: Int = 1) -> [Int] {
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

    func meaning(_ events: CanonicalEvents, year: String?) -> ProfileTable.CountMeaning? {
        .init(population: "people:" + events.people(role), additivity: .distinct, year: year, records: events.records)
    }
}
