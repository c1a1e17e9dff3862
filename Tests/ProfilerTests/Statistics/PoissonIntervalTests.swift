import Testing

@testable import Statistics

@Suite struct PoissonIntervalTests {
    // Reference (exact): lower = chi2.ppf((1-c)/2, 2*O)/2 (0.0 when O == 0),
    //                    upper = chi2.ppf(c + (1-c)/2, 2*O + 2)/2   (scipy 1.17)
    @Test(arguments: [
        (0.0, 0.95, 0.0, 3.6888794541139354),
        (0.0, 0.998, 0.0, 6.907755278982137),
        (1.0, 0.95, 0.025317807984289897, 5.571643390938898),
        (1.0, 0.998, 0.0010005003335835346, 9.233413476451585),
        (9.0, 0.95, 4.115373097378334, 17.084803451419166),
        (9.0, 0.998, 2.452424404363775, 22.65737330906293),
        (10.0, 0.95, 4.7953886961324335, 18.39035604201778),
        (10.0, 0.998, 2.96052037274376, 24.13397114541759),
        (51897.0, 0.95, 51451.45021508463, 52345.44838992582),
        (51897.0, 0.998, 51195.86574169516, 52604.840715801394),
    ])
    func exactMatchesScipy(count: Double, level: Double, lower: Double, upper: Double) throws {
        let ci = try PoissonInterval.exact(count: count, level: ConfidenceLevel(level)!)
        expectClose(ci.lower, lower)
        expectClose(ci.upper, upper)
    }

    // Reference (Byar): z = norm.ppf(c + (1-c)/2);
    //   lower = O*(1 - 1/(9*O) - z/(3*sqrt(O)))**3, upper = (O+1)*(1 - 1/(9*(O+1)) + z/(3*sqrt(O+1)))**3
    @Test(arguments: [
        (1.0, 0.95, 0.013072132901504331, 5.5637555824752605),
        (10.0, 0.95, 4.787449913967563, 18.391458605756473),
        (10.0, 0.998, 2.916318374695686, 24.19372492788055),
        (51897.0, 0.95, 51451.450147337266, 52345.44845624131),
        (51897.0, 0.998, 51195.86492069306, 52604.8415400281),
    ])
    func byarMatchesFormula(count: Double, level: Double, lower: Double, upper: Double) throws {
        let ci = try PoissonInterval.byar(count: count, level: ConfidenceLevel(level)!)
        expectClose(ci.lower, lower)
        expectClose(ci.upper, upper)
    }

    @Test func byarIsUndefinedWherePHEReturnsNA() {
        // O=1 at 99.8%: 1*(1 - 1/9 - 3.0902/3)**3 = -0.002814481523183207 < 0 -> NA in byars_lower
        #expect(throws: StatisticsError.byarUndefined(count: 1)) { try PoissonInterval.byar(count: 1, level: .ninetyNinePointEight) }
        #expect(throws: StatisticsError.byarUndefined(count: 0)) { try PoissonInterval.byar(count: 0) }
    }

    @Test func combinedIntervalSwitchesAtTen() throws {
        #expect(PoissonInterval.method(forCount: 9) == .exact)
        #expect(PoissonInterval.method(forCount: 9.99) == .exact)
        #expect(PoissonInterval.method(forCount: 10) == .byar)
        #expect(PoissonInterval.Method.byar.rawValue == "Byars")
        // O = 9 -> exact: chi2.ppf(0.025, 18)/2, chi2.ppf(0.975, 20)/2
        let nine = try PoissonInterval.interval(count: 9)
        expectClose(nine.lower, 4.115373097378334)
        expectClose(nine.upper, 17.084803451419166)
        // O = 10 -> Byar (values above), not exact 4.7953886961324335
        let ten = try PoissonInterval.interval(count: 10)
        expectClose(ten.lower, 4.787449913967563)
        expectClose(ten.upper, 18.391458605756473)
        // O = 0 -> exact with lower 0
        let zero = try PoissonInterval.interval(count: 0, level: .ninetyNinePointEight)
        #expect(zero.lower == 0)
        expectClose(zero.upper, 6.907755278982137)
    }

    // Reference: value = O/n*1e5, limits = (Poisson limits above, exact if O < 10 else Byar)/n*1e5
    @Test(arguments: [
        (51897.0, 54786327.0, 0.95, 94.72618962026785, 93.91293953204286, 95.5447304511604),
        (51897.0, 54786327.0, 0.998, 94.72618962026785, 93.44642673470894, 96.01819362708528),
        (0.0, 1000.0, 0.95, 0.0, 0.0, 368.8879454113935),
        (0.0, 1000.0, 0.998, 0.0, 0.0, 690.7755278982137),
        (9.0, 25000.0, 0.95, 36.0, 16.461492389513335, 68.33921380567666),
        (9.0, 25000.0, 0.998, 36.0, 9.8096976174551, 90.62949323625172),
        (10.0, 25000.0, 0.95, 40.0, 19.14979965587025, 73.56583442302589),
        (10.0, 25000.0, 0.998, 40.0, 11.665273498782744, 96.7748997115222),
    ])
    func crudeRatePer100k(count: Double, n: Double, level: Double, value: Double, lower: Double, upper: Double) throws {
        let e = try PoissonInterval.rate(count: count, denominator: n, level: ConfidenceLevel(level)!)
        expectClose(e.value, value)
        expectClose(e.interval.lower, lower)
        expectClose(e.interval.upper, upper)
    }

    @Test func invalidRateInputsThrow() {
        #expect(throws: StatisticsError.invalidDenominator(0)) { try PoissonInterval.rate(count: 3, denominator: 0) }
        #expect(throws: StatisticsError.invalidCount(-2)) { try PoissonInterval.rate(count: -2, denominator: 100) }
        #expect(throws: StatisticsError.invalidMultiplier(-1)) {
            try PoissonInterval.rate(count: 2, denominator: 100, multiplier: -1)
        }
        #expect(throws: StatisticsError.self) { try PoissonInterval.exact(count: .infinity) }
    }
}
