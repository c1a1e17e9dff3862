import Definitions
import Statistics

/// Whether a measure of success changed since last year by more than chance: a test that fits the
/// measure (Fingertips and PHEindicatormethods never judge a difference without its interval), at
/// 95% and 99.8%, worded by the measure's polarity.
struct SuccessChange {
    /// "significantly better (99.8%)", "significantly worse (95%)", "no significant change", ...
    let news: String
    /// The test used, as `YearOnYearChange.Method` names it (or why none was).
    let test: String
    /// What the interval is of: a ratio this year / last, or a difference in percentage points.
    let measuredAs: String
    let interval95: ConfidenceInterval?

    static let notAvailable = SuccessChange(news: "not available", test: "", measuredAs: "", interval95: nil)

    /// Which test fits a measure of success: two proportions for a share (a cohort's included);
    /// the two counts for a count, or for a rate, whose residents are the same both years; none for
    /// a total of a field, which is not a count of events. `change` applies it; `MethodNotes` says it.
    enum Test {
        case proportions, counts
        case none(String)
    }

    static func test(for m: SuccessMeasure) -> Test {
        if m.measure.name == Sum.grammar.name { return .none("a total of a field is not a count of events") }
        return m.shareOf != nil ? .proportions : .counts
    }

    /// The words for a change judged at the two levels: significant at 99.8% says so; significant
    /// at 95% only says that; the direction is better or worse by the measure's polarity.
    static func words(_ change: YearOnYearChange, good: SuccessMeasure.Direction) -> String {
        func direction(_ j: YearOnYearChange.Judgement) -> String? {
            switch j {
            case .significantlyHigher: good == .up ? "better" : "worse"
            case .significantlyLower: good == .up ? "worse" : "better"
            default: nil
            }
        }
        if change.at95 == .notTestable { return "not testable" }
        if let d = direction(change.at998) { return "significantly \(d) (99.8%)" }
        if let d = direction(change.at95) { return "significantly \(d) (95%)" }
        return "no significant change"
    }
}

extension ProfileBuild {
    /// The test of a measure of success this year against last (`SuccessChange.test(for:)`):
    /// Newcombe's interval for two proportions, the exact conditional test on the binomial split of
    /// two counts.
    func change(
        _ m: SuccessMeasure, current: (value: Double?, numerator: Double?, denominator: Double?),
        previous: (value: Double?, numerator: Double?, denominator: Double?)
    ) -> SuccessChange {
        guard current.value != nil, previous.value != nil else { return .notAvailable }
        let test = SuccessChange.test(for: m)
        if case .none(let why) = test { return SuccessChange(news: "not tested", test: "none: " + why, measuredAs: "", interval95: nil) }
        do {
            if case .proportions = test {
                guard let x1 = current.numerator, let n1 = current.denominator, let x2 = previous.numerator, let n2 = previous.denominator
                else { return .notAvailable }
                let c = try YearOnYearChange.proportions(
                    thisYearCount: x1, thisYearDenominator: n1, lastYearCount: x2, lastYearDenominator: n2)
                return SuccessChange(
                    news: SuccessChange.words(c, good: m.good), test: c.method.rawValue, measuredAs: "difference (percentage points)",
                    interval95: c.interval95.map { .init(lower: 100 * $0.lower, upper: 100 * $0.upper, level: $0.level) })
            }
            let rate = MeasureLibrary.kind(m.measure).output == .fromRecords
            guard let o1 = rate ? current.numerator : current.value, let o2 = rate ? previous.numerator : previous.value else {
                return .notAvailable
            }
            let c = try YearOnYearChange.counts(thisYear: o1, lastYear: o2)
            return SuccessChange(
                news: SuccessChange.words(c, good: m.good), test: c.method.rawValue, measuredAs: "ratio (this year / last)",
                interval95: c.interval95)
        } catch {
            // A share whose count exceeds its base (sets that do not nest): no test fits.
            return SuccessChange(news: "not testable", test: "none: the share's count is above its base", measuredAs: "", interval95: nil)
        }
    }
}
