#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Use for: the funnel plots (wards against their area, areas against their comparators): the
/// control limits at any denominator and each unit's significance against the overall value.
///
/// As PHEindicatormethods `calculate_funnel_limits` and `assign_funnel_significance` (R/Funnels.R,
/// R/utils.R) and the Fingertips technical guidance on funnel plots (Spiegelhalter DJ. Funnel plots
/// for comparing institutional performance. Stat Med 2005;24:1185–1202). Limits are at 95% (PHE's
/// "2s", the 0.025 tails) and 99.8% ("3s", the 0.001 tails), on the multiplied scale:
///
/// * Proportions: p̄ ± z·√(p̄(1 − p̄)/n) with p̄ = Σx/Σn, clamped to [0, 1]·multiplier. PHE's
///   `sigma_adjustment` solves a quadratic whose roots are exactly these: the proportions whose
///   Wilson score interval has p̄ on its boundary.
/// * Ratios (ISR/SMR, observed/expected) and rates: the exact Poisson limits, continuous in the
///   count: at expected count E = p̄·n (rates) or E (ratios), O_L and O_U solve
///   P(O_L + 1, E) = 1 − α/2 and P(O_U, E) = α/2 (P the regularised lower incomplete gamma
///   function; `poissonControlLimits(expected:level:)`). At a whole count O these are the points
///   PHE's `poisson_funnel` finds by bisection — O is at the edge of its exact interval at E — so
///   the curve through them is PHE's (whose bisection stops at a step of 1e-7 in E/(E + O + 1):
///   its published points differ from these by up to 5e-5 relative at 1 event, 3e-6 elsewhere);
///   between whole counts the gamma function interpolates.
///
/// Significance follows `assign_funnel_significance` exactly: proportions against the proportion
/// limits above (unclamped, strict inequalities); ratios against 1 and rates against the average
/// using each unit's own Poisson interval — exact below 10 events and Byar's from 10
/// (`PoissonInterval.interval`), the switch PHE uses, even though its limits are exact throughout.
///
/// Small denominators, as PHE: proportion limits are clamped to [0, 1] (PHE clamps to [0, 100]
/// whatever the multiplier; this clamps to [0, multiplier], the same at PHE's 100); the lower
/// Poisson limit is 0 until E is large enough for 0 events to be significantly low
/// (E > −log(α/2): 3.689 at 95%, 6.908 at 99.8%); a crude rate with 0 events is judged from its
/// real denominator; DSRs below 10 events are not assessed.
public enum FunnelPlot {
    /// A unit's significance against the overall value; raw values are PHE's labels.
    public enum Significance: String, Sendable, Hashable, CaseIterable {
        /// Above the 99.8% limit.
        case highAt0001 = "High (0.001)"
        /// Above the 95% limit, within the 99.8% limit.
        case highAt0025 = "High (0.025)"
        /// Below the 99.8% limit.
        case lowAt0001 = "Low (0.001)"
        /// Below the 95% limit, within the 99.8% limit.
        case lowAt0025 = "Low (0.025)"
        /// Within the 95% limits.
        case notSignificant = "Not significant"
        /// A DSR from fewer than 10 events, which PHE does not assess.
        case notApplicableBelowTenEvents = "Not applicable for events less than 10 for dsrs"

        /// `higher`, `similar` or `lower` at 95% or 99.8%; `notCompared` when not assessed or at
        /// another level.
        public func outcome(at level: ConfidenceLevel) -> ComparisonOutcome {
            let at95 = level == .ninetyFive
            guard at95 || level == .ninetyNinePointEight else { return .notCompared }
            switch self {
            case .highAt0001: return .higher
            case .highAt0025: return at95 ? .higher : .similar
            case .lowAt0001: return .lower
            case .lowAt0025: return at95 ? .lower : .similar
            case .notSignificant: return .similar
            case .notApplicableBelowTenEvents: return .notCompared
            }
        }
    }

