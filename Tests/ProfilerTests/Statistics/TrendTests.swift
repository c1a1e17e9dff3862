import Testing

@testable import Statistics

@Suite struct TrendTests {
    static func points(_ v: [Double], _ l: [Double], _ u: [Double]) -> [Estimate] {
        (0..<v.count).map { Estimate(value: v[$0], interval: ConfidenceInterval(lower: l[$0], upper: u[$0], level: .ninetyFive)) }
    }

    // Fingertips test data (fingertips-open TrendMarkerCalculatorTest, 2014..2018): published
    // chi-squared 47.9 (proportions) and 46.77 (values) to 2 dp, both significant.
    static let upCounts: [Double] = [994, 1023, 1199, 1332, 1367]
    static let upDenominators: [Double] = [40299, 41527, 42811, 44064, 44701]

    @Test func proportionsSignificantIncrease() {
        // Reference: R prop.trend.test formulation in numpy (weighted regression of p on t with weights
        // n/(pbar(1-pbar))): chi2 = 47.896676707588774; numpy.polyfit(t, log(r/(n-r)), 1) slope 0.06524964077898388
        let trend = RecentTrend.proportions(counts: Self.upCounts, denominators: Self.upDenominators)
        expectClose(trend.chiSquared, 47.896676707588774)
        expectClose(trend.slope, 0.06524964077898388)
        #expect(trend.marker == .increasing)
        #expect(((trend.chiSquared ?? 0) * 100).rounded() / 100 == 47.90)
        #expect(trend.outcome(polarity: .highIsGood) == .increasingAndGettingBetter)
        #expect(trend.outcome(polarity: .lowIsGood) == .increasingAndGettingWorse)
        #expect(trend.outcome(polarity: .noJudgement) == .increasing)
    }

    @Test func proportionsSignificantDecrease() {
        // chi2 = 18.882153933215534, logit slope -0.07400790122696789, all leave-one-out slopes negative
        let trend = RecentTrend.proportions(counts: [420, 401, 380, 352, 330], denominators: [5000, 5050, 5100, 5120, 5150])
        expectClose(trend.chiSquared, 18.882153933215534)
        expectClose(trend.slope, -0.07400790122696789)
        #expect(trend.marker == .decreasing)
        #expect(trend.outcome(polarity: .highIsGood) == .decreasingAndGettingWorse)
        #expect(trend.outcome(polarity: .lowIsGood) == .decreasingAndGettingBetter)
        #expect(trend.outcome(polarity: .noJudgement) == .decreasing)
    }

    @Test func proportionsFlat() {
        // Fingertips Set2 counts: chi2 = 0.4002640632524522 -> no significant change
        let trend = RecentTrend.proportions(counts: [209, 213, 213, 239, 210], denominators: [1017, 1087, 1119, 1117, 1139])
        expectClose(trend.chiSquared, 0.4002640632524522)
        #expect(trend.marker == .noSignificantChange)
        #expect(trend.outcome(polarity: .lowIsGood) == .noSignificantChange)
    }

    @Test func significanceLevel() {
        // chi2 = 5.313763226439736: above 3.8414588206941254 (95%) but below 9.54953570608324 (99.8%);
        // p = chi2.sf(5.313763226439736, 1) = 0.021157606877235387
        let counts: [Double] = [50, 55, 60, 66, 72], n: [Double] = [1000, 1000, 1000, 1000, 1000]
        let default998 = RecentTrend.proportions(counts: counts, denominators: n)
        expectClose(default998.chiSquared, 5.313763226439736)
        expectClose(default998.pValue, 0.021157606877235387, rel: 1e-9)
        #expect(default998.marker == .noSignificantChange)
        #expect(RecentTrend.proportions(counts: counts, denominators: n, level: .ninetyFive).marker == .increasing)
    }

    @Test func valuesFingertipsSet1() {
        // numpy.polyfit(t, y, 1, w=1/se, cov='unscaled') with se = (U-L)/3.92: chi2 = slope**2/cov[0,0]
        // = 46.765315792063085 (Fingertips: 46.77), slope 1.7515662226629494
        let trend = RecentTrend.values(
            Self.points(
                [24.67, 24.6, 28, 30.2, 30.6],
                [23.16, 23.15, 26.44, 28.63, 28.98],
                [26.25, 26.19, 29.64, 31.9, 32.25]))
        expectClose(trend.chiSquared, 46.765315792063085)
        expectClose(trend.slope, 1.7515662226629494)
        #expect(((trend.chiSquared ?? 0) * 100).rounded() / 100 == 46.77)
        #expect(trend.marker == .increasing)
    }

