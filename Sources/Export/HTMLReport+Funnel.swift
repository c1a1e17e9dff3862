import Foundation
import Profiles
import Statistics

/// Funnel plots: each area's rate against its population, inside the whole area's 95% and 99.8%
/// control limits (the same `FunnelPlot` limits the comparison column was judged by), each point
/// coloured as the map colours it. The limits and the line of the average show the areas' total;
/// with every area's count published that total is published too, but with one withheld it would
/// give the withheld counts away, so then no funnel is drawn.
extension HTMLReport {
    /// A deprivation table's slope and relative index of inequality, where no decile is withheld.
    static func inequalityNote(_ t: ProfileTable) -> String {
        t.publishableInequality.map { q in
            String(
                format: "<p class=\"note inequality\">Inequality across deprivation (%@): slope index %.2f "
                    + "(95%% interval %.2f to %.2f): on the line fitted across the deciles, the rate at the least deprived end "
                    + "minus the rate at the most deprived end (negative: higher where deprivation is); relative index %.2f "
                    + "(%.2f to %.2f): the least deprived end's rate over the most deprived end's. By the %@.</p>\n",
                escape(t.columns[q.rate].replacingOccurrences(of: "_", with: " ")), q.sii, q.siiLower95, q.siiUpper95, q.rii,
                q.riiLower95, q.riiUpper95, escape(q.method))
        }.joined()
    }

    /// The reporting year's funnel plot of each rate the table compares.
    static func funnels(_ t: ProfileTable) -> String { t.funnels.filter { $0.year == 0 }.map { funnel(t, $0) }.joined() }

    static func funnel(_ t: ProfileTable, _ f: ProfileTable.Funnel) -> String {
        if t.rows.contains(where: { $0[f.rate] == .suppressed || $0[f.comparison] == .suppressed }) {
            return "<p class=\"legend note\">No funnel plot: some areas' figures are withheld, and the plot's limits would give "
                + "their total away.</p>\n"
        }
        let points = t.rows.compactMap { row -> (n: Double, v: Double, word: String, label: String)? in
            guard let n = number(row[f.denominator]), n > 0, let v = number(row[f.rate]) else { return nil }
            return (n, v, row[f.comparison].description, row[0].description)
        }
        guard points.count >= 2, let lo = points.map(\.n).min(), let hi = points.map(\.n).max(), hi > lo else { return "" }
        let steps = (0...48).map { lo * pow(hi / lo, Double($0) / 48) }
        let limits = steps.compactMap { try? FunnelPlot.rateLimits(denominator: $0, average: f.average, multiplier: f.multiplier) }
        let top = max(points.map(\.v).max() ?? 0, limits.map(\.upper95).max() ?? 0) * 1.05
        guard top > 0, limits.count == steps.count else { return "" }
        func x(_ n: Double) -> Double { 60 + 560 * log(n / lo) / log(hi / lo) }
        func y(_ v: Double) -> Double { 210 - 180 * v / top }
        func line(_ values: [Double], _ style: String) -> String {
            "<polyline fill=\"none\" \(style) points=\""
                + zip(steps, values).map { String(format: "%.1f,%.1f", x($0), y(min($1, top))) }.joined(separator: " ") + "\"/>"
        }
        let who = t.columns[f.denominator]
        var svg = "<svg viewBox=\"0 0 640 250\" role=\"img\" aria-label=\"Funnel plot of \(escape(t.columns[f.rate])) against \(who)\">"
        svg +=
            "<line x1=\"60\" y1=\"210\" x2=\"620\" y2=\"210\" stroke=\"#999\"/><line x1=\"60\" y1=\"30\" x2=\"60\" y2=\"210\" stroke=\"#999\"/>"
        svg += line(limits.map(\.upper998), "stroke=\"#555\"") + line(limits.map(\.lower998), "stroke=\"#555\"")
        svg +=
            line(limits.map(\.upper95), "stroke=\"#555\" stroke-dasharray=\"4 3\"")
            + line(limits.map(\.lower95), "stroke=\"#555\" stroke-dasharray=\"4 3\"")
        svg += line(limits.map(\.baseline), "stroke=\"#1d4f91\"")
        for p in points {
            let colour = AreaComparison.words.firstIndex(of: p.word).map { comparisonColours[$0] } ?? "#ffffff"
            svg += String(
                format:
                    "<circle class=\"funnel-point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%@\" stroke=\"#333\"><title>%@: %@</title></circle>",
                x(p.n), y(p.v), colour, escape(p.label), escape(p.word))
        }
        svg += String(
            format: "<text x=\"54\" y=\"34\" text-anchor=\"end\">%.0f</text><text x=\"54\" y=\"214\" text-anchor=\"end\">0</text>", top)
        svg += String(
            format: "<text x=\"60\" y=\"232\">%.0f %@</text><text x=\"620\" y=\"232\" text-anchor=\"end\">%.0f</text>", lo, who, hi)
        svg +=
            "</svg>\n<p class=\"legend note\">Funnel plot: each area's \(escape(t.columns[f.rate].replacingOccurrences(of: "_", with: " "))) "
            + "against its \(who) (a log scale), with the whole area's rate (blue), its 95% limits (dashed) and 99.8% limits; "
            + "a withheld rate is not plotted. The plot compares crude rates; "
            + (t.columns.contains { $0.contains("_vs_area_for_age") }
                ? "the map and the table's \"for age\" columns compare each area allowing for its residents' ages.</p>\n"
                : "the residents' ages are not allowed for.</p>\n")
        return svg
    }
}
