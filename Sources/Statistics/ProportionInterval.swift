/// Proportions with Wilson score confidence intervals, as PHEindicatormethods `phe_proportion`
/// (`wilson_lower` / `wilson_upper`) and the Fingertips technical guidance on confidence intervals.
///
/// For x events out of n and z = Φ⁻¹(level + (1 − level)/2):
///
///     lower = (2x + z² − z·√(z² + 4x(1 − x/n))) / (2(n + z²))
///     upper = (2x + z² + z·√(z² + 4x(1 − x/n))) / (2(n + z²))
///
/// References: Wilson EB. Probable inference, the law of succession, and statistical inference.
/// J Am Stat Assoc 1927;22:209–212. Newcombe RG, Altman DG. Proportions and their differences.
/// In: Altman DG et al. (eds), Statistics with confidence, 2nd edn. BMJ Books; 2000. p46–48.
public enum ProportionInterval {
    /// The Wilson score interval for the proportion x/n, on the 0–1 scale.
    ///
    /// Handles x = 0 and x = n: at x = 0 the formula gives exactly 0 in IEEE arithmetic
    /// (z·√(z²) = z²); at x = n the upper limit is returned as exactly 1, where the formula can
    /// leave 1 ± 1e-16.
    /// - Throws: `StatisticsError` unless n > 0 and 0 ≤ x ≤ n (all finite).
    public static func wilson(
        count x: Double, denominator n: Double,
        level: ConfidenceLevel = .ninetyFive
    ) throws(StatisticsError) -> ConfidenceInterval {
        try validateCount(x)
        try validateDenominator(n)
        guard x <= n else { throw .countExceedsDenominator(count: x, denominator: n) }
        let z = level.z, z2 = z * z
        let root = z * (z2 + 4 * x * (1 - x / n)).squareRoot()
        let lower = (2 * x + z2 - root) / 2 / (n + z2)
        let upper = x == n ? 1 : (2 * x + z2 + root) / 2 / (n + z2)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// The proportion x/n × `multiplier` (1 for a fraction, 100 for a percentage) with its Wilson
    /// interval on the same scale, as `phe_proportion(x, n, confidence, multiplier)`.
    /// - Throws: `StatisticsError` for invalid counts, denominators or multiplier.
    public static func proportion(
        count x: Double, denominator n: Double, multiplier: Double = 1,
        level: ConfidenceLevel = .ninetyFive
    ) throws(StatisticsError) -> Estimate {
        try validateMultiplier(multiplier)
        let interval = try wilson(count: x, denominator: n, level: level)
        return Estimate(value: x / n * multiplier, interval: interval.scaled(by: multiplier))
    }
}
