import Profiles

/// The report's methods: how each kind of figure is worked out and tested, then, per profile, the
/// test of each measure of success and each table whose areas are compared with the whole area.
extension HTMLReport {
    static func methods(_ profiles: [Profile]) -> String {
        var html = "<section id=\"methods\"><h2>Methods</h2>\n<dl>"
        for (figure, method) in MethodNotes.general { html += "<dt>\(escape(figure))</dt><dd>\(escape(method))</dd>" }
        html += "</dl>\n"
        for p in profiles {
            var items: [String] = []
            for t in p.tables where t.id == "success_measures" {
                guard let m = t.columns.firstIndex(of: "title"), let test = t.columns.firstIndex(of: "test") else { continue }
                for row in t.rows where !row[test].description.isEmpty {
                    items.append("\(row[m].description): \(row[test].description)")
                }
            }
            for t in p.tables where !t.funnels.isEmpty {
                let forAge = t.columns.contains { $0.contains("_vs_area_for_age") }
                items.append(
                    "\(t.title): each area against the whole area (funnel limits"
                        + (forAge ? "; and allowing for age, by indirectly standardised ratio)" : ")"))
            }
            guard !items.isEmpty else { continue }
            html += "<h3>\(escape(p.title))</h3><ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        return html + "</section>\n"
    }
}
