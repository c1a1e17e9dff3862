#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Use for: nothing directly; the binomial tails and exact (Clopper–Pearson) limits behind the year-on-year
/// change, and the Student's t quantiles behind means, come from these.
///
/// The regularised incomplete beta function Iₓ(a, b) and its inverse.
///
/// Iₓ(a, b) = B(x; a, b)/B(a, b) is evaluated by its continued fraction (modified Lentz) when
/// x < (a + 1)/(a + b + 2), and as 1 − I₁₋ₓ(b, a) otherwise (Press et al., Numerical Recipes,
/// 3rd edn, §6.4). The common factor xᵃ(1 − x)ᵇ/B(a, b) is computed as DiDonato & Morris do
/// (Algorithm 708, ACM TOMS 1992;18:360–373, `BRCOMP`): with Stirling-scaled gamma functions Γ*
/// when a or b is 10 or more, so it keeps about 1e-14 relative accuracy for parameters in the
/// hundred thousands (a count of this size in each year, say) where exp(a log x + b log(1 − x) −
/// log B(a, b)) would lose digits. Both x and 1 − x are passed in so neither is lost to rounding.
/// When one parameter is thousands of times the other and x is near the switch point, the continued
/// fraction converges so slowly that its last terms fall below rounding: measured against scipy, the
/// relative error is then 6e-13 at (5·10⁴, 1/2) and 4e-11 at (5·10⁵, 1/2) — Student's t with 10⁵ and
/// 10⁶ degrees of freedom — against about 1e-14 elsewhere, including both parameters near 10⁶.
public enum Beta {
    /// Iₓ(a, b) for a, b > 0 and 0 ≤ x ≤ 1 (NaN otherwise); scipy's `betainc(a, b, x)`.
    public static func regularized(_ a: Double, _ b: Double, _ x: Double) -> Double {
        incomplete(a, b, x, 1 - x).p
    }

    /// The x with Iₓ(a, b) = p, a, b > 0 (scipy's `betaincinv(a, b, p)`); 0 for p = 0, 1 for p = 1,
    /// NaN for p outside [0, 1].
    public static func inverseRegularized(_ a: Double, _ b: Double, _ p: Double) -> Double {
        inverse(a, b, p: p, q: 1 - p).x
    }

