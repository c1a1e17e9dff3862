import Columnar

extension SourceIngestor {
    /// The source's columns (person columns are added by the linker).
    func columns() -> [(String, Column)] {
        var out = fields.map { ($0.name, $0.finishedColumn(rows: rowCount)) }
        for (r, role) in roles.enumerated() where role.hasBirthDate {
            var ages: [Int64] = []
            ages.reserveCapacity(rowCount)
            for part in peopleParts { ages += part.roles[r].ages }
            out.append(("\(role.role.name).age_at_event", .integer(IntegerColumn(values: ages))))
        }
        return out
    }

    func fieldBuilders() -> [FieldBuilder] { fields }

    /// Each role's invalid NHS numbers in the file (those found since `invalidBefore`).
    func addLinkage(to report: inout FileReport, invalidBefore: [Int]) {
        for (i, r) in roles.enumerated() {
            var l = FileReport.Linkage(role: r.role.name)
            l.invalidNHSNumbers = r.invalidNHSNumbers - (i < invalidBefore.count ? invalidBefore[i] : 0)
            report.linkage.append(l)
        }
    }

}
