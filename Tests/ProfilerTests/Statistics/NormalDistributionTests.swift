import Testing

@testable import Statistics

@Suite struct NormalDistributionTests {
    // Reference: scipy 1.17, `norm.ppf(p)`, each also checked against mpmath
    // `sqrt(2)*erfinv(2p-1)` at 40 digits (scripts/statistics_reference_values.py).
    @Test(arguments: [
        (1e-10, -6.361340902404056),  // norm.ppf(1e-10)
        (1e-05, -4.264890793922825),  // norm.ppf(1e-05)
        (0.001, -3.090232306167813),  // norm.ppf(0.001)
        (0.025, -1.9599639845400545),  // norm.ppf(0.025)
        (0.1, -1.2815515655446004),  // norm.ppf(0.1)
        (0.3, -0.5244005127080409),  // norm.ppf(0.3)
        (0.6, 0.2533471031357997),  // norm.ppf(0.6)
        (0.975, 1.959963984540054),  // norm.ppf(0.975)
        (0.999, 3.090232306167813),  // norm.ppf(0.999)
        (0.9999999, 5.199337582290661),  // norm.ppf(0.9999999)
        (1 - 1e-10, 6.361340889697422),  // norm.ppf(1 - 1e-10)  (the double nearest 1-1e-10)
    ])
    func quantileMatchesScipy(p: Double, expected: Double) {
        expectClose(NormalDistribution.quantile(p), expected, rel: 2e-15)
    }

    @Test func quantileEdges() {
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(-0.1).isNaN)
        #expect(NormalDistribution.quantile(1.5).isNaN)
        #expect(NormalDistribution.quantile(.nan).isNaN)
    }

    @Test func confidenceLevelCriticalValues() {
        // norm.ppf(0.95 + (1 - 0.95)/2) = 1.959963984540054; norm.ppf(0.998 + (1 - 0.998)/2) = 3.090232306167813
        expectClose(ConfidenceLevel.ninetyFive.z, 1.959963984540054, rel: 1e-15)
        expectClose(ConfidenceLevel.ninetyNinePointEight.z, 3.090232306167813, rel: 1e-15)
        #expect(ConfidenceLevel.ninetyFive.z != 1.96)
        // norm.ppf(0.9 + (1 - 0.9)/2) = 1.6448536269514722
        expectClose(ConfidenceLevel(0.9)!.z, 1.6448536269514722, rel: 1e-15)
        #expect(ConfidenceLevel(0) == nil)
        #expect(ConfidenceLevel(1) == nil)
        #expect(ConfidenceLevel(95) == nil)
        #expect(ConfidenceLevel(.nan) == nil)
    }
}
