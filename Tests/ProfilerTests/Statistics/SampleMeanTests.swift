import Testing

@testable import Statistics

@Suite struct SampleMeanTests {
    // PHE testdata_Mean.xlsx, sheet testdata_Mean.
    static let area1 = [33.09375, 48.38596, 64.83495, 67.98475, 22.93556, 71.23587, 38.78465, 82.37927]
    static let area2 = [
        5555.66666, 6666.77777, 4444.88888, 2222.99999, 3333.88888, 5555.44444, 6666.33333, 7777.44444, 5555.99999,
        8888.33333, 2222.55555, 4444.33333, 6666.22222, 4444.11111, 4444.22222, 5555.11111, 7777.22222, 9999.77777,
    ]

    // Reference: PHE testdata_Mean_results (value, stdev, lower95_0cl, upper95_0cl, lower99_8cl, upper99_8cl),
    // reproduced by the script to 1e-12 with x.mean() -/+ |t.ppf((1-c)/2, n-1)| * x.std(ddof=1)/sqrt(n).
    @Test(arguments: [
        (
            "Area1", 8, 53.70434500000001, 20.97557525770931, 36.168325241336504, 71.24036475866352, 18.216705294788838,
            89.19198470521118
        ),
        (
            "Area2", 18, 5678.962957777778, 2117.831716159067, 4625.790022452972, 6732.135893102583, 3859.0770997295967,
            7498.848815825959
        ),
        (
            "No grouping", 26, 3948.1141538461534, 3171.8018122194453, 2666.995676745849, 5229.232630946458,
            1801.9535385474737, 6094.274769144833
        ),
    ])
    func matchesPHEsPublishedMeans(
        area: String, n: Int, value: Double, sd: Double, l95: Double, u95: Double, l998: Double, u998: Double
    ) throws {
        let values = area == "Area1" ? Self.area1 : area == "Area2" ? Self.area2 : Self.area1 + Self.area2
        let mean = try SampleMean(values)
        #expect(mean.count == n)
        expectClose(mean.value, value, rel: 1e-12)
        expectClose(mean.standardDeviation, sd, rel: 1e-12)
        expectClose(mean.interval(at: .ninetyFive)?.lower, l95, rel: 1e-12)
        expectClose(mean.interval(at: .ninetyFive)?.upper, u95, rel: 1e-12)
        expectClose(mean.interval(at: .ninetyNinePointEight)?.lower, l998, rel: 1e-12)
        expectClose(mean.estimate(at: .ninetyNinePointEight)?.interval.upper, u998, rel: 1e-12)
    }

    @Test func twoValuesUseOneDegreeOfFreedom() throws {
        // sd = 2.1213203435596424; 13.5 -/+ 12.706204736174705 * sd / sqrt(2)
        let mean = try SampleMean([12, 15])
        expectClose(mean.interval(at: .ninetyFive)?.lower, -5.559307104262054)
        expectClose(mean.interval(at: .ninetyFive)?.upper, 32.559307104262054)
    }

    @Test func standardDeviationKeepsItsDigitsFarFromZero() throws {
        // 1e9 + [1, 2, 3, 4]: mean 1000000002.5, sd 1.2909944487358056 (numpy std(ddof=1))
        let mean = try SampleMean([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4])
        expectClose(mean.value, 1_000_000_002.5)
        expectClose(mean.standardDeviation, 1.2909944487358056)
    }

    @Test func oneValueHasNoIntervalAndNoneIsAnError() throws {
        let one = try SampleMean([42])
        #expect(one.value == 42 && one.standardDeviation == nil && one.interval(at: .ninetyFive) == nil)
        #expect(SampleMean.methodName == "Student's t-distribution")
        #expect(throws: StatisticsError.invalidGroupCount(0)) { try SampleMean([]) }
        #expect(throws: StatisticsError.self) { try SampleMean([1, .nan]) }
    }
}
