import Export
import Foundation
import Testing

@testable import ProfilerCLI

/// The one JSON writer: each quoting rule, numbers, layouts and key order, and the JSON log line
/// that goes through it.
@Suite("Export: the JSON writer")
struct JSONWriterTests {
    /// Each rule of `JSONWriter.string`: the literal written, which reads back as the string.
    @Test(arguments: [
        ("plain", #""plain""#), ("\"quoted\"", #""\"quoted\"""#), ("back\\slash", #""back\\slash""#),
        ("line\nbreak", #""line\nbreak""#), ("carriage\rreturn", #""carriage\rreturn""#), ("tab\there", #""tab\there""#),
        ("nul\u{0}byte", #""nul\u0000byte""#), ("bell\u{7}", #""bell\u0007""#), ("\u{8}\u{c}", #""\u0008\u000c""#),
        ("unit\u{1F}separator", #""unit\u001fseparator""#), ("<", #""\u003c""#),
        ("</script><script>alert(1)</script>", #""\u003c/script>\u003cscript>alert(1)\u003c/script>""#),
        ("<!-- x -->", #""\u003c!-- x -->""#), ("line\u{2028}separator", #""line\u2028separator""#),
        ("paragraph\u{2029}separator", #""paragraph\u2029separator""#), ("a/b", #""a/b""#), ("> & '", #""> & '""#),
        ("=HYPERLINK(\"http://x\")", #""=HYPERLINK(\"http://x\")""#), ("café", "\"café\""), ("emoji 😀", "\"emoji 😀\""),
        ("delete\u{7F}", "\"delete\u{7F}\""), ("", #""""#),
    ])
    func eachQuotingRule(_ input: String, _ literal: String) throws {
        let written = JSONWriter.string(input)
        #expect(written == literal)
        #expect(JSONExport.string(input) == literal)
        #expect(!written.contains("<"))
        // It reads back as the string it was (wrapped in an array, as some parsers want a container).
        let back = try JSONSerialization.jsonObject(with: Data("[\(written)]".utf8)) as? [String]
        #expect(back == [input])
    }

    /// Integers as written; decimals as `%.Nf`; otherwise the shortest form, without `.0`, as
    /// JSONEncoder wrote it; anything not finite is null, with or without decimals.
    @Test func numbers() {
        let cases: [(JSONValue, String)] = [
            (.integer(0), "0"), (.integer(-42), "-42"), (.integer(Int.max), "9223372036854775807"),
            (.number(3.14159, decimals: 2), "3.14"), (.number(2, decimals: 1), "2.0"), (.number(7.6, decimals: 0), "8"),
            (.number(-0.25, decimals: 3), "-0.250"), (.number(1), "1"), (.number(0.1), "0.1"), (.number(-2.5), "-2.5"),
            (.number(1e-7), "1e-07"), (.number(1e20), "1e+20"), (.number(0.845771144278607), "0.845771144278607"),
            (.number(.nan), "null"), (.number(.infinity), "null"), (.number(-.infinity), "null"),
            (.number(.nan, decimals: 1), "null"), (.number(.infinity, decimals: 2), "null"),
            (.bool(true), "true"), (.bool(false), "false"), (.null, "null"),
        ]
        for (value, text) in cases { #expect(JSONWriter.text(value, layout: .compact) == text, "\(value)") }
        let back = try? JSONSerialization.jsonObject(with: Data(JSONWriter.text([.number(.nan), .number(1e20)]).utf8)) as? [Any]
        #expect(back?.first is NSNull && (back?.last as? Double) == 1e20)
    }

    static let nested: JSONValue = [
        "b": 1, "a": ["x", .null, true], "c": ["d": .number(0.5), "e": [], "f": [:]],
        "list": [["id": "one", "rows": [[1, 2]]], ["id": "two", "rows": []]],
    ]

    /// Members keep the order given (b before a); each layout breaks lines where it says.
    @Test func layoutsAndKeyOrder() {
        #expect(
            JSONWriter.text(Self.nested, layout: .compact)
                == #"{"b":1,"a":["x",null,true],"c":{"d":0.5,"e":[],"f":{}},"list":[{"id":"one","rows":[[1,2]]},{"id":"two","rows":[]}]}"#)
        #expect(
            JSONWriter.text(["b": 1, "a": ["x", [:]], "e": []], layout: .indented)
                == "{\n  \"b\": 1,\n  \"a\": [\n    \"x\",\n    {\n\n    }\n  ],\n  \"e\": [\n\n  ]\n}")
        #expect(JSONWriter.text(["k": ["v"]], layout: .spacedColons) == "{\n  \"k\" : [\n    \"v\"\n  ]\n}")
        let records = JSONWriter.text(Self.nested, layout: .records(listsUnder: ["list", "rows"]))
        #expect(
            records == """
                {
                  "b": 1,
                  "a": ["x", null, true],
                  "c": {"d": 0.5, "e": [], "f": {}},
                  "list": [
                    {"id": "one", "rows": [
                      [1, 2]
                    ]},
                    {"id": "two", "rows": [

                    ]}
                  ]
                }
                """)
        #expect(JSONWriter.document([:], layout: .compact) == Data("{}\n".utf8))
        // Every layout reads back as the same value.
        for layout in [JSONWriter.Layout.compact, .indented, .spacedColons, .records(listsUnder: ["list"])] {
            let text = JSONWriter.text(Self.nested, layout: layout)
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect((object?["list"] as? [[String: Any]])?.last?["id"] as? String == "two", "\(text)")
        }
        #expect(Self.nested["c"]?["d"] == .number(0.5) && Self.nested["zz"] == nil)
    }

    /// A JSON log line: time, level, message, then the metadata with its keys sorted; hostile text
    /// (a NUL, a line break, markup) quoted by the writer; a number that is not finite as null.
    @Test func aLogLineIsOneObjectWhateverItsText() throws {
        let message = "read \"drop\" back\\slash\nline\ttab\u{0}nul </script><script>alert(1)</script> \u{2028} 😀"
        // (The metadata's type is swift-log's, named only through the handler's signature: this
        // target does not import Logging.)
        let line = ProfilerLogHandler.jsonLine(
            time: Date(timeIntervalSince1970: 0), level: .warning, message: message,
            metadata: [
                "phase": "ingest", "rows": .stringConvertible(12), "elapsed_s": .stringConvertible(1.5),
                "rate": .stringConvertible(Double.nan), "files": ["a<b", "c"], "nested": ["z": "1", "a": .stringConvertible(2)],
            ])
        #expect(!line.contains("\n") && !line.contains("<"))
        #expect(
            line.hasPrefix(
                #"{"time":"1970-01-01T00:00:00.000Z","level":"warning","message":"read \"drop\" back\\slash\nline\ttab\u0000nul"#))
        #expect(
            line.hasSuffix(
                #""metadata":{"elapsed_s":1.5,"files":["a\u003cb","c"],"nested":{"a":2,"z":"1"},"phase":"ingest","rate":null,"rows":12}}"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == message)
        #expect((object["metadata"] as? [String: Any])?["files"] as? [String] == ["a<b", "c"])
    }
}
