import Testing

@testable import Statistics

@Suite struct ChangeTests {
    typealias J = YearOnYearChange.Judgement

    struct RatioCase: Sendable, CustomTestStringConvertible {
        let o1: Double, e1: Double, o2: Double, e2: Double
        let value: Double, l95: Double, u95: Double, l998: Double, u998: Double, p: Double
        let at95: J, at998: J
        var testDescription: String { "\(o1)/\(e1) vs \(o2)/\(e2)" }
    }

    // Reference (scripts/statistics_reference_values.py, "exact change"): Clopper-Pearson limits ci of O1 out of
    // O1+O2 from beta.ppf/beta.isf; limits = ci/(1-ci) * E2/E1 (1-ci from the opposite beta tail); p = min(1, 2*min(binom.sf(O1-1, N, pi0),
    // binom.cdf(O1, N, pi0))), pi0 = E1/(E1+E2).
    static let exactCases: [RatioCase] = [
        RatioCase(
            o1: 30, e1: 1, o2: 12, e2: 1, value: 2.5, l95: 1.2429631350621524, u95: 5.361668483507762,
            l998: 0.8737447488634353, u998: 8.485222371934585, p: 0.007915897334896727,
            at95: .significantlyHigher, at998: .noSignificantDifference),
        RatioCase(
            o1: 12, e1: 1, o2: 30, e2: 1, value: 0.4, l95: 0.18650910683417907, u95: 0.8045290900361229,
            l998: 0.11785194967990043, u998: 1.1444990099234327, p: 0.007915897334896727,
            at95: .significantlyLower, at998: .noSignificantDifference),
        RatioCase(
            o1: 20, e1: 1, o2: 17, e2: 1, value: 1.1764705882352942, l95: 0.585337706448664, u95: 2.3912890130313955,
            l998: 0.4002519836408976, u998: 3.563216425184609, p: 0.7428293587290682,
            at95: .noSignificantDifference, at998: .noSignificantDifference),
        RatioCase(
            o1: 0, e1: 1, o2: 5, e2: 1, value: 0, l95: 0, u95: 1.0912791051825461,
            l998: 0, u998: 2.9810717055349727, p: 0.0625, at95: .noSignificantDifference, at998: .noSignificantDifference),
        RatioCase(
            o1: 7, e1: 1, o2: 0, e2: 1, value: .infinity, l95: 1.4413085188352395, u95: .infinity,
            l998: 0.5942844825578016, u998: .infinity, p: 0.015625, at95: .significantlyHigher, at998: .noSignificantDifference),
        RatioCase(
            o1: 1, e1: 1, o2: 0, e2: 1, value: .infinity, l95: 0.025641025641025664, u95: .infinity,
            l998: 0.0010010010010010019, u998: .infinity, p: 1, at95: .noSignificantDifference, at998: .noSignificantDifference),
        RatioCase(
            o1: 0, e1: 1, o2: 1, e2: 1, value: 0, l95: 0, u95: 38.999999999999964,
            l998: 0, u998: 998.9999999999991, p: 1, at95: .noSignificantDifference, at998: .noSignificantDifference),
        RatioCase(
            o1: 250, e1: 52000, o2: 180, e2: 48000, value: 1.2820512820512822, l95: 1.0542830881359186,
            u95: 1.5615582022914904, l998: 0.9450783000265982, u998: 1.7473161325611621, p: 0.01221069565862444,
            at95: .significantlyHigher, at998: .noSignificantDifference),
        RatioCase(
            o1: 51897, e1: 54_786_327, o2: 48104, e2: 54_000_000, value: 1.0633656742671012, l95: 1.0502360664663355,
            u95: 1.0766609824072335, l998: 1.0427513588777322, u998: 1.0843922287451258, p: 2.808028605393069e-22,
            at95: .significantlyHigher, at998: .significantlyHigher),
        RatioCase(
            o1: 8, e1: 2500, o2: 3, e2: 2600, value: 2.7733333333333334, l95: 0.6656378690857575, u95: 16.230659786264752,
            l998: 0.3357556346663096, u998: 53.874017829361186, p: 0.20226788168456705,
            at95: .noSignificantDifference, at998: .noSignificantDifference),
    ]

