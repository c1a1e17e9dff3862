import Foundation
import Profiles
import TestSupport
import Testing

@testable import Definitions

@Suite("Profile definitions")
struct ProfileDefinitionTests {
    static let sources = try! SourceCatalogue.load(profiles: TestPaths.profiles)

    @Test func everyPriorityHasItsSectionsAndSuccessMeasures() throws {
        let catalogue = try ProfileCatalogue.load(
            directory: TestPaths.profiles + "/priorities", sources: Self.sources, measures: MeasureLibrary.grammars)
        #expect(catalogue.profiles.count == 7)
        for p in catalogue.profiles {
            let sections = Set(p.tables.map(\.section))
            for needed: TableDefinition.Section in [.what, .whoHarmed, .whoPosesRisk, .where, .when] {
                #expect(sections.contains(needed), "\(p.id) has no \(needed.rawValue) table")
            }
            #expect(!p.success.isEmpty, "\(p.id) has no success measure")
        }
    }

    static let valid = """
        profile: demo
        title: Demo
        events:
          da: { source: police_crimes, where: { domestic_abuse: "yes" } }
        tables:
          - id: t
            section: what
            events: [da]
            by: [offence]
            measures: [records]
        success:
          - id: s
            good: up
            events: [da]
            measure: records
        """

    @Test(
        arguments: [
            ("source: police_crimes,", "source: police_crime,", 4, "events.da.source", "unknown source"),
            ("domestic_abuse: \"yes\"", "domestic_abus: \"yes\"", 4, "events.da.where.domestic_abus", "unknown field"),
            ("by: [offence]", "by: [offense]", 9, "tables.t.by", "unknown field 'offense'"),
            ("by: [offence]", "by: [band(offence)]", 9, "tables.t.by", "needs a field of type integer"),
            ("by: [offence]", "by: [ward(date)]", 9, "tables.t.by", "needs a field of type"),
            ("measures: [records]", "measures: [recrods]", 10, "tables.t.measures", "unknown measure"),
            ("measures: [records]", "measures: [people:offender]", 10, "tables.t.measures", "has no person 'offender'"),
            // Blank measures (found by the definitions fuzz target, which crashed on them) are refused.
            ("measures: [records]", "measures: [\"\"]", 10, "tables.t.measures", "unknown measure ''"),
            ("measures: [records]", "measures: [\"::\"]", 10, "tables.t.measures", "unknown measure '::'"),
            // A measure takes the arguments its grammar names, no more and no fewer.
            ("measures: [records]", "measures: [records:victim]", 10, "tables.t.measures", "unknown measure 'records:victim'"),
            ("measures: [records]", "measures: [people:victim:suspect]", 10, "tables.t.measures", "unknown measure"),
            ("measures: [records]", "measures: [serial:suspect]", 10, "tables.t.measures", "unknown measure 'serial:suspect'"),
            ("measures: [records]", "measures: [sum:offence]", 10, "tables.t.measures", "sum: needs an integer or decimal field"),
            // A value no row can hold is an error at the value, with the nearest valid ones (issue 17).
            (
                "domestic_abuse: \"yes\"", "domestic_abuse: \"yes\", offence: Shopliftng", 4, "events.da.where.offence",
                "'Shopliftng' is not a value of offence; did you mean 'Shoplifting'?"
            ),
            (
                "domestic_abuse: \"yes\"", "domestic_abuse: \"yes\", offence: [Robbery, Burglery]", 4, "events.da.where.offence",
                "'Burglery' is not a value of offence; did you mean 'Burglary'?"
            ),
            (
                "domestic_abuse: \"yes\"", "domestic_abuse: \"maybe\"", 4, "events.da.where.domestic_abuse",
                "'maybe' is not a value of domestic_abuse (its values: yes, no, y, n, true, false)"
            ),
            (
                "domestic_abuse: \"yes\"", "domestic_abuse: \"yes\", victim.sex: Femal", 4, "events.da.where.victim.sex",
                "'Femal' is not a value of victim.sex; did you mean 'Female'?"
            ),
            // A test that does not fit its field's type is an error, not a condition that matches nothing.
            (
                "domestic_abuse: \"yes\"", "domestic_abuse: \"yes\", victim.age: { not: [16] }", 4, "events.da.where.victim.age.not",
                "not: applies to code, text and flag fields"
            ),
            // Bandings are definitions (profiles/codes/bands.yaml), named when not the default.
            (
                "by: [offence]", "by: [\"band(victim.age, teens)\"]", 9, "tables.t.by",
                "no banding 'teens' (bands: in profiles/codes; defined: age, looked_after_age, care_leaver_age)"
            ),
            ("by: [offence]", "by: [\"month(date, age)\"]", 9, "tables.t.by", "only band(field, banding) takes a second argument"),
            (
                "by: [offence]", "by: [band(victim.age, teens)]", 9, "tables.t.by",
                "'band(victim.age' is not a whole breakdown (in a [...] list, quote"
            ),
            ("events: [da]\n    by", "events: [ab]\n    by", 8, "tables.t.events", "unknown events 'ab'"),
            ("good: up", "good: upward", 13, "success.s.good", "good is up or down"),
            ("section: what", "section: whom", 7, "tables.t.section", "unknown section"),
        ] as [(String, String, Int, String, String)])
    func mistakesNameLineAndKey(_ replace: String, _ with: String, _ line: Int, _ key: String, _ message: String) throws {
        let text = Self.valid.replacingOccurrences(of: replace, with: with)
        #expect(text != Self.valid)
        #expect {
            _ = try ProfileDefinition.parse(
                text, file: "profiles/priorities/demo.yaml", sources: Self.sources, measures: MeasureLibrary.grammars)
        } throws: { error in
            guard let e = (error as? DefinitionErrors)?.errors.first else { return false }
            #expect(e.line == line, "\(e)")
            #expect(e.key == key, "\(e)")
            #expect(e.message.contains(message), "\(e)")
            return e.file == "profiles/priorities/demo.yaml"
        }
    }
}
