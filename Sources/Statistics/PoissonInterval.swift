/// Confidence intervals for a Poisson count O, and crude rates, as PHEindicatormethods `phe_rate`,
/// `byars_lower` / `byars_upper` and the Fingertips technical guidance: the exact method for
/// O < 10 and Byar's approximation for O ≥ 10.
public enum PoissonInterval {
    /// Which method `interval(count:level:)` uses; raw values are PHEindicatormethods' labels.
    public enum Method: String, Sendable, Hashable {
        /// Exact chi-squared limits (O < 10).
        case exact = "Exact"
        /// Byar's approximation (O ≥ 10).
        case byar = "Byars"
    }

    /// Counts below this use the exact method, at or above it Byar's (`phe_rate`: `x < 10`).
    public static let byarThreshold = 10.0

    /// The method PHEindicatormethods applies to a count: exact below 10, Byar's from 10.
    public static func method(forCount count: Double) -> Method { count < byarThreshold ? .exact : .byar }

    /// PHE's choice of interval for a count: `exact` when O < 10, otherwise `byar`.
    /// - Throws: `StatisticsError.invalidCount` for a negative or non-finite count.
    public static func interval(count: Double, level: ConfidenceLevel = .ninetyFive) throws(StatisticsError) -> ConfidenceInterval {
        switch method(forCount: count) {
        case .exact: return try exact(count: count, level: level)
        case .byar: return try byar(count: count, level: level)
        }
    }

    /// Exact Poisson limits from the chi-squared distribution (Ulm 1990; Armitage & Berry 2002):
    ///
    ///     lower = χ²(α/2; 2O)/2   (0 when O = 0),   upper = χ²(1 − α/2; 2O + 2)/2
    ///
    /// with α/2 computed as `(1 - confidence)/2` and 1 − α/2 as `confidence + (1 - confidence)/2`,
    /// exactly as `phe_rate`. Ulm K. A simple method to calculate the confidence interval of a
    /// standardized mortality ratio. Am J Epidemiol 1990;131:373–375.
    /// - Throws: `StatisticsError.invalidCount` for a negative or non-finite count.
    public static func exact(count: Double, level: ConfidenceLevel = .ninetyFive) throws(StatisticsError) -> ConfidenceInterval {
        try validateCount(count)
        let c = level.level
        let lower = count == 0 ? 0 : ChiSquaredDistribution.quantile((1 - c) / 2, degreesOfFreedom: 2 * count) / 2
        let upper = ChiSquaredDistribution.quantile(c + (1 - c) / 2, degreesOfFreedom: 2 * count + 2) / 2
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// Byar's approximation to the exact limits (Breslow NE, Day NE. Statistical methods in cancer
    /// research, vol II. Lyon: IARC; 1987), with z = Φ⁻¹(level + (1 − level)/2):
    ///
    ///     lower = O·(1 − 1/(9O) − z/(3√O))³
    ///     upper = (O + 1)·(1 − 1/(9(O + 1)) + z/(3√(O + 1)))³
    ///
    /// - Throws: `StatisticsError.byarUndefined` when O = 0 or the lower limit would be negative
    ///   (where `byars_lower` returns NA; `byarLimits(count:level:)` gives the upper limit there),
    ///   `.invalidCount` for a negative or non-finite count.
    public static func byar(count o: Double, level: ConfidenceLevel = .ninetyFive) throws(StatisticsError) -> ConfidenceInterval {
        let limits = try byarLimits(count: o, level: level)
        guard let lower = limits.lower else { throw .byarUndefined(count: o) }
        return ConfidenceInterval(lower: lower, upper: limits.upper, level: level)
    }

    /// Use for: the upper limit of a count of 0 or 1 (e.g. on the scorecard) where the lower limit is
    /// missing, without losing the figure to an error.
    ///
    /// Byar's limits as `byar(count:level:)`, but the lower limit is `nil` where PHEindicatormethods'
    /// `byars_lower` returns NA — O = 0 (its formula is 0·(−∞)³) or a negative value, as for O = 1 at
    /// 99.8% — while the upper limit, which `byars_upper` always gives, is returned for every count:
    /// for O = 0 it is (1 − 1/9 + z/3)³ (3.6680 at 95%, 7.0665 at 99.8%).
    /// - Throws: `StatisticsError.invalidCount` for a negative or non-finite count.
    public static func byarLimits(count o: Double, level: ConfidenceLevel = .ninetyFive) throws(StatisticsError) -> (
        lower: Double?, upper: Double
    ) {
        try validateCount(o)
        let z = level.z
        let u = 1 - 1 / (9 * (o + 1)) + z / (3 * (o + 1).squareRoot())
        let upper = (o + 1) * u * u * u
        guard o > 0 else { return (nil, upper) }
        let l = 1 - 1 / (9 * o) - z / (3 * o.squareRoot())
        return (l >= 0 ? o * l * l * l : nil, upper)
    }

    /// Crude rate O/n × multiplier with the count's interval (`interval(count:level:)`) scaled the
    /// same way, as `phe_rate(x, n, confidence, multiplier)`.
    /// - Throws: `StatisticsError` for a negative count, non-positive denominator or multiplier.
    public static func rate(
        count: Double, denominator: Double, multiplier: Double = 100_000,
        level: ConfidenceLevel = .ninetyFive
    ) throws(StatisticsError) -> Estimate {
        try validateDenominator(denominator)
        try validateMultiplier(multiplier)
        let interval = try interval(count: count, level: level)
        return Estimate(
            value: count / denominator * multiplier,
            interval: ConfidenceInterval(
                lower: interval.lower / denominator * multiplier,
                upper: interval.upper / denominator * multiplier,
                level: level))
    }
}
