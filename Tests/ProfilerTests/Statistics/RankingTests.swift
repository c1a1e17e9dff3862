import Testing

@testable import Statistics

@Suite struct RankingTests {
    static let values: [Double?] = [12.5, 7.1, 9.8, 12.5, 3.3, 15.0, 9.8, 11.2, 6.4, 8.0, 9.8, 14.1]

    @Test func ranksWithTies() {
        // scipy.stats.rankdata(-v, method='min') (1 = highest)
        let highest: [Int?] = [3, 10, 6, 3, 12, 1, 6, 5, 11, 9, 6, 2]
        // scipy.stats.rankdata(v, method='min') (1 = lowest)
        let lowest: [Int?] = [9, 3, 5, 9, 1, 12, 5, 8, 2, 4, 5, 11]
        #expect(Ranking.ranks(Self.values, polarity: .highIsGood) == highest)
        #expect(Ranking.ranks(Self.values, polarity: .noJudgement) == highest)
        #expect(Ranking.ranks(Self.values, polarity: .lowIsGood) == lowest)
    }

    @Test func missingValuesAreSkipped() {
        #expect(Ranking.ranks([5, nil, 7, .nan, 5], polarity: .highIsGood) == [2, nil, 1, nil, 2])
        #expect(Ranking.ranks([], polarity: .lowIsGood) == [])
    }

    @Test func fingertipsQuintiles() {
        // np.percentile(v, [20, 40, 60, 80], method='linear') = [7.28, 9.8, 10.64, 12.5], max 15.0;
        // quintile = first i with v <= bound_i
        let expected: [Int?] = [4, 1, 2, 4, 1, 5, 2, 4, 1, 2, 2, 5]
        #expect(Ranking.fingertipsQuintiles(Self.values) == expected)
        #expect(Ranking.fingertipsQuintiles([1, 2, nil, 3, 4]) == [nil, nil, nil, nil, nil])
        #expect(Ranking.fingertipsQuintiles([5, 1, nil, 4, 2, 3]) == [5, 1, nil, 4, 2, 3])
        // Fingertips rounds each percentile to 10 dp: the 60th percentile of this set,
        // round(np.percentile(edge, 60, method='linear'), 10) = 1.0 (unrounded 0.999999999992), so 1.0 is
        // in quintile 3 (bounds [0.22, 0.58, 1.0, 1.8, 3.0]).
        #expect(Ranking.fingertipsQuintiles([0.1, 0.2, 0.3, 0.99999999998, 1.0, 2.0, 3.0]) == [1, 1, 2, 3, 3, 5, 5])
    }

    @Test func pheQuantiles() {
        // phe_quantile: adj = max(v)-v if invert else v; r = rankdata(adj, 'min');
        // q = floor((Q+1) - ceil(((N+1) - r)/(N/Q))); q[q == 0] = 1
        #expect(Ranking.pheQuantiles(Self.values) == [1, 4, 3, 1, 5, 1, 3, 2, 5, 4, 3, 1])
        #expect(Ranking.pheQuantiles(Self.values, highestFirst: false) == [4, 1, 2, 4, 1, 5, 2, 3, 1, 2, 2, 5])
        #expect(Ranking.pheQuantiles(Self.values, quantiles: 10, highestFirst: false) == [7, 2, 4, 7, 1, 10, 4, 6, 1, 3, 4, 9])
        #expect(Ranking.pheQuantiles([1, 2, 3, 4]) == [nil, nil, nil, nil])
        // N = 17, Q = 7: for rank 1, ceil(17/(17/7)) = 8 in floating point, so q = 0 and phe_quantile's
        // 0 -> 1 rule applies. phe_q(list(range(1, 18)), nq=7) = [7, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1]
        #expect(
            Ranking.pheQuantiles((1...17).map { Double($0) }, quantiles: 7)
                == [7, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1])
        #expect(Ranking.pheQuantiles([1, nil, 2, 3, 4, 5], highestFirst: false) == [1, nil, 2, 3, 4, 5])
    }
}
