/// The Executive group's one-page scorecard: every profile's measures of success in one table,
/// with this year's value, last year's, the direction that is good and whether the change is
/// significant (and which way) by its test.
public enum Scorecard {
    public static func table(_ profiles: [(title: String, success: ProfileTable)]) -> ProfileTable? {
        guard let first = profiles.first?.success else { return nil }
        var rows: [[ProfileTable.Cell]] = []
        for p in profiles { for row in p.success.rows { rows.append([.text(p.title)] + row) } }
        var card = ProfileTable(
            profile: "", id: "scorecard", section: "success", title: "Scorecard: every priority's measures of success",
            description:
                "Each profile's measures of success, this year beside last, with the direction that is good and whether the change is significantly better or worse than chance would give, with its test and interval.",
            columns: ["priority"] + first.columns, rows: rows,
            kinds: [.other]
                + first.kinds.map { kind in
                    if case .derived(let bases) = kind { return .derived(bases: bases.map { $0 + 1 }) }
                    return kind
                },
            hidden: Set(first.hidden.map { $0 + 1 }))
        // The same counts as each profile's success measures, one column to the right.
        if let meaning = first.meaning {
            var counts: [Int: [ProfileTable.CountMeaning?]] = [:]
            for c in meaning.counts.keys {
                counts[c + 1] = profiles.flatMap { p in p.success.meaning?.counts[c] ?? Array(repeating: nil, count: p.success.rows.count) }
            }
            card.meaning = ProfileTable.Meaning(
                axes: [], counts: counts,
                numberBases: Dictionary(uniqueKeysWithValues: meaning.numberBases.map { ($0.key + 1, $0.value.map { $0 + 1 }) }))
        }
        return card
    }
}
