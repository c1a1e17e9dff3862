#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Use for: the inequality gradient of a measure across deprivation quantiles (e.g. rates by IMD
/// decile of the area's wards or LSOAs): the slope index of inequality (SII, absolute gap) and the
/// relative index of inequality (RII) with their intervals.
///
/// As PHEindicatormethods `phe_sii` (R/SII_function.R, `SimulationFunc` and `FindXValues` in
/// R/utils.R). Groups are given in quantile order, from the most deprived (relative rank near 0)
/// to the least deprived (near 1). Each group's share of the population is aᵢ = nᵢ/Σn and its
/// relative rank the midpoint of its range in the cumulative population, bᵢ = Σⱼ₍ⱼ<ᵢ₎aⱼ + aᵢ/2.
/// The model y·√a = β₀√a + β₁b√a is fitted by least squares (i.e. y on b weighted by a: `lm(yvals ~
/// sqrt_a + b_sqrt_a - 1)`), with y the values, or their logs (rates) or logits (proportions) when
/// `transform` is set:
///
/// * Without `transform`: SII = multiplier·β₁, the fitted value at rank 1 minus that at rank 0 —
///   positive when values rise towards the least deprived end — and RII = (β₀ + β₁)/β₀, the ratio
///   of those fitted values, inverted when the multiplier is negative; intercept β₀. (This RII is
///   `phe_sii`'s; the other common definition, SII over the mean, is sii/(intercept + sii/2) for
///   multiplier 1, the fitted value at the population's mean rank 1/2 being the weighted mean.)
/// * With `transform` (log for rates, logit for proportions, `g⁻¹` the inverse): SII =
///   (g⁻¹(β₀ + β₁) − g⁻¹(β₀))·multiplier, RII = g⁻¹(β₀ + β₁)/g⁻¹(β₀) (inverted when the multiplier
///   is negative), intercept g⁻¹(β₀)·|multiplier|.
///
/// Intervals by simulation (`SimulationFunc`): in each of `repetitions` draws every group's value
/// is drawn from a normal distribution with its standard error — on the log scale for rates and
/// the logit scale for proportions, then transformed back unless `transform` is set — and the model
/// is refitted; the limits at level c are the draws at positions round(R·(1 − c′)) and round(R·c′),
/// c′ = c + (1 − c)/2, of the R sorted SIIs and RIIs (R's `round`, half to even; at least 1).
/// With `transform` the limits come from the sorted slopes s at the midpoint x_h = β₀ + β₁/2:
/// g⁻¹(x_h + s/2) − g⁻¹(x_h − s/2) (× multiplier) and g⁻¹(x_h + s/2)/g⁻¹(x_h − s/2).
/// Reference: Low A, Low A. Measuring the gap: quantifying and comparing local health
/// inequalities. J Public Health 2004;26:388–395.
///
/// Departures from `phe_sii`, each deliberate: the normal draws come from this module's seeded
/// generator (xoshiro256** with inversion through `NormalDistribution.quantile`), so the
/// intervals are reproducible for a seed but differ from R's by Monte Carlo error (about 0.3% of
/// the interval's width at 100,000 repetitions); with `transform` and a multiplier between 0 and 1
/// the limits of a rate are not swapped (`phe_sii` tests `multiplier < 1` for rates, which would
/// swap them, and `multiplier < 0` for proportions; this uses `< 0` for both); a standard error may
/// be given with `transform` (it is on the same transformed scale either way); rates must be
/// positive and proportions strictly between 0 and 1, where `phe_sii` would carry −∞ into the
/// simulation; and `Group.proportion(count:population:)` and `Group.rate(count:population:multiplier:)`
/// derive the standard error from counts, which `phe_sii` leaves to its caller's limits.
public struct SlopeIndexOfInequality: Sendable, Hashable {
    /// `phe_sii`'s `value_type`: how values are simulated and (with `transform`) regressed.
    public enum ValueType: Int, Sendable, Hashable, CaseIterable {
        /// Any other value (e.g. life expectancy), simulated on its own scale (`value_type = 0`).
        case other = 0
        /// A rate, simulated on the log scale (`value_type = 1`).
        case rate = 1
        /// A proportion (0–1), simulated on the logit scale (`value_type = 2`).
        case proportion = 2

