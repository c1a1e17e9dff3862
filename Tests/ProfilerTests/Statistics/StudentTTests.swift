import Testing

@testable import Statistics

@Suite struct StudentTTests {
    // Reference: scipy.stats.t.ppf(p, df) (scipy 1.17), each checked with mpmath (40 digits) by
    // evaluating the t CDF at the returned quantile: relative error at most 1e-15.
    @Test(arguments: [
        (0.025, 1.0, -12.706204736174705),
        (0.001, 1.0, -318.30883898555044),
        (0.975, 2.0, 4.302652729749462),
        (1e-10, 3.0, -2225.769284683093),
        (0.025, 7.0, -2.3646242515927844),
        (0.001, 7.0, -4.785289628638334),
        (0.4, 9.0, -0.260955336473911),
        (0.6, 17.0, 0.2573470057512778),
        (0.025, 25.0, -2.059538552753297),
        (0.999, 30.0, 3.3851848668293045),
        (0.0005, 100.0, -3.3904913111642294),
        (0.49, 5.0, -0.026346712342273235),
        (0.025, 1000.0, -1.9623390808264085),
        (0.001, 1_000_000.0, -3.09024045631652),
        (0.3, 0.5, -1.0095258786071655),
        (0.975, 2.5, 3.5746548420036817),
    ])
    func quantileMatchesScipy(p: Double, df: Double, expected: Double) {
        expectClose(StudentTDistribution.quantile(p, degreesOfFreedom: df), expected, rel: 1e-10)
    }
}
