import CGLPK

/// A linear programme over bounded variables and linear rows, solved by GLPK's simplex: the
/// intruder's question "how small and how large can this withheld cell be, given everything
/// published?" is a pair of LPs (minimise, then maximise the cell) over the same constraints.
///
/// The variables are counts, so each answer is rounded inwards to whole numbers (an intruder knows
/// a count is an integer: a bound of 3.2 means at least 4). That is the LP relaxation tau-Argus and
/// sdcTable's `attack` audit with, not an integer programme.
struct LinearProgram {
    /// Each variable's bounds; `upper` may be `.infinity`.
    private(set) var lower: [Double] = []
    private(set) var upper: [Double] = []
    /// Rows: sum of coefficient * variable between `lower` and `upper` (either may be infinite).
    private(set) var rows: [(terms: [(Int, Double)], lower: Double, upper: Double)] = []

    var variableCount: Int { lower.count }

    /// Adds a variable and returns its index.
    mutating func addVariable(lower: Double, upper: Double = .infinity) -> Int {
        precondition(lower <= upper, "a variable's lower bound is above its upper bound")
        self.lower.append(lower)
        self.upper.append(upper)
        return self.lower.count - 1
    }

    /// Adds `lower <= sum(terms) <= upper`.
    mutating func addRow(_ terms: [(Int, Double)], lower: Double, upper: Double) {
        precondition(terms.allSatisfy { $0.0 >= 0 && $0.0 < variableCount }, "a row names a variable that does not exist")
        rows.append((terms, lower, upper))
    }

    /// Adds `sum(terms) == value`.
    mutating func addEquality(_ terms: [(Int, Double)], _ value: Double) { addRow(terms, lower: value, upper: value) }

    /// The rows that hold `variable` back when it is minimised (or maximised): those with a
    /// non-zero dual value at the optimum. Nil when there is no optimum (no solution, or unbounded).
    func bindingRows(of variable: Int, maximise: Bool) -> [Int]? {
        glp_term_out(GLP_OFF)
        guard let p = load() else { return nil }
        defer { glp_delete_prob(p) }
        var parameters = Self.parameters(warmStarts: false)
        glp_set_obj_coef(p, Int32(variable + 1), 1)
        glp_set_obj_dir(p, maximise ? GLP_MAX : GLP_MIN)
        guard glp_simplex(p, &parameters) == 0, glp_get_status(p) == GLP_OPT else { return nil }
        return rows.indices.filter { abs(glp_get_row_dual(p, Int32($0 + 1))) > 1e-9 }
    }

    /// The simplex's settings: silent; with `warmStarts`, no presolver, so that the basis is kept
    /// between solves of the same problem.
    private static func parameters(warmStarts: Bool) -> glp_smcp {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        if warmStarts { parameters.presolve = GLP_OFF }
        return parameters
    }

    /// The programme as a GLPK problem (the caller deletes it).
    private func load() -> OpaquePointer? {
        guard let p = glp_create_prob() else { return nil }
        let n = Int32(variableCount)
        if n > 0 { glp_add_cols(p, n) }
        for j in 0..<variableCount {
            let (lo, hi) = (lower[j], upper[j])
            let type = hi.isInfinite ? GLP_LO : (lo == hi ? GLP_FX : GLP_DB)
            glp_set_col_bnds(p, Int32(j + 1), type, lo, hi.isInfinite ? 0 : hi)
        }
        if !rows.isEmpty { glp_add_rows(p, Int32(rows.count)) }
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (i, row) in rows.enumerated() {
            let type: Int32
            switch (row.lower.isInfinite, row.upper.isInfinite) {
            case (true, true): type = GLP_FR
            case (false, true): type = GLP_LO
            case (true, false): type = GLP_UP
            case (false, false): type = row.lower == row.upper ? GLP_FX : GLP_DB
            }
            glp_set_row_bnds(p, Int32(i + 1), type, row.lower.isInfinite ? 0 : row.lower, row.upper.isInfinite ? 0 : row.upper)
            for (j, a) in row.terms where a != 0 {
                ia.append(Int32(i + 1)); ja.append(Int32(j + 1)); ar.append(a)
            }
        }
        if ia.count > 1 { glp_load_matrix(p, Int32(ia.count - 1), ia, ja, ar) }
        return p
    }

    /// The least and greatest whole values each of `variables` can take; nil when the rows admit
    /// no solution at all (a model that contradicts the true figures: a bug, never an answer).
    /// - Parameters:
    ///   - least, greatest: whether to find each bound; one not asked for is given as its
    ///     variable's own bound (the least), or infinity (the greatest).
    func ranges(of variables: [Int], least: Bool = true, greatest: Bool = true) -> [(lo: Double, hi: Double)]? {
        guard !variables.isEmpty else { return [] }
        glp_term_out(GLP_OFF)
        guard let p = load() else { return nil }
        defer { glp_delete_prob(p) }
        var parameters = Self.parameters(warmStarts: true)
        var out: [(lo: Double, hi: Double)] = []
        out.reserveCapacity(variables.count)
        for v in variables {
            glp_set_obj_coef(p, Int32(v + 1), 1)
            var bounds: (Double, Double) = (lower[v], .infinity)
            for direction in (least ? [GLP_MIN] : []) + (greatest ? [GLP_MAX] : []) {
                glp_set_obj_dir(p, direction)
                var status = glp_simplex(p, &parameters) == 0 ? glp_get_status(p) : GLP_UNDEF
                if status != GLP_OPT && status != GLP_UNBND {
                    // A failed warm start (numerical trouble) is retried from a fresh basis.
                    glp_std_basis(p)
                    status = glp_simplex(p, &parameters) == 0 ? glp_get_status(p) : GLP_UNDEF
                }
                switch status {
                case GLP_OPT:
                    let value = glp_get_obj_val(p)
                    if direction == GLP_MIN { bounds.0 = (value - 1e-6).rounded(.up) } else { bounds.1 = (value + 1e-6).rounded(.down) }
                case GLP_UNBND:
                    if direction == GLP_MIN { bounds.0 = -.infinity } else { bounds.1 = .infinity }
                default:
                    return nil
                }
            }
            glp_set_obj_coef(p, Int32(v + 1), 0)
            out.append((bounds.0, bounds.1))
        }
        return out
    }
}
