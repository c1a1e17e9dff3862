import Testing

@testable import Statistics

@Suite struct ISRatioTests {
    // PHE testdata_DSR_ISR.xlsx: sheet refdata (19 age bands) and testdata_multiarea (local counts and populations).
    static let referenceCounts: [Double] = [
        10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745, 5514, 7125, 5694, 6210, 5757,
    ]
    static let referencePopulations: [Double] = [
        50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974, 44140, 40888, 37239, 30819,
        18136, 15325, 13918,
    ]
    static let populations: [Double] = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
    static let counts: [String: [Double]] = [
        "testdata_big": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
        "testdata_small": [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4],
        // the missing 10-14 count of PHE's sheet is 0 here (calculate_ISRatio sums with na.rm = TRUE)
        "testdata_tiny": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 2, 4],
    ]

    // Reference: PHE testresults_ISR (ratio x 1), reproduced by the script to 1e-12: O/E and the exact (O < 10) or
    // Byar's (O >= 10) limits of O over E = sum(refcount/refpop * pop) = 835.8835612311743.
    @Test(arguments: [
        (
            "testdata_big", 895.0, 1.0707232939020275, 1.0017147712553987, 1.143233287249895, 0.9635155619614437, 1.1860070415876287,
            PoissonInterval.Method.byar
        ),
        (
            "testdata_small", 91.0, 0.10886683770400503, 0.08765040101829405, 0.1336657632841891, 0.07695425528392111,
            0.14897920510466744, .byar
        ),
        (
            "testdata_tiny", 9.0, 0.010767049882813684, 0.004923380825095776, 0.02043921455549973, 0.0029339306550682617,
            0.02710589651469021, .exact
        ),
    ])
    func matchesPHEsPublishedRatios(
        area: String, observed: Double, value: Double, l95: Double, u95: Double, l998: Double, u998: Double,
        method: PoissonInterval.Method
    ) throws {
        let isr = try IndirectlyStandardisedRatio(
            counts: Self.counts[area]!, populations: Self.populations, referenceCounts: Self.referenceCounts,
            referencePopulations: Self.referencePopulations)
        #expect(isr.observed == observed && isr.method == method)
        expectClose(isr.expected, 835.8835612311743, rel: 1e-12)
        expectClose(isr.value, value, rel: 1e-12)
        let i95 = try #require(isr.interval(at: .ninetyFive)), i998 = try #require(isr.interval(at: .ninetyNinePointEight))
        expectClose(i95.lower, l95, rel: 1e-12)
        expectClose(i95.upper, u95, rel: 1e-12)
        expectClose(i998.lower, l998, rel: 1e-12)
        expectClose(i998.upper, u998, rel: 1e-12)
    }

    @Test func timesOneHundredAndAZeroPopulation() throws {
        // PHE testresults_ISR rows 10 and 15: testdata_big x 100, and test_err2's Area1 (its 5-9 population is 0).
        let big = try IndirectlyStandardisedRatio(
            counts: Self.counts["testdata_big"]!, populations: Self.populations, referenceCounts: Self.referenceCounts,
            referencePopulations: Self.referencePopulations, referenceValue: 100)
        expectClose(big.value, 107.07232939020275, rel: 1e-12)
        expectClose(big.estimate(at: .ninetyFive)?.interval.upper, 114.3233287249895, rel: 1e-12)
        var populations = Self.populations
        populations[1] = 0
        let area1 = try IndirectlyStandardisedRatio(
            counts: Self.counts["testdata_big"]!, populations: populations, referenceCounts: Self.referenceCounts,
            referencePopulations: Self.referencePopulations, referenceValue: 100)
        expectClose(area1.expected, 808.3217400918253, rel: 1e-12)
        expectClose(area1.value, 110.72323749430866, rel: 1e-12)
        expectClose(area1.interval(at: .ninetyFive)?.lower, 103.58708281676485, rel: 1e-12)
        expectClose(area1.interval(at: .ninetyFive)?.upper, 118.22147841228508, rel: 1e-12)
    }

    // Reference: chi2.ppf((1-c)/2, 2O)/2/E (0 for O = 0) and chi2.ppf(c+(1-c)/2, 2O+2)/2/E.
    @Test(arguments: [
        (0.0, 0.0, 1.475551781645574, 0.0, 2.763102111592855),
        (1.0, 0.010127123193715958, 2.2286573563755594, 0.0004002001334334138, 3.6933653905806336),
    ])
    func fromObservedAndExpected(o: Double, l95: Double, u95: Double, l998: Double, u998: Double) throws {
        let isr = try IndirectlyStandardisedRatio(observed: o, expected: 2.5)
        expectClose(isr.value, o / 2.5)
        expectClose(isr.interval(at: .ninetyFive)?.lower, l95)
        expectClose(isr.interval(at: .ninetyFive)?.upper, u95)
        expectClose(isr.interval(at: .ninetyNinePointEight)?.lower, l998)
        expectClose(isr.interval(at: .ninetyNinePointEight)?.upper, u998)
    }

    @Test func invalidInputsThrow() {
        // No expected events (all reference counts 0): the ratio is undefined.
        #expect(throws: StatisticsError.invalidDenominator(0)) {
            try IndirectlyStandardisedRatio(
                counts: [1, 2], populations: [10, 20], referenceCounts: [0, 0], referencePopulations: [100, 100])
        }
        #expect(throws: StatisticsError.lengthMismatch(expected: 2, actual: 1)) {
            try IndirectlyStandardisedRatio.expected(populations: [10, 20], referenceCounts: [1], referencePopulations: [5, 5])
        }
        #expect(throws: StatisticsError.invalidDenominator(0)) {
            try IndirectlyStandardisedRatio.expected(populations: [10], referenceCounts: [1], referencePopulations: [0])
        }
        #expect(throws: StatisticsError.invalidCount(-3)) { try IndirectlyStandardisedRatio(observed: -3, expected: 2) }
    }
}
