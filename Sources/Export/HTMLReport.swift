import Foundation
import Profiles

/// A group's self-contained HTML report: no scripts, fonts or images from anywhere else, so it
/// opens from a shared drive and prints. Per profile, the measures of success first, then what,
/// who is harmed, who poses a risk, where, when and how we compare, each table with a chart drawn
/// as inline SVG (monthly lines, bars of a breakdown, the wards as a map shaded by rate, the
/// comparators' 95% intervals) and its numbers beneath. Every string from the data is escaped.
public enum HTMLReport {
    /// One ward's outline as an SVG path, in the map's coordinates.
    public struct WardShape: Sendable {
        public let name: String
        public let path: String
        /// The middle of its largest outline (the mean of its vertices), where a marker goes.
        public var centre: (x: Double, y: Double) = (0, 0)
    }

    /// Ward outlines from a GeoJSON file (`ward_name` or `cmwd11nm` properties, WGS84), projected
    /// onto a `width`-wide box (longitude scaled by the cosine of the mean latitude).
    public static func wardShapes(geoJSON path: String, width: Double = 520) -> (shapes: [WardShape], height: Double)? {
        guard let data = FileManager.default.contents(atPath: path),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let features = root["features"] as? [[String: Any]]
        else { return nil }
        var rings: [(String, [[[Double]]])] = []
        for f in features {
            let props = f["properties"] as? [String: Any] ?? [:]
            guard let name = (props["ward_name"] ?? props["cmwd11nm"]) as? String, let g = f["geometry"] as? [String: Any] else { continue }
            var polygons: [[[[Double]]]] = []
            if g["type"] as? String == "Polygon", let c = g["coordinates"] as? [[[Double]]] { polygons = [c] }
            if g["type"] as? String == "MultiPolygon", let c = g["coordinates"] as? [[[[Double]]]] { polygons = c }
            rings.append((name, polygons.flatMap { $0 }))
        }
        let points = rings.flatMap { $0.1.flatMap { $0 } }
        guard let minX = points.map({ $0[0] }).min(), let maxX = points.map({ $0[0] }).max(),
            let minY = points.map({ $0[1] }).min(), let maxY = points.map({ $0[1] }).max(), maxX > minX, maxY > minY
        else { return nil }
        let k = cos((minY + maxY) / 2 * .pi / 180)
        let scale = width / ((maxX - minX) * k)
        let height = (maxY - minY) * scale
        let shapes = rings.map { name, rs in
            let largest = rs.max { $0.count < $1.count } ?? []
            let n = Double(max(1, largest.count))
            return WardShape(
                name: name,
                path: rs.map { ring in
                    "M"
                        + ring.map { String(format: "%.1f,%.1f", ($0[0] - minX) * k * scale, (maxY - $0[1]) * scale) }.joined(
                            separator: "L") + "Z"
                }.joined(),
                centre: (
                    largest.reduce(0) { $0 + ($1[0] - minX) * k * scale } / n, largest.reduce(0) { $0 + (maxY - $1[1]) * scale } / n
                ))
        }
        return (shapes, height)
    }

    public struct Profile {
        public let id: String
        public let title: String
        public let description: String
        public let tables: [ProfileTable]
        public init(id: String, title: String, description: String, tables: [ProfileTable]) {
            self.id = id; self.title = title; self.description = description; self.tables = tables
        }
    }

    static let sectionOrder = ["success", "what", "who_harmed", "who_poses_risk", "where", "when", "compare"]
    static let sectionTitles = [
        "success": "Measures of success", "what": "What is happening", "who_harmed": "Who is harmed",
        "who_poses_risk": "Who poses a risk", "where": "Where", "when": "When", "compare": "How we compare",
    ]

