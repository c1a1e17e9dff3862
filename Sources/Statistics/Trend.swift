#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Direction of a recent trend, before polarity is applied (Fingertips `TrendMarker`).
public enum TrendMarker: Sendable, Hashable, CaseIterable {
    /// Significant increase.
    case increasing
    /// Significant decrease.
    case decreasing
    /// Not significant, or not robust to dropping any single point.
    case noSignificantChange
    /// Fewer than five usable points, or inputs the test cannot use.
    case couldNotBeCalculated
}

/// The words Fingertips shows for a recent trend (fingertips-open `TrendMarkerLabelProvider`).
public enum TrendOutcome: String, Sendable, Hashable, CaseIterable {
    /// Increasing, high is good.
    case increasingAndGettingBetter = "Increasing and getting better"
    /// Increasing, low is good.
    case increasingAndGettingWorse = "Increasing and getting worse"
    /// Decreasing, low is good.
    case decreasingAndGettingBetter = "Decreasing and getting better"
    /// Decreasing, high is good.
    case decreasingAndGettingWorse = "Decreasing and getting worse"
    /// Increasing, no judgement.
    case increasing = "Increasing"
    /// Decreasing, no judgement.
    case decreasing = "Decreasing"
    /// No significant change.
    case noSignificantChange = "No significant change"
    /// Could not be calculated.
    case couldNotBeCalculated = "Could not be calculated"

    /// The label for a trend marker under a polarity.
    public init(marker: TrendMarker, polarity: Polarity) {
        switch (marker, polarity) {
        case (.increasing, .highIsGood): self = .increasingAndGettingBetter
        case (.increasing, .lowIsGood): self = .increasingAndGettingWorse
        case (.increasing, .noJudgement): self = .increasing
        case (.decreasing, .highIsGood): self = .decreasingAndGettingWorse
        case (.decreasing, .lowIsGood): self = .decreasingAndGettingBetter
        case (.decreasing, .noJudgement): self = .decreasing
        case (.noSignificantChange, _): self = .noSignificantChange
        case (.couldNotBeCalculated, _): self = .couldNotBeCalculated
        }
    }
}

/// Fingertips' "recent trend" over the five most recent points (Fingertips trend markers
/// methodology, Public Health Technical Guidance, "Trend markers"; fingertips-open
/// `TrendMarkers/TrendMarkerCalculator`). Points are given oldest first; only the last five are
/// used, with time scores t = 1…5. There are two tests:
///
/// * Proportions (`proportions(counts:denominators:)`): the chi-squared test for linear trend in
///   proportions (Armitage P. Tests for linear trends in proportions and frequencies. Biometrics
///   1955;11:375–386; Cochran WG. Some methods for strengthening the common χ² tests. Biometrics
///   1954;10:417–451). With N = Σnₜ, R = Σrₜ:
///   χ² = N(N·Σrₜt − R·Σnₜt)² / (R(N − R)(N·Σnₜt² − (Σnₜt)²)).
///   The slope is the least-squares slope of logit(rₜ/nₜ) on t.
/// * Every other value type, e.g. crude and directly standardised rates
///   (`values(_:)`): weighted least squares of the value on t with weights wₜ = 1/SEₜ²,
///   SEₜ = (upper − lower)/3.92 from each point's 95% confidence interval — Fingertips' own
///   constant, kept so χ² matches Fingertips (its published test value 46.77 needs 3.92; the exact
///   2·1.959963984540054 gives 46.76). Intervals at other levels use (upper − lower)/(2z).
///   slope b = (Σw·Σwyt − Σwt·Σwy)/(Σw·Σwt² − (Σwt)²), SE(b)² = Σw/(Σw·Σwt² − (Σwt)²), χ² = (b/SE(b))².
///
/// The trend is significant when χ² exceeds the 1-df critical value z² at `level` (Fingertips:
/// 9.54953570608324 = 3.090232306167813², i.e. 99.8%) and the slope keeps its sign when the fit is
/// repeated leaving out each of the five points in turn (Fingertips' outlier check).
public struct RecentTrend: Sendable, Hashable {
    /// Number of most recent points the test uses.
    public static let pointsUsed = 5

    /// The direction found.
    public let marker: TrendMarker
    /// The 1-df chi-squared statistic, or `nil` when the trend could not be calculated.
    public let chiSquared: Double?
    /// The fitted slope per time period (logit scale for proportions, value scale otherwise).
    public let slope: Double?

    /// The two-sided p-value of `chiSquared` on 1 degree of freedom.
    public var pValue: Double? { chiSquared.map { ChiSquaredDistribution.survival($0, degreesOfFreedom: 1) } }

