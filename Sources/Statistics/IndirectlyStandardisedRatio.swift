/// Use for: standardised ratios of an area against a reference (e.g. an SMR or a standardised
/// admission ratio: the area's events against those expected at England's or the partnership's age
/// rates), and the points of the ratio funnel.
///
/// An indirectly standardised ratio (ISR) as PHEindicatormethods `calculate_ISRatio` and the
/// Fingertips technical guidance. With local counts Oᵢ and populations nᵢ by category (e.g. age
/// band), and reference counts Xᵢ and populations Nᵢ:
///
///     expected E = Σ (Xᵢ/Nᵢ)·nᵢ,   observed O = ΣOᵢ,   ISR = O/E × reference value
///
/// with the limits of O (exact below 10, Byar's from 10: `PoissonInterval.interval`) divided by E
/// and multiplied the same way. The reference value is 1 for a ratio or 100 for PHE's "ratio x 100".
/// As `calculate_ISRatio`'s `na.zero`, a category missing from the data should be passed as 0.
/// Reference: Breslow NE, Day NE. Statistical methods in cancer research, vol II. Lyon: IARC; 1987.
public struct IndirectlyStandardisedRatio: Sendable, Hashable {
    /// O, the observed events.
    public let observed: Double
    /// E, the events expected at the reference rates.
    public let expected: Double
    /// The reference value the ratio is multiplied by (1, or 100).
    public let referenceValue: Double

    /// O/E × reference value.
    public var value: Double { observed / expected * referenceValue }

    /// PHE's method for the limits: exact below 10 observed, Byar's from 10.
    public var method: PoissonInterval.Method { PoissonInterval.method(forCount: observed) }

    /// An ISR from its observed and expected counts (`calculate_ISRatio` with `observed_totals`).
    /// - Throws: `StatisticsError` for a negative or non-finite O, E ≤ 0 (no expected events: the
    ///   ratio is undefined) or a non-positive reference value.
    public init(observed: Double, expected: Double, referenceValue: Double = 1) throws(StatisticsError) {
        try validateCount(observed)
        try validateDenominator(expected)
        try validateMultiplier(referenceValue)
        self.observed = observed
        self.expected = expected
        self.referenceValue = referenceValue
    }

    /// An ISR from the local counts and populations and the reference counts and populations, all
    /// by the same categories in the same order.
    /// - Throws: `StatisticsError` on different lengths, a negative count or local population, a
    ///   non-positive reference population, E = 0 or a non-positive reference value.
    public init(
        counts: [Double], populations: [Double], referenceCounts: [Double], referencePopulations: [Double],
        referenceValue: Double = 1
    ) throws(StatisticsError) {
        guard counts.count == populations.count else {
            throw .lengthMismatch(expected: populations.count, actual: counts.count)
        }
        var observed = 0.0
        for count in counts {
            try validateCount(count)
            observed += count
        }
        let expected = try Self.expected(
            populations: populations, referenceCounts: referenceCounts, referencePopulations: referencePopulations)
        try self.init(observed: observed, expected: expected, referenceValue: referenceValue)
    }

    /// E = Σ (Xᵢ/Nᵢ)·nᵢ: the events the local populations would have at the reference rates.
    /// - Throws: `StatisticsError` on different lengths, a negative local population or reference
    ///   count, or a non-positive reference population.
    public static func expected(
        populations: [Double], referenceCounts: [Double], referencePopulations: [Double]
    ) throws(StatisticsError) -> Double {
        guard referenceCounts.count == populations.count else {
            throw .lengthMismatch(expected: populations.count, actual: referenceCounts.count)
        }
        guard referencePopulations.count == populations.count else {
            throw .lengthMismatch(expected: populations.count, actual: referencePopulations.count)
        }
        var expected = 0.0
        for i in populations.indices {
            guard populations[i].isFinite, populations[i] >= 0 else { throw .invalidDenominator(populations[i]) }
            try validateCount(referenceCounts[i])
            try validateDenominator(referencePopulations[i])
            expected += referenceCounts[i] / referencePopulations[i] * populations[i]
        }
        return expected
    }

    /// The interval at `level`: the limits of O (exact below 10, Byar's from 10) / E × reference
    /// value; `nil` only where Byar's lower limit is undefined (never at 95% or 99.8%, as O ≥ 10).
    public func interval(at level: ConfidenceLevel) -> ConfidenceInterval? {
        guard let count = try? PoissonInterval.interval(count: observed, level: level) else { return nil }
        return count.scaled(by: referenceValue / expected)
    }

    /// The ISR with its interval at `level` (see `interval(at:)`).
    public func estimate(at level: ConfidenceLevel) -> Estimate? {
        interval(at: level).map { Estimate(value: value, interval: $0) }
    }
}
