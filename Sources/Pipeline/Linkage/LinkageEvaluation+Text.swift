import Foundation

extension LinkageEvaluation {
    /// The evaluation as a reader sees it on a terminal.
    public func text(truth: String) -> String {
        var lines = [
            "Linkage measured against \(truth): \(overall.records) records of \(truePeople) true people, given \(linkedPeople) ids",
            "",
            pad("", 36) + ["records", "no id", "precision", "recall", "linkable", "split off", "merged in"].map { lpad($0, 10) }.joined(),
        ]
        lines.append(row("all records", overall))
        for g in groups { lines.append(row("\(g.dataset) \(g.role)", g.measures)) }
        lines += [
            "",
            "recall: of all pairs of one true person's records; linkable: of the pairs whose records are joined by what they",
            "present (a chain of the person's records sharing an NHS number or local id, or naming them), which any linkage could find",
            String(
                format: "Pairs of one true person's records that no identifier joins: %d of %d (%.2f%%)",
                overall.truePairs - overall.linkablePairs,
                overall.truePairs,
                overall.truePairs == 0 ? 0 : Double(overall.truePairs - overall.linkablePairs) / Double(overall.truePairs) * 100),
            "True people whose records have several ids: \(peopleSplit) of \(truePeople) (\(percent(peopleSplit, truePeople)))",
            "Ids holding the records of several true people: \(idsMerging) of \(linkedPeople - overall.unlinked)",
        ]
        if truthRowsNotRead > 0 { lines.append("Truth rows whose record ingest refused (not measured): \(truthRowsNotRead)") }
        if linkedWithoutTruth > 0 { lines.append("Records with an id that the truth has no person for: \(linkedWithoutTruth)") }
        guard !figures.isEmpty else { return lines.joined(separator: "\n") }
        lines += [
            "", "People figures, summed over each table's rows: from the linked ids, from the linkable parts of each true person",
            "(the best any linkage of these records could give) and from the true people", "",
        ]
        lines.append(
            pad("profile/table column", 64) + lpad("linked", 9) + lpad("linkable", 9) + lpad("true", 9) + lpad("vs linkable", 12)
                + lpad("vs true", 10))
        for f in figures {
            lines.append(
                pad("\(f.profile)/\(f.table) \(f.column)", 64) + lpad(String(f.linked), 9) + lpad(String(f.linkable), 9)
                    + lpad(String(f.truth), 9) + lpad(String(format: "%+.2f%%", f.differenceFromLinkable * 100), 12)
                    + lpad(String(format: "%+.2f%%", f.difference * 100), 10))
        }
        func summary(_ name: String, _ d: (FigureEffect) -> Double) -> String {
            let worst = figures.max { abs(d($0)) < abs(d($1)) }!
            let within = figures.filter { abs(d($0)) <= 0.02 }.count
            return
                "\(within) of \(figures.count) people figures within 2% of the \(name); furthest: \(worst.profile)/\(worst.table) \(worst.column) "
                + String(format: "%+.2f%%", d(worst) * 100)
        }
        lines += ["", summary("linkable people", \.differenceFromLinkable), summary("true people", \.difference)]
        return lines.joined(separator: "\n")
    }

    private func row(_ name: String, _ m: Measures) -> String {
        pad(name, 36)
            + [
                String(m.records), String(m.unlinked), String(format: "%.3f%%", m.precision * 100),
                String(format: "%.3f%%", m.recall * 100),
                String(format: "%.3f%%", m.linkableRecall * 100), String(m.splitOff), String(m.mergedIn),
            ].map { lpad($0, 10) }.joined()
    }

    private func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "0%" : String(format: "%.2f%%", Double(a) / Double(b) * 100) }
    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