    static func expectInterval(
        _ ci: ConfidenceInterval?, _ lower: Double, _ upper: Double, rel: Double = 1e-10,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let ci else {
            Issue.record("missing interval", sourceLocation: sourceLocation)
            return
        }
        for (actual, expected) in [(ci.lower, lower), (ci.upper, upper)] {
            if expected.isInfinite {
                #expect(actual == expected, sourceLocation: sourceLocation)
            } else {
                expectClose(actual, expected, rel: rel, sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: exactCases)
    func exactConditionalRatioOfRates(c: RatioCase) throws {
        let change = try YearOnYearChange.rates(
            thisYearCount: c.o1, thisYearDenominator: c.e1, lastYearCount: c.o2, lastYearDenominator: c.e2)
        #expect(change.method == .exactConditional && change.noChange == 1)
        if c.value.isInfinite { #expect(change.value == .infinity) } else { expectClose(change.value, c.value) }
        Self.expectInterval(change.interval95, c.l95, c.u95)
        Self.expectInterval(change.interval998, c.l998, c.u998)
        expectClose(change.pValue, c.p, rel: 1e-9)
        #expect(change.at95 == c.at95 && change.at998 == c.at998)
    }

    @Test func sameExposureCountsAreTheRatioOfCounts() throws {
        let counts = try YearOnYearChange.counts(thisYear: 30, lastYear: 12)
        let rates = try YearOnYearChange.rates(thisYearCount: 30, thisYearDenominator: 7, lastYearCount: 12, lastYearDenominator: 7)
        #expect(counts == rates)
        expectClose(counts.estimate(at: .ninetyFive)?.interval.lower, 1.2429631350621524)
        #expect(counts.estimate(at: ConfidenceLevel(0.9)!) == nil)
    }

    @Test func bothCountsZeroIsNotTestable() throws {
        for method in YearOnYearChange.RateRatioMethod.allCases {
            let change = try YearOnYearChange.rates(
                thisYearCount: 0, thisYearDenominator: 100, lastYearCount: 0, lastYearDenominator: 90, method: method)
            #expect(change.value == nil && change.interval95 == nil && change.interval998 == nil && change.pValue == nil)
            #expect(change.at95 == .notTestable && change.at998 == .notTestable)
            #expect(change.estimate(at: .ninetyFive) == nil)
        }
    }

    // Reference: rr = O1*E2/(O2*E1), se = sqrt(1/O1 + 1/O2), limits rr*exp(-/+ z*se), p = 2*norm.sf(|log rr|/se).
    @Test(arguments: [
        (
            250.0, 52000.0, 180.0, 48000.0, 1.2820512820512822, 1.0585181271856101, 1.552789175353558, 0.9477953816490352,
            1.7341881186945636, 0.011030262913779959
        ),
        (
            30.0, 1.0, 12.0, 1.0, 2.5, 1.279968647451416, 4.8829321034109405, 0.8700326453194305, 7.1836384917549,
            0.007304694025558264
        ),
    ])
    func logNormalRatioOfRates(
        o1: Double, e1: Double, o2: Double, e2: Double, value: Double, l95: Double, u95: Double, l998: Double, u998: Double,
        p: Double
    ) throws {
        let change = try YearOnYearChange.rates(
            thisYearCount: o1, thisYearDenominator: e1, lastYearCount: o2, lastYearDenominator: e2, method: .logNormal)
        #expect(change.method == .logNormal)
        expectClose(change.value, value)
        Self.expectInterval(change.interval95, l95, u95)
        Self.expectInterval(change.interval998, l998, u998)
        expectClose(change.pValue, p, rel: 1e-9)
    }

    @Test func logNormalIsNotTestableWithAZeroCount() throws {
        let change = try YearOnYearChange.rates(
            thisYearCount: 0, thisYearDenominator: 1, lastYearCount: 9, lastYearDenominator: 1, method: .logNormal)
        #expect(change.at95 == .notTestable && change.value == nil)
    }

    struct DifferenceCase: Sendable, CustomTestStringConvertible {
        let x1: Double, n1: Double, x2: Double, n2: Double
        let value: Double, l95: Double, u95: Double, l998: Double, u998: Double
        let at95: J, at998: J
        var testDescription: String { "\(x1)/\(n1) - \(x2)/\(n2)" }
    }

    // Reference: Newcombe method 10 from Wilson limits (script section "newcombe"); the first seven agree with
    // Newcombe (1998) Table II to its 4 decimal places (asserted in the script).
    static let newcombeCases: [DifferenceCase] = [
        DifferenceCase(
            x1: 56, n1: 70, x2: 48, n2: 80, value: 0.2, l95: 0.0524314724023649, u95: 0.333872654036906,
            l998: -0.03348725364244229, u998: 0.4018117646026352, at95: .significantlyHigher, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 9, n1: 10, x2: 3, n2: 10, value: 0.6, l95: 0.17052272393450302, u95: 0.8090179735354881,
            l998: -0.04762237192141039, u998: 0.8540903630788513, at95: .significantlyHigher, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 5, n1: 56, x2: 0, n2: 29, value: 0.08928571428571429, l95: -0.03813714790353688, u95: 0.19256001385511157,
            l998: -0.16666160074963826, u998: 0.2733230494993523, at95: .noSignificantDifference, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 0, n1: 10, x2: 0, n2: 20, value: 0, l95: -0.16112515805281938, u95: 0.2775327998628892,
            l998: -0.32317041462405505, u998: 0.4884789004534622, at95: .noSignificantDifference, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 10, n1: 10, x2: 0, n2: 20, value: 1, l95: 0.6790860371419147, u95: 1,
            l998: 0.4142946533652718, u998: 1, at95: .significantlyHigher, at998: .significantlyHigher),
        DifferenceCase(
            x1: 10, n1: 10, x2: 0, n2: 10, value: 1, l95: 0.6075093504305242, u95: 1,
            l998: 0.3091865140456167, u998: 1, at95: .significantlyHigher, at998: .significantlyHigher),
        DifferenceCase(
            x1: 120, n1: 400, x2: 160, n2: 410, value: -0.09024390243902441, l95: -0.15459652480180008,
            u95: -0.024744946473064244, l998: -0.19065584400340133, u998: 0.012978782024942626,
            at95: .significantlyLower, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 1, n1: 1, x2: 0, n2: 1, value: 1, l95: -0.12210872068194178, u95: 1,
            l998: -0.2801589838803553, u998: 1, at95: .noSignificantDifference, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 37, n1: 37, x2: 41, n2: 41, value: 0, l95: -0.09405782583720257, u95: 0.08566757018443194,
            l998: -0.20514781858147035, u998: 0.18891440984954544, at95: .noSignificantDifference, at998: .noSignificantDifference),
        DifferenceCase(
            x1: 0, n1: 250, x2: 0, n2: 300, value: 0, l95: -0.012642971224546036, u95: 0.015133299495444575,
            l998: -0.030849782036664105, u998: 0.03679272891051225, at95: .noSignificantDifference, at998: .noSignificantDifference),
    ]

    @Test(arguments: newcombeCases)
    func newcombeDifferenceOfProportions(c: DifferenceCase) throws {
        let change = try YearOnYearChange.proportions(
            thisYearCount: c.x1, thisYearDenominator: c.n1, lastYearCount: c.x2, lastYearDenominator: c.n2)
        #expect(change.method == .newcombeHybridScore && change.noChange == 0 && change.pValue == nil)
        expectClose(change.value, c.value, rel: 1e-12)
        Self.expectInterval(change.interval95, c.l95, c.u95)
        Self.expectInterval(change.interval998, c.l998, c.u998)
        #expect(change.at95 == c.at95 && change.at998 == c.at998)
    }

    @Test func invalidInputsThrowRatherThanGuess() {
        #expect(throws: StatisticsError.invalidDenominator(0)) {
            try YearOnYearChange.rates(thisYearCount: 3, thisYearDenominator: 0, lastYearCount: 2, lastYearDenominator: 10)
        }
        #expect(throws: StatisticsError.invalidDenominator(0)) {
            try YearOnYearChange.proportions(thisYearCount: 0, thisYearDenominator: 10, lastYearCount: 0, lastYearDenominator: 0)
        }
        #expect(throws: StatisticsError.countExceedsDenominator(count: 12, denominator: 10)) {
            try YearOnYearChange.proportions(thisYearCount: 12, thisYearDenominator: 10, lastYearCount: 1, lastYearDenominator: 10)
        }
        #expect(throws: StatisticsError.invalidCount(-1)) { try YearOnYearChange.counts(thisYear: -1, lastYear: 4) }
    }

    @Test func wordsAndMethodNames() {
        #expect(
            YearOnYearChange.Judgement.allCases.map(\.rawValue) == [
                "Significantly higher", "Significantly lower", "No significant difference", "Not testable",
            ])
        #expect(YearOnYearChange.Method.newcombeHybridScore.rawValue.hasPrefix("Newcombe"))
    }
}
