import Testing

@testable import Statistics

@Suite struct StandardisedRateTests {
    // Worked example: 19 ESP2013 bands (0-4 ... 90+).
    static let counts: [Double] = [1, 0, 0, 1, 2, 3, 4, 6, 9, 14, 22, 30, 41, 55, 70, 88, 97, 90, 75]
    static let populations: [Double] = [
        30500, 31200, 29800, 28700, 33100, 36400, 35900, 34200, 32800, 33500,
        35100, 33900, 29400, 27800, 25100, 18200, 13400, 8600, 4900,
    ]

    @Test func esp2013Weights() {
        // PHEindicatormethods esp2013 (R/data.R): 5000 5500 5500 5500 6000 6000 6500 7000 7000 7000
        // 7000 6500 6000 5500 5000 4000 2500 1500 1000
        let w = StandardPopulation.esp2013.weights
        #expect(
            w == [
                5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
                7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
            ])
        #expect(w.reduce(0, +) == 100_000)
        #expect(StandardPopulation.esp2013Bands.count == 19)
        #expect(StandardPopulation.esp2013Bands.last == "90+")
    }

    // Reference (numpy, phe_dsr formulas): O = x.sum(); value = (x*w/n).sum()/w.sum()*1e5;
    // var = (x*(w/n)**2).sum()/w.sum()**2; byar_lo/hi(O, c) as in PoissonIntervalTests;
    // lower = value + sqrt(var/O)*(byar_lo - O)*1e5, upper = value + sqrt(var/O)*(byar_hi - O)*1e5
    @Test func dobsonWorkedExample() throws {
        let dsr = try DirectlyStandardisedRate(counts: Self.counts, populations: Self.populations)
        #expect(dsr.totalCount == 608)
        #expect(dsr.totalPopulation == 522_500)
        #expect(dsr.missingReason == nil)
        expectClose(dsr.value, 119.78503723695404)
        expectClose(dsr.variance, 23.71922276273882)  // var * 1e5**2
        let ci95 = try #require(dsr.interval(at: .ninetyFive))
        expectClose(ci95.lower, 110.42784207214542)
        expectClose(ci95.upper, 129.72167845641576)
        let ci998 = try #require(dsr.interval(at: .ninetyNinePointEight))
        expectClose(ci998.lower, 105.29439644452177)
        expectClose(ci998.upper, 135.6111258366251)
        #expect(dsr.estimate(at: .ninetyFive)?.interval == ci95)
    }

    @Test func totalCountOfTenIsCalculatedNineIsMissing() throws {
        // x = [0]*15 + [2, 3, 3, 2] with the populations above: value 1.9306810113573638,
        // 95% (0.9204775286661813, 3.556963841926089), 99.8% (0.5578481886410733, 4.681455606871985)
        var ten = [Double](repeating: 0, count: 15) + [2, 3, 3, 2]
        let dsr10 = try DirectlyStandardisedRate(counts: ten, populations: Self.populations)
        expectClose(dsr10.value, 1.9306810113573638)
        expectClose(dsr10.interval(at: .ninetyFive)?.lower, 0.9204775286661813)
        expectClose(dsr10.interval(at: .ninetyFive)?.upper, 3.556963841926089)
        expectClose(dsr10.interval(at: .ninetyNinePointEight)?.lower, 0.5578481886410733)
        expectClose(dsr10.interval(at: .ninetyNinePointEight)?.upper, 4.681455606871985)

        ten[18] = 1  // total 9
        let dsr9 = try DirectlyStandardisedRate(counts: ten, populations: Self.populations)
        #expect(dsr9.totalCount == 9)
        #expect(dsr9.value == nil)
        #expect(dsr9.variance == nil)
        #expect(dsr9.interval(at: .ninetyFive) == nil)
        #expect(dsr9.estimate(at: .ninetyNinePointEight) == nil)
        #expect(dsr9.missingReason == .totalCountBelowTen)
        #expect(dsr9.missingReason?.rawValue == "dsr NA for total count < 10")
    }

    @Test func customStandardPopulationAndMultiplier() throws {
        // dsr([20, 35, 60], [10000, 8000, 4000], w=[300, 500, 200], m=1000) with the same formulas
        let standard = try StandardPopulation(weights: [300, 500, 200])
        let dsr = try DirectlyStandardisedRate(
            counts: [20, 35, 60], populations: [10000, 8000, 4000],
            standard: standard, multiplier: 1000)
        expectClose(dsr.value, 5.7875)
        expectClose(dsr.variance, 0.3047187500000001)
        expectClose(dsr.interval(at: .ninetyFive)?.lower, 4.755032890870835)
        expectClose(dsr.interval(at: .ninetyFive)?.upper, 6.973556248139501)
        expectClose(dsr.interval(at: .ninetyNinePointEight)?.lower, 4.226254314661687)
        expectClose(dsr.interval(at: .ninetyNinePointEight)?.upper, 7.700725655242637)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.lengthMismatch(expected: 19, actual: 3)) {
            try DirectlyStandardisedRate(counts: [1, 2, 3], populations: Self.populations)
        }
        #expect(throws: StatisticsError.lengthMismatch(expected: 19, actual: 18)) {
            try DirectlyStandardisedRate(counts: Self.counts, populations: Array(Self.populations.dropLast()))
        }
        var zeroPop = Self.populations
        zeroPop[3] = 0
        #expect(throws: StatisticsError.invalidDenominator(0)) {
            try DirectlyStandardisedRate(counts: Self.counts, populations: zeroPop)
        }
        var negative = Self.counts
        negative[0] = -1
        #expect(throws: StatisticsError.invalidCount(-1)) {
            try DirectlyStandardisedRate(counts: negative, populations: Self.populations)
        }
        #expect(throws: StatisticsError.invalidStandardPopulation) { try StandardPopulation(weights: []) }
        #expect(throws: StatisticsError.invalidStandardPopulation) { try StandardPopulation(weights: [0, 0]) }
        #expect(throws: StatisticsError.invalidStandardPopulation) { try StandardPopulation(weights: [1, -1]) }
    }
}
