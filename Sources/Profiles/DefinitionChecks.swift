import Columnar
import Definitions

/// What a drop says about a profile's definitions that the definitions alone cannot: a condition on
/// a field without a code list that no row of its source meets (a misspelt free-text value), and a
/// table or success measure with nothing in the reporting year. Each is a warning of the build
/// (exit 1), in the quality report, at the definition's file, line and key.
public struct DefinitionWarning: Sendable, Codable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let key: String
    public let message: String

    init(_ at: SourceLocation, _ message: String) {
        (file, line, column, key) = (at.file, at.line, at.column, at.key)
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(key): \(message)" }
}

extension ProfileEngine {
    /// The profile's conditions on fields without a code list (whose values the loader could not
    /// check) that select no row of their source. Only tests that pick values or a range: one that
    /// excludes or asks for blanks may rightly meet nothing.
    public func unmatchedConditions(_ profile: ProfileDefinition, sources: SourceCatalogue) -> [DefinitionWarning] {
        var warnings: [DefinitionWarning] = []
        for set in profile.events {
            guard let table = drop.tables[set.source], table.rowCount > 0 else { continue }
            for c in set.conditions where sources.source(set.source)?.acceptedValues(of: c.field) == nil {
                switch c.test {
                case .oneOf, .anyOf, .atLeast, .atMost, .between: break
                case .wardWithSite(let categories):
                    let missing = categories.filter { !hasSites(of: $0) }
                    guard missing.isEmpty else {
                        warnings.append(
                            DefinitionWarning(
                                c.location, "condition \(c.field) ward_with_site \(missing.joined(separator: " or ")): " + noSitesOfCategory
                            ))
                        continue
                    }
                default: continue
                }
                let test = EventSelection.compile(c, table: table, area: drop.area)
                if !(0..<table.rowCount).contains(where: test) {
                    warnings.append(
                        DefinitionWarning(c.location, "condition \(c.field) \(describe(c.test)) matched no row of \(set.source)"))
                }
            }
        }
        return warnings + unknownSiteCategories(profile)
    }

    /// `sites:` measures naming a category the drop's service sites do not have.
    private func unknownSiteCategories(_ profile: ProfileDefinition) -> [DefinitionWarning] {
        profile.tables.flatMap { t in
            t.measures.filter { $0.name == Sites.grammar.name && !hasSites(of: $0.arguments.first ?? "") }.map {
                DefinitionWarning(t.location, "measure \($0) of table \(t.id): " + noSitesOfCategory)
            }
        }
    }

    /// Whether the drop's service sites include the category (case aside, as the engine compares them).
    private func hasSites(of category: String) -> Bool {
        drop.area.services.contains { $0.category.lowercased() == category.lowercased() }
    }

    /// The end of a warning about a category no site has, with those the drop does have.
    private var noSitesOfCategory: String {
        let all = Set(drop.area.services.map(\.category)).sorted()
        return "no service site of that category in the drop's reference/services.csv"
            + (all.isEmpty ? " (it has none)" : " (its categories: \(all.joined(separator: ", ")))")
    }

    /// The profile's tables whose counts for the reporting year are zero or blank in every row
    /// (cohort and agency tables included), and its success measures with no value or zero for the
    /// year.
    public func emptyTables(_ tables: [ProfileTable], of profile: ProfileDefinition) -> [DefinitionWarning] {
        let suffix = "_" + period.columnSuffixes.current
        var warnings: [DefinitionWarning] = []
        for t in profile.tables {
            guard let table = tables.first(where: { $0.id == t.id }) else { continue }
            // A table only of sources the drop does not have (optional ones, such as SSDA903) is
            // empty by design, not by a mistake.
            let sources = t.events.compactMap { profile.eventSet($0)?.source }
            if !sources.isEmpty && sources.allSatisfy({ drop.tables[$0] == nil }) { continue }
            // The year's count columns (a table by month, whose columns hold both years, is left to
            // the tables of the same events by year).
            let counts = table.columns.indices.filter {
                table.kinds[$0] == .count && !table.hidden.contains($0) && table.columns[$0].hasSuffix(suffix)
            }
            guard !counts.isEmpty else { continue }
            let empty = table.rows.allSatisfy { row in
                counts.allSatisfy { c in
                    if case .count(let n) = row[c] { return n == 0 }
                    return true
                }
            }
            if empty { warnings.append(DefinitionWarning(t.location, "table \(t.id) counts nothing in \(period)")) }
        }
        if let success = tables.first(where: { $0.id == "success_measures" }) {
            for (m, row) in zip(profile.success, success.rows) {
                let value: Double? =
                    switch row[3] {
                    case .count(let n): Double(n)
                    case .number(let x, _): x
                    default: nil
                    }
                if value == nil || value == 0 {
                    warnings.append(
                        DefinitionWarning(m.location, "success measure \(m.id) is \(value == nil ? "blank" : "zero") in \(period)"))
                }
            }
        }
        return warnings
    }

    private func describe(_ test: Condition.Test) -> String {
        switch test {
        case .oneOf(let v): "= " + v.joined(separator: " or ")
        case .anyOf(let v): "includes " + v.joined(separator: " or ")
        case .atLeast(let n): ">= \(n)"
        case .atMost(let n): "<= \(n)"
        case .between(let a, let b): "from \(a) to \(b)"
        case .wardWithSite(let v): "in a ward with a site of " + v.joined(separator: " or ")
        default: ""
        }
    }
}
