#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Use for: the scorecard's change since last year (this year's figure against last year's for the
/// same area), at both Fingertips levels.
///
/// The estimate is a ratio this year / last year for counts and rates, and a difference this year −
/// last year for proportions, with its 95% and 99.8% intervals; the change is significant at a
/// level when that interval excludes no change (1 for a ratio, 0 for a difference), limits
/// inclusive as in `ConfidenceInterval.contains`. Build one with `counts(thisYear:lastYear:)`,
/// `rates(thisYearCount:thisYearDenominator:lastYearCount:lastYearDenominator:method:)` or
/// `proportions(thisYearCount:thisYearDenominator:lastYearCount:lastYearDenominator:)`.
///
/// Invalid input — a negative or non-finite count, a zero, negative or non-finite denominator, a
/// numerator above its denominator for a proportion — throws `StatisticsError`: a figure with no
/// population is not a figure, and the caller should not ask. A valid pair that carries no
/// information about the change (both counts 0, or a zero count under the log-normal method) is
/// `notTestable`, with no value, intervals or p-value.
public struct YearOnYearChange: Sendable, Hashable {
    /// The method used; the raw value names it for the published metadata.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// Two Poisson counts compared through the binomial split of their total (Clopper–Pearson).
        case exactConditional = "Exact conditional test on the binomial split of the two counts (Clopper-Pearson)"
        /// The log-normal (Wald) approximation to the rate ratio.
        case logNormal = "Log-normal approximation to the rate ratio"
        /// The difference of two proportions with Newcombe's hybrid score interval.
        case newcombeHybridScore = "Newcombe hybrid score interval for a difference of proportions (method 10)"
    }

    /// The judgement at one level; raw values are the words to display.
    public enum Judgement: String, Sendable, Hashable, CaseIterable {
        /// The interval lies wholly above no change.
        case significantlyHigher = "Significantly higher"
        /// The interval lies wholly below no change.
        case significantlyLower = "Significantly lower"
        /// The interval includes no change.
        case noSignificantDifference = "No significant difference"
        /// The data carry no information about the change (e.g. a count of 0 in both years).
        case notTestable = "Not testable"
    }

    /// How a ratio of two counts or rates gets its interval.
    public enum RateRatioMethod: Sendable, Hashable, CaseIterable {
        /// Exact conditional limits (the default, at every count).
        case exactConditional
        /// Log-normal approximation, for agreement with tools that use it; large counts only.
        case logNormal
    }

    /// The method used.
    public let method: Method
    /// This year relative to last: the ratio (counts, rates; +∞ when only last year's count is 0)
    /// or the difference (proportions); `nil` when not testable.
    public let value: Double?
    /// The `value` meaning no change: 1 for a ratio, 0 for a difference.
    public let noChange: Double
    /// The 95% interval of `value`.
    public let interval95: ConfidenceInterval?
    /// The 99.8% interval of `value`.
    public let interval998: ConfidenceInterval?
    /// The judgement from the 95% interval.
    public let at95: Judgement
    /// The judgement from the 99.8% interval.
    public let at998: Judgement
    /// Two-sided p-value for no change: exact conditional, twice the smaller binomial tail (at most
    /// 1, agreeing with the Clopper–Pearson intervals); log-normal, 2Φ(−|log ratio|/SE); `nil` for
    /// proportions (Newcombe's interval has no matching test) and when not testable.
    public let pValue: Double?

    init(method: Method, value: Double?, noChange: Double, intervals: [ConfidenceInterval?], pValue: Double?) {
        self.method = method
        self.value = value
        self.noChange = noChange
        interval95 = intervals[0]
        interval998 = intervals[1]
        at95 = Self.judge(intervals[0], noChange: noChange)
        at998 = Self.judge(intervals[1], noChange: noChange)
        self.pValue = pValue
    }

    /// The value with its interval at 95% or 99.8%; `nil` when not testable or at another level.
    public func estimate(at level: ConfidenceLevel) -> Estimate? {
        let interval = level == .ninetyFive ? interval95 : level == .ninetyNinePointEight ? interval998 : nil
        guard let value, let interval else { return nil }
        return Estimate(value: value, interval: interval)
    }

    static let levels: [ConfidenceLevel] = [.ninetyFive, .ninetyNinePointEight]

    static func notTestable(_ method: Method, noChange: Double) -> YearOnYearChange {
        YearOnYearChange(method: method, value: nil, noChange: noChange, intervals: [nil, nil], pValue: nil)
    }

    static func judge(_ interval: ConfidenceInterval?, noChange: Double) -> Judgement {
        guard let interval else { return .notTestable }
        if interval.lower > noChange { return .significantlyHigher }
        if interval.upper < noChange { return .significantlyLower }
        return .noSignificantDifference
    }
}