    /// Iₓ(a, b) and 1 − Iₓ(a, b) from x and y = 1 − x, each with full relative accuracy where it is
    /// the smaller one.
    static func incomplete(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> (p: Double, q: Double) {
        guard a > 0, b > 0, a.isFinite, b.isFinite, x >= 0, y >= 0, x <= 1, y <= 1 else { return (.nan, .nan) }
        if x == 0 { return (0, 1) }
        if y == 0 { return (1, 0) }
        let front = prefix(a, b, x, y)
        if x < (a + 1) / (a + b + 2) {
            let p = front * continuedFraction(a, b, x) / a
            return (p, 1 - p)
        }
        let q = front * continuedFraction(b, a, y) / b
        return (1 - q, q)
    }

    /// The x (and y = 1 − x, each accurate) with Iₓ(a, b) = p, where q = 1 − p is given separately so
    /// an upper tail (e.g. α/2 of a 99.8% interval) is not lost to rounding. The problem is solved for
    /// whichever of x and y is the smaller, as I_y(b, a) = q when x > 1/2.
    ///
    /// Starts from the approximation of Numerical Recipes' `invbetai` (after Abramowitz & Stegun
    /// 26.5.22) and refines with bracketed Halley iterations on Iₓ − p (or on (1 − p) − (1 − Iₓ)
    /// when p > 1/2), converging to about 1e-15 relative.
    static func inverse(_ a: Double, _ b: Double, p: Double, q: Double) -> (x: Double, y: Double) {
        guard a > 0, b > 0, a.isFinite, b.isFinite, p >= 0, q >= 0, p <= 1, q <= 1 else { return (.nan, .nan) }
        if p == 0 { return (0, 1) }
        if q == 0 { return (1, 0) }
        let guess = initialGuess(a, b, p: p, q: q)
        if guess.x > 0.5 {
            let swapped = solve(b, a, p: q, q: p, start: guess.y)
            return (swapped.y, swapped.x)
        }
        return solve(a, b, p: p, q: q, start: guess.x)
    }

    private static func solve(_ a: Double, _ b: Double, p: Double, q: Double, start: Double) -> (x: Double, y: Double) {
        let useLower = p <= q
        var x = start > 0 && start < 1 ? start : 0.5
        var lo = 0.0, hi = 1.0
        for _ in 0..<400 {
            let y = 1 - x
            let (pp, qq) = incomplete(a, b, x, y)
            let f = useLower ? pp - p : q - qq
            if f == 0 { return (x, y) }
            if f < 0 { lo = x } else { hi = x }
            let density = prefix(a, b, x, y) / (x * y)
            var next = Double.nan
            if density > 0, density.isFinite {
                let t = f / density
                let curvature = (a - 1) / x - (b - 1) / y
                next = x - t / (1 - 0.5 * min(1, max(-1, t * curvature)))
            }
            if !(next > lo && next < hi) { next = lo == 0 ? 0.125 * hi : 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-15 * next { return (next, 1 - next) }
            x = next
        }
        return (x, 1 - x)
    }

    private static func initialGuess(_ a: Double, _ b: Double, p: Double, q: Double) -> (x: Double, y: Double) {
        if a >= 1, b >= 1 {
            let t = (-2 * log(min(p, q))).squareRoot()
            var z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { z = -z }
            let al = (z * z - 3) / 6
            let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
            let w = z * (al + h).squareRoot() / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5.0 / 6 - 2 / (3 * h))
            let e = b * exp(2 * w)
            return e.isFinite ? (a / (a + e), e / (a + e)) : (0, 1)
        }
        let s = a + b
        let t = exp(a * log(a / s)) / a, u = exp(b * log(b / s)) / b, w = t + u
        if p < t / w {
            let x = pow(a * w * p, 1 / a)
            return (x, 1 - x)
        }
        let y = pow(b * w * q, 1 / b)
        return (1 - y, y)
    }

    /// xᵃ yᵇ / B(a, b), with y = 1 − x.
    static func prefix(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
        let lx = x > 0.5 ? log1p(-y) : log(x)
        let ly = y > 0.5 ? log1p(-x) : log(y)
        if a >= 10, b >= 10 {
            // (x/x₀)ᵃ(y/y₀)ᵇ with x₀ = a/(a + b): the first-order terms a·u + b·v cancel exactly.
            let s = a + b, x0 = a / s, y0 = b / s
            let dx = x <= 0.5 ? x - x0 : y0 - y
            let e = a * Gamma.log1pmx(dx / x0) + b * Gamma.log1pmx(-dx / y0)
            return (a * b / (2 * Double.pi * s)).squareRoot() * exp(e)
                * Gamma.gammaStar(s) / (Gamma.gammaStar(a) * Gamma.gammaStar(b))
        }
        if a >= 10 { return largeSmall(a, b, lx, ly) }
        if b >= 10 { return largeSmall(b, a, ly, lx) }
        return exp(a * lx + b * ly - (lgamma(a) + lgamma(b) - lgamma(a + b)))
    }

    /// uᴬ vᴮ Γ(A + B)/(Γ(A)Γ(B)) for A ≥ 10 > B, from log u and log v, with
    /// Γ(A + B)/Γ(A) = e⁻ᴮ (A + B)ᴮ (1 + B/A)^(A − 1/2) Γ*(A + B)/Γ*(A).
    private static func largeSmall(_ big: Double, _ small: Double, _ logBig: Double, _ logSmall: Double) -> Double {
        let s = big + small
        let e = big * logBig + (big - 0.5) * log1p(small / big) - small + small * (log(s) + logSmall)
        return exp(e) * Gamma.gammaStar(s) / (Gamma.gammaStar(big) * tgamma(small))
    }

    /// The continued fraction for Iₓ(a, b)·a/(xᵃyᵇ/B(a, b)) (Numerical Recipes `betacf`).
    private static func continuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300, eps = 2.3e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for step in 1..<100_000 {
            let m = Double(step), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < eps { break }
        }
        return h
    }
}

/// Use for: the t quantiles of means' intervals (`SampleMean`); otherwise as R's `qt`.
///
/// Student's t distribution with ν > 0 degrees of freedom.
public enum StudentTDistribution {
    /// Quantile (inverse CDF), R's `qt(p, ν)` and scipy's `t.ppf(p, ν)`: the t with P(T ≤ t) = p.
    ///
    /// For p < 1/2, P(T ≤ −t) = I_x(ν/2, 1/2)/2 with x = ν/(ν + t²) (Abramowitz & Stegun 26.7.1 and
    /// 26.5.27), so x and y = 1 − x = t²/(ν + t²) come from `Beta`'s inverse at 2p (with 1 − 2p
    /// given separately) and t = −√(ν·y/x); p > 1/2 by symmetry, using 1 − p, which is exact there.
    /// Relative accuracy about 1e-14 up to ν = 10⁴, falling (see `Beta`) to 4e-13 at 10⁵, 4e-12 at 10⁶
    /// and 6e-11 at 10⁷. −∞ for p = 0, +∞ for p = 1, NaN for ν ≤ 0 or p outside [0, 1].
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, !nu.isNaN, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let tail = p < 0.5 ? p : 1 - p
        let (x, y) = Beta.inverse(nu / 2, 0.5, p: 2 * tail, q: 1 - 2 * tail)
        let t = x == 0 ? Double.infinity : (nu * y / x).squareRoot()
        return p < 0.5 ? -t : t
    }
}
