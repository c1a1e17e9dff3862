import Definitions
import Foundation
import Profiles
import TestSupport
import Testing

/// What each audience must withhold lives in `profiles/audiences.yaml`, and every group file states
/// its own threshold, at least its audience's (issue 17: no threshold in Swift).
@Suite("Definitions: audiences and group thresholds")
struct AudiencePolicyTests {
    static let profiles = try! ProfileCatalogue.load(
        directory: TestPaths.profiles + "/priorities", sources: SourceCatalogue.load(profiles: TestPaths.profiles),
        measures: MeasureLibrary.grammars)
    static let policy = try! AudiencePolicy.load(profiles: TestPaths.profiles)

    @Test func theShippedPolicyAndGroups() throws {
        #expect(Self.policy.least == [.partners: 5, .public: 10])
        let groups = try GroupDefinition.loadAll(directory: TestPaths.profiles + "/groups", profiles: Self.profiles, audiences: Self.policy)
        for g in groups { #expect(g.threshold >= Self.policy.least[g.audience]!, "\(g.id)") }
    }

    private func groupError(_ yaml: String) -> DefinitionError? {
        do {
            _ = try GroupDefinition.parse(yaml, file: "g.yaml", profiles: Self.profiles, audiences: Self.policy)
            return nil
        } catch {
            return error.errors.first
        }
    }

    @Test func everyGroupStatesItsThresholdAtLeastItsAudiences() throws {
        let missing = try #require(groupError("group: g\nprofiles: [neglect]\naudience: public\n"))
        #expect(
            missing.key == "suppress_below" && missing.message.contains("missing required key") && missing.message.contains("at least 10"))
        let low = try #require(groupError("group: g\nprofiles: [neglect]\naudience: partners\nsuppress_below: 4\n"))
        #expect(low.line == 4 && low.message.hasPrefix("a partners audience needs counts of 1 to 4 withheld (5 or more"))
        #expect(groupError("group: g\nprofiles: [neglect]\naudience: partners\nsuppress_below: 5\n") == nil)
    }

    @Test(
        arguments: [
            (
                "audiences:\n  partners: { least_suppress_below: 5 }\n  pubic: { least_suppress_below: 10 }\n", 3, "audiences.pubic",
                "unknown audience 'pubic'"
            ),
            (
                "audiences:\n  partners: { least_suppress_below: 5 }\n", 2, "audiences.public",
                "every audience states its least suppress_below"
            ),
            (
                "audiences:\n  partners: { least_suppress_below: 12 }\n  public: { least_suppress_below: 10 }\n", 2,
                "audiences.partners.least_suppress_below", "12 is above the public's 10"
            ),
            (
                "audiences:\n  partners: { least_suppress_below: 1 }\n  public: { least_suppress_below: 10 }\n", 2,
                "audiences.partners.least_suppress_below", "1 is outside 2 to 100"
            ),
        ] as [(String, Int, String, String)])
    func aBadPolicyNamesFileLineAndKey(_ yaml: String, _ line: Int, _ key: String, _ message: String) throws {
        #expect {
            _ = try AudiencePolicy.parse(yaml, file: "audiences.yaml")
        } throws: { error in
            guard let e = (error as? DefinitionErrors)?.errors.first else { return false }
            #expect(e.line == line && e.key == key && e.message.contains(message), "\(e)")
            return e.file == "audiences.yaml"
        }
    }
}
