import Definitions
import Foundation
import TestSupport
import Testing

/// `profiles/linkage.yaml`: the method and threshold, and the errors a bad one gets.
@Suite("Definitions: linkage")
struct LinkageDefinitionTests {
    @Test func theShippedDefinitionMatchesProbabilisticallyAtItsThreshold() throws {
        let d = try LinkageDefinition.load(profiles: TestPaths.profiles)
        #expect(d.method == .probabilistic && d.threshold == 0.8)
        let catalogue = try SourceCatalogue.load(profiles: TestPaths.profiles)
        #expect(catalogue.linkage == d)
    }

    @Test func noFileMeansTheDefaults() throws {
        let dir = try TemporaryDirectory("no-linkage")
        defer { dir.remove() }
        #expect(try LinkageDefinition.load(profiles: dir.path) == LinkageDefinition())
    }

    @Test(arguments: [
        ("method: exact\nthreshold: 1.5\n", 2, "threshold", "1.5 is outside 0 to 1"),
        ("threshold: -0.1\n", 1, "threshold", "-0.1 is outside 0 to 1"),
        ("threshold: high\n", 1, "threshold", "expected a number"),
        ("method: fuzzy\n", 1, "method", "unknown method 'fuzzy' (expected: exact, probabilistic)"),
        ("description: x\ncutoff: 0.5\n", 2, "cutoff", "unknown key"),
    ])
    func aBadDefinitionIsNamedByFileLineAndKey(yaml: String, line: Int, key: String, message: String) {
        do {
            _ = try LinkageDefinition.parse(yaml, file: "profiles/linkage.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            let e = error.errors.first
            #expect(e?.file == "profiles/linkage.yaml" && e?.line == line && e?.key == key, "\(error.errors)")
            #expect(e?.message.contains(message) == true, "\(error.errors)")
        }
    }

    @Test func aBadLinkageFileStopsTheSourcesLoading() throws {
        let dir = try TemporaryDirectory("bad-linkage")
        defer { dir.remove() }
        try FileManager.default.copyItem(atPath: TestPaths.profiles, toPath: dir.file("profiles"))
        try Data("threshold: 2\n".utf8).write(to: URL(fileURLWithPath: dir.file("profiles/linkage.yaml")))
        do {
            _ = try SourceCatalogue.load(profiles: dir.file("profiles"))
            Issue.record("a threshold of 2 was accepted")
        } catch {
            #expect(error.errors.map(\.key) == ["threshold"], "\(error.errors)")
        }
    }
}
