/// The Executive group's one-page scorecard: every profile's measures of success in one table,
/// with this year's value, last year's, the direction that is good and whether the change is good
/// news.
public enum Scorecard {
    public static func table(_ profiles: [(title: String, success: ProfileTable)]) -> ProfileTable? {
        guard let first = profiles.first?.success else { return nil }
        var rows: [[ProfileTable.Cell]] = []
        for p in profiles { for row in p.success.rows { rows.append([.text(p.title)] + row) } }
        return ProfileTable(profile: "", id: "scorecard", section: "success", title: "Scorecard: every priority's measures of success",
                            description: "Each profile's measures of success, this year beside last, with the direction that is good and whether the change is good or bad news.",
                            columns: ["priority"] + first.columns, rows: rows,
                            kinds: [.other] + first.kinds.map { kind in
                                if case .derived(let bases) = kind { return .derived(bases: bases.map { $0 + 1 }) }
                                return kind
                            })
    }
}
