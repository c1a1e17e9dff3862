/// Weights of a standard population, one per standardisation category (e.g. age band).
public struct StandardPopulation: Sendable, Hashable {
    /// The weights, in the same category order as the counts and populations they standardise.
    public let weights: [Double]

    /// A custom standard population.
    /// - Throws: `StatisticsError.invalidStandardPopulation` if empty, any weight is negative or
    ///   non-finite, or all weights are zero.
    public init(weights: [Double]) throws(StatisticsError) {
        guard !weights.isEmpty, weights.allSatisfy({ $0.isFinite && $0 >= 0 }),
            weights.contains(where: { $0 > 0 })
        else { throw .invalidStandardPopulation }
        self.weights = weights
    }

    private init(validated weights: [Double]) { self.weights = weights }

    /// European Standard Population 2013 in the 19 bands of PHEindicatormethods' `esp2013`:
    /// 0–4, 5–9, …, 85–89, 90+ (total 100,000). Eurostat's age 0 (1,000) and 1–4 (4,000) bands are
    /// combined into 0–4 (5,000), and 90–94 (800) and 95+ (200) into 90+ (1,000).
    /// Source: Eurostat. Revision of the European Standard Population: report of Eurostat's
    /// task-force. Luxembourg: Publications Office of the EU; 2013.
    public static let esp2013 = StandardPopulation(validated: [
        5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
        7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
    ])

    /// Labels of the `esp2013` bands, youngest first.
    public static let esp2013Bands = [
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
    ]
}

/// A directly standardised rate (DSR) with Dobson confidence intervals, as PHEindicatormethods
/// `phe_dsr` and the Fingertips technical guidance.
///
/// With counts Oᵢ, populations nᵢ, standard weights wᵢ, O = ΣOᵢ and multiplier m:
///
///     DSR      = m · Σ(wᵢ·Oᵢ/nᵢ) / Σwᵢ
///     var(DSR) = m² · Σ(wᵢ²·Oᵢ/nᵢ²) / (Σwᵢ)²
///     limits   = DSR + √(var(DSR)/O) · (O_limit − O)
///
/// where O_lower/O_upper are the Poisson limits of O (`PoissonInterval.interval`, exact below 10
/// and Byar's from 10; as the DSR is withheld below 10 this is always Byar's, as in `phe_dsr`).
/// When O < 10 the value and limits are missing, with reason "dsr NA for total count < 10".
///
/// References: Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums
/// of Poisson parameters. Stat Med 1991;10:457–462. Breslow NE, Day NE. Statistical methods in
/// cancer research, vol II. Lyon: IARC; 1987.
public struct DirectlyStandardisedRate: Sendable, Hashable {
    /// Why a DSR is missing; the raw value is `phe_dsr`'s statistic text.
    public enum MissingReason: String, Sendable, Hashable {
        /// Total count below `DirectlyStandardisedRate.minimumTotalCount`.
        case totalCountBelowTen = "dsr NA for total count < 10"
    }

    /// DSRs are not published for total counts below this (Fingertips / `phe_dsr`).
    public static let minimumTotalCount = 10.0

    /// O = ΣOᵢ.
    public let totalCount: Double
    /// Σnᵢ.
    public let totalPopulation: Double
    /// The multiplier m (e.g. 100,000).
    public let multiplier: Double
    /// The DSR per `multiplier`, or `nil` when missing.
    public let value: Double?
    /// var(DSR) on the multiplied scale, or `nil` when missing.
    public let variance: Double?
    /// Why `value` is `nil`; `nil` when a value is present.
    public let missingReason: MissingReason?

    /// Computes the DSR. Counts, populations and the standard population are matched by position.
    /// - Throws: `StatisticsError` on length mismatch, a negative count, a non-positive population
    ///   (as `phe_dsr`) or a non-positive multiplier.
    public init(
        counts: [Double], populations: [Double], standard: StandardPopulation = .esp2013,
        multiplier: Double = 100_000
    ) throws(StatisticsError) {
        let w = standard.weights
        guard counts.count == w.count else { throw .lengthMismatch(expected: w.count, actual: counts.count) }
        guard populations.count == w.count else { throw .lengthMismatch(expected: w.count, actual: populations.count) }
        try validateMultiplier(multiplier)
        var o = 0.0, n = 0.0, weighted = 0.0, squared = 0.0, sumW = 0.0
        for i in w.indices {
            try validateCount(counts[i])
            try validateDenominator(populations[i])
            let ratio = w[i] / populations[i]
            o += counts[i]
            n += populations[i]
            weighted += counts[i] * ratio
            squared += counts[i] * ratio * ratio
            sumW += w[i]
        }
        totalCount = o
        totalPopulation = n
        self.multiplier = multiplier
        if o < Self.minimumTotalCount {
            value = nil
            variance = nil
            missingReason = .totalCountBelowTen
        } else {
            value = weighted / sumW * multiplier
            variance = squared / (sumW * sumW) * multiplier * multiplier
            missingReason = nil
        }
    }

    /// Dobson confidence interval at `level`, or `nil` when the DSR is missing.
    public func interval(at level: ConfidenceLevel) -> ConfidenceInterval? {
        guard let value, let variance,
            let poisson = try? PoissonInterval.interval(count: totalCount, level: level)
        else { return nil }
        let scale = (variance / totalCount).squareRoot()
        return ConfidenceInterval(
            lower: value + scale * (poisson.lower - totalCount),
            upper: value + scale * (poisson.upper - totalCount), level: level)
    }

    /// The DSR with its Dobson interval at `level`, or `nil` when missing.
    public func estimate(at level: ConfidenceLevel) -> Estimate? {
        guard let value, let interval = interval(at: level) else { return nil }
        return Estimate(value: value, interval: interval)
    }
}
