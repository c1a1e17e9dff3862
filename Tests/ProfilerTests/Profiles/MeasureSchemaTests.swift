import Definitions
import Foundation
import Profiles
import TestSupport
import Testing

/// The profile schema's measures (`profiles/schemas/profile.schema.json`, `$defs.measure`) are the
/// measure library's: each measure the engine knows fits the schema's pattern with the arguments it
/// takes, and not with more or fewer; its examples name every measure and no other.
@Suite("Profiles: measures in the profile schema")
struct MeasureSchemaTests {
    @Test func theSchemaKnowsEveryMeasure() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.profiles + "/schemas/profile.schema.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let measure = try #require((root["$defs"] as? [String: Any])?["measure"] as? [String: Any])
        let pattern = try NSRegularExpression(pattern: try #require(measure["pattern"] as? String))
        func fits(_ text: String) -> Bool { pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
        let examples = try #require(measure["examples"] as? [String])
        #expect(Set(examples.map { String($0.prefix { $0 != ":" }) }) == Set(MeasureLibrary.grammars.map(\.name)))
        for example in examples { #expect(fits(example), "\(example)") }
        for grammar in MeasureLibrary.grammars {
            // `people[:role]` takes 0 or 1 arguments, `serial:role:role` 2: each written `a_value`.
            let most = grammar.arguments.count
            let least = most - grammar.usage.components(separatedBy: "[:").count + 1
            func written(_ count: Int) -> String { ([grammar.name] + Array(repeating: "a_value", count: count)).joined(separator: ":") }
            for count in least...most { #expect(fits(written(count)), "\(grammar.usage): \(written(count))") }
            #expect(!fits(written(most + 1)), "\(grammar.usage): \(written(most + 1))")
            if least > 0 { #expect(!fits(written(least - 1)), "\(grammar.usage): \(written(least - 1))") }
        }
    }
}
