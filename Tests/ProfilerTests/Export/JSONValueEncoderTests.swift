import Export
import Foundation
import Testing

@testable import Ingest

/// The Encoder behind `quality.json` and `validate --json`: what Foundation's JSONEncoder
/// (`.sortedKeys`) made of a Codable value, as a `JSONValue`, with one change: a number that is
/// not finite is null where JSONEncoder threw.
@Suite("Export: Codable through the JSON writer")
struct JSONValueEncoderTests {
    struct Sample: Codable {
        struct Inner: Codable {
            var name: String
            var rate: Double
        }
        var title = "a/b \"c\""
        var note: String? = nil
        var count: Int? = 3
        var grid: [[Int]] = [[1, 2], [], [3]]
        var maybe: [Int?] = [1, nil]
        var inner = Inner(name: "x", rate: 0.25)
        var byKind: [String: Int] = ["b": 2, "a": 1, "B": 3]
        var when = Date(timeIntervalSinceReferenceDate: 12.5)
        var small: Float = 0.1
        var flag = true
        var bytes = Data([1, 2, 3])
        var rates: [Double] = [1, 0.5]
    }

    /// JSONEncoder's text for `value`, with its `\/` undone (the one writer does not escape `/`).
    private func foundation<T: Encodable>(_ value: T, _ formatting: JSONEncoder.OutputFormatting) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting.union(.sortedKeys)
        return String(decoding: try encoder.encode(value), as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    /// Keys sorted by their bytes, a nil optional left out, nil in an array as null, nested
    /// arrays, a Date as seconds since 2001, Data as base64, a Float in its own shortest form.
    @Test func aCodableStructBecomesItsValue() throws {
        let value = try JSONValueEncoder().encode(Sample())
        let expected: JSONValue = [
            "byKind": ["B": 3, "a": 1, "b": 2], "bytes": "AQID", "count": 3, "flag": true, "grid": [[1, 2], [], [3]],
            "inner": ["name": "x", "rate": .number(0.25)], "maybe": [1, nil], "rates": [.number(1), .number(0.5)],
            "small": .number(0.1), "title": "a/b \"c\"", "when": .number(12.5),
        ]
        #expect(value == expected)
        // Laid out as `.prettyPrinted` and compact, the text is JSONEncoder's.
        #expect(JSONWriter.text(value, layout: .spacedColons) == (try foundation(Sample(), .prettyPrinted)))
        #expect(JSONWriter.text(value, layout: .compact) == (try foundation(Sample(), [])))
        #expect(try JSONValueEncoder(sortsKeys: false).encode(Sample.Inner(name: "n", rate: 1)) == ["name": "n", "rate": .number(1)])
    }

    /// NaN and the infinities are null, in a member, an array or alone; JSONEncoder refused them.
    @Test func numbersThatAreNotFiniteAreNull() throws {
        var sample = Sample()
        sample.inner.rate = .nan
        sample.rates = [.infinity, -.infinity, 2]
        sample.small = .nan
        let value = try JSONValueEncoder().encode(sample)
        #expect(value["inner"]?["rate"] == .null && value["small"] == .null)
        #expect(value["rates"] == [nil, nil, .number(2)])
        #expect(try JSONValueEncoder().encode(Double.infinity) == .null)
        #expect(throws: EncodingError.self) { _ = try JSONEncoder().encode(sample) }
        let text = JSONWriter.text(value, layout: .spacedColons)
        #expect(text.contains("\"rates\" : [\n    null,\n    null,\n    2\n  ]"))
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        // A report's rate over no rows (what made a build fail writing quality.json).
        var report = FileReport(source: "s", file: "f.csv", maxRejectShare: .infinity)
        report.nullRates = [.init(field: "x", nulls: 0, rate: 0 / 0)]
        let encoded = try JSONValueEncoder().encode(report)
        #expect(encoded["maxRejectShare"] == .null && encoded["nullRates"] == [["field": "x", "nulls": 0, "rate": nil]])
    }

    /// A file's data-quality account (what `quality.json` lists) comes out as JSONEncoder wrote it:
    /// a dictionary's keys sorted, nil optionals left out.
    @Test func aFileReportIsWrittenAsBefore() throws {
        var report = FileReport(source: "education", file: "drop/education.csv", maxRejectShare: 0.01)
        report.rowsRead = 10
        report.accepted = 9
        report.rejected = 1
        report.rejects = ["invalid-date": .init(count: 1, firstPlaces: ["3:2"]), "bad-code": .init(count: 0, firstPlaces: [])]
        report.unknownCodes = [.init(field: "reason", value: "</b>", count: 2, treatment: "kept as written")]
        report.nullRates = [.init(field: "reason", nulls: 1, rate: 0.1)]
        report.unreadColumns = ["Note \"x\""]
        let value = try JSONValueEncoder().encode([report])
        let text = JSONWriter.text(value, layout: .spacedColons)
        #expect(text == (try foundation([report], .prettyPrinted)).replacingOccurrences(of: "<", with: "\\u003c"))
        #expect(value == .array([try #require(try JSONValueEncoder().encode(report))]))
        #expect(!text.contains("fatalError") && !text.contains("\"replaced\""))
        #expect(text.contains(#""value" : "\u003c/b>""#))
    }

    /// Keyed and unkeyed containers nested in each other, super-encoders and single values wrapped.
    @Test func everyKindOfContainer() throws {
        let value = try JSONValueEncoder().encode(Containers())
        let expected: JSONValue = [
            "base": [1, 2], "custom": "v", "list": [7, ["plain": true], [.number(0.1), .number(Double.pi)], "w"],
            "nested": ["list": nil, "plain": -3], "plain": "x", "super": "s",
        ]
        #expect(value == expected)
        #expect(JSONWriter.text(value, layout: .compact) == (try foundation(Containers(), [])))
        #expect(try JSONValueEncoder().encode(Empty()) == [:])
        #expect(try JSONValueEncoder().encode([Empty()]) == [[:]])
        #expect(try JSONValueEncoder().encode(["k": UInt64(Int.max)]) == ["k": .integer(Int.max)])
        #expect(throws: EncodingError.self) { _ = try JSONValueEncoder().encode(["k": UInt64.max]) }
    }

    struct Empty: Encodable {}

    struct Wrapped: Encodable {
        let value: String
        func encode(to encoder: any Encoder) throws {
            var single = encoder.singleValueContainer()
            try single.encode(value)
        }
    }

    struct Containers: Encodable {
        enum Key: String, CodingKey { case plain, nested, list, base, custom }

        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode("x", forKey: .plain)
            var nested = keyed.nestedContainer(keyedBy: Key.self, forKey: .nested)
            try nested.encode(Int8(-3), forKey: .plain)
            try nested.encodeNil(forKey: .list)
            var list = keyed.nestedUnkeyedContainer(forKey: .list)
            try list.encode(UInt16(7))
            var inList = list.nestedContainer(keyedBy: Key.self)
            try inList.encode(true, forKey: .plain)
            var numbers = list.nestedUnkeyedContainer()
            try numbers.encode(Float(0.1))
            try numbers.encode(Double.pi)
            try Wrapped(value: "w").encode(to: list.superEncoder())
            try Wrapped(value: "s").encode(to: keyed.superEncoder())
            try [1, 2].encode(to: keyed.superEncoder(forKey: .base))
            try keyed.encode(Wrapped(value: "v"), forKey: .custom)
        }
    }
}
