/// Which direction of an indicator is desirable (Fingertips polarity).
public enum Polarity: String, Sendable, Hashable, CaseIterable {
    /// Fingertips "RAG - Low is good".
    case lowIsGood
    /// Fingertips "RAG - High is good".
    case highIsGood
    /// Fingertips "BOB - Blue orange blue" / not applicable: differences are not judged.
    case noJudgement
}

/// Outcome of comparing an area's confidence interval with a benchmark (e.g. England) value.
/// Raw values are the words Fingertips displays.
public enum ComparisonOutcome: String, Sendable, Hashable, CaseIterable {
    /// Significantly better than the benchmark (interval wholly on the good side).
    case better = "Better"
    /// The benchmark lies within the interval.
    case similar = "Similar"
    /// Significantly worse than the benchmark (interval wholly on the bad side).
    case worse = "Worse"
    /// Interval wholly above the benchmark, no polarity judgement.
    case higher = "Higher"
    /// Interval wholly below the benchmark, no polarity judgement.
    case lower = "Lower"
    /// Interval or benchmark missing.
    case notCompared = "Not compared"

    /// Fingertips' "confidence intervals overlapping reference value" comparison
    /// (fingertips-open `SingleOverlappingCIsForOneCILevelComparer`):
    /// `similar` when lower ≤ benchmark ≤ upper (limits inclusive); otherwise the interval lies
    /// wholly above (`higher`) or below (`lower`) the benchmark, which is `better`/`worse` according
    /// to `polarity` and stays `higher`/`lower` for `.noJudgement`. `notCompared` when the interval
    /// or benchmark is missing or not finite.
    public init(interval: ConfidenceInterval?, benchmark: Double?, polarity: Polarity) {
        guard let interval, let benchmark, benchmark.isFinite,
            interval.lower.isFinite, interval.upper.isFinite, interval.lower <= interval.upper
        else {
            self = .notCompared
            return
        }
        if interval.contains(benchmark) {
            self = .similar
            return
        }
        let isHigher = interval.lower > benchmark
        switch polarity {
        case .highIsGood: self = isHigher ? .better : .worse
        case .lowIsGood: self = isHigher ? .worse : .better
        case .noJudgement: self = isHigher ? .higher : .lower
        }
    }
}

/// The comparison at both Fingertips levels, 95% and 99.8%, from the two intervals.
public struct TwoLevelComparison: Sendable, Hashable {
    /// Outcome using the 95% interval.
    public let at95: ComparisonOutcome
    /// Outcome using the 99.8% interval.
    public let at998: ComparisonOutcome

    /// Compares each interval with the benchmark as `ComparisonOutcome.init(interval:benchmark:polarity:)`.
    public init(
        interval95: ConfidenceInterval?, interval998: ConfidenceInterval?,
        benchmark: Double?, polarity: Polarity
    ) {
        at95 = ComparisonOutcome(interval: interval95, benchmark: benchmark, polarity: polarity)
        at998 = ComparisonOutcome(interval: interval998, benchmark: benchmark, polarity: polarity)
    }
}
