import Testing

@testable import Statistics

@Suite struct BetaTests {
    // Reference: scipy.special.betainc(a, b, x) (scipy 1.17).
    @Test(arguments: [
        (2.0, 3.0, 0.4, 0.5247999999999999),
        (0.5, 0.5, 0.01, 0.06376856085851985),
        (50.0, 60.0, 0.45, 0.4642352914306031),
        (5000.0, 5000.0, 0.5, 0.49999999999999967),
        (51898.0, 48104.0, 0.519, 0.5076383170889666),
        (3.0, 100_000.0, 2e-5, 0.32333441073884167),
        (8.0, 9.0, 0.9, 0.9999940756769955),
    ])
    func incompleteBetaMatchesScipy(a: Double, b: Double, x: Double, expected: Double) {
        expectClose(Beta.regularized(a, b, x), expected, rel: 1e-12)
    }

    @Test(arguments: [(2.0, 3.0, 0.3), (1.0, 10.0, 0.025), (51898.0, 48104.0, 0.001), (0.5, 0.5, 0.9), (3.0, 9998.0, 0.975)])
    func inverseRoundTrips(a: Double, b: Double, p: Double) {
        let x = Beta.inverseRegularized(a, b, p)
        expectClose(Beta.regularized(a, b, x), p, rel: 1e-12)
    }

    @Test func edgesOfTheInverse() {
        #expect(Beta.inverseRegularized(2, 3, 0) == 0)
        #expect(Beta.inverseRegularized(2, 3, 1) == 1)
        #expect(Beta.inverseRegularized(2, 3, 1.5).isNaN)
        #expect(Beta.regularized(-1, 3, 0.5).isNaN)
    }

    // Reference: beta.ppf((1-c)/2, k, n-k+1) and beta.isf((1-c)/2, k+1, n-k) (scipy 1.17; Boost); binomtest's exact
    // interval agrees to 1e-3 (its root-finding is loose: 3e-4 off at k = 1, n = 1e6), mpmath confirms k = 1 exactly.
    @Test(arguments: [
        (0.0, 10.0, 0.95, 0.0, 0.3084971078187607),
        (0.0, 10.0, 0.998, 0.0, 0.49881276637272765),
        (10.0, 10.0, 0.95, 0.6915028921812392, 1.0),
        (10.0, 10.0, 0.998, 0.5011872336272724, 1.0),
        (3.0, 17.0, 0.95, 0.037985068070626016, 0.43431787284428397),
        (3.0, 17.0, 0.998, 0.011853807231938155, 0.5728971307592967),
        (51897.0, 100_001.0, 0.95, 0.5158625682414387, 0.5220659523393756),
        (51897.0, 100_001.0, 0.998, 0.5140761211148895, 0.5238509548240058),
        (1.0, 1_000_000.0, 0.95, 2.53178076637942e-08, 5.571630655166939e-06),
        (1.0, 1_000_000.0, 0.998, 1.000500333083034e-09, 9.233375465291697e-06),
        (2.0, 200_000.0, 0.998, 2.2701063060789188e-07, 5.614306585614148e-05),
    ])
    func clopperPearsonMatchesScipy(x: Double, n: Double, level: Double, lower: Double, upper: Double) throws {
        let ci = try ProportionInterval.clopperPearson(count: x, denominator: n, level: ConfidenceLevel(level)!)
        expectClose(ci.lower, lower)
        expectClose(ci.upper, upper)
    }

    @Test func clopperPearsonRejectsInvalidCounts() {
        #expect(throws: StatisticsError.countExceedsDenominator(count: 11, denominator: 10)) {
            try ProportionInterval.clopperPearson(count: 11, denominator: 10)
        }
        #expect(throws: StatisticsError.invalidDenominator(0)) { try ProportionInterval.clopperPearson(count: 0, denominator: 0) }
    }
}