    /// Control limits at one denominator, on the multiplied scale.
    public struct Limits: Sendable, Hashable {
        /// Lower 95% limit (PHE `lower_2s_limit`).
        public let lower95: Double
        /// Upper 95% limit (`upper_2s_limit`).
        public let upper95: Double
        /// Lower 99.8% limit (`lower_3s_limit`).
        public let lower998: Double
        /// Upper 99.8% limit (`upper_3s_limit`).
        public let upper998: Double
        /// The overall value the funnel is centred on (`baseline`).
        public let baseline: Double

        /// The limits at 95% or 99.8% as an interval; `nil` at another level.
        public func interval(at level: ConfidenceLevel) -> ConfidenceInterval? {
            if level == .ninetyFive { return ConfidenceInterval(lower: lower95, upper: upper95, level: level) }
            if level == .ninetyNinePointEight { return ConfidenceInterval(lower: lower998, upper: upper998, level: level) }
            return nil
        }
    }

    /// The overall value Σcounts/Σdenominators (not multiplied): p̄ for proportions, events per unit
    /// of denominator for crude rates (PHE's `av` and `weighted_average`).
    /// - Throws: `StatisticsError` on different lengths, no units, a negative count or a
    ///   non-positive denominator.
    public static func average(counts: [Double], denominators: [Double]) throws(StatisticsError) -> Double {
        guard counts.count == denominators.count else {
            throw .lengthMismatch(expected: counts.count, actual: denominators.count)
        }
        guard !counts.isEmpty else { throw .invalidGroupCount(0) }
        var sumCounts = 0.0, sumDenominators = 0.0
        for (count, denominator) in zip(counts, denominators) {
            try validateCount(count)
            try validateDenominator(denominator)
            sumCounts += count
            sumDenominators += denominator
        }
        return sumCounts / sumDenominators
    }

    /// Use for: the proportion funnel's curves at a denominator n.
    ///
    /// p̄ ± z·√(p̄(1 − p̄)/n) at z = Φ⁻¹(0.975) and Φ⁻¹(0.999), × multiplier, clamped to
    /// [0, multiplier]; baseline p̄ × multiplier.
    /// - Throws: `StatisticsError` for n ≤ 0, p̄ outside [0, 1] or a non-positive multiplier.
    public static func proportionLimits(
        denominator n: Double, average: Double, multiplier: Double = 100
    ) throws(StatisticsError) -> Limits {
        try validateProportionInputs(n, average)
        try validateMultiplier(multiplier)
        let b95 = proportionBand(n, average, .ninetyFive), b998 = proportionBand(n, average, .ninetyNinePointEight)
        func clamp(_ v: Double) -> Double { min(multiplier, max(0, v * multiplier)) }
        return Limits(
            lower95: clamp(b95.lower), upper95: clamp(b95.upper), lower998: clamp(b998.lower),
            upper998: clamp(b998.upper), baseline: average * multiplier)
    }

    /// Use for: whether a unit's proportion x/n lies outside the proportion funnel.
    ///
    /// x/n against the unclamped limits p̄ ± z·√(p̄(1 − p̄)/n), strictly (on a limit is not
    /// significant), as `assign_funnel_significance(statistic = "proportion")`.
    /// - Throws: `StatisticsError` unless n > 0, 0 ≤ x ≤ n and p̄ in [0, 1].
    public static func proportionSignificance(
        count x: Double, denominator n: Double, average: Double
    ) throws(StatisticsError) -> Significance {
        try validateProportionInputs(n, average)
        try validateCount(x)
        guard x <= n else { throw .countExceedsDenominator(count: x, denominator: n) }
        let p = x / n
        let b95 = proportionBand(n, average, .ninetyFive), b998 = proportionBand(n, average, .ninetyNinePointEight)
        if p < b998.lower { return .lowAt0001 }
        if p < b95.lower { return .lowAt0025 }
        if p > b998.upper { return .highAt0001 }
        if p > b95.upper { return .highAt0025 }
        return .notSignificant
    }

