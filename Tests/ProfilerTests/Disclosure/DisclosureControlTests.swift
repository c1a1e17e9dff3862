import Disclosure
import Foundation
import Profiles
import Testing
import TestSupport

@Suite("Disclosure control")
struct DisclosureControlTests {
    /// A one-breakdown table of counts (and a share of each), as the engine makes them.
    private func table(_ counts: [(String, Int)]) -> ProfileTable {
        let total = counts.map(\.1).reduce(0, +)
        return ProfileTable(profile: "test", id: "t", section: "where", title: "t", description: "",
                            columns: ["ward", "records", "share"],
                            rows: counts.map { [.text($0.0), .count($0.1), .number(100 * Double($0.1) / Double(total), decimals: 1)] },
                            kinds: [.label, .count, .derived(bases: [1])])
    }

    private func shown(_ t: ProfileTable, _ column: Int = 1) -> [String] { t.rows.map { $0[column].description } }

    /// One small cell in a column whose total is published elsewhere: withholding it alone would
    /// leave it as the total less the others, so the next smallest is withheld too.
    @Test func aSingleSmallCellIsNotLeftRecoverableFromTheTotal() {
        let out = DisclosureControl.protect(table([("A", 3), ("B", 20), ("C", 15), ("D", 0)]), rule: .partners)
        #expect(shown(out.table) == ["c", "20", "c", "0"])
        #expect(shown(out.table, 2) == ["c", "52.6", "c", "0.0"])
        #expect(out.primary == 1 && out.secondary == 1 && out.passed)
        // Naive suppression of the one cell fails the audit.
        var naive = table([("A", 3), ("B", 20), ("C", 15), ("D", 0)])
        let original = naive
        naive.rows[0][1] = .suppressed
        naive.rows[0][2] = .suppressed
        #expect(DisclosureControl.audit(original: original, released: naive, rule: .partners) == ["records row 1: can be narrowed to 3.0...3.0"])
    }

    /// Two small cells withheld together, whose sum (here 2) is known from the total: each is then
    /// known to be 1, so a third cell is withheld.
    @Test func twoSmallCellsWhoseSumGivesThemAwayAreProtected() {
        let input = table([("A", 1), ("B", 1), ("C", 30), ("D", 40)])
        let out = DisclosureControl.protect(input, rule: .partners)
        #expect(shown(out.table) == ["c", "c", "c", "40"])
        #expect(out.passed)
        var naive = input
        naive.rows[0][1] = .suppressed; naive.rows[1][1] = .suppressed
        naive.rows[0][2] = .suppressed; naive.rows[1][2] = .suppressed
        #expect(DisclosureControl.audit(original: input, released: naive, rule: .partners).count == 2)
    }

    /// Two breakdowns (age band by sex): rows and columns both have published totals, so withheld
    /// cells must come in pairs along every line they sit on.
    @Test func crossTabulationsAreProtectedAlongEveryLine() {
        let cells = [("0-17", "F", 2), ("0-17", "M", 12), ("18-64", "F", 30), ("18-64", "M", 25), ("65+", "F", 14), ("65+", "M", 9)]
        let input = ProfileTable(profile: "test", id: "t", section: "who", title: "t", description: "", columns: ["age", "sex", "people"],
                                 rows: cells.map { [.text($0.0), .text($0.1), .count($0.2)] }, kinds: [.label, .label, .count])
        let out = DisclosureControl.protect(input, rule: .partners)
        #expect(out.passed, "\(out.unprotected)")
        let withheld = out.table.rows.filter { $0[2] == .suppressed }
        #expect(withheld.count >= 4)
        // Every age band and every sex has none or at least two withheld cells.
        for (column, value) in [(0, "0-17"), (0, "18-64"), (0, "65+"), (1, "F"), (1, "M")] {
            let n = withheld.filter { $0[column].description == value }.count
            #expect(n != 1, "\(value)")
        }
        // The public rule withholds 1-9: the 9 too.
        let strict = DisclosureControl.protect(input, rule: .publicAudience)
        #expect(strict.passed && strict.table.rows[5][2] == .suppressed)
    }

    /// A deliberately under-protected table (a small cell shown, another one's partner shown) is
    /// refused by the audit.
    @Test func theAuditRejectsAnUnderProtectedTable() {
        let input = table([("A", 2), ("B", 4), ("C", 50)])
        var released = input
        released.rows[0][1] = .suppressed
        released.rows[0][2] = .suppressed
        let problems = DisclosureControl.audit(original: input, released: released, rule: .partners)
        #expect(problems.contains("records row 2: a count of 4 is shown"))
        let protected = DisclosureControl.protect(input, rule: .partners)
        #expect(DisclosureControl.audit(original: input, released: protected.table, rule: .partners).isEmpty)
        // A share left beside a withheld count is caught too.
        var leaky = protected.table
        leaky.rows[0][2] = input.rows[0][2]
        #expect(DisclosureControl.audit(original: input, released: leaky, rule: .partners).contains("share row 1: shown beside a withheld count"))
    }

    /// Zeros are shown; with no rule (threshold 1) nothing is withheld.
    @Test func zerosAreShownAndNoRuleWithholdsNothing() {
        let input = table([("A", 0), ("B", 7), ("C", 12)])
        #expect(shown(DisclosureControl.protect(input, rule: .partners).table) == ["0", "7", "12"])
        #expect(shown(DisclosureControl.protect(table([("A", 1), ("B", 7)]), rule: DisclosureRule(threshold: 1)).table) == ["1", "7"])
    }

    /// Wards nest in localities, whose totals the profile's locality table publishes: a locality
    /// with one withheld ward would give it away, so a second ward of that locality is withheld.
    @Test func marginsPublishedByOtherTablesAreRespected() {
        let input = table([("A1", 3), ("A2", 40), ("B1", 4), ("B2", 50)])
        let localities = ["A1": "North", "A2": "North", "B1": "South", "B2": "South"]
        let wards = ProfileTable(profile: "test", id: "by_ward", section: "where", title: "t", description: "", columns: ["ward", "records"],
                                 rows: input.rows.map { [$0[0], $0[1]] }, kinds: [.label, .count])
        let nested = SharedMargins.lines(wards, localityOfWard: localities)
        #expect(nested == [[0, 1], [2, 3]])
        let alone = DisclosureControl.protect(wards, rule: .partners)
        #expect(shown(alone.table) == ["c", "40", "c", "50"])
        #expect(!DisclosureControl.audit(original: wards, released: alone.table, rule: .partners, margins: nested).isEmpty)
        let together = DisclosureControl.protect(wards, rule: .partners, margins: nested)
        #expect(shown(together.table) == ["c", "c", "c", "c"] && together.passed)
        // Months nest in financial years.
        let months = ProfileTable(profile: "test", id: "by_month", section: "when", title: "t", description: "", columns: ["month", "records"],
                                  rows: ["2025-02", "2025-03", "2025-04", "2025-05"].map { [.text($0), .count(9)] }, kinds: [.label, .count])
        #expect(SharedMargins.lines(months, localityOfWard: [:]) == [[0, 1], [2, 3]])
    }
}