        func forward(_ v: Double) -> Double {
            switch self {
            case .other: return v
            case .rate: return log(v)
            case .proportion: return log(v / (1 - v))
            }
        }

        func inverse(_ v: Double) -> Double {
            switch self {
            case .other: return v
            case .rate: return exp(v)
            case .proportion: return 1 / (1 + exp(-v))
            }
        }
    }

    /// One quantile's population, value and standard error.
    public struct Group: Sendable, Hashable {
        /// The quantile's population (the regression weight); must be positive.
        public let population: Double
        /// The value on its own scale (a rate, a proportion on 0–1, or any other value).
        public let value: Double
        /// The standard error on the simulation scale: of the value for `.other`, of log(value) for
        /// `.rate`, of logit(value) for `.proportion` (as `phe_sii`'s `se` argument).
        public let standardError: Double

        /// A group with its standard error given.
        public init(population: Double, value: Double, standardError: Double) {
            self.population = population
            self.value = value
            self.standardError = standardError
        }

        /// A group with the standard error from its 95% limits, as `phe_sii` without `se`:
        /// (g(upper) − g(lower))/(2·Φ⁻¹(0.975)), g the identity, log or logit by `valueType`.
        /// - Throws: `StatisticsError.invalidValue` for limits the transform cannot take or a
        ///   negative or non-finite result.
        public init(population: Double, value: Double, lower95: Double, upper95: Double, valueType: ValueType)
            throws(StatisticsError)
        {
            let se = (valueType.forward(upper95) - valueType.forward(lower95)) / (2 * ConfidenceLevel.ninetyFive.z)
            guard se.isFinite, se >= 0 else { throw .invalidValue(se) }
            self.init(population: population, value: value, standardError: se)
        }

        /// A proportion x/n with the standard error of its logit from its Wilson 95% limits
        /// (`ProportionInterval.wilson`, the limits in PHE's own SII test data).
        /// - Throws: `StatisticsError` unless 0 < x < n (a logit needs both).
        public static func proportion(count x: Double, population n: Double) throws(StatisticsError) -> Group {
            let estimate = try ProportionInterval.proportion(count: x, denominator: n)
            guard x > 0, x < n else { throw .invalidValue(estimate.value) }
            return try Group(
                population: n, value: estimate.value, lower95: estimate.interval.lower,
                upper95: estimate.interval.upper, valueType: .proportion)
        }

        /// A crude rate O/n × multiplier with the standard error of its log from its 95% Poisson
        /// limits (`PoissonInterval.rate`: exact below 10 events, Byar's from 10).
        /// - Throws: `StatisticsError` for O = 0 (no log), a negative count or non-positive n.
        public static func rate(count o: Double, population n: Double, multiplier: Double = 100_000) throws(StatisticsError)
            -> Group
        {
            let estimate = try PoissonInterval.rate(count: o, denominator: n, multiplier: multiplier)
            guard o > 0 else { throw .invalidValue(0) }
            return try Group(
                population: n, value: estimate.value, lower95: estimate.interval.lower,
                upper95: estimate.interval.upper, valueType: .rate)
        }
    }

    /// The slope index of inequality (× multiplier).
    public let sii: Double
    /// The relative index of inequality (inverted for a negative multiplier).
    public let rii: Double
    /// `phe_sii`'s intercept: β₀ without `transform`, g⁻¹(β₀)·|multiplier| with it.
    public let intercept: Double
    /// The number of simulated repetitions behind the intervals.
    public let repetitions: Int
    /// The seed of the simulation.
    public let seed: UInt64
    /// The SII intervals, one per level asked for.
    public let siiIntervals: [ConfidenceInterval]
    /// The RII intervals, one per level asked for.
    public let riiIntervals: [ConfidenceInterval]

    /// The method text `phe_sii` reports as `CI_method`.
    public var intervalMethod: String { "simulation \(repetitions) reps" }

    /// The SII interval at `level`, if it was asked for.
    public func siiInterval(at level: ConfidenceLevel) -> ConfidenceInterval? { siiIntervals.first { $0.level == level } }