extension YearOnYearChange {
    /// Use for: the change in a number of events where the population at risk is the same both
    /// years (or not known), e.g. referrals or incidents in an area.
    ///
    /// The ratio O₁/O₂ of this year's count to last year's by the exact conditional method of
    /// `rates(thisYearCount:thisYearDenominator:lastYearCount:lastYearDenominator:method:)` with
    /// equal exposures: given O₁ + O₂ = N, O₁ ~ Binomial(N, 1/2) under no change.
    /// - Throws: `StatisticsError.invalidCount` for a negative or non-finite count.
    public static func counts(thisYear: Double, lastYear: Double) throws(StatisticsError) -> YearOnYearChange {
        try rates(thisYearCount: thisYear, thisYearDenominator: 1, lastYearCount: lastYear, lastYearDenominator: 1)
    }

    /// Use for: the change in a crude rate (events per population, person-years or any exposure),
    /// e.g. a rate per 10,000 children this year against last year.
    ///
    /// The ratio of rates RR = (O₁/E₁)/(O₂/E₂). With `.exactConditional` (the default) the two
    /// Poisson counts are compared conditionally on their total N = O₁ + O₂: O₁ | N ~ Binomial(N, π)
    /// with π = E₁R₁/(E₁R₁ + E₂R₂), which is π₀ = E₁/(E₁ + E₂) when the rates are equal. The
    /// Clopper–Pearson limits (π_L, π_U) of O₁ out of N (`ProportionInterval.clopperPearson`) give
    ///
    ///     RR limits = π/(1 − π) · E₂/E₁   at π = π_L and π = π_U
    ///
    /// (Breslow NE, Day NE. Statistical methods in cancer research, vol II. Lyon: IARC; 1987;
    /// Armitage P, Berry G, Matthews JNS. Statistical methods in medical research, 4th edn.
    /// Blackwell; 2002). It is exact at every count, including 0 in one year (a lower limit
    /// of 0, or an upper limit and value of +∞), so it is the method used by default: the limits
    /// cost one inverse incomplete beta each and stay accurate at counts in the hundreds of
    /// thousands, so nothing is gained by switching to an approximation above some count as
    /// PHE's rates switch to Byar's. With `.logNormal` the limits are RR·exp(∓z·√(1/O₁ + 1/O₂))
    /// (Kirkwood BR, Sterne JAC. Essential medical statistics, 2nd edn. Blackwell; 2003),
    /// close to the exact limits only when both counts are large, and not testable when either is 0.
    /// Both counts 0 is not testable by either method.
    /// - Throws: `StatisticsError` for a negative or non-finite count or a non-positive denominator.
    public static func rates(
        thisYearCount o1: Double, thisYearDenominator e1: Double,
        lastYearCount o2: Double, lastYearDenominator e2: Double,
        method: RateRatioMethod = .exactConditional
    ) throws(StatisticsError) -> YearOnYearChange {
        try validateCount(o1)
        try validateCount(o2)
        try validateDenominator(e1)
        try validateDenominator(e2)
        switch method {
        case .exactConditional: return try exactConditional(o1, e1, o2, e2)
        case .logNormal: return logNormal(o1, e1, o2, e2)
        }
    }

