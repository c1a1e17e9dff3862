import Testing

@testable import Statistics

@Suite struct ComparisonTests {
    static func ci(_ lower: Double, _ upper: Double, _ level: ConfidenceLevel = .ninetyFive) -> ConfidenceInterval {
        ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    @Test(arguments: [
        // interval (10, 20) against benchmark 25 (interval below), 5 (above), 15 (inside), 10 and 20 (on a limit)
        (25.0, Polarity.highIsGood, ComparisonOutcome.worse),
        (25.0, .lowIsGood, .better),
        (25.0, .noJudgement, .lower),
        (5.0, .highIsGood, .better),
        (5.0, .lowIsGood, .worse),
        (5.0, .noJudgement, .higher),
        (15.0, .highIsGood, .similar),
        (15.0, .lowIsGood, .similar),
        (15.0, .noJudgement, .similar),
        (10.0, .highIsGood, .similar),
        (20.0, .lowIsGood, .similar),
        (20.000001, .lowIsGood, .better),
        (9.999999, .highIsGood, .better),
    ])
    func outcomeByPolarity(benchmark: Double, polarity: Polarity, expected: ComparisonOutcome) {
        #expect(ComparisonOutcome(interval: Self.ci(10, 20), benchmark: benchmark, polarity: polarity) == expected)
    }

    @Test func notComparedWhenMissing() {
        #expect(ComparisonOutcome(interval: nil, benchmark: 3, polarity: .highIsGood) == .notCompared)
        #expect(ComparisonOutcome(interval: Self.ci(1, 2), benchmark: nil, polarity: .lowIsGood) == .notCompared)
        #expect(ComparisonOutcome(interval: Self.ci(.nan, 2), benchmark: 3, polarity: .lowIsGood) == .notCompared)
        #expect(ComparisonOutcome(interval: Self.ci(1, 2), benchmark: .nan, polarity: .noJudgement) == .notCompared)
    }

    @Test func bothLevels() {
        // 95% (10, 20) excludes 21 but 99.8% (8, 23) includes it: Worse at 95%, Similar at 99.8%.
        let both = TwoLevelComparison(
            interval95: Self.ci(10, 20), interval998: Self.ci(8, 23, .ninetyNinePointEight),
            benchmark: 21, polarity: .highIsGood)
        #expect(both.at95 == .worse)
        #expect(both.at998 == .similar)
        let beyond = TwoLevelComparison(
            interval95: Self.ci(10, 20), interval998: Self.ci(8, 23, .ninetyNinePointEight),
            benchmark: 25, polarity: .lowIsGood)
        #expect(beyond.at95 == .better && beyond.at998 == .better)
        let missing998 = TwoLevelComparison(interval95: Self.ci(10, 20), interval998: nil, benchmark: 5, polarity: .noJudgement)
        #expect(missing998.at95 == .higher && missing998.at998 == .notCompared)
    }

    @Test func fingertipsWords() {
        #expect(ComparisonOutcome.allCases.map(\.rawValue) == ["Better", "Similar", "Worse", "Higher", "Lower", "Not compared"])
    }

    @Test func realIntervalsEndToEnd() throws {
        // 51897/54786327 per 100,000 = 94.726... with 95% Byar interval (93.91293953204286, 95.5447304511604)
        let rate = try PoissonInterval.rate(count: 51897, denominator: 54_786_327)
        #expect(ComparisonOutcome(interval: rate.interval, benchmark: 96, polarity: .lowIsGood) == .better)
        #expect(ComparisonOutcome(interval: rate.interval, benchmark: 95.5, polarity: .lowIsGood) == .similar)
    }
}