    /// Use for: the ISR/SMR funnel's curves at an expected count E (x axis: expected events).
    ///
    /// O_L/E and O_U/E × multiplier (100 for PHE's ISR funnel; subtract 1 from the unmultiplied
    /// limits for its "count" ratio funnel); baseline 1 × multiplier.
    /// - Throws: `StatisticsError` for E ≤ 0 or a non-positive multiplier.
    public static func ratioLimits(expected e: Double, multiplier: Double = 1) throws(StatisticsError) -> Limits {
        try validateDenominator(e)
        try validateMultiplier(multiplier)
        let c95 = poissonControlLimits(expected: e, level: .ninetyFive)
        let c998 = poissonControlLimits(expected: e, level: .ninetyNinePointEight)
        let scale = multiplier / e
        return Limits(
            lower95: c95.lower * scale, upper95: c95.upper * scale, lower998: c998.lower * scale,
            upper998: c998.upper * scale, baseline: multiplier)
    }

    /// Use for: whether an observed/expected ratio (ISR, SMR) is outside the ratio funnel.
    ///
    /// 1 against the interval of O (exact below 10, Byar's from 10) divided by E, as
    /// `assign_funnel_significance(statistic = "ratio")`.
    /// - Throws: `StatisticsError` for a negative count or E ≤ 0.
    public static func ratioSignificance(observed o: Double, expected e: Double) throws(StatisticsError) -> Significance {
        try validateDenominator(e)
        return try poissonSignificance(count: o, scale: e, reference: 1)
    }

    /// Use for: the crude rate (or DSR) funnel's curves at a denominator n (person-years: for data
    /// pooled over years, plot at n/years as PHE's `*_population_1_year`).
    ///
    /// O_L/n and O_U/n × multiplier at E = average·n; baseline average × multiplier.
    /// - Throws: `StatisticsError` for n ≤ 0, a negative or non-finite average or a non-positive multiplier.
    public static func rateLimits(
        denominator n: Double, average: Double, multiplier: Double = 100_000
    ) throws(StatisticsError) -> Limits {
        try validateDenominator(n)
        try validateMultiplier(multiplier)
        guard average.isFinite, average >= 0 else { throw .invalidValue(average) }
        let c95 = poissonControlLimits(expected: average * n, level: .ninetyFive)
        let c998 = poissonControlLimits(expected: average * n, level: .ninetyNinePointEight)
        let scale = multiplier / n
        return Limits(
            lower95: c95.lower * scale, upper95: c95.upper * scale, lower998: c998.lower * scale,
            upper998: c998.upper * scale, baseline: average * multiplier)
    }

    /// Use for: whether a unit's crude rate O/n is outside the rate funnel.
    ///
    /// The average against the interval of O (exact below 10, Byar's from 10) divided by n, as
    /// `assign_funnel_significance(statistic = "rate", rate_type = "crude")`. A unit with 0 events
    /// is judged on its denominator (its upper limit can be below the average).
    /// - Throws: `StatisticsError` for a negative count, n ≤ 0 or a negative average.
    public static func rateSignificance(
        count o: Double, denominator n: Double, average: Double
    ) throws(StatisticsError) -> Significance {
        try validateDenominator(n)
        guard average.isFinite, average >= 0 else { throw .invalidValue(average) }
        return try poissonSignificance(count: o, scale: n, reference: average)
    }

    /// The denominator PHE derives for a DSR: multiplier·O/DSR, `nil` for O = 0 (left out of the
    /// average, as `denominator_derived = NA`).
    /// - Throws: `StatisticsError` for a negative count, a non-positive multiplier, or a
    ///   non-positive DSR with events.
    public static func dsrDenominator(count o: Double, rate: Double, multiplier: Double) throws(StatisticsError) -> Double? {
        try validateCount(o)
        try validateMultiplier(multiplier)
        guard o > 0 else { return nil }
        guard rate.isFinite, rate > 0 else { throw .invalidValue(rate) }
        return multiplier * o / rate
    }

