import Foundation
import Profiles

/// A group's tables as one JSON document (`profiles.json`) for dashboards: numbers as numbers,
/// withheld cells as the string "c", blanks as null; keys in a fixed order. Written by
/// `JSONWriter`, the top level and the lists of profiles and tables one item a line.
public enum JSONExport {
    static let layout = JSONWriter.Layout.records(listsUnder: ["profiles", "tables"])

    public static func document(
        group: String, title: String, audience: String, disclosure: String, period: String,
        profiles: [(id: String, title: String, tables: [ProfileTable])], extra: [ProfileTable]
    ) -> Data {
        let value: JSONValue = [
            "group": .string(group), "title": .string(title), "audience": .string(audience),
            "disclosure": .string(disclosure), "period": .string(period),
            "profiles": .array(
                profiles.map { p in ["id": .string(p.id), "title": .string(p.title), "tables": .array(p.tables.map(table))] }),
            "tables": .array(extra.map(table)),
        ]
        return JSONWriter.document(value, layout: layout)
    }

    /// A table: its shown columns and their rows.
    static func table(_ t: ProfileTable) -> JSONValue {
        let shown = t.columns.indices.filter { !t.hidden.contains($0) }
        var members: [(String, JSONValue)] = [
            ("id", .string(t.id)), ("section", .string(t.section)), ("title", .string(t.title)), ("description", .string(t.description)),
            ("columns", .array(shown.map { .string(t.columns[$0]) })),
            ("rows", .array(t.rows.map { row in .array(shown.map { cell(row[$0]) }) })),
        ]
        // A deprivation table's indices of inequality, where no decile is withheld.
        let inequality = t.publishableInequality
        if !inequality.isEmpty {
            members.append(
                (
                    "inequality",
                    .array(
                        inequality.map { q in
                            [
                                "column": .string(t.columns[q.rate]), "sii": .number(q.sii, decimals: 2),
                                "sii_lower_95": .number(q.siiLower95, decimals: 2), "sii_upper_95": .number(q.siiUpper95, decimals: 2),
                                "rii": .number(q.rii, decimals: 2), "rii_lower_95": .number(q.riiLower95, decimals: 2),
                                "rii_upper_95": .number(q.riiUpper95, decimals: 2), "method": .string(q.method),
                            ]
                        })
                ))
        }
        return .object(members)
    }

    static func cell(_ c: ProfileTable.Cell) -> JSONValue {
        switch c {
        case .text(let s): .string(s)
        case .count(let n): .integer(n)
        case .number(let x, let d): .number(x, decimals: d)
        case .missing: .null
        case .suppressed: .string("c")
        }
    }

    /// `s` as a JSON string literal (`<` escaped too, so it can sit in a page): `JSONWriter.string`.
    public static func string(_ s: String) -> String { JSONWriter.string(s) }
}
