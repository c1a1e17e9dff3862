import Foundation
import Profiles
import TestSupport
import Testing

@testable import Disclosure

@Suite("Disclosure control")
struct DisclosureControlTests {
    /// A one-breakdown table of counts (and a share of each) that says nothing of what it counts:
    /// every line total within it is taken as published.
    private func table(_ counts: [(String, Int)]) -> ProfileTable {
        let total = counts.map(\.1).reduce(0, +)
        return ProfileTable(
            profile: "test", id: "t", section: "where", title: "t", description: "",
            columns: ["ward", "records", "share"],
            rows: counts.map { [.text($0.0), .count($0.1), .number(100 * Double($0.1) / Double(total), decimals: 1)] },
            kinds: [.label, .count, .derived(bases: [1])])
    }

    private func shown(_ t: ProfileTable?, _ column: Int = 1) -> [String] { t?.rows.map { $0[column].description } ?? [] }

    /// Records of one population by one breakdown (ward, locality, outcome ...), with the meaning
    /// that links it to other tables of the same records.
    private func counts(
        _ id: String, _ heading: String, axis: ProfileTable.Axis, _ rows: [(String, Int)], population: String = "records:x",
        share: Bool = false
    ) -> ProfileTable {
        let total = Double(rows.map(\.1).reduce(0, +))
        var t = ProfileTable(
            profile: "p", id: id, section: "where", title: id, description: "",
            columns: [heading, "records_2025_26"] + (share ? ["share_2025_26"] : []),
            rows: rows.map { [.text($0.0), .count($0.1)] + (share ? [.number(100 * Double($0.1) / total, decimals: 1)] : []) },
            kinds: [.label, .count] + (share ? [.derived(bases: [1])] : []))
        t.meaning = .init(
            axes: [axis], counts: [1: rows.map { _ in .init(population: population, additivity: .additive, year: "2025_26") }])
        return t
    }

    @Test func theLinearProgramFindsEachVariablesRange() throws {
        // x + y = 10, x - y <= 2, y >= 1: x in 1...6, y in 4...9.
        var lp = LinearProgram()
        let x = lp.addVariable(lower: 1), y = lp.addVariable(lower: 1)
        lp.addEquality([(x, 1), (y, 1)], 10)
        lp.addRow([(x, 1), (y, -1)], lower: -.infinity, upper: 2)
        let r = try #require(lp.ranges(of: [x, y]))
        #expect(r[0].lo == 1 && r[0].hi == 6 && r[1].lo == 4 && r[1].hi == 9)
        // Unbounded above, and infeasible.
        var open = LinearProgram()
        let z = open.addVariable(lower: 2)
        #expect(open.ranges(of: [z])?.first?.hi == .infinity)
        open.addRow([(z, 1)], lower: -.infinity, upper: 1)
        #expect(open.ranges(of: [z]) == nil)
    }