    private static func exactConditional(_ o1: Double, _ e1: Double, _ o2: Double, _ e2: Double) throws(StatisticsError)
        -> YearOnYearChange
    {
        let total = o1 + o2
        guard total > 0 else { return notTestable(.exactConditional, noChange: 1) }
        let scale = e2 / e1
        var intervals: [ConfidenceInterval?] = []
        for level in levels {
            let limits = try ProportionInterval.clopperPearsonLimits(count: o1, denominator: total, level: level)
            intervals.append(
                ConfidenceInterval(
                    lower: limits.lower.p / limits.lower.q * scale, upper: limits.upper.p / limits.upper.q * scale,
                    level: level))
        }
        // Binomial tails at π₀: P(X ≥ O₁) = I_π₀(O₁, O₂ + 1), P(X ≤ O₁) = I_(1−π₀)(O₂, O₁ + 1).
        let share = e1 / (e1 + e2), rest = e2 / (e1 + e2)
        let upperTail = o1 == 0 ? 1 : Beta.incomplete(o1, o2 + 1, share, rest).p
        let lowerTail = o2 == 0 ? 1 : Beta.incomplete(o2, o1 + 1, rest, share).p
        let value = o2 == 0 ? Double.infinity : o1 * e2 / (o2 * e1)
        return YearOnYearChange(
            method: .exactConditional, value: value, noChange: 1, intervals: intervals,
            pValue: min(1, 2 * min(upperTail, lowerTail)))
    }

    private static func logNormal(_ o1: Double, _ e1: Double, _ o2: Double, _ e2: Double) -> YearOnYearChange {
        guard o1 > 0, o2 > 0 else { return notTestable(.logNormal, noChange: 1) }
        let ratio = o1 * e2 / (o2 * e1)
        let se = (1 / o1 + 1 / o2).squareRoot()
        let intervals: [ConfidenceInterval?] = levels.map { level in
            let factor = exp(level.z * se)
            return ConfidenceInterval(lower: ratio / factor, upper: ratio * factor, level: level)
        }
        let p = erfc(abs(log(ratio)) / se / 2.0.squareRoot())
        return YearOnYearChange(method: .logNormal, value: ratio, noChange: 1, intervals: intervals, pValue: p)
    }

    /// Use for: the change in a proportion or percentage (e.g. the share of assessments completed
    /// in time) this year against last year.
    ///
    /// The difference d = p₁ − p₂ of the proportions x₁/n₁ and x₂/n₂ with Newcombe's hybrid score
    /// interval (method 10), from the Wilson limits (lᵢ, uᵢ) of each year (`ProportionInterval.wilson`):
    ///
    ///     lower = d − √((p₁ − l₁)² + (u₂ − p₂)²),   upper = d + √((u₁ − p₁)² + (p₂ − l₂)²)
    ///
    /// Significant when the interval excludes 0. Newcombe RG. Interval estimation for the difference
    /// between independent proportions: comparison of eleven methods. Stat Med 1998;17:873–890.
    /// Defined for 0/n and n/n in either year (the Wilson limits are), so never `notTestable`.
    /// - Throws: `StatisticsError` unless each n > 0 and 0 ≤ x ≤ n (all finite).
    public static func proportions(
        thisYearCount x1: Double, thisYearDenominator n1: Double,
        lastYearCount x2: Double, lastYearDenominator n2: Double
    ) throws(StatisticsError) -> YearOnYearChange {
        let p1 = try ProportionInterval.proportion(count: x1, denominator: n1).value
        let p2 = try ProportionInterval.proportion(count: x2, denominator: n2).value
        let d = p1 - p2
        var intervals: [ConfidenceInterval?] = []
        for level in levels {
            let w1 = try ProportionInterval.wilson(count: x1, denominator: n1, level: level)
            let w2 = try ProportionInterval.wilson(count: x2, denominator: n2, level: level)
            let below = ((p1 - w1.lower) * (p1 - w1.lower) + (w2.upper - p2) * (w2.upper - p2)).squareRoot()
            let above = ((w1.upper - p1) * (w1.upper - p1) + (p2 - w2.lower) * (p2 - w2.lower)).squareRoot()
            intervals.append(ConfidenceInterval(lower: d - below, upper: d + above, level: level))
        }
        return YearOnYearChange(method: .newcombeHybridScore, value: d, noChange: 0, intervals: intervals, pValue: nil)
    }
}
