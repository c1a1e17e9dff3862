import Testing

@testable import Statistics

@Suite struct ProportionIntervalTests {
    // Reference: scipy `binomtest(x, n).proportion_ci(confidence_level=c, method='wilson')` (an
    // independent implementation of Wilson 1927), cross-checked in the script against the PHE
    // formula (2x+z²∓z√(z²+4x(1−x/n)))/2/(n+z²) with z = norm.ppf(c + (1-c)/2).
    @Test(arguments: [
        (0.0, 100.0, 0.95, 0.0, 0.03699349820698568),
        (0.0, 100.0, 0.998, 0.0, 0.08717093727995562),
        (100.0, 100.0, 0.95, 0.9630065017930143, 1.0),
        (100.0, 100.0, 0.998, 0.9128290627200444, 1.0),
        (1.0, 10.0, 0.95, 0.017876213095072896, 0.4041500267952385),
        (1.0, 10.0, 0.998, 0.008789112824549972, 0.5819940075382198),
        (9.0, 10.0, 0.95, 0.5958499732047615, 0.9821237869049271),
        (9.0, 10.0, 0.998, 0.41800599246178016, 0.99121088717545),
        (37.0, 120.0, 0.95, 0.23272736988916295, 0.3958299772380067),
        (37.0, 120.0, 0.998, 0.1962871863990879, 0.44863628052585003),
        (51897.0, 54786327.0, 0.95, 0.0009391508728507047, 0.000955442903819462),
        (51897.0, 54786327.0, 0.998, 0.0009345050639352167, 0.0009601927033055422),
        (5.0, 5.0, 0.95, 0.5655175352168251, 1.0),
        (5.0, 5.0, 0.998, 0.34365357775021455, 1.0),
    ])
    func wilsonMatchesScipy(x: Double, n: Double, level: Double, lower: Double, upper: Double) throws {
        let ci = try ProportionInterval.wilson(count: x, denominator: n, level: ConfidenceLevel(level)!)
        expectClose(ci.lower, lower)
        expectClose(ci.upper, upper)
        #expect(ci.level.level == level)
    }

    @Test func limitsStayWithinZeroAndOne() throws {
        // binomtest(10, 10).proportion_ci(confidence_level=0.92, method='wilson') = (0.7654095081812493, 1.0);
        // the unclamped PHE formula gives 1.0000000000000002 here.
        let ci = try ProportionInterval.wilson(count: 10, denominator: 10, level: ConfidenceLevel(0.92)!)
        expectClose(ci.lower, 0.7654095081812493)
        #expect(ci.upper == 1)
        for level in [0.9, 0.92, 0.93, 0.95, 0.998] {
            for n in [1.0, 7, 10, 1000] {
                let none = try ProportionInterval.wilson(count: 0, denominator: n, level: ConfidenceLevel(level)!)
                let all = try ProportionInterval.wilson(count: n, denominator: n, level: ConfidenceLevel(level)!)
                #expect(none.lower == 0 && none.upper < 1)
                #expect(all.upper == 1 && all.lower > 0)
            }
        }
    }

    @Test func percentageMultiplierScalesValueAndLimits() throws {
        // 100 * binomtest(37, 120).proportion_ci(0.95, 'wilson') and 100 * 37/120
        let e = try ProportionInterval.proportion(count: 37, denominator: 120, multiplier: 100)
        expectClose(e.value, 30.833333333333336)
        expectClose(e.interval.lower, 23.272736988916295)
        expectClose(e.interval.upper, 39.58299772380067)
        let fraction = try ProportionInterval.proportion(count: 0, denominator: 20, level: .ninetyNinePointEight)
        #expect(fraction.value == 0)
        #expect(fraction.interval.lower == 0)
    }

    @Test func invalidInputsThrowRatherThanCrash() {
        #expect(throws: StatisticsError.invalidDenominator(0)) { try ProportionInterval.wilson(count: 0, denominator: 0) }
        #expect(throws: StatisticsError.invalidDenominator(-5)) { try ProportionInterval.wilson(count: 1, denominator: -5) }
        #expect(throws: StatisticsError.invalidCount(-1)) { try ProportionInterval.wilson(count: -1, denominator: 5) }
        #expect(throws: StatisticsError.countExceedsDenominator(count: 6, denominator: 5)) {
            try ProportionInterval.wilson(count: 6, denominator: 5)
        }
        #expect(throws: StatisticsError.self) { try ProportionInterval.wilson(count: .nan, denominator: 5) }
        #expect(throws: StatisticsError.self) { try ProportionInterval.wilson(count: 1, denominator: .infinity) }
        #expect(throws: StatisticsError.invalidMultiplier(0)) {
            try ProportionInterval.proportion(count: 1, denominator: 5, multiplier: 0)
        }
    }
}