    /// The Fingertips label under a polarity.
    public func outcome(polarity: Polarity) -> TrendOutcome { TrendOutcome(marker: marker, polarity: polarity) }

    /// Recent trend of a proportion from counts rₜ and denominators nₜ (oldest first).
    /// `couldNotBeCalculated` with fewer than five points, mismatched lengths, or any of the last
    /// five with a count outside 0 < r < n or a non-positive denominator (the logit outlier check
    /// needs 0 < r < n).
    public static func proportions(
        counts: [Double], denominators: [Double],
        level: ConfidenceLevel = .ninetyNinePointEight
    ) -> RecentTrend {
        guard counts.count == denominators.count, counts.count >= pointsUsed else { return .notCalculated }
        let r = Array(counts.suffix(pointsUsed)), n = Array(denominators.suffix(pointsUsed))
        guard zip(r, n).allSatisfy({ $1.isFinite && $0.isFinite && $0 > 0 && $0 < $1 }) else { return .notCalculated }
        var bigN = 0.0, bigR = 0.0, rt = 0.0, nt = 0.0, ntt = 0.0
        for i in 0..<pointsUsed {
            let t = Double(i + 1)
            bigN += n[i]; bigR += r[i]; rt += r[i] * t; nt += n[i] * t; ntt += n[i] * t * t
        }
        let score = bigN * rt - bigR * nt
        let chi2 = bigN * score * score / (bigR * (bigN - bigR) * (bigN * ntt - nt * nt))
        let logits = zip(r, n).map { log($0 / ($1 - $0)) }
        let slopes = leaveOneOutSlopes(y: logits, weights: Array(repeating: 1, count: pointsUsed))
        return decide(chi2: chi2, slopes: slopes, level: level)
    }

    /// Recent trend of values with confidence intervals (oldest first), for rates, DSRs and every
    /// other non-proportion value type. `couldNotBeCalculated` with fewer than five points or any of
    /// the last five with a non-finite value or an interval of zero or negative width.
    public static func values(_ points: [Estimate], level: ConfidenceLevel = .ninetyNinePointEight) -> RecentTrend {
        guard points.count >= pointsUsed else { return .notCalculated }
        let recent = Array(points.suffix(pointsUsed))
        var y: [Double] = [], w: [Double] = []
        for p in recent {
            let divisor = p.interval.level == .ninetyFive ? 3.92 : 2 * p.interval.level.z
            let se = (p.interval.upper - p.interval.lower) / divisor
            guard p.value.isFinite, se.isFinite, se > 0 else { return .notCalculated }
            y.append(p.value)
            w.append(1 / (se * se))
        }
        var s = 0.0, st = 0.0, stt = 0.0
        for i in 0..<pointsUsed {
            let t = Double(i + 1)
            s += w[i]; st += w[i] * t; stt += w[i] * t * t
        }
        let slopes = leaveOneOutSlopes(y: y, weights: w)
        let chi2 = slopes[0] * slopes[0] * (s * stt - st * st) / s
        return decide(chi2: chi2, slopes: slopes, level: level)
    }

    private static let notCalculated = RecentTrend(marker: .couldNotBeCalculated, chiSquared: nil, slope: nil)

    /// Weighted least-squares slopes of y on t = 1…5: all points first, then leaving out each point.
    private static func leaveOneOutSlopes(y: [Double], weights: [Double]) -> [Double] {
        (-1..<y.count).map { omitted in
            var s = 0.0, st = 0.0, stt = 0.0, sy = 0.0, sty = 0.0
            for i in y.indices where i != omitted {
                let t = Double(i + 1), w = weights[i]
                s += w; st += w * t; stt += w * t * t; sy += w * y[i]; sty += w * t * y[i]
            }
            return (s * sty - st * sy) / (s * stt - st * st)
        }
    }

    private static func decide(chi2: Double, slopes: [Double], level: ConfidenceLevel) -> RecentTrend {
        guard chi2.isFinite, slopes.allSatisfy(\.isFinite) else { return .notCalculated }
        let signs = slopes.reduce(0) { $0 + ($1 < 0 ? -1 : 1) }
        let z = level.z
        let significant = abs(signs) == slopes.count && chi2 > z * z
        let marker: TrendMarker =
            !significant || slopes[0] == 0
            ? .noSignificantChange
            : slopes[0] > 0 ? .increasing : .decreasing
        return RecentTrend(marker: marker, chiSquared: chi2, slope: slopes[0])
    }
}
