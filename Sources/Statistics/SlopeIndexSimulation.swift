#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The simulation behind `SlopeIndexOfInequality`'s intervals (`phe_sii`'s `SimulationFunc`).
enum SIISimulation {
    /// The refitted intercepts and slopes, one per repetition.
    struct Draws {
        let intercepts: [Double]
        let slopes: [Double]
    }

    /// Draws every group's value from N(mean, se) `repetitions` times (on the log/logit scale for
    /// rates/proportions, mapped back through `backTransform` when it is given) and refits.
    static func run(
        means: [Double], standardErrors: [Double], weights: (intercept: [Double], slope: [Double]),
        backTransform: SlopeIndexOfInequality.ValueType?, repetitions: Int, seed: UInt64
    ) -> Draws {
        var generator = Xoshiro256StarStar(seed: seed)
        var intercepts = [Double](repeating: 0, count: repetitions)
        var slopes = [Double](repeating: 0, count: repetitions)
        for r in 0..<repetitions {
            var b0 = 0.0, b1 = 0.0
            for i in means.indices {
                var y = means[i] + standardErrors[i] * generator.nextNormal()
                if let backTransform { y = backTransform.inverse(y) }
                b0 += weights.intercept[i] * y
                b1 += weights.slope[i] * y
            }
            intercepts[r] = b0
            slopes[r] = b1
        }
        return Draws(intercepts: intercepts, slopes: slopes)
    }

    /// The 1-based positions round(R·(1 − c′)) and round(R·c′), c′ = c + (1 − c)/2, with R's
    /// `round` (half to even), kept within 1…R.
    static func positions(repetitions: Int, level: ConfidenceLevel) -> (lower: Int, upper: Int) {
        let c = level.level, upperTail = c + (1 - c) / 2, n = Double(repetitions)
        func position(_ p: Double) -> Int { min(repetitions, max(1, Int((n * p).rounded(.toNearestOrEven)))) }
        return (position(1 - upperTail), position(upperTail))
    }

    /// The point estimates of one fit and the intervals from its simulated refits.
    struct Fit {
        let b0: Double
        let b1: Double
        let valueType: SlopeIndexOfInequality.ValueType
        let transform: Bool
        let multiplier: Double

        var sii: Double {
            transform ? (valueType.inverse(b0 + b1) - valueType.inverse(b0)) * multiplier : b1 * multiplier
        }

        var rii: Double {
            let ratio = transform ? valueType.inverse(b0 + b1) / valueType.inverse(b0) : (b0 + b1) / b0
            return multiplier < 0 ? 1 / ratio : ratio
        }

        var intercept: Double { transform ? valueType.inverse(b0) * abs(multiplier) : b0 }

        /// The SII and RII intervals at each level, from one sort of the draws.
        func intervals(draws: Draws, levels: [ConfidenceLevel]) -> [(sii: ConfidenceInterval, rii: ConfidenceInterval)] {
            let slopes = draws.slopes.sorted()
            if transform { return levels.map { transformedIntervals(sortedSlopes: slopes, level: $0) } }
            let m = multiplier
            let siis = m < 0 ? slopes.reversed().map { $0 * m } : slopes.map { $0 * m }
            let riis = zip(draws.intercepts, draws.slopes).map { b0, b1 -> Double in
                let ratio = (b0 + b1) / b0
                return m < 0 ? 1 / ratio : ratio
            }.sorted()
            return levels.map { level in
                let (lo, hi) = positions(repetitions: slopes.count, level: level)
                return (
                    ConfidenceInterval(lower: siis[lo - 1], upper: siis[hi - 1], level: level),
                    ConfidenceInterval(lower: riis[lo - 1], upper: riis[hi - 1], level: level)
                )
            }
        }

        /// `phe_sii` with `transform`: limits from the slope quantiles s at the midpoint
        /// x_h = β₀ + β₁/2, i.e. g⁻¹(x_h + s/2) − g⁻¹(x_h − s/2) and g⁻¹(x_h + s/2)/g⁻¹(x_h − s/2).
        private func transformedIntervals(sortedSlopes: [Double], level: ConfidenceLevel) -> (
            sii: ConfidenceInterval, rii: ConfidenceInterval
        ) {
            let (lo, hi) = positions(repetitions: sortedSlopes.count, level: level)
            let half = b0 + b1 / 2
            func ends(_ s: Double) -> (top: Double, bottom: Double) {
                (valueType.inverse(half + s / 2), valueType.inverse(half - s / 2))
            }
            let low = ends(sortedSlopes[lo - 1]), high = ends(sortedSlopes[hi - 1])
            let m = multiplier
            if m < 0 {
                return (
                    ConfidenceInterval(lower: (high.top - high.bottom) * m, upper: (low.top - low.bottom) * m, level: level),
                    ConfidenceInterval(lower: high.bottom / high.top, upper: low.bottom / low.top, level: level)
                )
            }
            return (
                ConfidenceInterval(lower: (low.top - low.bottom) * m, upper: (high.top - high.bottom) * m, level: level),
                ConfidenceInterval(lower: low.top / low.bottom, upper: high.top / high.bottom, level: level)
            )
        }
    }
}

/// xoshiro256** (Blackman D, Vigna S. Scrambled linear pseudorandom number generators. ACM TOMS
/// 2021;47(4):36), its state filled from the seed by SplitMix64 (Steele GL, Lea D, Flood CH. Fast
/// splittable pseudorandom number generators. OOPSLA 2014): the same seed gives the same stream on
/// every platform.
struct Xoshiro256StarStar: RandomNumberGenerator {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = rotate(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotate(s.3, 45)
        return result
    }

    /// A uniform draw in (0, 1): the top 53 bits, offset by half a step so 0 and 1 never occur.
    mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// A standard normal draw by inversion (`NormalDistribution.quantile`, Wichura AS 241).
    mutating func nextNormal() -> Double { NormalDistribution.quantile(nextOpenUnit()) }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
