import Foundation
import Profiles

extension HTMLReport {
    /// How a ward map is shaded: the column it shows, each row's colour, and the legend.
    struct Shading {
        let column: Int
        let colours: [String?]
        let legend: [(colour: String, text: String)]
    }

    static let palette = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
    /// The comparison with the whole area, highest first, then too few to compare (withheld).
    static let comparisonColours = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"]
    static let tooFew = "#d9d9d9"

    /// A ward table's map: by each ward's comparison with the whole area allowing for age where the
    /// table has one, else by its comparison of crude rates (funnel limits), else five classes of
    /// equal width from 0 to the largest rate.
    static func mapValues(_ t: ProfileTable) -> Shading? {
        let shown = shownColumns(t)
        if let c = shown.first(where: { t.columns[$0].contains("_vs_area_for_age") })
            ?? shown.first(where: { t.columns[$0].contains("_vs_area") })
        {
            let colours = t.rows.map { row -> String? in
                if row[c] == .suppressed { return tooFew }
                return AreaComparison.words.firstIndex(of: row[c].description).map { comparisonColours[$0] }
            }
            let legend = zip(comparisonColours, AreaComparison.words).map { ($0, $1) } + [(tooFew, "too few to compare (withheld)")]
            return Shading(column: c, colours: colours, legend: legend)
        }
        guard let c = valueColumn(t) else { return nil }
        let values = t.rows.map { number($0[c]) }
        let top = values.compactMap { $0 }.max() ?? 0
        guard top > 0 else { return Shading(column: c, colours: values.map { _ in nil }, legend: []) }
        let step = top / 5
        let colours = t.rows.map { row -> String? in
            if row[c] == .suppressed { return tooFew }
            guard let v = number(row[c]) else { return nil }
            return palette[min(4, Int(v / step))]
        }
        let legend = (0..<5).map { k in (palette[k], String(format: "%.1f–%.1f", Double(k) * step, Double(k + 1) * step)) }
        return Shading(column: c, colours: colours, legend: legend + [(tooFew, "withheld")])
    }

    static func map(_ t: ProfileTable, shade: Shading, wards: (shapes: [WardShape], height: Double)) -> String {
        var colourOf: [String: String] = [:]
        for (r, row) in t.rows.enumerated() { if let c = shade.colours[r] { colourOf[row[0].description] = c } }
        var svg = String(
            format: "<svg viewBox=\"0 0 520 %.0f\" role=\"img\" aria-label=\"Map of wards shaded by %@\">", wards.height,
            escape(t.columns[shade.column]))
        for w in wards.shapes {
            svg +=
                "<path d=\"\(w.path)\" fill=\"\(colourOf[w.name] ?? "#ffffff")\" stroke=\"#666\" stroke-width=\"0.6\"><title>\(escape(w.name))</title></path>"
        }
        svg += siteMarkers(t, wards: wards)
        svg += "</svg>\n<p class=\"legend note\">\(escape(t.columns[shade.column].replacingOccurrences(of: "_", with: " "))): "
        for (colour, text) in shade.legend {
            svg += "<span><i class=\"sw\" style=\"background:\(colour)\"></i>\(escape(text))</span>"
        }
        if let c = sitesColumn(t) {
            svg += "<span><i class=\"sw site\"></i>\(escape(siteWords(t.columns[c])))</span>"
        }
        return svg + "</p>\n"
    }

    /// A ward table's first column of service sites (`sites_<category>_<year>`), if it has one.
    static func sitesColumn(_ t: ProfileTable) -> Int? {
        shownColumns(t).first { t.columns[$0].hasPrefix("sites_") && t.kinds[$0] == .other }
    }

    /// `sites_drug_and_alcohol_2025_26` as the legend says it: "drug and alcohol service sites".
    static func siteWords(_ column: String) -> String {
        var words = column.dropFirst("sites_".count).split(separator: "_")
        while let last = words.last, last.allSatisfy(\.isNumber) { words.removeLast() }
        return words.joined(separator: " ") + " service sites"
    }

    /// A marker on each ward with service sites, sized by how many, with the number on it: where
    /// services are, over the demand the shading shows.
    static func siteMarkers(_ t: ProfileTable, wards: (shapes: [WardShape], height: Double)) -> String {
        guard let c = sitesColumn(t) else { return "" }
        var sites: [String: Int] = [:]
        for row in t.rows { if let n = number(row[c]), n > 0 { sites[row[0].description] = Int(n) } }
        var svg = ""
        for w in wards.shapes {
            guard let n = sites[w.name] else { continue }
            let r = 5 + 2 * Double(n).squareRoot()
            svg += String(
                format: "<g class=\"site\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#d94801\" stroke=\"#fff\" stroke-width=\"1\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"9\">%d</text><title>%@: %d %@</title></g>",
                w.centre.x, w.centre.y, r, w.centre.x, w.centre.y + 3, n, escape(w.name), n, escape(siteWords(t.columns[c])))
        }
        return svg
    }
}