    @Test func valuesFingertipsSet2Flat() {
        // chi2 = 0.46424308513738843 (Fingertips: not significant)
        let trend = RecentTrend.values(
            Self.points(
                [20.5506, 19.5952, 19.0349, 21.3966, 18.4372],
                [18.1803, 17.3444, 16.8421, 19.0918, 16.2925],
                [23.1427, 22.0602, 21.4394, 23.8975, 20.7941]))
        expectClose(trend.chiSquared, 0.46424308513738843)
        #expect(trend.marker == .noSignificantChange)
    }

    @Test func ratesDecreasing() {
        // chi2 = 112.134259871442, slope -20.443157506465106
        let trend = RecentTrend.values(
            Self.points(
                [812.4, 790.1, 771.9, 748.3, 731.0],
                [800.1, 778.0, 760.0, 736.6, 719.5],
                [824.9, 802.3, 783.9, 760.1, 742.6]))
        expectClose(trend.chiSquared, 112.134259871442)
        expectClose(trend.slope, -20.443157506465106)
        #expect(trend.outcome(polarity: .lowIsGood) == .decreasingAndGettingBetter)
    }

    @Test func outlierBlocksSignificance() {
        // chi2 = 3614.5614400000363 but dropping the last point gives slope -0.1299999999999977:
        // Fingertips' outlier check fails -> no significant change
        let trend = RecentTrend.values(
            Self.points(
                [10.2, 10.0, 9.9, 9.8, 20.0],
                [10.0, 9.8, 9.7, 9.6, 19.8],
                [10.4, 10.2, 10.1, 10.0, 20.2]))
        expectClose(trend.chiSquared, 3614.5614400000363, rel: 1e-9)
        #expect(trend.marker == .noSignificantChange)
    }

    @Test func usesOnlyTheLastFivePoints() {
        let longer = RecentTrend.proportions(counts: [5, 900] + Self.upCounts, denominators: [10, 1000] + Self.upDenominators)
        let five = RecentTrend.proportions(counts: Self.upCounts, denominators: Self.upDenominators)
        #expect(longer == five)
    }

    @Test func couldNotBeCalculated() {
        let four = RecentTrend.proportions(counts: Array(Self.upCounts.prefix(4)), denominators: Array(Self.upDenominators.prefix(4)))
        #expect(four.marker == .couldNotBeCalculated)
        #expect(four.chiSquared == nil && four.slope == nil && four.pValue == nil)
        #expect(four.outcome(polarity: .highIsGood) == .couldNotBeCalculated)
        #expect(RecentTrend.values([]).marker == .couldNotBeCalculated)
        #expect(RecentTrend.proportions(counts: [1, 2, 3, 4, 5], denominators: [10, 10, 10]).marker == .couldNotBeCalculated)
        #expect(RecentTrend.proportions(counts: [0, 2, 3, 4, 5], denominators: [10, 10, 10, 10, 10]).marker == .couldNotBeCalculated)
        #expect(RecentTrend.proportions(counts: [1, 2, 3, 4, 10], denominators: [10, 10, 10, 10, 10]).marker == .couldNotBeCalculated)
        #expect(
            RecentTrend.proportions(counts: [-1, 200, 300, 400, 500], denominators: [-2, 1000, 1000, 1000, 1000]).marker
                == .couldNotBeCalculated)
        let zeroWidth = Self.points([1, 2, 3, 4, 5], [1, 1.5, 2.5, 3.5, 4.5], [1, 2.5, 3.5, 4.5, 5.5])
        #expect(RecentTrend.values(zeroWidth).marker == .couldNotBeCalculated)
        // intervals of width 1e-170 give SE² = 0 in double precision, hence infinite weights and a
        // non-finite fit
        let y = (1...5).map { Double($0) * 1e-170 }
        let tiny = Self.points(y, y.map { $0 - 5e-171 }, y.map { $0 + 5e-171 })
        #expect(RecentTrend.values(tiny).marker == .couldNotBeCalculated)
    }

    @Test func fingertipsWords() {
        #expect(
            TrendOutcome.allCases.map(\.rawValue) == [
                "Increasing and getting better", "Increasing and getting worse", "Decreasing and getting better",
                "Decreasing and getting worse", "Increasing", "Decreasing", "No significant change", "Could not be calculated",
            ])
    }
}
