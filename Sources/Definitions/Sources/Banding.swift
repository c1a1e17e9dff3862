import Foundation
import Yams

/// A banding of an integer field for `band(field)` breakdowns (`profiles/codes/*.yaml`, `bands:`):
/// labelled ranges in display order; a value in no band goes to the last.
public struct Banding: Sendable, Equatable {
    public struct Band: Sendable, Equatable {
        public let label: String
        public let range: ClosedRange<Int>
    }

    public let name: String
    public let bands: [Band]

    /// The banding `band(field)` uses when it names none.
    public static let defaultName = "age"

    /// The bandings under a file's `bands:` key, each band a label with `[first, last]`.
    static func parse(_ node: Node, _ r: DefinitionReader) -> [Banding] {
        guard let pairs = r.mapping(node, "bands") else { return [] }
        var out: [Banding] = []
        for (name, k, spec) in pairs {
            let key = "bands.\(name)"
            guard let entries = r.mapping(spec, key) else { continue }
            var bands: [Band] = []
            for (label, lk, value) in entries where label != "description" {
                let at = "\(key).\(label)"
                guard let bounds = r.strings(value, at)?.compactMap({ Int($0) }), bounds.count == 2, bounds[0] <= bounds[1] else {
                    r.fail(value, at, "a band is [first, last], whole numbers with first <= last")
                    continue
                }
                if let other = bands.first(where: { $0.range.overlaps(bounds[0]...bounds[1]) }) {
                    r.fail(lk, at, "overlaps band '\(other.label)'")
                    continue
                }
                bands.append(Band(label: label, range: bounds[0]...bounds[1]))
            }
            if bands.isEmpty { r.fail(k, key, "a banding needs at least one band") } else { out.append(Banding(name: name, bands: bands)) }
        }
        return out
    }
}
