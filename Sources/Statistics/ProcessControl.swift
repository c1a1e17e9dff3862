/// Use for: control charts of a proportion over time or across wards (2- and 3-sigma limits around the
/// partnership's average), and Fingertips' "SPC for proportions" comparison with a benchmark.
///
/// Statistical process control (SPC) limits for proportions.
///
/// Two constructions, both on the 0–1 scale (divide a percentage by 100 first):
///
/// * `proportionLimits(centre:denominator:)`: the p-chart limits p̄ ± k·√(p̄(1 − p̄)/n) at k = 2
///   and 3 standard deviations, clamped to [0, 1], with the centre line p̄ = Σx/Σn
///   (`centreLine(counts:denominators:)`). Flowers J. Statistical process control methods in
///   public health intelligence. APHO Technical Briefing 2. York: Association of Public Health
///   Observatories; 2007. Montgomery DC. Introduction to statistical quality control (the p chart).
///   These are the limits of PHE's proportion funnel (`FunnelPlot.proportionLimits`) at k = 2 and
///   3 instead of z = 1.96 and 3.09.
/// * `fingertipsLimits(benchmark:denominator:level:)` and `fingertipsComparison(...)`: Fingertips'
///   own "SPC for proportions" comparison (fingertips-open `SpcForProportionsComparer`), which takes
///   the Wilson score interval of the expected count E = n·p₀ out of n (`ProportionInterval.wilson`
///   with x = E) as the control limits around the benchmark p₀, and compares the area's proportion
///   with them.
public enum ProcessControl {
    /// p-chart limits at one denominator (0–1 scale).
    public struct ProportionLimits: Sendable, Hashable {
        /// The centre line p̄.
        public let centre: Double
        /// p̄ − 2σ, at least 0.
        public let lower2Sigma: Double
        /// p̄ + 2σ, at most 1.
        public let upper2Sigma: Double
        /// p̄ − 3σ, at least 0.
        public let lower3Sigma: Double
        /// p̄ + 3σ, at most 1.
        public let upper3Sigma: Double

        /// `higher` above the upper limit, `lower` below the lower limit, `similar` on or between
        /// them, at 2 or 3 sigma (`notCompared` for another number or a non-finite proportion).
        public func outcome(of proportion: Double, sigmas: Int) -> ComparisonOutcome {
            guard proportion.isFinite, sigmas == 2 || sigmas == 3 else { return .notCompared }
            let (lower, upper) = sigmas == 2 ? (lower2Sigma, upper2Sigma) : (lower3Sigma, upper3Sigma)
            return proportion > upper ? .higher : proportion < lower ? .lower : .similar
        }
    }

    /// Use for: the centre line of a proportion's control chart (e.g. over months or wards).
    ///
    /// p̄ = Σx/Σn (`FunnelPlot.average(counts:denominators:)`).
    /// - Throws: `StatisticsError` on different lengths, no points, a negative count or a
    ///   non-positive denominator.
    public static func centreLine(counts: [Double], denominators: [Double]) throws(StatisticsError) -> Double {
        try FunnelPlot.average(counts: counts, denominators: denominators)
    }

    /// Use for: 2- and 3-sigma control limits of a proportion chart (e.g. a ward's or a month's
    /// percentage against the partnership's average).
    ///
    /// p̄ ± k·√(p̄(1 − p̄)/n), k = 2, 3, clamped to [0, 1].
    /// - Throws: `StatisticsError` for n ≤ 0 or p̄ outside [0, 1].
    public static func proportionLimits(centre p: Double, denominator n: Double) throws(StatisticsError) -> ProportionLimits {
        try validateDenominator(n)
        guard p.isFinite, p >= 0, p <= 1 else { throw .invalidValue(p) }
        let sigma = (p * (1 - p) / n).squareRoot()
        return ProportionLimits(
            centre: p, lower2Sigma: max(0, p - 2 * sigma), upper2Sigma: min(1, p + 2 * sigma),
            lower3Sigma: max(0, p - 3 * sigma), upper3Sigma: min(1, p + 3 * sigma))
    }

    /// Use for: Fingertips' "SPC for proportions" limits around a benchmark (e.g. England's value)
    /// at an area's denominator.
    ///
    /// The Wilson interval of E = n·p₀ out of n at `level`: (2E + z² ∓ z·√(z² + 4E(1 − E/n)))/(2(n + z²)).
    /// - Throws: `StatisticsError` for n ≤ 0 or p₀ outside [0, 1].
    public static func fingertipsLimits(
        benchmark p0: Double, denominator n: Double, level: ConfidenceLevel
    ) throws(StatisticsError) -> ConfidenceInterval {
        try validateDenominator(n)
        guard p0.isFinite, p0 >= 0, p0 <= 1 else { throw .invalidValue(p0) }
        return try ProportionInterval.wilson(count: n * p0, denominator: n, level: level)
    }

    /// Use for: the Fingertips "SPC for proportions" comparison of an area's proportion with a
    /// benchmark.
    ///
    /// As `SpcForProportionsComparer`: higher when the proportion is above the upper limit of
    /// `fingertipsLimits`, lower when below the lower limit (strictly), otherwise `similar`; higher
    /// and lower become `better`/`worse` under `polarity`. `notCompared` when the denominator is not
    /// positive or an input is not finite or outside [0, 1], as Fingertips returns no significance.
    public static func fingertipsComparison(
        proportion: Double, benchmark p0: Double, denominator n: Double,
        level: ConfidenceLevel, polarity: Polarity
    ) -> ComparisonOutcome {
        guard proportion.isFinite, let limits = try? fingertipsLimits(benchmark: p0, denominator: n, level: level) else {
            return .notCompared
        }
        let higher: Bool
        if limits.upper < proportion {
            higher = true
        } else if limits.lower > proportion {
            higher = false
        } else {
            return .similar
        }
        switch polarity {
        case .highIsGood: return higher ? .better : .worse
        case .lowIsGood: return higher ? .worse : .better
        case .noJudgement: return higher ? .higher : .lower
        }
    }
}
