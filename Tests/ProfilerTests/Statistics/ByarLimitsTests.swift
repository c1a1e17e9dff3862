import Testing

@testable import Statistics

@Suite struct ByarLimitsTests {
    // Reference (scripts/statistics_reference_values.py): z = norm.ppf(c + (1-c)/2),
    //   upper = (O+1)*(1 - 1/(9*(O+1)) + z/(3*sqrt(O+1)))**3, lower = O*(1 - 1/(9*O) - z/(3*sqrt(O)))**3,
    //   lower nil where byars_lower is NA (O = 0, or a negative bracket: -0.002814481523183207 for O = 1 at 99.8%).
    //   O = 1 at 95% and O = 10 at 99.8% are also PHE's published values (testdata_Byars_Wilson.xlsx).
    @Test(arguments: [
        (0.0, 0.95, nil as Double?, 3.6680118321737507),
        (0.0, 0.998, nil, 7.066462526829025),
        (1.0, 0.95, 0.013072132901504331, 5.5637555824752605),
        (1.0, 0.998, nil, 9.362180217908362),
        (10.0, 0.998, 2.916318374695686, 24.193724927880535),
    ])
    func upperLimitAlwaysLowerWherePHEHasOne(count: Double, level: Double, lower: Double?, upper: Double) throws {
        let limits = try PoissonInterval.byarLimits(count: count, level: ConfidenceLevel(level)!)
        expectClose(limits.upper, upper)
        if let lower {
            expectClose(limits.lower, lower)
        } else {
            #expect(limits.lower == nil)
        }
    }

    @Test func throwingAPIStillThrowsWhereTheLowerLimitIsMissing() throws {
        #expect(throws: StatisticsError.byarUndefined(count: 0)) { try PoissonInterval.byar(count: 0) }
        #expect(throws: StatisticsError.byarUndefined(count: 1)) { try PoissonInterval.byar(count: 1, level: .ninetyNinePointEight) }
        let one = try PoissonInterval.byar(count: 1)
        expectClose(one.lower, 0.013072132901504331)
        expectClose(one.upper, 5.5637555824752605)
    }

    @Test func invalidCountsThrow() {
        #expect(throws: StatisticsError.invalidCount(-1)) { try PoissonInterval.byarLimits(count: -1) }
        #expect(throws: StatisticsError.self) { try PoissonInterval.byarLimits(count: .nan) }
    }
}