    /// Use for: whether a DSR is outside the rate funnel.
    ///
    /// `notApplicableBelowTenEvents` below 10 events; otherwise `rateSignificance` at the derived
    /// denominator multiplier·O/DSR. The average is Σ O / Σ derived denominators over the units
    /// with events (`average(counts:denominators:)` with `dsrDenominator`).
    /// - Throws: as `dsrDenominator(count:rate:multiplier:)` and `rateSignificance`.
    public static func dsrSignificance(
        count o: Double, rate: Double, average: Double, multiplier: Double
    ) throws(StatisticsError) -> Significance {
        guard let n = try dsrDenominator(count: o, rate: rate, multiplier: multiplier),
            o >= DirectlyStandardisedRate.minimumTotalCount
        else { return .notApplicableBelowTenEvents }
        return try rateSignificance(count: o, denominator: n, average: average)
    }

    /// Use for: funnel curves on a count scale, e.g. events expected against events allowed.
    ///
    /// The counts (O_L, O_U), continuous, at the edges of the exact Poisson control region for an
    /// expected count E: P(O_L + 1, E) = 1 − α/2 and P(O_U, E) = α/2, with P the regularised lower
    /// incomplete gamma function (for a whole count O, P(O + 1, E) = Prob(Poisson(E) > O)). O_L is
    /// 0 when e^(−E) ≥ α/2; both are 0 when E = 0. Non-finite or negative E gives NaN.
    public static func poissonControlLimits(expected e: Double, level: ConfidenceLevel) -> (lower: Double, upper: Double) {
        guard e.isFinite, e >= 0 else { return (.nan, .nan) }
        guard e > 0 else { return (0, 0) }
        let c = level.level, tail = (1 - c) / 2, inner = c + (1 - c) / 2
        let lower = exp(-e) >= tail ? 0 : shape(lowerTail: inner, upperTail: tail, at: e) - 1
        return (max(0, lower), shape(lowerTail: tail, upperTail: inner, at: e))
    }

    /// The shape a with P(a, x) = p (Q(a, x) = q), by bisection: P(a, x) falls as a rises.
    static func shape(lowerTail p: Double, upperTail q: Double, at x: Double) -> Double {
        func residual(_ a: Double) -> Double {
            let (pp, qq) = Gamma.incomplete(a, x)
            return p <= q ? pp - p : q - qq
        }
        var lo = 0.0, hi = max(1, 2 * x)
        while residual(hi) > 0 {
            lo = hi
            hi *= 2
        }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi || hi - lo <= 2e-16 * hi { break }
            if residual(mid) > 0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    private static func proportionBand(_ n: Double, _ average: Double, _ level: ConfidenceLevel) -> (lower: Double, upper: Double) {
        let half = level.z * (average * (1 - average) / n).squareRoot()
        return (average - half, average + half)
    }

    private static func validateProportionInputs(_ n: Double, _ average: Double) throws(StatisticsError) {
        try validateDenominator(n)
        guard average.isFinite, average >= 0, average <= 1 else { throw .invalidValue(average) }
    }

    /// `assign_funnel_significance` for ratios and rates: the reference against the Poisson
    /// interval of the count (exact below 10, Byar's from 10) divided by `scale`.
    private static func poissonSignificance(count o: Double, scale: Double, reference: Double) throws(StatisticsError)
        -> Significance
    {
        let i998 = try PoissonInterval.interval(count: o, level: .ninetyNinePointEight)
        let i95 = try PoissonInterval.interval(count: o, level: .ninetyFive)
        if reference < i998.lower / scale { return .highAt0001 }
        if reference < i95.lower / scale { return .highAt0025 }
        if reference > i998.upper / scale { return .lowAt0001 }
        if reference > i95.upper / scale { return .lowAt0025 }
        return .notSignificant
    }
}
