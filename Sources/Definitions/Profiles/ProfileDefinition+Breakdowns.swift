import Foundation
import Yams

/// A table's breakdowns: a field (`offence`), or a function of one (`month(date)`, `band(victim.age)`,
/// `band(victim.age, name)`, `ward(lsoa)`, `locality(lsoa)`, `decile(lsoa)`), `agency` or `agencies`,
/// each checked against every event set's source.
extension ProfileDefinition {
    static func breakdown(
        _ text: String, _ node: Node, _ key: String, _ sets: [EventSet], _ sources: SourceCatalogue, _ r: DefinitionReader
    ) -> Breakdown? {
        if text == "agency" { return .agency }
        if text == "agencies" { return .agencyCount }
        if text.contains("(") != text.hasSuffix(")") {
            // `[band(victim.age, teens)]` is two items in a YAML flow list: the comma splits it.
            r.fail(node, key, "'\(text)' is not a whole breakdown (in a [...] list, quote one with a comma: \"band(victim.age, teens)\")")
            return nil
        }
        var function: String? = nil
        var field = text
        var argument: String? = nil
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            function = String(text[..<open])
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)].split(separator: ",", maxSplits: 1)
            field = inside.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            argument = inside.count > 1 ? String(inside[1]).trimmingCharacters(in: .whitespaces) : nil
            if argument != nil && function != "band" {
                r.fail(node, key, "'\(text)': only band(field, banding) takes a second argument")
                return nil
            }
        }
        let wanted: Set<FieldType>
        let result: Breakdown
        switch function {
        case nil: wanted = [.code, .text, .flag, .codes]; result = .field(field)
        case "month": wanted = [.date]; result = .month(field)
        case "band":
            wanted = [.integer]
            let name = argument ?? Banding.defaultName
            guard let banding = sources.bandings.first(where: { $0.name == name }) else {
                let known = sources.bandings.map(\.name)
                r.fail(
                    node, key,
                    "no banding '\(name)' (bands: in profiles/codes; defined: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
                return nil
            }
            result = .ageBand(field, banding)
        case "ward": wanted = [.lsoa, .postcode]; result = .ward(field)
        case "locality": wanted = [.lsoa, .postcode]; result = .locality(field)
        case "decile": wanted = [.lsoa, .postcode]; result = .deprivation(field)
        default:
            r.fail(node, key, "unknown breakdown '\(function!)(...)' (use month, band, ward, locality or decile)")
            return nil
        }
        for set in sets {
            let fields = Dictionary(sources.source(set.source)!.outputFields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
            guard let entry = fields[field], let type = entry else {
                r.fail(
                    node, key,
                    "unknown field '\(field)' in source \(set.source) (events \(set.name))"
                        + Suggestions.hint(field, in: fields.keys.sorted(), listing: "its fields"))
                return nil
            }
            if !wanted.contains(type) {
                r.fail(
                    node, key,
                    "'\(text)' needs a field of type \(wanted.map(\.rawValue).sorted().joined(separator: " or ")); \(field) is \(type.rawValue)"
                )
                return nil
            }
        }
        return result
    }
}
