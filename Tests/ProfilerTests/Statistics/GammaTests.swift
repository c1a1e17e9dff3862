import Testing

@testable import Statistics

@Suite struct GammaTests {
    // Reference: mpmath at 40 digits, `mp.gammainc(a, 0, x, regularized=True)` (P) and
    // `mp.gammainc(a, x, mp.inf, regularized=True)` (Q), rounded to double; scipy's
    // `gammainc`/`gammaincc` agree to 1e-13 (scripts/statistics_reference_values.py).
    @Test(arguments: [
        (0.5, 0.1, 0.345279153981423, 0.654720846018577),
        (1.0, 1.0, 0.6321205588285577, 0.36787944117144233),
        (5.0, 3.0, 0.18473675547622792, 0.8152632445237721),
        (10.0, 10.0, 0.5420702855281478, 0.4579297144718522),
        (10.5, 12.0, 0.7069414687414252, 0.2930585312585749),
        (30.0, 25.0, 0.18210391597745512, 0.8178960840225449),
        (100.0, 90.0, 0.15822098918643016, 0.8417790108135699),
        (51898.0, 51000.0, 3.6950955117322496e-05, 0.9999630490448826),
        (0.01, 5.0, 0.9999882464805873, 1.175351941275085e-05),
        (3.0, 30.0, 0.9999999999549898, 4.501016648012124e-11),
    ])
    func regularizedGammaMatchesMpmath(a: Double, x: Double, p: Double, q: Double) {
        expectClose(Gamma.regularizedP(a, x), p, rel: 5e-14)
        expectClose(Gamma.regularizedQ(a, x), q, rel: 5e-14)
    }

    // Reference: scipy `chi2.ppf(p, df)`; the script also confirms each with mpmath
    // (|P(df/2, x/2) - p| / (x·density) <= 1e-13).
    @Test(arguments: [
        (0.025, 2.0, 0.05063561596857975),
        (0.975, 2.0, 7.377758908227871),
        (0.001, 2.0, 0.002001000667167068),
        (0.999, 20.0, 45.31474661812586),
        (0.025, 18.0, 8.230746194756668),
        (0.975, 20.0, 34.16960690283833),
        (0.5, 1.0, 0.454936423119572),
        (1e-08, 0.5, 1.3499395786223587e-32),
        (0.999999, 3.0, 30.66484970615427),
        (0.025, 103794.0, 102902.90043016926),
        (0.975, 103796.0, 104690.89677985164),
        (0.1, 0.2, 1.2146096725486413e-10),
        (0.999, 1.0, 10.827566170662733),
    ])
    func chiSquaredQuantileMatchesScipy(p: Double, df: Double, expected: Double) {
        expectClose(ChiSquaredDistribution.quantile(p, degreesOfFreedom: df), expected, rel: 1e-12)
    }

    @Test(arguments: [0.5, 1, 2, 7.5, 20, 300])
    func chiSquaredRoundTrip(df: Double) {
        for p in [1e-6, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999] {
            let x = ChiSquaredDistribution.quantile(p, degreesOfFreedom: df)
            let back =
                p < 0.5
                ? ChiSquaredDistribution.cdf(x, degreesOfFreedom: df)
                : 1 - ChiSquaredDistribution.survival(x, degreesOfFreedom: df)
            expectClose(back, p, rel: 1e-12)
        }
    }

    @Test func survivalIsPValue() {
        // chi2.sf(47.9, 1) = 4.485216183081406e-12
        expectClose(ChiSquaredDistribution.survival(47.9, degreesOfFreedom: 1), 4.485216183081406e-12, rel: 1e-11)
        // chi2.sf(norm.ppf(0.999)**2, 1) = 0.002 (the 99.8% two-sided level)
        expectClose(ChiSquaredDistribution.survival(9.54953570608324, degreesOfFreedom: 1), 0.002, rel: 1e-12)
    }

    @Test func edgesAndInvalidInputs() {
        #expect(Gamma.regularizedP(2, 0) == 0)
        #expect(Gamma.regularizedQ(2, 0) == 1)
        #expect(Gamma.regularizedP(2, .infinity) == 1)
        #expect(Gamma.regularizedP(0, 1).isNaN)
        #expect(Gamma.regularizedP(-1, 1).isNaN)
        #expect(Gamma.regularizedP(1, -1).isNaN)
        #expect(ChiSquaredDistribution.quantile(0, degreesOfFreedom: 4) == 0)
        #expect(ChiSquaredDistribution.quantile(1, degreesOfFreedom: 4) == .infinity)
        #expect(ChiSquaredDistribution.quantile(0.5, degreesOfFreedom: 0).isNaN)
        #expect(ChiSquaredDistribution.quantile(1.5, degreesOfFreedom: 2).isNaN)
        // P(1, x) = 1 - exp(-x) exactly: gammainc(1, 2) = 0.8646647167633873
        expectClose(Gamma.regularizedP(1, 2), 0.8646647167633873, rel: 1e-14)
    }
}
