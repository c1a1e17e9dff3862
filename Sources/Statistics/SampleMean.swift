/// Use for: averages of person-level values with their intervals (e.g. mean age at referral, mean
/// days from referral to assessment, mean score), as PHEindicatormethods `phe_mean`.
///
/// With n values, mean x̄ and sample standard deviation s (divisor n − 1, R's `sd`):
///
///     limits = x̄ ∓ |t(α/2; n − 1)| · s/√n
///
/// where t(p; ν) is Student's t quantile (`StudentTDistribution.quantile`, R's `qt`) and α/2 =
/// (1 − level)/2 as `phe_mean` computes it. Method "Student's t-distribution". Reference: Student.
/// The probable error of a mean. Biometrika 1908;6:1–25.
public struct SampleMean: Sendable, Hashable {
    /// n, the number of values.
    public let count: Int
    /// The sum of the values (`phe_mean`'s `value_sum`).
    public let sum: Double
    /// The mean x̄.
    public let value: Double
    /// The sample standard deviation s (divisor n − 1); `nil` for a single value, where R's `sd`
    /// is NA.
    public let standardDeviation: Double?

    /// The method name `phe_mean` reports.
    public static let methodName = "Student's t-distribution"

    /// The mean of `values` (at least one, all finite). The standard deviation is computed from
    /// the deviations from the mean (two passes), so it keeps its digits for values far from zero.
    /// - Throws: `StatisticsError.invalidGroupCount(0)` for no values, `.invalidValue` for a
    ///   non-finite one.
    public init(_ values: [Double]) throws(StatisticsError) {
        guard !values.isEmpty else { throw .invalidGroupCount(0) }
        var sum = 0.0
        for v in values {
            guard v.isFinite else { throw .invalidValue(v) }
            sum += v
        }
        let mean = sum / Double(values.count)
        count = values.count
        self.sum = sum
        value = mean
        if values.count < 2 {
            standardDeviation = nil
        } else {
            var squares = 0.0, residual = 0.0
            for v in values {
                squares += (v - mean) * (v - mean)
                residual += v - mean
            }
            let n = Double(values.count)
            standardDeviation = ((squares - residual * residual / n) / (n - 1)).squareRoot()
        }
    }

    /// The Student's t interval at `level`; `nil` for a single value (no standard deviation), as
    /// `phe_mean` gives NA.
    public func interval(at level: ConfidenceLevel) -> ConfidenceInterval? {
        guard let s = standardDeviation else { return nil }
        let t = abs(StudentTDistribution.quantile((1 - level.level) / 2, degreesOfFreedom: Double(count - 1)))
        let half = t * s / Double(count).squareRoot()
        return ConfidenceInterval(lower: value - half, upper: value + half, level: level)
    }

    /// The mean with its interval at `level`; `nil` for a single value.
    public func estimate(at level: ConfidenceLevel) -> Estimate? {
        interval(at: level).map { Estimate(value: value, interval: $0) }
    }
}
