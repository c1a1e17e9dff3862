import Foundation
import Profiles

extension HTMLReport {
    static func map(
        _ t: ProfileTable, shade: (column: Int, colours: [String?], classes: [Double]), wards: (shapes: [WardShape], height: Double)
    ) -> String {
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
        for k in 0..<min(5, max(0, shade.classes.count - 1)) {
            svg += String(
                format: "<span><i class=\"sw\" style=\"background:%@\"></i>%.1f–%.1f</span>", palette[k], shade.classes[k],
                shade.classes[k + 1])
        }
        if let c = sitesColumn(t) {
            svg += "<span><i class=\"sw site\"></i>\(escape(siteWords(t.columns[c])))</span>"
        }
        return svg + "<span><i class=\"sw\" style=\"background:#d9d9d9\"></i>withheld</span></p>\n"
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
