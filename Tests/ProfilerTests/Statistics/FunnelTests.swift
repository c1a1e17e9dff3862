import Testing

@testable import Statistics

@Suite struct FunnelTests {
    typealias S = FunnelPlot.Significance
    /// p̄ = Σnumerator/Σdenominator = 10325813.8504 / 12804440 over the 303 areas of PHE's
    /// testdata_funnel_prop_inputs.csv (the script checks it against the file when PHE_TESTDATA is set).
    static let pbar = 10325813.8504 / 12804440

    @Test func averageIsTheRatioOfTotals() throws {
        expectClose(try FunnelPlot.average(counts: [35078.488, 24803.6256], denominators: [41980, 31824]), 59882.1136 / 73804)
        #expect(throws: StatisticsError.lengthMismatch(expected: 1, actual: 2)) {
            try FunnelPlot.average(counts: [1], denominators: [2, 3])
        }
        #expect(throws: StatisticsError.invalidGroupCount(0)) { try FunnelPlot.average(counts: [], denominators: []) }
    }

    // Reference: pbar -/+ z*sqrt(pbar*(1-pbar)/n) x 100 clamped to [0, 100] (equal to PHE's sigma_adjustment to 1e-9,
    // asserted in the script); n = 1, 664 and 110000 are rows of testdata_funnel_prop_outputs.csv (6 decimals).
    @Test(arguments: [
        (1.0, 3.2042636518087697, 100.0, 0.0, 100.0),
        (3.0, 35.93349136064023, 100.0, 10.150814934115616, 100.0),
        (664.0, 77.6372634881136, 83.64763222618551, 75.90423945309833, 85.3806562612008),
        (110_000.0, 80.40896294673543, 80.87593276756368, 80.27431731043761, 81.0105784038615),
        (1e9, 80.63999904674999, 80.64489666754912, 80.63858687140282, 80.64630884289629),
    ])
    func proportionLimits(n: Double, lower95: Double, upper95: Double, lower998: Double, upper998: Double) throws {
        let limits = try FunnelPlot.proportionLimits(denominator: n, average: Self.pbar)
        expectClose(limits.lower95, lower95)
        expectClose(limits.upper95, upper95)
        expectClose(limits.lower998, lower998)
        expectClose(limits.upper998, upper998)
        expectClose(limits.baseline, 80.64244785714956)
    }

    @Test func proportionLimitsAgreeWithPHEsPublishedSixDecimals() throws {
        // testdata_funnel_prop_outputs.csv, Population = 664
        let limits = try FunnelPlot.proportionLimits(denominator: 664, average: Self.pbar)
        for (mine, published) in [
            (limits.lower95, 77.637263), (limits.upper95, 83.647632), (limits.lower998, 75.904239),
            (limits.upper998, 85.380656),
        ] {
            #expect(abs(mine - published) <= 5e-7)
        }
        let interval = try #require(limits.interval(at: .ninetyNinePointEight))
        #expect(interval.lower == limits.lower998 && interval.upper == limits.upper998)
        #expect(limits.interval(at: ConfidenceLevel(0.9)!) == nil)
    }

    @Test func proportionLimitsClampToTheMultiplier() throws {
        // PHE clamps to [0, 100] whatever the multiplier; on the 0-1 scale this clamps to 1.
        let limits = try FunnelPlot.proportionLimits(denominator: 1, average: Self.pbar, multiplier: 1)
        expectClose(limits.lower95, 0.0320426365180877)
        #expect(limits.upper95 == 1 && limits.lower998 == 0 && limits.upper998 == 1)
    }

    // Reference: the first three and two near-boundary areas of testdata_funnel_prop_inputs.csv with PHE's labels,
    // then small denominators (script: "proportion significance").
    @Test(arguments: [
        (35078.488, 41980.0, S.highAt0001),
        (24803.6256, 31824.0, .lowAt0001),
        (50050.7443, 61921.0, .notSignificant),
        (59356.4384, 73352.0, .notSignificant),
        (28537.4507, 35201.0, .highAt0025),
        (0.0, 5.0, .lowAt0001),
        (5.0, 5.0, .notSignificant),
        (95.0, 100.0, .highAt0001),
        (80.0, 100.0, .notSignificant),
        (1.0, 1.0, .notSignificant),
    ])
    func proportionSignificance(x: Double, n: Double, expected: S) throws {
        #expect(try FunnelPlot.proportionSignificance(count: x, denominator: n, average: Self.pbar) == expected)
    }

    // Reference: at E = chi2.ppf(c+(1-c)/2, 2O+2)/2 the lower control count is O, at E = chi2.ppf((1-c)/2, 2O)/2
    // the upper control count is O (these E are the points PHE's poisson_funnel finds by bisection).
    @Test(arguments: [
        (1.0, 0.95, 5.571643390938898, 0.025317807984289897),
        (1.0, 0.998, 9.233413476451585, 0.0010005003335835346),
        (5.0, 0.95, 11.66833207932267, 1.623486390118421),
        (5.0, 0.998, 16.454745203680105, 0.7393717319178327),
        (10.0, 0.95, 18.39035604201778, 4.7953886961324335),
        (10.0, 0.998, 24.13397114541759, 2.96052037274376),
        (100.0, 0.95, 121.62679379242638, 81.36399125092315),
        (100.0, 0.998, 134.92431906126444, 71.9213974950004),
    ])
    func controlLimitsPassThroughPHEsPoints(count: Double, level: Double, lowerCurveE: Double, upperCurveE: Double) {
        let level = ConfidenceLevel(level)!
        expectClose(FunnelPlot.poissonControlLimits(expected: lowerCurveE, level: level).lower, count)
        expectClose(FunnelPlot.poissonControlLimits(expected: upperCurveE, level: level).upper, count)
    }

    // Reference: scipy brentq on gammainc(a, E) = alpha/2 and gammaincc(a, E) = alpha/2 (lower = a - 1, at least 0).
    @Test(arguments: [
        (0.5, 0.0, 2.7156908924550205, 0.0, 4.249522442434222),
        (3.0, 0.0, 7.294287991380628, 0.0, 10.075787624579771),
        (3.7, 0.005291341091619772, 8.375697916794156, 0.0, 11.382497996740653),
        (7.5, 2.1743848336970886, 13.790824267762977, 0.2332051536924269, 17.745793052978808),
        (250.0, 218.99416219435255, 281.9535357472298, 202.09712960061668, 300.75593645322107),
        (12345.6, 12127.801933961888, 12564.345230010627, 12003.171370353532, 12690.878539774536),
    ])
    func controlLimitsBetweenWholeCounts(e: Double, l95: Double, u95: Double, l998: Double, u998: Double) {
        let c95 = FunnelPlot.poissonControlLimits(expected: e, level: .ninetyFive)
        let c998 = FunnelPlot.poissonControlLimits(expected: e, level: .ninetyNinePointEight)
        expectClose(c95.lower, l95, rel: 1e-9)
        expectClose(c95.upper, u95)
        expectClose(c998.lower, l998)
        expectClose(c998.upper, u998)
    }

    @Test func controlLimitsAtZeroAndInvalidExpected() {
        #expect(FunnelPlot.poissonControlLimits(expected: 0, level: .ninetyFive) == (0, 0))
        #expect(FunnelPlot.poissonControlLimits(expected: -1, level: .ninetyFive).lower.isNaN)
    }

    @Test func ratioLimitsAgreeWithPHEsISRFunnel() throws {
        // testdata_funnel_ratio_outputs.csv, Observed_events = 1: lower_2s_exp_events 5.571644585, lower_2s_isr 17.94802207
        // (PHE's bisection; exact 1/5.571643390938898 x 100 = 17.94802592043649).
        let limits = try FunnelPlot.ratioLimits(expected: 5.571643390938898, multiplier: 100)
        expectClose(limits.lower95, 17.94802592043649)
        expectClose(limits.lower95, 17.94802207, rel: 5e-5)
        #expect(limits.baseline == 100)
        // Observed_events = 10: upper_2s_exp_events 4.795387629, upper_2s_isr 208.5337156 (exact 208.5336691906785)
        let ten = try FunnelPlot.ratioLimits(expected: 4.7953886961324335)
        expectClose(ten.upper95, 2.085336691906785)
    }

    // Reference: 1 against the exact (O < 10) or Byar's (O >= 10) limits of O divided by E; the first four rows of
    // testdata_funnel_ratio_inputs.csv with PHE's labels, then zero and small counts.
    @Test(arguments: [
        (8.0, 6.239860227, S.notSignificant),
        (151.0, 106.4429719, .highAt0001),
        (159.0, 232.9329036, .lowAt0001),
        (191.0, 184.0963855, .notSignificant),
        (0.0, 3.0, .notSignificant),
        (0.0, 4.0, .lowAt0025),
        (0.0, 7.0, .lowAt0001),
        (1.0, 0.2, .notSignificant),
        (25.0, 15.0, .highAt0025),
    ])
    func ratioSignificance(o: Double, e: Double, expected: S) throws {
        #expect(try FunnelPlot.ratioSignificance(observed: o, expected: e) == expected)
    }

    @Test func rateLimitsAgreeWithPHEsRateFunnel() throws {
        // testdata_funnel_rate_outputs.csv (dsr per 100,000, 3 years), Events = 1: average 0.0011617208350946295,
        // lower_2s_population_1_year 1598.675694 (x3 = 4796.03), lower_2s_limit 20.85059119 (exact 20.850595660589534).
        let average = 0.0011617208350946295
        let limits = try FunnelPlot.rateLimits(denominator: 4796.026052580052, average: average)
        expectClose(limits.lower95, 20.850595660589534)
        expectClose(limits.lower95, 20.85059119, rel: 5e-5)
        expectClose(limits.baseline, 116.17208350946295)
        let top = try FunnelPlot.rateLimits(denominator: 21.79336654681551, average: average)
        expectClose(top.upper95, 4588.552199366931)
    }

    @Test func rateAndDSRSignificanceAsPHE() throws {
        // testdata_funnel_rate_dsr_inputs.csv, first row and the 0-event row; averages over all 40 rows
        // (crude with 0: 0.006685089282681704; dsr: 0.007049004703317129, both checked against the file by the script).
        let crude = 0.006685089282681704, dsr = 0.007049004703317129
        #expect(try FunnelPlot.rateSignificance(count: 2419, denominator: 264_102, average: crude) == .highAt0001)
        #expect(try FunnelPlot.rateSignificance(count: 0, denominator: 297_820, average: crude) == .lowAt0001)
        #expect(try FunnelPlot.dsrSignificance(count: 2419, rate: 907.6174266, average: dsr, multiplier: 100_000) == .highAt0001)
        #expect(try FunnelPlot.dsrSignificance(count: 0, rate: 0, average: dsr, multiplier: 100_000) == .notApplicableBelowTenEvents)
        #expect(try FunnelPlot.dsrSignificance(count: 9, rate: 3.1, average: dsr, multiplier: 100_000) == .notApplicableBelowTenEvents)
        #expect(try FunnelPlot.dsrDenominator(count: 0, rate: 0, multiplier: 100_000) == nil)
        expectClose(try FunnelPlot.dsrDenominator(count: 2419, rate: 907.6174266, multiplier: 100_000), 2419e5 / 907.6174266)
    }

    @Test func significanceAtEachLevel() {
        #expect(S.highAt0025.outcome(at: .ninetyFive) == .higher && S.highAt0025.outcome(at: .ninetyNinePointEight) == .similar)
        #expect(S.lowAt0001.outcome(at: .ninetyFive) == .lower && S.lowAt0001.outcome(at: .ninetyNinePointEight) == .lower)
        #expect(S.notSignificant.outcome(at: .ninetyNinePointEight) == .similar)
        #expect(S.notApplicableBelowTenEvents.outcome(at: .ninetyFive) == .notCompared)
        #expect(S.highAt0001.outcome(at: ConfidenceLevel(0.9)!) == .notCompared)
        #expect(S.allCases.map(\.rawValue).prefix(5) == ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)", "Not significant"])
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.invalidValue(1.2)) { try FunnelPlot.proportionLimits(denominator: 10, average: 1.2) }
        #expect(throws: StatisticsError.invalidDenominator(0)) { try FunnelPlot.proportionLimits(denominator: 0, average: 0.5) }
        #expect(throws: StatisticsError.invalidDenominator(0)) { try FunnelPlot.ratioLimits(expected: 0) }
        #expect(throws: StatisticsError.invalidValue(-1)) { try FunnelPlot.rateLimits(denominator: 10, average: -1) }
        #expect(throws: StatisticsError.countExceedsDenominator(count: 6, denominator: 5)) {
            try FunnelPlot.proportionSignificance(count: 6, denominator: 5, average: 0.5)
        }
    }
}
