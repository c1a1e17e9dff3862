import Foundation
import TestSupport
import Testing

/// A corpus of broken definitions, each an analyst's edit of one shipped file, run through
/// `profiler profiles check` as the analyst runs it: the exact message, at the exact file, line,
/// column and key, and the exit code (3: refused when loading; 1: a warning from the bundled
/// drop). Misspelt values and names, measures and breakdowns that do not fit their events, wrong
/// reserved words, conditions and tables that meet nothing in the drop.
@Suite("Definitions: a corpus of broken definitions")
struct BrokenDefinitionsTests {
    struct Broken: CustomTestStringConvertible, Sendable {
        let name: String
        /// The file edited, under profiles/.
        let file: String
        /// Each edit: a text of the shipped file (found once) and what replaces it.
        let edits: [(String, String)]
        /// Where the mistake is reported: the first place this text starts, from the first edit on
        /// (else from the top of the file), gives the line and column.
        let at: String
        let key: String
        /// `{profiles}` stands for the edited copy's folder, where a message names another file.
        let message: String
        var exit: Int32 = 3
        /// How many problems are reported in all (one mistake can also empty a success measure).
        var lines = 1
        var testDescription: String { name }
    }

    static let cases: [Broken] = [
        Broken(
            name: "misspelt code value",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("discharge_outcome: Successful completion }", "discharge_outcome: Sucessful completion }")],
            at: "Sucessful completion } }",
            key: "events.completed.where.discharge_outcome",
            message: "'Sucessful completion' is not a value of discharge_outcome; did you mean 'Successful completion'?"),
        Broken(
            name: "misspelt field in a condition",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("where: { referral_source: Prison }", "where: { referal_source: Prison }")],
            at: "referal_source: Prison } }",
            key: "events.from_prison.where.referal_source",
            message: "unknown field 'referal_source' of source substance_treatment; did you mean 'referral_source'?"),
        Broken(
            name: "unknown source",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("treatment: { source: substance_treatment }", "treatment: { source: substance_treatmnt }")],
            at: "substance_treatmnt }",
            key: "events.treatment.source",
            message: "unknown source 'substance_treatmnt'; did you mean 'substance_treatment'?"),
        Broken(
            name: "unknown event set in a table",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("    events: [treatment]\n    by: [substance_group]", "    events: [treatmnt]\n    by: [substance_group]")],
            at: "[treatmnt]",
            key: "tables.treatment_by_substance.events",
            message: "unknown events 'treatmnt'; did you mean 'treatment'?"),
        Broken(
            name: "unknown measure",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("measures: [records, people, share]", "measures: [records, poeple, share]")],
            at: "[records, poeple, share]",
            key: "tables.treatment_by_substance.measures",
            message:
                "unknown measure 'poeple'; did you mean 'people'? (records, people[:role], repeat_people[:role], repeat_within_year[:role], people_repeat_within_year[:role], serial:role:role, rate_per_1000, rate_per_10000_children, share, sum:field, mean:field, sites:category)"
        ),
        Broken(
            name: "a role the events do not have",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "    by: [referral_source]\n    measures: [records, share]",
                    "    by: [referral_source]\n    measures: [records, people:suspect]"
                )
            ],
            at: "[records, people:suspect]",
            key: "tables.treatment_referral_sources.measures",
            message: "source substance_treatment (events treatment) has no person 'suspect' to count (its people: client)"),
        Broken(
            name: "summing a field that is not a number",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "    by: [referral_source]\n    measures: [records, share]",
                    "    by: [referral_source]\n    measures: [sum:discharge_outcome]"
                )
            ],
            at: "[sum:discharge_outcome]",
            key: "tables.treatment_referral_sources.measures",
            message: "sum: needs an integer or decimal field; discharge_outcome of source substance_treatment is code"),
        Broken(
            name: "a mean of a code",
            file: "priorities/self_neglect.yaml",
            edits: [("measures: [records, mean:enquiry_start]", "measures: [records, mean:outcome]")],
            at: "[records, mean:outcome]",
            key: "tables.days_to_enquiry.measures",
            message: "mean: needs an integer, decimal or date field; outcome of source adult_safeguarding_enquiries is code"),
        Broken(
            name: "a mean as a measure of success",
            file: "priorities/self_neglect.yaml",
            edits: [
                ("    events: [enquiries]\n    measure: repeat_within_year", "    events: [enquiries]\n    measure: mean:enquiry_start")
            ],
            at: "mean:enquiry_start",
            key: "success.repeat_enquiries_within_a_year.measure",
            message: "a measure of success is a count, a rate or a share; mean: belongs in a table"),
        Broken(
            name: "serial over a source without the second role",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "    by: [referral_source]\n    measures: [records, share]",
                    "    by: [referral_source]\n    measures: [serial:client:victim]"
                )
            ],
            at: "[serial:client:victim]",
            key: "tables.treatment_referral_sources.measures",
            message: "source substance_treatment (events treatment) has no person 'victim' to count (its people: client)"),
        Broken(
            name: "not: on an integer field",
            file: "priorities/transitional_safeguarding.yaml",
            edits: [("child.age_at_event: { between: 16-17 }", "child.age_at_event: { not: [16, 17] }")],
            at: "[16, 17] } } }",
            key: "events.referred_16_17.where.child.age_at_event.not",
            message: "not: applies to code, text and flag fields (an integer field is tested with min:, max: or present:)"),
        Broken(
            name: "any: on a code field",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("where: { referral_source: Prison }", "where: { referral_source: { any: [Prison] } }")],
            at: "[Prison] } } }",
            key: "events.from_prison.where.referral_source.any",
            message: "any: applies to fields of type codes"),
        Broken(
            name: "a range written wrongly",
            file: "priorities/transitional_safeguarding.yaml",
            edits: [("child.age_at_event: { between: 16-17 }", "child.age_at_event: { between: 16- }")],
            at: "16- } } }",
            key: "events.referred_16_17.where.child.age_at_event.between",
            message: "a range is written first-last, like 16-17"),
        Broken(
            name: "two tests in one condition",
            file: "priorities/transitional_safeguarding.yaml",
            edits: [("child.age_at_event: { between: 16-17 }", "child.age_at_event: { min: 16, max: 17 }")],
            at: "{ min: 16, max: 17 } } }",
            key: "events.referred_16_17.where.child.age_at_event",
            message: "a condition has one test (min: and max: given; a range is between: 16-25)"),
        Broken(
            name: "a condition with no test",
            file: "priorities/transitional_safeguarding.yaml",
            edits: [("child.age_at_event: { between: 16-17 }", "child.age_at_event: {}")],
            at: "{} } }",
            key: "events.referred_16_17.where.child.age_at_event",
            message: "a condition needs a test (not:, any:, min:, max:, between:, present: or ward_with_site:)"),
        Broken(
            name: "a bound that is not a whole number",
            file: "priorities/transitional_safeguarding.yaml",
            edits: [("child.age_at_event: { between: 16-17 }", "child.age_at_event: { min: inf }")],
            at: "inf } } }",
            key: "events.referred_16_17.where.child.age_at_event.min",
            message: "expected a whole number"),
        Broken(
            name: "a flag word that is not one",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "ae_alcohol: { source: ae_attendances, where: { alcohol: \"yes\" } }",
                    "ae_alcohol: { source: ae_attendances, where: { alcohol: maybe } }"
                )
            ],
            at: "maybe } }",
            key: "events.ae_alcohol.where.alcohol",
            message: "'maybe' is not a value of alcohol (its values: yes, no, y, n, true, false)"),
        Broken(
            name: "unknown section",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("    section: when", "    section: whenever")],
            at: "whenever",
            key: "tables.by_month.section",
            message: "unknown section 'whenever' (what, who_harmed, who_poses_risk, where, when, cross_agency)"),
        Broken(
            name: "unknown breakdown function",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("by: [ward(lsoa)]", "by: [wards(lsoa)]")],
            at: "[wards(lsoa)]",
            key: "tables.admissions_by_ward.by",
            message: "unknown breakdown 'wards(...)' (use month, band, ward, locality or decile)"),
        Broken(
            name: "band of a field that is not a number",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("by: [band(suspect.age), suspect.sex]", "by: [band(suspect.sex), suspect.sex]")],
            at: "[band(suspect.sex), suspect.sex]",
            key: "tables.drug_offence_suspects.by",
            message: "'band(suspect.sex)' needs a field of type integer; suspect.sex is code"),
        Broken(
            name: "unknown banding",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("by: [band(suspect.age), suspect.sex]", "by: [\"band(suspect.age, decades)\", suspect.sex]")],
            at: "[\"band(suspect.age, decades)\", suspect.sex]",
            key: "tables.drug_offence_suspects.by",
            message: "no banding 'decades' (bands: in profiles/codes; defined: age, looked_after_age, care_leaver_age)"),
        Broken(
            name: "ward of a field that is not a place",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("by: [ward(lsoa)]", "by: [ward(primary_diagnosis)]")],
            at: "[ward(primary_diagnosis)]",
            key: "tables.admissions_by_ward.by",
            message: "'ward(primary_diagnosis)' needs a field of type lsoa or postcode; primary_diagnosis is code"),
        Broken(
            name: "good is neither up nor down",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("    good: down\n    events: [alcohol_admissions]", "    good: lower\n    events: [alcohol_admissions]")],
            at: "lower",
            key: "success.alcohol_specific_admissions.good",
            message: "good is up or down"),
        Broken(
            name: "share of unknown events",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("share_of: [discharged]", "share_of: [discharges]")],
            at: "[discharges]",
            key: "success.successful_completions.share_of",
            message: "unknown events 'discharges'; did you mean 'discharged'?"),
        Broken(
            name: "a table id used twice",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("  - id: treatment_referral_sources", "  - id: treatment_by_substance")],
            at: "id: treatment_by_substance",
            key: "tables.treatment_by_substance",
            message: "table id 'treatment_by_substance' is used twice"),
        Broken(
            name: "a table id that cannot name a file",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("  - id: treatment_referral_sources", "  - id: ../referral_sources")],
            at: "../referral_sources",
            key: "tables[1].id",
            message: "'../referral_sources' must be lower-case letters, digits and underscores (it names the table's file)"),
        Broken(
            name: "also_in names an unknown set",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "also_in: [mental_health_admissions, mental_health_secondary, ae_mental_health, mental_health_need]\n  co_occurring_ae_alcohol",
                    "also_in: [mental_health_admision]\n  co_occurring_ae_alcohol"
                )
            ],
            at: "[mental_health_admision]",
            key: "events.co_occurring_admissions.also_in",
            message: "unknown events 'mental_health_admision'; did you mean 'mental_health_admissions'?"),
        Broken(
            name: "also_in names a set with its own also_in",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "also_in: [mental_health_admissions, mental_health_secondary, ae_mental_health, mental_health_need]\n  co_occurring_ae_alcohol",
                    "also_in: [co_occurring_ae_drugs]\n  co_occurring_ae_alcohol"
                )
            ],
            at: "[co_occurring_ae_drugs]",
            key: "events.co_occurring_admissions.also_in",
            message: "'co_occurring_ae_drugs' has an also_in of its own: also_in names sets without one"),
        Broken(
            name: "ward_with_site on a field that is not a place",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                (
                    "where: { client.home_postcode: { ward_with_site: drug_and_alcohol } }",
                    "where: { substance: { ward_with_site: drug_and_alcohol } }"
                )
            ],
            at: "drug_and_alcohol } } }",
            key: "events.treatment_near_services.where.substance.ward_with_site",
            message: "ward_with_site: applies to lsoa and postcode fields"),
        Broken(
            name: "a site category written wrongly",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("sites:drug_and_alcohol]", "sites:Drug and alcohol]")],
            at: "[people, rate_per_1000, sites:Drug and alcohol]",
            key: "tables.services_and_demand_by_ward.measures",
            message: "sites: a category is lower-case letters, digits and underscores, as services.csv writes it ('Drug and alcohol')"),
        Broken(
            name: "then: without ages:",
            file: "priorities/transitional_safeguarding.yaml",
            edits: [("    ages: 16-17\n    then: [adult_social_care]", "    then: [adult_social_care]")],
            at: "[adult_social_care]",
            key: "success.adult_response_after_18.then",
            message: "a cohort is ages:, then: and (optionally) then_ages: together; ages: is missing"),
        Broken(
            name: "min_agencies below one",
            file: "priorities/domestic_abuse.yaml",
            edits: [("min_agencies: 2", "min_agencies: 0")],
            at: "0",
            key: "success.supported_by_several_agencies.min_agencies",
            message: "min_agencies counts agencies: 1 or more"),
        Broken(
            name: "YAML that does not parse",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("measures: [records, people, share]", "measures: [records, people, share")],
            at: ": treatment_referral_sources",
            key: "YAML syntax error",
            message: "did not find expected ',' or ']'"),
        Broken(
            name: "unknown: written in capitals",
            file: "sources/substance_treatment.yaml",
            edits: [("  yes_no_unknown:\n    unknown: reject", "  yes_no_unknown:\n    unknown: Reject")],
            at: "Reject",
            key: "codes.yes_no_unknown.unknown",
            message: "unknown: is reject, keep or {label: ...}, not 'Reject'; did you mean 'reject'?"),
        Broken(
            name: "unknown field type",
            file: "sources/substance_treatment.yaml",
            edits: [("type: code, codes: yes_no_unknown }", "type: cod, codes: yes_no_unknown }")],
            at: "cod, codes: yes_no_unknown }",
            key: "fields.lives_with_children.type",
            message: "unknown type 'cod' (expected one of: text, code, codes, integer, decimal, date, flag, lsoa, postcode)"),
        Broken(
            name: "a required field's column made optional",
            file: "sources/substance_treatment.yaml",
            edits: [("codes: substance_group, required: true }", "codes: substance_group, required: true, optional: true }")],
            at: "true }",
            key: "fields.substance_group.optional",
            message: "a required field's column cannot be optional"),
        Broken(
            name: "unknown code list",
            file: "sources/substance_treatment.yaml",
            edits: [("codes: yes_no_unknown }", "codes: yes_no }")],
            at: "yes_no }",
            key: "fields.lives_with_children.codes",
            message:
                "unknown code list 'yes_no' (defined: discharge_outcome, ethnicity_dfe, ethnicity_nhs, ethnicity_police, ethnicity_text, mental_health_need, sex, "
                + "ssda903_category_of_need, ssda903_legal_status, ssda903_new_episode_reason, ssda903_placement, ssda903_placement_change_reason, "
                + "ssda903_placement_provider, ssda903_reason_ceased, substance_group, yes_no_unknown)"
        ),
        Broken(
            name: "unknown agency",
            file: "sources/substance_treatment.yaml",
            edits: [("agency: health", "agency: helth")],
            at: "helth",
            key: "agency",
            message: "unknown agency 'helth' (expected one of: council, fire, health, other, police, probation)"),
        Broken(
            name: "a group below its audience's threshold",
            file: "groups/public_summary.yaml",
            edits: [("suppress_below: 10", "suppress_below: 5")],
            at: "5",
            key: "suppress_below",
            message: "a public audience needs counts of 1 to 9 withheld (10 or more, {profiles}/audiences.yaml)"),
        Broken(
            name: "unknown audience",
            file: "groups/community_safety.yaml",
            edits: [("audience: partners", "audience: partner")],
            at: "partner",
            key: "audience",
            message: "unknown audience 'partner' (expected one of: partners, public)"),
        Broken(
            name: "a group naming an unknown profile",
            file: "groups/community_safety.yaml",
            edits: [("drug_and_alcohol", "drugs_and_alcohol")],
            at: "[preventing_offending, drugs_and_alcohol]",
            key: "profiles",
            message:
                "unknown profile 'drugs_and_alcohol' (defined: domestic_abuse, drug_and_alcohol, exploitation, neglect, preventing_offending, self_neglect, transitional_safeguarding, or all)"
        ),
        Broken(
            name: "unknown polarity",
            file: "benchmarks/drug_and_alcohol.yaml",
            edits: [("polarity: low_is_good", "polarity: low_is_best")],
            at: "low_is_best",
            key: "comparisons[1].polarity",
            message: "unknown value 'low_is_best' (expected one of: low_is_good, high_is_good, no_judgement)"),
        Broken(
            name: "overlapping bands",
            file: "codes/bands.yaml",
            edits: [("\"5-9\": [5, 9]", "\"5-9\": [4, 9]")],
            at: "\"5-9\": [4, 9]",
            key: "bands.age.5-9",
            message: "overlaps band '0-4'"),
        Broken(
            name: "a free-text value no row has",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("where: { referral_source: Prison }", "where: { referral_source: Prisn }")],
            at: "Prisn } }",
            key: "events.from_prison.where.referral_source",
            message: "condition referral_source = Prisn matched no row of substance_treatment",
            exit: 1,
            lines: 2),
        Broken(
            name: "a table with nothing in the year",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [
                ("    events: [treatment]\n    by: [substance_group]", "    events: [unrecorded_substance]\n    by: [substance_group]"),
                (
                    "  treatment: { source: substance_treatment }\n",
                    "  treatment: { source: substance_treatment }\n  unrecorded_substance: { source: substance_treatment, where: { substance_group: None } }\n"
                ),
            ],
            at: "id: treatment_by_substance",
            key: "tables.treatment_by_substance",
            message: "table treatment_by_substance counts nothing in 2025-26",
            exit: 1),
        Broken(
            name: "a site category the drop does not have",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("sites:drug_and_alcohol]", "sites:drug_services]")],
            at: "id: services_and_demand_by_ward",
            key: "tables.services_and_demand_by_ward",
            message:
                "measure sites:drug_services of table services_and_demand_by_ward: no service site of that category in the drop's reference/services.csv (its categories: children_and_families, domestic_abuse, drug_and_alcohol, health, housing, police)",
            exit: 1),
        Broken(
            name: "a ward_with_site category the drop does not have",
            file: "priorities/drug_and_alcohol.yaml",
            edits: [("ward_with_site: drug_and_alcohol", "ward_with_site: drugs")],
            at: "{ ward_with_site: drugs } } }",
            key: "events.treatment_near_services.where.client.home_postcode",
            message:
                "condition client.home_postcode ward_with_site drugs: no service site of that category in the drop's reference/services.csv (its categories: children_and_families, domestic_abuse, drug_and_alcohol, health, housing, police)",
            exit: 1,
            lines: 2),
        Broken(
            name: "a misspelt SSDA903 code list",
            file: "sources/ssda903_episodes.yaml",
            edits: [("codes: ssda903_category_of_need, required", "codes: ssda903_category_of_needs, required")],
            at: "ssda903_category_of_needs, required",
            key: "fields.category_of_need.codes",
            message:
                "unknown code list 'ssda903_category_of_needs' (defined: ethnicity_dfe, ethnicity_nhs, ethnicity_police, ethnicity_text, sex, "
                + "ssda903_category_of_need, ssda903_legal_status, ssda903_new_episode_reason, ssda903_placement, "
                + "ssda903_placement_change_reason, ssda903_placement_provider, ssda903_reason_ceased)"),
        Broken(
            name: "a join without its key column",
            file: "sources/ssda903_episodes.yaml",
            edits: [("join: { file: ssda903_header, on: CHILD, columns", "join: { file: ssda903_header, columns")],
            at: "{ file: ssda903_header, columns",
            key: "join.on",
            message: "missing required key"),
        Broken(
            name: "a join to a file named with its extension",
            file: "sources/ssda903_episodes.yaml",
            edits: [("join: { file: ssda903_header, on", "join: { file: ssda903_header.csv, on")],
            at: "ssda903_header.csv, on",
            key: "join.file",
            message: "give the other file's name without folder, extension or '*' ('ssda903_header' for ssda903_header.csv)"),
    ]

    /// The 1-based line and column where `at` first starts at or after `from`, else in the text.
    static func place(of at: String, in text: String, from: String.Index) -> (line: Int, column: Int)? {
        guard let range = text.range(of: at, range: from..<text.endIndex) ?? text.range(of: at) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column =
            before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
        return (line, column)
    }

    @Test(arguments: cases)
    func isReportedAtItsPlace(_ c: Broken) throws {
        #expect(ProcessRun.profilerIsBuilt, "swift build first: the corpus runs the built profiler")
        let dir = try TemporaryDirectory("broken")
        defer { dir.remove() }
        let first = try #require(c.edits.first)
        var (folder, text) = try editedDefinitions(in: dir, file: c.file, replacing: first.0, with: first.1)
        for (old, new) in c.edits.dropFirst() {
            #expect(text.components(separatedBy: old).count == 2, "edit text found once: \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(toFile: folder + "/" + c.file, atomically: true, encoding: .utf8)
        // Everything before the first edit is as shipped, so its place is the same in the edited text.
        let shipped = try String(contentsOfFile: TestPaths.profiles + "/" + c.file, encoding: .utf8)
        let offset =
            c.edits.compactMap { shipped.range(of: $0.0).map { shipped.distance(from: shipped.startIndex, to: $0.lowerBound) } }.min() ?? 0
        let from = text.index(text.startIndex, offsetBy: offset)
        let place = try #require(Self.place(of: c.at, in: text, from: from), "'\(c.at)' is in the edited file")
        let expected =
            "\(folder)/\(c.file):\(place.line):\(place.column): " + (c.key.isEmpty ? "" : c.key + ": ")
            + c.message.replacingOccurrences(of: "{profiles}", with: folder)

        let run = try ProcessRun.profiler(["profiles", "check", "--profiles", folder])
        let printed = (run.stderr + run.stdout).split(separator: "\n").map(String.init)
        #expect(run.status == c.exit)
        #expect(printed.contains(expected), "expected \(expected)\nprinted:\n\(printed.joined(separator: "\n"))")
        #expect(printed.filter { $0.hasPrefix(folder + "/") }.count == c.lines, "\(printed.joined(separator: "\n"))")
    }

    @Test func theCorpusCoversEveryKindOfMistake() {
        #expect(Self.cases.count >= 30)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
        // Every kind of definition file, and both a refusal and a warning from the drop.
        #expect(Set(Self.cases.map { $0.file.split(separator: "/").first! }) == ["priorities", "sources", "groups", "benchmarks", "codes"])
        #expect(Self.cases.contains { $0.exit == 1 } && Self.cases.contains { $0.exit == 3 })
    }
}
