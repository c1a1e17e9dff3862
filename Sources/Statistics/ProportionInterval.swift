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

    /// Use for: the exact interval of a split of two counts (year-on-year change), and wherever an
    /// exact binomial interval is wanted instead of Wilson's.
    ///
    /// The Clopper–Pearson ("exact") interval for x events out of n, with α = 1 − level:
    ///
    ///     lower = B⁻¹(α/2; x, n − x + 1)   (0 when x = 0)
    ///     upper = B⁻¹(1 − α/2; x + 1, n − x)   (1 when x = n)
    ///
    /// where B⁻¹(p; a, b) is the inverse of the regularised incomplete beta function (`Beta`).
    /// Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case of
    /// the binomial. Biometrika 1934;26:404–413. Non-integer x and n are used as they are.
    /// - Throws: `StatisticsError` unless n > 0 and 0 ≤ x ≤ n (all finite).
    public static func clopperPearson(
        count x: Double, denominator n: Double,
        level: ConfidenceLevel = .ninetyFive
    ) throws(StatisticsError) -> ConfidenceInterval {
        let limits = try clopperPearsonLimits(count: x, denominator: n, level: level)
        return ConfidenceInterval(lower: limits.lower.p, upper: limits.upper.p, level: level)
    }

    /// Clopper–Pearson limits π with 1 − π beside each, both accurate (for odds π/(1 − π) near 1).
    static func clopperPearsonLimits(
        count x: Double, denominator n: Double, level: ConfidenceLevel
    ) throws(StatisticsError) -> (lower: (p: Double, q: Double), upper: (p: Double, q: Double)) {
        try validateCount(x)
        try validateDenominator(n)
        guard x <= n else { throw .countExceedsDenominator(count: x, denominator: n) }
        let c = level.level, tail = (1 - c) / 2, inner = c + (1 - c) / 2
        let lower = x == 0 ? (x: 0.0, y: 1.0) : Beta.inverse(x, n - x + 1, p: tail, q: inner)
        let upper = x == n ? (x: 1.0, y: 0.0) : Beta.inverse(x + 1, n - x, p: inner, q: tail)
        return ((lower.x, lower.y), (upper.x, upper.y))
    }
}