    /// One small cell in a column whose total the shares give away: withholding it alone would
    /// leave it as the total less the others, so the next smallest is withheld too.
    @Test func aSingleSmallCellIsNotLeftRecoverableFromTheTotal() {
        let input = table([("A", 3), ("B", 20), ("C", 15), ("D", 0)])
        let out = DisclosureControl.protect([input], rule: DisclosureRule(threshold: 5))
        #expect(shown(out.tables[0]) == ["c", "20", "c", "0"])
        #expect(shown(out.tables[0], 2) == ["c", "52.6", "c", "0.0"])
        #expect(out.primary == [1] && out.secondary == [1] && out.withheldTables.isEmpty)
        #expect(DisclosureControl.audit(original: [input], released: out.tables, rule: DisclosureRule(threshold: 5)).isEmpty)
        // Naive suppression of the one cell is caught by the intruder's LP.
        var naive = input
        naive.rows[0][1] = .suppressed
        naive.rows[0][2] = .suppressed
        #expect(
            DisclosureControl.audit(original: [input], released: [naive], rule: DisclosureRule(threshold: 5)) == [
                "test/t records row 1: can be narrowed to 3...3"
            ])
    }

    /// Two breakdowns (age band by sex) with every line total taken as known: withheld cells come
    /// at least two to a line, and the result passes the audit.
    @Test func crossTabulationsAreProtectedAlongEveryLine() {
        let cells = [("0-17", "F", 2), ("0-17", "M", 12), ("18-64", "F", 30), ("18-64", "M", 25), ("65+", "F", 14), ("65+", "M", 9)]
        let input = ProfileTable(
            profile: "test", id: "t", section: "who", title: "t", description: "", columns: ["age", "sex", "people"],
            rows: cells.map { [.text($0.0), .text($0.1), .count($0.2)] }, kinds: [.label, .label, .count])
        let out = DisclosureControl.protect([input], rule: DisclosureRule(threshold: 5))
        #expect(out.withheldTables.isEmpty)
        #expect(DisclosureControl.audit(original: [input], released: out.tables, rule: DisclosureRule(threshold: 5)).isEmpty)
        let withheld = (out.tables[0]?.rows ?? []).filter { $0[2] == .suppressed }
        #expect(withheld.count >= 4)
        for (column, value) in [(0, "0-17"), (0, "18-64"), (0, "65+"), (1, "F"), (1, "M")] {
            #expect(withheld.filter { $0[column].description == value }.count != 1, "\(value)")
        }
        let strict = DisclosureControl.protect([input], rule: DisclosureRule(threshold: 10))
        #expect(strict.tables[0]?.rows[5][2] == .suppressed)
        #expect(DisclosureControl.audit(original: [input], released: strict.tables, rule: DisclosureRule(threshold: 10)).isEmpty)
    }

    /// A small count shown, and a share left beside a withheld count, are both reported.
    @Test func theAuditRejectsAnUnderProtectedRelease() {
        let input = table([("A", 2), ("B", 4), ("C", 50)])
        var released = input
        released.rows[0][1] = .suppressed
        released.rows[0][2] = .suppressed
        let problems = DisclosureControl.audit(original: [input], released: [released], rule: DisclosureRule(threshold: 5))
        #expect(problems.contains("test/t records row 2: a count of 4 is shown"))
        let protected = DisclosureControl.protect([input], rule: DisclosureRule(threshold: 5))
        #expect(DisclosureControl.audit(original: [input], released: protected.tables, rule: DisclosureRule(threshold: 5)).isEmpty)
        var leaky = protected.tables[0]!
        leaky.rows[0][2] = input.rows[0][2]
        #expect(
            DisclosureControl.audit(original: [input], released: [leaky], rule: DisclosureRule(threshold: 5)).contains(
                "test/t share row 1: shown beside a withheld count"))
    }

    /// Zeros are shown; with no rule (threshold 1) nothing is withheld.
    @Test func zerosAreShownAndNoRuleWithholdsNothing() {
        #expect(
            shown(DisclosureControl.protect([table([("A", 0), ("B", 7), ("C", 12)])], rule: DisclosureRule(threshold: 5)).tables[0]) == [
                "0", "7", "12",
            ])
        #expect(
            shown(DisclosureControl.protect([table([("A", 1), ("B", 7)])], rule: DisclosureRule(threshold: 1)).tables[0]) == ["1", "7"])
    }

    /// Wards nest in localities: the locality table publishes each locality's total, so a locality
    /// with one withheld ward would give it away. Chosen together, a second ward of the locality is
    /// withheld; chosen table by table (as before), the LP audit of both finds the leak.
    @Test func wardsAreProtectedAgainstTheirLocalitiesTotals() {
        let ward = ProfileTable.Axis(
            attribute: "area:lsoa", level: .ward, multiLabel: false, parent: ["A1": "North", "A2": "North", "B1": "South", "B2": "South"])
        let locality = ProfileTable.Axis(attribute: "area:lsoa", level: .locality, multiLabel: false)
        let wards = counts("by_ward", "ward", axis: ward, [("A1", 3), ("A2", 40), ("B1", 30), ("B2", 50)])
        let localities = counts("by_locality", "locality", axis: locality, [("North", 43), ("South", 80)])
        #expect(DisclosureControl.contradictions([wards, localities]).isEmpty)
        let together = DisclosureControl.protect([wards, localities], rule: DisclosureRule(threshold: 5))
        #expect(shown(together.tables[0]) == ["c", "c", "30", "50"] && shown(together.tables[1]) == ["43", "80"])
        #expect(
            DisclosureControl.audit(original: [wards, localities], released: together.tables, rule: DisclosureRule(threshold: 5)).isEmpty)
        // Alone, the ward table needs nothing more: its own total is not published.
        let alone = DisclosureControl.protect([wards], rule: DisclosureRule(threshold: 5))
        #expect(shown(alone.tables[0]) == ["c", "40", "30", "50"])
        #expect(
            DisclosureControl.audit(
                original: [wards, localities], released: [alone.tables[0], localities], rule: DisclosureRule(threshold: 5))
                == ["p/by_ward records_2025_26 row 1: can be narrowed to 3...3"])
    }

    /// A success measure's share of a subset of events (risk removed or reduced, of concluded
    /// enquiries) is the sum of two rows of the breakdown by outcome: with the outcome table's
    /// other cells shown, the share gives a withheld count away. The subset link is in the model,
    /// and the pattern chosen with it holds.
    @Test func aShareOfASubsetIsLinkedToTheBreakdownThatPicksIt() {
        let outcome = ProfileTable.Axis(attribute: "field:outcome", level: .plain, multiLabel: false)
        let all = "records:enquiries{risk_type=Self-neglect}"
        let outcomes = counts(
            "outcomes", "outcome", axis: outcome,
            [("No risk identified", 14), ("Risk reduced", 37), ("Risk remains", 10), ("Risk removed", 7)], population: all)
        // The success measure: 44 of 68 (64.7%), with its counts hidden.
        var success = ProfileTable(
            profile: "p", id: "success_measures", section: "success", title: "s", description: "",
            columns: ["measure", "value_2025_26", "numerator_2025_26", "denominator_2025_26"],
            rows: [[.text("risk_removed_or_reduced"), .number(100 * 44 / 68, decimals: 1), .count(44), .count(68)]],
            kinds: [.other, .count, .count, .count], hidden: [2, 3])
        success.meaning = .init(
            axes: [],
            counts: [
                1: [nil],
                2: [
                    .init(
                        population: "records:enquiries{outcome=Risk reduced|Risk removed;risk_type=Self-neglect}", additivity: .additive,
                        year: "2025_26")
                ],
                3: [.init(population: all, additivity: .additive, year: "2025_26")],
            ], numberBases: [1: [2, 3]])
        #expect(DisclosureControl.contradictions([outcomes, success]).isEmpty)
        let tableByTable = DisclosureControl.protect([outcomes], rule: DisclosureRule(threshold: 10))
        #expect(shown(tableByTable.tables[0]).contains("c"))
        let leaks = DisclosureControl.audit(
            original: [outcomes, success], released: [tableByTable.tables[0], success], rule: DisclosureRule(threshold: 10))
        #expect(leaks.contains { $0.hasPrefix("p/outcomes records_2025_26 row 4: can be narrowed to 7...7") }, "\(leaks)")
        let together = DisclosureControl.protect([outcomes, success], rule: DisclosureRule(threshold: 10))
        #expect(
            DisclosureControl.audit(original: [outcomes, success], released: together.tables, rule: DisclosureRule(threshold: 10)).isEmpty)
        #expect(together.withheldTables.isEmpty)
    }

    /// "Victims known to more than one agency" is the breakdown by agencies' rows of 2 and of 3 or
    /// more: shown beside a row of 2, it gave the withheld row of 3 or more away.
    @Test func peopleKnownToSeveralAgenciesAreLinkedToTheAgenciesBreakdown() {
        let people = "people:crimes{}@victim+incidents{}@person"
        let axis = ProfileTable.Axis(attribute: "agencies", level: .plain, multiLabel: false)
        var agencies = counts("agencies_involved", "agencies", axis: axis, [("1", 240), ("2", 20), ("3 or more", 3)], population: people)
        agencies.meaning?.counts[1] = agencies.rows.map { _ in .init(population: people, additivity: .distinct, year: "2025_26") }
        var success = ProfileTable(
            profile: "p", id: "success_measures", section: "success", title: "s", description: "",
            columns: ["measure", "value_2025_26"], rows: [[.text("supported_by_several_agencies"), .count(23)]],
            kinds: [.other, .count])
        success.meaning = .init(axes: [], counts: [1: [.init(population: people + "|agencies>=2", additivity: .distinct, year: "2025_26")]])
        #expect(DisclosureControl.contradictions([agencies, success]).isEmpty)
        let alone = DisclosureControl.protect([agencies], rule: DisclosureRule(threshold: 5))
        #expect(shown(alone.tables[0]) == ["240", "20", "c"])
        #expect(
            DisclosureControl.audit(
                original: [agencies, success], released: [alone.tables[0], success], rule: DisclosureRule(threshold: 5))
                == ["p/agencies_involved records_2025_26 row 3: can be narrowed to 3...3"])
        let together = DisclosureControl.protect([agencies, success], rule: DisclosureRule(threshold: 5))
        #expect(
            DisclosureControl.audit(original: [agencies, success], released: together.tables, rule: DisclosureRule(threshold: 5)).isEmpty)
    }

    /// Partners also read the public summary: the public pattern starts from everything withheld
    /// from partners, so reading both says no more than the partners' release.
    @Test func thePublicPatternContainsThePartnersPattern() {
        let cells = [("r1", "F", 3), ("r1", "M", 12), ("r2", "F", 13), ("r2", "M", 30), ("r3", "F", 14), ("r3", "M", 9)]
        let input = [
            ProfileTable(
                profile: "test", id: "t", section: "who", title: "t", description: "", columns: ["age", "sex", "people"],
                rows: cells.map { [.text($0.0), .text($0.1), .count($0.2)] }, kinds: [.label, .label, .count])
        ]
        let partners = DisclosureControl.protect(input, rule: DisclosureRule(threshold: 5))
        let after = DisclosureControl.protect(input, rule: DisclosureRule(threshold: 10), after: partners)
        #expect(partners.withheldCells.isSubset(of: after.withheldCells))
        #expect(DisclosureControl.audit(original: input, released: after.tables, rule: DisclosureRule(threshold: 10)).isEmpty)
        // What a partner reads in both: a cell is known if either release shows it.
        var both = partners.tables[0]!
        for r in both.rows.indices where both.rows[r][2] == .suppressed { both.rows[r][2] = after.tables[0]!.rows[r][2] }
        #expect(DisclosureControl.audit(original: input, released: [both], rule: DisclosureRule(threshold: 5)).isEmpty)
        #expect(shown(both, 2) == shown(partners.tables[0], 2))
    }

    /// A table whose every count is small and whose total its shares give away cannot be
    /// protected by withholding cells: it is withheld whole, with the reason.
    @Test func aTableNoPatternProtectsIsWithheldWithTheReason() {
        let out = DisclosureControl.protect(
            [table([("A", 2), ("B", 1)]), table([("A", 30), ("B", 40)])], rule: DisclosureRule(threshold: 10))
        #expect(out.tables[0] == nil && out.withheldTables[0] == SuppressionSearch.noPattern)
        #expect(out.tables[1] != nil)
    }
}