    /// The RII interval at `level`, if it was asked for.
    public func riiInterval(at level: ConfidenceLevel) -> ConfidenceInterval? { riiIntervals.first { $0.level == level } }

    /// Fits the model and simulates the intervals at `levels`.
    /// - Throws: `StatisticsError.invalidGroupCount` unless there are 5 to 100 groups (`phe_sii`),
    ///   `.invalidRepetitions` below 1,000, `.invalidMultiplier` for 0 or a non-finite multiplier,
    ///   `.transformNeedsRateOrProportion`, `.invalidDenominator` for a population that is not
    ///   positive, `.invalidValue` for a non-finite value, a negative or non-finite standard error,
    ///   a rate ≤ 0 or a proportion outside (0, 1).
    public init(
        groups: [Group], valueType: ValueType = .other, transform: Bool = false, multiplier: Double = 1,
        repetitions: Int = 100_000, levels: [ConfidenceLevel] = [.ninetyFive, .ninetyNinePointEight], seed: UInt64 = 1
    ) throws(StatisticsError) {
        try Self.validate(groups, valueType, transform, multiplier, repetitions)
        let weights = Self.regressionWeights(populations: groups.map(\.population))
        let means = groups.map { valueType.forward($0.value) }
        let y = transform ? means : groups.map(\.value)
        var b0 = 0.0, b1 = 0.0
        for i in y.indices {
            b0 += weights.intercept[i] * y[i]
            b1 += weights.slope[i] * y[i]
        }
        let draws = SIISimulation.run(
            means: means, standardErrors: groups.map(\.standardError), weights: weights,
            backTransform: transform ? nil : valueType, repetitions: repetitions, seed: seed)
        let fit = SIISimulation.Fit(
            b0: b0, b1: b1, valueType: valueType, transform: transform, multiplier: multiplier)
        sii = fit.sii
        rii = fit.rii
        intercept = fit.intercept
        self.repetitions = repetitions
        self.seed = seed
        let intervals = fit.intervals(draws: draws, levels: levels)
        siiIntervals = intervals.map(\.sii)
        riiIntervals = intervals.map(\.rii)
    }

    /// Coefficients cᵢ with β₀ = Σc⁰ᵢyᵢ and β₁ = Σc¹ᵢyᵢ for the least-squares fit of y on the
    /// relative ranks b weighted by the population shares a (centred, so equal values give β₁ = 0).
    static func regressionWeights(populations: [Double]) -> (intercept: [Double], slope: [Double]) {
        let total = populations.reduce(0, +)
        let a = populations.map { $0 / total }
        var cumulative = 0.0
        let b = a.map { share -> Double in
            defer { cumulative += share }
            return cumulative + share / 2
        }
        let sumA = a.reduce(0, +)
        let meanB = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / sumA
        let sbb = zip(a, b).reduce(0) { $0 + $1.0 * ($1.1 - meanB) * ($1.1 - meanB) }
        let slope = zip(a, b).map { $0 * ($1 - meanB) / sbb }
        let intercept = zip(a, slope).map { $0 / sumA - meanB * $1 }
        return (intercept, slope)
    }

    private static func validate(
        _ groups: [Group], _ valueType: ValueType, _ transform: Bool, _ multiplier: Double, _ repetitions: Int
    ) throws(StatisticsError) {
        guard (5...100).contains(groups.count) else { throw .invalidGroupCount(groups.count) }
        guard repetitions >= 1000 else { throw .invalidRepetitions(repetitions) }
        guard multiplier.isFinite, multiplier != 0 else { throw .invalidMultiplier(multiplier) }
        guard !transform || valueType != .other else { throw .transformNeedsRateOrProportion }
        for group in groups {
            try validateDenominator(group.population)
            guard group.standardError.isFinite, group.standardError >= 0 else { throw .invalidValue(group.standardError) }
            let v = group.value
            let valid: Bool
            switch valueType {
            case .other: valid = v.isFinite
            case .rate: valid = v.isFinite && v > 0
            case .proportion: valid = v > 0 && v < 1
            }
            guard valid else { throw .invalidValue(v) }
        }
    }
}
