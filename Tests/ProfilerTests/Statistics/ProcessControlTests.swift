import Testing

@testable import Statistics

@Suite struct ProcessControlTests {
    // Reference: pbar -/+ k*sqrt(pbar*(1-pbar)/n), k = 2, 3, clamped to [0, 1].
    @Test(arguments: [
        (0.2, 50.0, 0.08686291501015239, 0.3131370849898476, 0.030294372515228596, 0.3697056274847714),
        (0.2, 5000.0, 0.18868629150101524, 0.2113137084989848, 0.18302943725152288, 0.21697056274847715),
        (0.02, 10.0, 0.0, 0.10854377448471463, 0.0, 0.15281566172707192),
        (0.97, 30.0, 0.9077103539904102, 1.0, 0.8765655309856153, 1.0),
        (0.0, 100.0, 0.0, 0.0, 0.0, 0.0),
        (1.0, 100.0, 1.0, 1.0, 1.0, 1.0),
    ])
    func pChartLimits(p: Double, n: Double, l2: Double, u2: Double, l3: Double, u3: Double) throws {
        let limits = try ProcessControl.proportionLimits(centre: p, denominator: n)
        #expect(limits.centre == p)
        expectClose(limits.lower2Sigma, l2)
        expectClose(limits.upper2Sigma, u2)
        expectClose(limits.lower3Sigma, l3)
        expectClose(limits.upper3Sigma, u3)
    }

    @Test func outsideTheLimits() throws {
        let limits = try ProcessControl.proportionLimits(centre: 0.2, denominator: 50)
        #expect(limits.outcome(of: 0.32, sigmas: 2) == .higher && limits.outcome(of: 0.32, sigmas: 3) == .similar)
        #expect(limits.outcome(of: 0.02, sigmas: 3) == .lower)
        #expect(limits.outcome(of: 0.2, sigmas: 4) == .notCompared)
        expectClose(try ProcessControl.centreLine(counts: [10, 30], denominators: [50, 150]), 0.2)
        #expect(throws: StatisticsError.invalidValue(1.5)) { try ProcessControl.proportionLimits(centre: 1.5, denominator: 10) }
        #expect(throws: StatisticsError.invalidDenominator(0)) { try ProcessControl.proportionLimits(centre: 0.5, denominator: 0) }
    }

    // Reference: fingertips-open SpcForProportionsComparerTest (RAG low is good; values per 100), outcomes the same with
    // Fingertips' z = 1.96 / 3.0902 and the exact z (asserted in the script).
    @Test(arguments: [
        (8.9611086876279327, 7.7065767284991562, 5930.0, ComparisonOutcome.better, ComparisonOutcome.better),
        (8.9611086876279327, 9.8988121425428961, 2273.0, .similar, .similar),
        (8.9611086876279327, 12.474645030425965, 1972.0, .worse, .worse),
        (12.8379546895717, 10.9783420463032, 1339.0, .better, .similar),
        (12.8379546895717, 15.9065628476085, 899.0, .worse, .similar),
    ])
    func fingertipsSPCForProportions(
        benchmark: Double, value: Double, n: Double, at95: ComparisonOutcome, at998: ComparisonOutcome
    ) {
        let compare = { (level: ConfidenceLevel) in
            ProcessControl.fingertipsComparison(
                proportion: value / 100, benchmark: benchmark / 100, denominator: n, level: level, polarity: .lowIsGood)
        }
        #expect(compare(.ninetyFive) == at95)
        #expect(compare(.ninetyNinePointEight) == at998)
    }

    @Test func fingertipsLimitsAndInvalidDenominator() throws {
        // Wilson of E = 5930 * 0.089611... out of 5930 at 95%
        let limits = try ProcessControl.fingertipsLimits(benchmark: 0.089611086876279327, denominator: 5930, level: .ninetyFive)
        expectClose(limits.lower, 0.08260458715661517)
        expectClose(limits.upper, 0.09714894292596156)
        // fingertips-open TestDenominatorInvalid: no significance for a denominator of 0 or -1.
        for n in [0.0, -1.0] {
            #expect(
                ProcessControl.fingertipsComparison(
                    proportion: 0.1, benchmark: 0.1, denominator: n, level: .ninetyFive, polarity: .lowIsGood) == .notCompared)
        }
        #expect(
            ProcessControl.fingertipsComparison(
                proportion: 0.2, benchmark: 0.1, denominator: 1000, level: .ninetyFive, polarity: .noJudgement) == .higher)
    }
}