    public static func document(
        title: String, subtitle: String, disclosure: String, period: String, profiles: [Profile],
        scorecard: ProfileTable?, wards: (shapes: [WardShape], height: Double)?
    ) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font-family:Arial,Helvetica,sans-serif;margin:0 auto;max-width:1000px;padding:1em 1.5em;color:#1b1b1b;line-height:1.4}
            h1{font-size:1.8em;margin-bottom:.2em}h2{border-bottom:3px solid #1d4f91;padding-bottom:.2em;margin-top:2em}
            h3{margin-top:1.6em;margin-bottom:.3em}h4{margin:1.2em 0 .2em;color:#1d4f91}.note{color:#555;font-size:.9em}
            .wide{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef2f8}
            .good{color:#0b6b2e;font-weight:bold}.bad{color:#a4111b;font-weight:bold}
            svg{max-width:100%;height:auto;display:block}svg text{font-size:11px;font-family:Arial,Helvetica,sans-serif}
            nav ul{columns:2}.legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:1em;height:1em;vertical-align:middle;margin-right:.3em;border:1px solid #999}.sw.site{background:#d94801;border-radius:50%}
            @media print{section.profile{page-break-before:always}nav{display:none}h3,h4{page-break-after:avoid}svg,table{page-break-inside:avoid}}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p>\(escape(subtitle)) Reporting period \(escape(period)).</p>
            <p class="note">Disclosure control: \(escape(disclosure)) Withheld cells show <b>c</b>.</p>
            <nav><ul>
            """
        if scorecard != nil { html += "<li><a href=\"#scorecard\">Scorecard</a></li>" }
        for p in profiles { html += "<li><a href=\"#\(escape(p.id))\">\(escape(p.title))</a></li>" }
        html += "<li><a href=\"#methods\">Methods</a></li></ul></nav>\n"
        if let scorecard {
            html +=
                "<section id=\"scorecard\"><h2>Scorecard: every priority's measures of success</h2>\n" + dataTable(scorecard)
                + "</section>\n"
        }
        for p in profiles {
            html += "<section class=\"profile\" id=\"\(escape(p.id))\"><h2>\(escape(p.title))</h2><p>\(escape(p.description))</p>\n"
            let sections = sectionOrder + Set(p.tables.map(\.section)).subtracting(sectionOrder).sorted()
            for s in sections {
                let tables = p.tables.filter { $0.section == s }
                guard !tables.isEmpty else { continue }
                html += "<h3>\(escape(sectionTitles[s] ?? s))</h3>\n"
                for t in tables {
                    html += "<h4>\(escape(t.title))</h4>\n"
                    if !t.description.isEmpty { html += "<p class=\"note\">\(escape(t.description))</p>\n" }
                    html += chart(t, wards: wards)
                    html += t.id == "benchmark" ? benchmarkTable(t) : dataTable(t)
                }
            }
            html += "</section>\n"
        }
        html += methods(profiles)
        html +=
            "<p class=\"note\">Made by the partnership profiles engine. Ward boundaries: ONS Census Merged Wards 2011, contains OS data © Crown copyright and database right (OGL v3.0).</p>\n</body></html>\n"
        return html
    }

    /// Text safe in HTML content and attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func shownColumns(_ t: ProfileTable) -> [Int] { t.columns.indices.filter { !t.hidden.contains($0) } }

    /// The comparison table, compact for reading: each measure's value with its interval beside
    /// the comparators, the comparisons, rank and trend; the notes beneath as a list.
    static func benchmarkTable(_ t: ProfileTable) -> String {
        func at(_ row: [ProfileTable.Cell], _ name: String) -> String {
            t.columns.firstIndex(of: name).map { row[$0].description } ?? ""
        }
        var html =
            "<div class=\"wide\"><table><thead><tr><th>measure</th><th>period</th><th>this area (95% interval)</th><th>England</th><th>region</th><th>neighbours</th>"
            + "<th>against England (95% / 99.8%)</th><th>against region</th><th>against neighbours</th><th>rank among neighbours</th><th>recent trend</th></tr></thead><tbody>\n"
        var notes: [String] = []
        for row in t.rows {
            let title = at(row, "title")
            if at(row, "indicator").isEmpty {
                html += "<tr><td>\(escape(title))</td><td colspan=\"10\">not compared: see the note</td></tr>\n"
            } else {
                let value = at(row, "local_value"), lower = at(row, "local_lower_95"), upper = at(row, "local_upper_95")
                let shown = value == "c" ? "c" : "\(value) (\(lower) to \(upper))"
                html +=
                    "<tr><td>\(escape(title))</td><td>\(escape(at(row, "period")))</td><td class=\"n\">\(escape(shown))</td>"
                    + ["england", "region", "neighbours"].map { "<td class=\"n\">\(escape(at(row, $0)))</td>" }.joined()
                    + "<td>\(escape(at(row, "vs_england_95"))) / \(escape(at(row, "vs_england_998")))</td>"
                    + ["vs_region_95", "vs_neighbours_95", "rank_among_neighbours", "recent_trend"].map {
                        "<td>\(escape(at(row, $0)))</td>"
                    }.joined()
                    + "</tr>\n"
            }
            let note = at(row, "note")
            if !note.isEmpty { notes.append("<li><b>\(escape(title))</b>: \(escape(note))</li>") }
        }
        html += "</tbody></table></div>\n"
        return notes.isEmpty ? html : html + "<ul class=\"note\">" + notes.joined() + "</ul>\n"
    }

    static func dataTable(_ t: ProfileTable) -> String {
        let shown = shownColumns(t)
        var html =
            "<div class=\"wide\"><table><thead><tr>"
            + shown.map { "<th>\(escape(t.columns[$0].replacingOccurrences(of: "_", with: " ")))</th>" }.joined() + "</tr></thead><tbody>\n"
        // Ward tables are shaded by their rate (or first count).
        let shade = t.kinds.first == .label && t.columns.first == "ward" ? mapValues(t) : nil
        for (r, row) in t.rows.enumerated() {
            html += "<tr>"
            for i in shown {
                let cell = row[i]
                var attrs = ""
                switch cell {
                case .count, .number, .suppressed: attrs = " class=\"n\""
                default: break
                }
                if i == 0, let shade, let colour = shade.colours[r] { attrs += " style=\"background:\(colour)\"" }
                if i == shade?.column, let colour = shade?.colours[r] { attrs += " style=\"background:\(colour)\"" }
                if t.columns[i] == "news" {
                    attrs =
                        cell.description.hasPrefix("significantly better")
                        ? " class=\"good\"" : (cell.description.hasPrefix("significantly worse") ? " class=\"bad\"" : "")
                }
                html += "<td\(attrs)>\(escape(cell.description))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    /// The column a chart shows: the first rate, else the first count, of the reporting year.
    static func valueColumn(_ t: ProfileTable) -> Int? {
        let shown = shownColumns(t)
        if let rate = shown.first(where: { t.columns[$0].hasPrefix("rate_") }) { return rate }
        return shown.first { t.kinds[$0] == .count }
    }

    static func number(_ c: ProfileTable.Cell) -> Double? {
        switch c {
        case .count(let n): Double(n)
        case .number(let x, _): x.isFinite ? x : nil
        default: nil
        }
    }

    static func chart(_ t: ProfileTable, wards: (shapes: [WardShape], height: Double)?) -> String {
        let labels = t.kinds.indices.filter { t.kinds[$0] == .label }
        if t.id == "benchmark_areas" { return intervals(t) }
        if t.id == "benchmark" || t.id == "success_measures" || t.id == "scorecard" { return "" }
        if t.columns.first == "month", let c = valueColumn(t) { return line(t, value: c) }
        if t.columns.first == "ward", let wards, let shade = mapValues(t) { return map(t, shade: shade, wards: wards) + funnels(t) }
        if !t.funnels.isEmpty { return funnels(t) + inequalityNote(t) }
        if labels.count >= 1, labels.count <= 2, let c = valueColumn(t), t.rows.count <= 40 { return bars(t, labels: labels, value: c) }
        return ""
    }

    static func bars(_ t: ProfileTable, labels: [Int], value c: Int) -> String {
        let rows = t.rows.map { row in (labels.map { row[$0].description }.joined(separator: " – "), row[c]) }
        let top = rows.compactMap { number($0.1) }.max() ?? 0
        let height = 16 * rows.count + 24
        var svg =
            "<svg viewBox=\"0 0 640 \(height)\" role=\"img\" aria-label=\"\(escape(t.columns[c]))\"><text x=\"230\" y=\"12\" fill=\"#555\">\(escape(t.columns[c].replacingOccurrences(of: "_", with: " ")))</text>"
        for (i, (label, cell)) in rows.enumerated() {
            let y = 20 + 16 * i
            svg += "<text x=\"224\" y=\"\(y + 11)\" text-anchor=\"end\">\(escape(String(label.prefix(40))))</text>"
            if let v = number(cell), top > 0 {
                let w = 340 * v / top
                svg += String(format: "<rect x=\"230\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"#1d4f91\"/>", y + 2, w)
                svg += String(format: "<text x=\"%.1f\" y=\"%d\">%@</text>", 234 + w, y + 11, escape(cell.description))
            } else {
                svg += "<text x=\"234\" y=\"\(y + 11)\" fill=\"#777\">\(escape(cell.description))</text>"
            }
        }
        return svg + "</svg>\n"
    }

    static func line(_ t: ProfileTable, value c: Int) -> String {
        let points = t.rows.enumerated().compactMap { i, row in number(row[c]).map { (i, $0) } }
        guard points.count >= 2, let top = points.map(\.1).max(), top > 0 else { return "" }
        let n = max(1, t.rows.count - 1)
        func x(_ i: Int) -> Double { 50 + 570 * Double(i) / Double(n) }
        func y(_ v: Double) -> Double { 200 - 170 * v / top }
        var svg = "<svg viewBox=\"0 0 640 240\" role=\"img\" aria-label=\"\(escape(t.title))\">"
        svg +=
            "<line x1=\"50\" y1=\"200\" x2=\"620\" y2=\"200\" stroke=\"#999\"/><line x1=\"50\" y1=\"30\" x2=\"50\" y2=\"200\" stroke=\"#999\"/>"
        svg += String(
            format: "<text x=\"44\" y=\"34\" text-anchor=\"end\">%.0f</text><text x=\"44\" y=\"204\" text-anchor=\"end\">0</text>", top)
        svg +=
            "<polyline fill=\"none\" stroke=\"#1d4f91\" stroke-width=\"2\" points=\""
            + points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ") + "\"/>"
        for (i, row) in t.rows.enumerated() where i % max(1, t.rows.count / 8) == 0 {
            svg += String(format: "<text x=\"%.1f\" y=\"218\" text-anchor=\"middle\">%@</text>", x(i), escape(row[0].description))
        }
        return svg + "</svg>\n"
    }

    /// Each comparison's areas with their 95% intervals, coloured by how they compare with the area.
    static func intervals(_ t: ProfileTable) -> String {
        guard let comparison = t.columns.firstIndex(of: "comparison"), let name = t.columns.firstIndex(of: "area_name"),
            let value = t.columns.firstIndex(of: "value"), let lower = t.columns.firstIndex(of: "lower_95"),
            let upper = t.columns.firstIndex(of: "upper_95"), let against = t.columns.firstIndex(of: "against_this_area"),
            let role = t.columns.firstIndex(of: "role")
        else { return "" }
        var html = ""
        var order: [String] = []
        for row in t.rows where !order.contains(row[comparison].description) { order.append(row[comparison].description) }
        for id in order {
            let rows = t.rows.filter { $0[comparison].description == id }
            let top = rows.compactMap { number($0[upper]) ?? number($0[value]) }.max() ?? 0
            guard top > 0 else { continue }
            let height = 18 * rows.count + 28
            var svg =
                "<svg viewBox=\"0 0 640 \(height)\" role=\"img\" aria-label=\"\(escape(id)) with 95% intervals\"><text x=\"230\" y=\"12\" fill=\"#555\">\(escape(id)): value with 95% interval</text>"
            for (i, row) in rows.enumerated() {
                let y = 24 + 18 * i
                func x(_ v: Double) -> Double { 230 + 380 * v / top }
                let isArea = row[role].description == "this area"
                let colour =
                    isArea
                    ? "#000000"
                    : (row[against].description.hasPrefix("higher")
                        ? "#c05800" : (row[against].description.hasPrefix("lower") ? "#1d4f91" : "#777777"))
                svg +=
                    "<text x=\"224\" y=\"\(y + 10)\" text-anchor=\"end\"\(isArea ? " font-weight=\"bold\"" : "")>\(escape(row[name].description))</text>"
                if let l = number(row[lower]), let u = number(row[upper]) {
                    svg += String(
                        format: "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%@\" stroke-width=\"2\"/>", x(l), y + 6, x(u),
                        y + 6, colour)
                }
                if let v = number(row[value]) {
                    svg += String(format: "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"%@\"/>", x(v), y + 6, colour)
                } else if row[value] == .suppressed {
                    svg += "<text x=\"234\" y=\"\(y + 10)\" fill=\"#777\">c</text>"
                }
            }
            html += svg + "</svg>\n"
        }
        return html
            + "<p class=\"legend note\"><span><i class=\"sw\" style=\"background:#c05800\"></i>significantly higher than the area</span><span><i class=\"sw\" style=\"background:#1d4f91\"></i>significantly lower</span><span><i class=\"sw\" style=\"background:#777\"></i>similar</span></p>\n"
    }
}
