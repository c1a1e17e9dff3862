/// A two-sided confidence level, such as 95% or 99.8%.
///
/// The critical value is `z = Φ⁻¹(level + (1 − level)/2)`, computed exactly as PHEindicatormethods
/// does (`qnorm(confidence + (1 - confidence)/2)`), so 95% gives z = 1.959963984540054 and
/// 99.8% gives z = 3.090232306167813 (not the rounded 1.96 / 3.09 / 3.29).
public struct ConfidenceLevel: Sendable, Hashable {
    /// The level as a fraction in (0, 1), e.g. 0.95.
    public let level: Double

    /// Creates a level from a fraction strictly between 0 and 1; returns `nil` otherwise.
    public init?(_ level: Double) {
        guard level > 0, level < 1 else { return nil }
        self.level = level
    }

    /// 95%, the Fingertips "inner" level.
    public static let ninetyFive = ConfidenceLevel(0.95)!
    /// 99.8%, the Fingertips "outer" level.
    public static let ninetyNinePointEight = ConfidenceLevel(0.998)!

    /// Two-sided tail probability α = 1 − level.
    public var alpha: Double { 1 - level }

    /// Upper standard normal critical value z = Φ⁻¹(level + (1 − level)/2) (Wichura AS241).
    public var z: Double { NormalDistribution.quantile(level + (1 - level) / 2) }
}

/// A two-sided confidence interval at a stated level.
public struct ConfidenceInterval: Sendable, Hashable {
    /// Lower limit.
    public let lower: Double
    /// Upper limit.
    public let upper: Double
    /// Confidence level the limits were computed at.
    public let level: ConfidenceLevel

    /// Creates an interval; the limits are stored as given.
    public init(lower: Double, upper: Double, level: ConfidenceLevel) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// Whether `x` lies inside the interval, limits included (the Fingertips "Similar" test).
    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }

    /// The interval with both limits multiplied by a positive `factor` (e.g. per 100,000).
    public func scaled(by factor: Double) -> ConfidenceInterval {
        ConfidenceInterval(lower: lower * factor, upper: upper * factor, level: level)
    }
}

/// A point estimate with its confidence interval, on the same (multiplied) scale.
public struct Estimate: Sendable, Hashable {
    /// The point estimate.
    public let value: Double
    /// Its confidence interval.
    public let interval: ConfidenceInterval

    /// Creates an estimate.
    public init(value: Double, interval: ConfidenceInterval) {
        self.value = value
        self.interval = interval
    }
}

/// Invalid input to one of the statistics in this module.
public enum StatisticsError: Error, Sendable, Hashable {
    /// A count/numerator was negative or not finite.
    case invalidCount(Double)
    /// A denominator/population was zero, negative or not finite.
    case invalidDenominator(Double)
    /// A numerator exceeded its denominator where a proportion was expected.
    case countExceedsDenominator(count: Double, denominator: Double)
    /// A multiplier was zero, negative or not finite.
    case invalidMultiplier(Double)
    /// Parallel inputs (e.g. counts, populations and standard weights) had different lengths.
    case lengthMismatch(expected: Int, actual: Int)
    /// A standard population was empty or had a negative, non-finite or all-zero weight.
    case invalidStandardPopulation
    /// Byar's approximation is undefined here (count 0, or its lower limit would be negative).
    case byarUndefined(count: Double)
    /// A value outside the domain of the method: e.g. an average proportion outside [0, 1], a
    /// negative standard error, or a rate or proportion whose log or logit the method needs.
    case invalidValue(Double)
    /// The number of groups or values is outside what the method accepts (e.g. `phe_sii`'s 5 to
    /// 100 quantiles, or a mean of no values).
    case invalidGroupCount(Int)
    /// Fewer simulation repetitions than the method accepts (`phe_sii`: at least 1,000).
    case invalidRepetitions(Int)
    /// The log or logit transform of `phe_sii` was asked for values that are neither rates nor
    /// proportions ("value_type should be 1 or 2 when transform is true").
    case transformNeedsRateOrProportion
}

@inline(__always)
func validateCount(_ x: Double) throws(StatisticsError) {
    guard x.isFinite, x >= 0 else { throw .invalidCount(x) }
}

@inline(__always)
func validateDenominator(_ n: Double) throws(StatisticsError) {
    guard n.isFinite, n > 0 else { throw .invalidDenominator(n) }
}

@inline(__always)
func validateMultiplier(_ m: Double) throws(StatisticsError) {
    guard m.isFinite, m > 0 else { throw .invalidMultiplier(m) }
}
