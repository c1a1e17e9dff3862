"""Independent reference values for StatisticsTests (scipy 1.17 / mpmath / numpy).
Run: python3 scripts/statistics_reference_values.py   -- every number hard-coded in the tests is printed here
with the expression that produced it."""
import numpy as np, mpmath as mp
from scipy.stats import norm, chi2, binomtest, rankdata
from scipy.special import gammainc, gammaincc
mp.mp.dps = 40
def show(label, v): print(f"{label:<60} {float(v)!r}")
print("== norm.ppf(p)")
for p in [1e-10, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.5, 0.6, 0.975, 0.999, 0.9999999, 1 - 1e-10]:
    show(f"norm.ppf({p!r})", norm.ppf(p))
    assert abs(norm.ppf(p) - float(mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1))) <= 2e-15 * abs(norm.ppf(p)) + 1e-300
print("== gammainc / gammaincc (checked against mpmath.gammainc regularized)")
for a, x in [(0.5, 0.1), (1.0, 1.0), (5.0, 3.0), (10.0, 10.0), (100.0, 90.0), (51898.0, 51000.0), (0.01, 5.0), (3.0, 30.0)]:
    P, Q = gammainc(a, x), gammaincc(a, x)
    mP = mp.gammainc(a, 0, x, regularized=True); mQ = mp.gammainc(a, x, mp.inf, regularized=True)
    assert abs(P - float(mP)) <= 1e-13 * float(mP) and abs(Q - float(mQ)) <= 1e-13 * float(mQ), (a, x)
    show(f"gammainc({a}, {x})", P); show(f"gammaincc({a}, {x})", Q)
print("== chi2.ppf(p, df)")
for p, df in [(0.025, 2), (0.975, 2), (0.001, 2), (0.999, 20), (0.025, 18), (0.975, 20), (0.5, 1),
              (1e-8, 0.5), (0.999999, 3), (0.025, 103794), (0.975, 103796), (0.1, 0.2), (0.999, 1)]:
    v = chi2.ppf(p, df)
    a, x = mp.mpf(df) / 2, mp.mpf(v) / 2   # relative error of scipy's root, by mpmath: |P(a,x) - p| / (x * dP/dx)
    resid = (mp.gammainc(a, 0, x, regularized=True) if p < 0.5 else mp.mpf(1 - p) - mp.gammainc(a, x, mp.inf, regularized=True)) - (p if p < 0.5 else 0)
    dens = mp.exp((a - 1) * mp.log(x) - x - mp.loggamma(a))
    assert abs(resid / (dens * x)) <= 1e-13, (p, df, v, resid / (dens * x))
    show(f"chi2.ppf({p}, {df})", v)
def z(c): return norm.ppf(c + (1 - c) / 2)
print("== Wilson: binomtest(x, n).proportion_ci(confidence_level=c, method='wilson')")
for x, n in [(0, 100), (100, 100), (1, 10), (9, 10), (37, 120), (51897, 54786327), (5, 5)]:
    for c in [0.95, 0.998]:
        ci = binomtest(x, n).proportion_ci(confidence_level=c, method='wilson')
        zz = z(c); root = zz * np.sqrt(zz**2 + 4 * x * (1 - x / n))   # PHE formula, cross-check
        lo, hi = (2*x + zz**2 - root) / 2 / (n + zz**2), (2*x + zz**2 + root) / 2 / (n + zz**2)
        assert abs(lo - ci.low) <= 1e-12 and abs(hi - ci.high) <= 1e-12
        print(f"wilson x={x} n={n} c={c}: low={ci.low!r} high={ci.high!r}")
print("== exact Poisson: chi2.ppf((1-c)/2, 2*O)/2 (0 if O == 0), chi2.ppf(c+(1-c)/2, 2*O+2)/2")
for O in [0, 1, 9, 10, 51897]:
    for c in [0.95, 0.998]:
        lo = 0.0 if O == 0 else chi2.ppf((1 - c) / 2, 2 * O) / 2
        hi = chi2.ppf(c + (1 - c) / 2, 2 * O + 2) / 2
        print(f"exact O={O} c={c}: low={lo!r} high={hi!r}")
print("== Byar: O*(1-1/(9*O)-z/(3*sqrt(O)))**3, (O+1)*(1-1/(9*(O+1))+z/(3*sqrt(O+1)))**3, z=norm.ppf(c+(1-c)/2)")
for O in [1, 10, 51897]:
    for c in [0.95, 0.998]:
        zz = z(c)
        lo = O * (1 - 1 / (9 * O) - zz / (3 * np.sqrt(O)))**3
        hi = (O + 1) * (1 - 1 / (9 * (O + 1)) + zz / (3 * np.sqrt(O + 1)))**3
        print(f"byar O={O} c={c}: low={lo!r} high={hi!r}")
print("== rate per 100000: limits above / n * 1e5")
for O, n in [(51897, 54786327), (0, 1000), (9, 25000), (10, 25000)]:
    for c in [0.95, 0.998]:
        if O < 10:
            lo = 0.0 if O == 0 else chi2.ppf((1 - c) / 2, 2 * O) / 2; hi = chi2.ppf(c + (1 - c) / 2, 2 * O + 2) / 2
        else:
            zz = z(c); lo = O * (1 - 1/(9*O) - zz/(3*np.sqrt(O)))**3; hi = (O+1) * (1 - 1/(9*(O+1)) + zz/(3*np.sqrt(O+1)))**3
        print(f"rate O={O} n={n} c={c}: value={O/n*1e5!r} low={lo/n*1e5!r} high={hi/n*1e5!r}")
print("== DSR (phe_dsr formulas, Byar limits of total count)")
esp = np.array([5000,5500,5500,5500,6000,6000,6500,7000,7000,7000,7000,6500,6000,5500,5000,4000,2500,1500,1000], float)
assert esp.sum() == 100000 and len(esp) == 19
def dsr(x, n, w, m=1e5):
    x, n, w = map(lambda a: np.asarray(a, float), (x, n, w))
    O = x.sum(); value = (x * w / n).sum() / w.sum() * m
    var = (x * (w / n)**2).sum() / w.sum()**2
    out = {"O": O, "N": n.sum(), "value": value, "var_scaled": var * m * m}
    for c in [0.95, 0.998]:
        zz = z(c); lo = O * (1 - 1/(9*O) - zz/(3*np.sqrt(O)))**3; hi = (O+1) * (1 - 1/(9*(O+1)) + zz/(3*np.sqrt(O+1)))**3
        out[f"low{c}"] = value + np.sqrt(var / O) * (lo - O) * m
        out[f"high{c}"] = value + np.sqrt(var / O) * (hi - O) * m
    return out
x19 = [1, 0, 0, 1, 2, 3, 4, 6, 9, 14, 22, 30, 41, 55, 70, 88, 97, 90, 75]
n19 = [30500, 31200, 29800, 28700, 33100, 36400, 35900, 34200, 32800, 33500,
       35100, 33900, 29400, 27800, 25100, 18200, 13400, 8600, 4900]
for k, v in dsr(x19, n19, esp).items(): print(f"dsr esp2013 {k}: {v!r}")
x10 = [0]*15 + [2, 3, 3, 2]
for k, v in dsr(x10, n19, esp).items(): print(f"dsr esp2013 O=10 {k}: {v!r}")
for k, v in dsr([20, 35, 60], [10000, 8000, 4000], [300, 500, 200], m=1000).items(): print(f"dsr custom m=1000 {k}: {v!r}")
print("== trend, proportions: R prop.trend.test formulation (weighted regression of p on t, weights n/(pbar(1-pbar)))")
def prop_trend(r, n):
    r, n = np.asarray(r, float), np.asarray(n, float); t = np.arange(1, 6, dtype=float)
    p = r / n; pbar = r.sum() / n.sum(); w = n / (pbar * (1 - pbar))
    tbar = (w * t).sum() / w.sum(); b = (w * (t - tbar) * p).sum() / (w * (t - tbar)**2).sum()
    return b**2 * (w * (t - tbar)**2).sum()
def logit_slopes(r, n):
    r, n = np.asarray(r, float), np.asarray(n, float); t = np.arange(1, 6, dtype=float); y = np.log(r / (n - r))
    fits = [np.polyfit(t, y, 1)[0]] + [np.polyfit(np.delete(t, i), np.delete(y, i), 1)[0] for i in range(5)]
    return fits
up_r, up_n = [994, 1023, 1199, 1332, 1367], [40299, 41527, 42811, 44064, 44701]  # Fingertips test data, 2014..2018
down_r, down_n = [420, 401, 380, 352, 330], [5000, 5050, 5100, 5120, 5150]
flat_r, flat_n = [209, 213, 213, 239, 210], [1017, 1087, 1119, 1117, 1139]  # Fingertips Set2, 2014..2018
for name, r, n in [("up", up_r, up_n), ("down", down_r, down_n), ("flat", flat_r, flat_n)]:
    print(f"prop trend {name}: chi2={prop_trend(r, n)!r} logit slopes={[float(s) for s in logit_slopes(r, n)]!r}")
print("== trend, values with 95% CIs: numpy.polyfit(t, y, 1, w=1/se, cov='unscaled'), se=(U-L)/3.92 (Fingertips constant)")
def value_trend(y, lo, hi):
    y, lo, hi = map(lambda a: np.asarray(a, float), (y, lo, hi)); t = np.arange(1, 6, dtype=float)
    se = (hi - lo) / 3.92
    coef, cov = np.polyfit(t, y, 1, w=1 / se, cov='unscaled')
    fits = [coef[0]] + [np.polyfit(np.delete(t, i), np.delete(y, i), 1, w=1/np.delete(se, i))[0] for i in range(5)]
    return coef[0]**2 / cov[0, 0], fits
sets = {
  "fingertips set1": ([24.67, 24.6, 28, 30.2, 30.6], [23.16, 23.15, 26.44, 28.63, 28.98], [26.25, 26.19, 29.64, 31.9, 32.25]),
  "fingertips set2": ([20.5506, 19.5952, 19.0349, 21.3966, 18.4372], [18.1803, 17.3444, 16.8421, 19.0918, 16.2925], [23.1427, 22.0602, 21.4394, 23.8975, 20.7941]),
  "rates down": ([812.4, 790.1, 771.9, 748.3, 731.0], [800.1, 778.0, 760.0, 736.6, 719.5], [824.9, 802.3, 783.9, 760.1, 742.6]),
  "outlier": ([10.2, 10.0, 9.9, 9.8, 20.0], [10.0, 9.8, 9.7, 9.6, 19.8], [10.4, 10.2, 10.1, 10.0, 20.2]),
}
for name, (y, lo, hi) in sets.items():
    c2, fits = value_trend(y, lo, hi)
    print(f"value trend {name}: chi2={c2!r} slopes={[float(s) for s in fits]!r}")
print("== 1-df critical values and p-value")
show("norm.ppf(0.999)**2", norm.ppf(0.999)**2); show("chi2.ppf(0.998, 1)", chi2.ppf(0.998, 1)); show("chi2.sf(47.9, 1)", chi2.sf(47.9, 1))
print("== ranks / quantiles")
vals = [12.5, 7.1, 9.8, 12.5, 3.3, 15.0, 9.8, 11.2, 6.4, 8.0, 9.8, 14.1]
print("rankdata(-v, 'min') =", rankdata(-np.array(vals), method='min').tolist())
print("rankdata(v, 'min')  =", rankdata(np.array(vals), method='min').tolist())
s = np.sort(vals); bounds = [float(np.percentile(s, q, method='linear')) for q in (20, 40, 60, 80)] + [float(s[-1])]
print("fingertips bounds =", bounds, "quintiles =", [next(i + 1 for i, b in enumerate(bounds) if v <= b) for v in vals])
def phe_q(v, nq=5, invert=True):
    v = np.asarray(v, float); N = len(v); adj = v.max() - v if invert else v
    r = rankdata(adj, method='min'); q = np.floor((nq + 1) - np.ceil(((N + 1) - r) / (N / nq))); q[q == 0] = 1
    return q.astype(int).tolist()
print("phe_quantile invert=True  =", phe_q(vals)); print("phe_quantile invert=False =", phe_q(vals, invert=False))
print("phe_quantile deciles invert=False =", phe_q(vals, nq=10, invert=False))
mod_r, mod_n = [50, 55, 60, 66, 72], [1000, 1000, 1000, 1000, 1000]
print(f"prop trend moderate: chi2={prop_trend(mod_r, mod_n)!r} logit slopes={[float(s) for s in logit_slopes(mod_r, mod_n)]!r} "
      f"crit95={norm.ppf(0.975)**2!r} crit998={norm.ppf(0.999)**2!r} sf={chi2.sf(prop_trend(mod_r, mod_n), 1)!r}")
print("phe_quantile 1..17, nq=7, invert=True =", phe_q(list(range(1, 18)), nq=7))  # rank 1 hits the 0 -> 1 rule
print("== mpmath regularized incomplete gamma, 40 digits")
for a, x in [(0.5, 0.1), (1, 1), (5, 3), (10, 10), (10.5, 12), (30, 25), (100, 90), (51898, 51000), (0.01, 5), (3, 30)]:
    print(f"mp.gammainc({a}, 0, {x}, regularized=True) = {float(mp.gammainc(a, 0, x, regularized=True))!r}; "
          f"mp.gammainc({a}, {x}, mp.inf, regularized=True) = {float(mp.gammainc(a, x, mp.inf, regularized=True))!r}")
edge = [0.1, 0.2, 0.3, 0.99999999998, 1.0, 2.0, 3.0]
eb = [round(float(np.percentile(edge, q, method='linear')), 10) for q in (20, 40, 60, 80)] + [max(edge)]
print("fingertips quintiles, 10-dp rounding edge: bounds =", eb,
      "quintiles =", [next(i + 1 for i, b in enumerate(eb) if v <= b) for v in edge])
ci = binomtest(10, 10).proportion_ci(confidence_level=0.92, method='wilson')
zz = z(0.92); print("wilson 10/10 at 92%:", repr(ci.low), repr(ci.high), "unclamped PHE upper:",
      repr((2*10 + zz**2 + zz*np.sqrt(zz**2 + 4*10*(1 - 10/10))) / 2 / (10 + zz**2)))

# ---------------------------------------------------------------------------------------------------------------
# Year-on-year change, funnel plots, ISR, mean (Student's t), SPC and SII. "PHE" is PHEindicatormethods
# (github.com/ukhsa-collaboration/PHEindicatormethods, tests/testthat); the PHE inputs and published results the
# tests use are copied below with the file they come from. With PHE_TESTDATA=<that tests/testthat folder> the
# script also checks every row of PHE's funnel CSV files (read with the standard library).
import os, csv
from scipy.stats import binom, t as student_t
from scipy.special import gammainc, gammaincc, betainc
from scipy.optimize import brentq
def close(a, b, rel): return abs(a - b) <= rel * abs(b)
z95, z998 = z(0.95), z(0.998)

print("== Byar's limits where byars_lower is NA: lower None for O=0 and for a negative bracket; upper always")
for O in [0, 1]:
    for c in [0.95, 0.998]:
        zz = z(c); up = (O + 1) * (1 - 1 / (9 * (O + 1)) + zz / (3 * np.sqrt(O + 1)))**3
        lo = None if O == 0 else O * (1 - 1 / (9 * O) - zz / (3 * np.sqrt(O)))**3
        print(f"byarLimits O={O} c={c}: lower={'None' if lo is None or lo < 0 else repr(lo)} (bracket {lo!r}) upper={up!r}")
assert close((1 + 1) * (1 - 1 / 18 + z95 / (3 * np.sqrt(2)))**3, 5.5637555824752605, 1e-15)   # PHE testdata_Byars_Wilson row 3

print("== Clopper-Pearson: beta.ppf((1-c)/2, k, n-k+1) (0 if k = 0), beta.isf((1-c)/2, k+1, n-k) (1 if k = n)")
from scipy.stats import beta as beta_dist
def clopper_pearson(k, n, c):   # Boost's beta quantiles (binomtest's exact CI root-finding is off by 3e-4 at k = 1, n = 1e6)
    lo = 0.0 if k == 0 else beta_dist.ppf((1 - c) / 2, k, n - k + 1); hi = 1.0 if k == n else beta_dist.isf((1 - c) / 2, k + 1, n - k)
    ci = binomtest(k, n).proportion_ci(confidence_level=c, method='exact'); assert abs(lo - ci.low) <= 1e-3 * lo and abs(hi - ci.high) <= 1e-3 * hi
    if k == 1:   # exact check: I_x(1, n) = 1 - (1 - x)^n = (1 - c)/2 at the lower limit (mpmath, 40 digits)
        assert abs(1 - (1 - mp.mpf(lo))**n - mp.mpf(1 - c) / 2) <= 1e-14 * (1 - c) / 2
    return lo, hi
for k, n in [(0, 10), (10, 10), (3, 17), (51897, 100001), (1, 1000000), (2, 200000)]:
    for c in [0.95, 0.998]:
        lo, hi = clopper_pearson(k, n, c); print(f"clopperPearson {k}/{n} c={c}: low={lo!r} high={hi!r}")

print("== Change, counts/rates, exact conditional: O1 | N ~ Bin(N, pi0 = E1/(E1+E2)); RR limits = CP/(1-CP) * E2/E1")
def exact_change(o1, e1, o2, e2):   # CP/(1-CP) from the two beta tails (beta.sf/isf give 1-CP without cancellation)
    N = o1 + o2; out = {"value": np.inf if o2 == 0 else o1 * e2 / (o2 * e1)}
    for c in [0.95, 0.998]:
        lo, hi = clopper_pearson(o1, N, c)
        lo_odds = 0.0 if o1 == 0 else lo / beta_dist.isf((1 - c) / 2, o2 + 1, o1)   # 1 - B^-1(p; a, b) = B^-1(1-p; b, a)
        hi_odds = np.inf if o2 == 0 else hi / beta_dist.ppf((1 - c) / 2, o2, o1 + 1)
        out[c] = (lo_odds * e2 / e1, hi_odds * e2 / e1)
    pi0 = e1 / (e1 + e2); out["p"] = min(1.0, 2 * min(binom.sf(o1 - 1, N, pi0), binom.cdf(o1, N, pi0)))
    return out
for case in [(30, 1, 12, 1), (12, 1, 30, 1), (20, 1, 17, 1), (0, 1, 5, 1), (7, 1, 0, 1), (1, 1, 0, 1), (0, 1, 1, 1),
             (250, 52000, 180, 48000), (51897, 54786327, 48104, 54000000), (8, 2500, 3, 2600)]:
    print(f"exact change O1={case[0]} E1={case[1]} O2={case[2]} E2={case[3]}: {exact_change(*case)}")
print("== Change, log-normal: RR * exp(-/+ z sqrt(1/O1 + 1/O2)); p = 2*norm.sf(|log RR|/se)")
for o1, e1, o2, e2 in [(250, 52000, 180, 48000), (30, 1, 12, 1)]:
    rr = o1 * e2 / (o2 * e1); se = np.sqrt(1 / o1 + 1 / o2)
    print(f"lognormal O1={o1} E1={e1} O2={o2} E2={e2}: value={rr!r} 95=({rr*np.exp(-z95*se)!r}, {rr*np.exp(z95*se)!r}) "
          f"998=({rr*np.exp(-z998*se)!r}, {rr*np.exp(z998*se)!r}) p={2*norm.sf(abs(np.log(rr))/se)!r}")
print("== Change, proportions: Newcombe (1998) method 10 from Wilson limits")
def wilson_ci(x, n, c):
    zz = z(c); r = zz * np.sqrt(zz**2 + 4 * x * (1 - x / n))
    return (2*x + zz**2 - r) / 2 / (n + zz**2), (1.0 if x == n else (2*x + zz**2 + r) / 2 / (n + zz**2))
def newcombe(x1, n1, x2, n2, c):
    p1, p2 = x1 / n1, x2 / n2; l1, u1 = wilson_ci(x1, n1, c); l2, u2 = wilson_ci(x2, n2, c); d = p1 - p2
    return d, d - np.sqrt((p1 - l1)**2 + (u2 - p2)**2), d + np.sqrt((u1 - p1)**2 + (p2 - l2)**2)
newcombe_table = {(56, 70, 48, 80): (0.0524, 0.3339), (9, 10, 3, 10): (0.1705, 0.8090), (5, 56, 0, 29): (-0.0381, 0.1926),
                  (0, 10, 0, 20): (-0.1611, 0.2775), (0, 10, 0, 10): (-0.2775, 0.2775), (10, 10, 0, 20): (0.6791, 1.0000),
                  (10, 10, 0, 10): (0.6075, 1.0000)}   # Newcombe 1998, Table II, method 10 (4 decimal places)
for case, (lo4, hi4) in newcombe_table.items():
    d, lo, hi = newcombe(*case, 0.95); assert round(lo, 4) == lo4 and round(hi, 4) == hi4, case
for case in list(newcombe_table) + [(6, 7, 2, 7), (120, 400, 160, 410), (1, 1, 0, 1), (37, 37, 41, 41), (0, 250, 0, 300)]:
    print(f"newcombe {case}: 95={newcombe(*case, 0.95)!r} 998={newcombe(*case, 0.998)!r}")

print("== Funnels, proportions: pbar +/- z sqrt(pbar(1-pbar)/n), the roots of PHE's sigma_adjustment quadratic")
def sigma_adjustment(p, n, a):   # PHE R/utils.R, both sides, multiplier 1
    zz = norm.ppf(p); first = a * (n / zz**2 + 1); last = 1 / zz**2 + 1 / n
    adj = np.sqrt((-8 * a * (n / zz**2 + 1))**2 - 64 * last * a * (n * (a * (n / zz**2 + 2) - 1) + zz**2 * (a - 1)))
    return (first - adj / 8) / last / n, (first + adj / 8) / last / n
PBAR = 10325813.8504 / 12804440   # testdata_funnel_prop_inputs.csv: sum(numerator) / sum(denominator), 303 areas
print(f"pbar = 10325813.8504 / 12804440 = {PBAR!r}")
def prop_band(n, a, zz): h = zz * np.sqrt(a * (1 - a) / n); return a - h, a + h
published = {1: (3.204264, 100, 0, 100), 664: (77.637263, 83.647632, 75.904239, 85.380656),   # testdata_funnel_prop_outputs.csv
             110000: (80.408963, 80.875933, 80.274317, 81.010578)}
for n in [1, 3, 664, 110000, 1e9]:
    b95, b998 = prop_band(n, PBAR, z95), prop_band(n, PBAR, z998)
    for (lo, hi), p in [(b95, 0.975), (b998, 0.999)]:
        s = sigma_adjustment(p, n, PBAR); assert close(lo, s[0], 1e-9) and close(hi, s[1], 1e-9)
    lim = [min(100, max(0, v * 100)) for v in (b95[0], b95[1], b998[0], b998[1])]
    if n in published: assert all(abs(a - b) <= 5.1e-7 for a, b in zip(lim, published[n])), n
    print(f"proportion funnel n={n}: limits x100 clamped = {lim!r} unclamped 95={b95!r} 998={b998!r}")
def prop_sig(x, n, a):
    p = x / n; l95, u95 = prop_band(n, a, z95); l998, u998 = prop_band(n, a, z998)
    return ("Low (0.001)" if p < l998 else "Low (0.025)" if p < l95 else "High (0.001)" if p > u998
            else "High (0.025)" if p > u95 else "Not significant")
prop_rows = [("New Forest PCT", 35078.488, 41980, "High (0.001)"), ("Norwich PCT", 24803.6256, 31824, "Low (0.001)"),
             ("South Gloucestershire PCT", 50050.7443, 61921, "Not significant"),
             ("Ashton, Leigh and Wigan PCT", None, None, "Not significant"), ("Witham, Braintree and Halstead Care Trust", None, None, "High (0.025)")]
phe = os.environ.get("PHE_TESTDATA")
if phe:
    with open(os.path.join(phe, "testdata_funnel_prop_inputs.csv"), encoding="utf-8-sig") as f: rows = list(csv.DictReader(f))
    num = sum(float(r["numerator"]) for r in rows); den = sum(float(r["denominator"]) for r in rows); assert close(num / den, PBAR, 1e-15)
    assert all(prop_sig(float(r["numerator"]), float(r["denominator"]), PBAR) == r["significance"] for r in rows)
    lookup = {r["Area"]: r for r in rows}; prop_rows = [(a, float(lookup[a]["numerator"]), float(lookup[a]["denominator"]), s) for a, _, _, s in prop_rows]
    print("PHE_TESTDATA: all 303 proportion significances agree")
for area, x, n, s in prop_rows:
    if x is not None: assert prop_sig(x, n, PBAR) == s; print(f"proportion significance {area}: x={x!r} n={n!r} -> {s}")
for x, n in [(0, 5), (5, 5), (80, 100), (95, 100), (99, 100), (1, 1)]:
    print(f"proportion significance x={x} n={n}: {prop_sig(x, n, PBAR)} bands 95={prop_band(n, PBAR, z95)} 998={prop_band(n, PBAR, z998)}")

print("== Funnels, Poisson control limits at expected E: O_L = a-1 with gammainc(a,E) = 1-alpha/2, O_U = a with gammainc(a,E) = alpha/2")
def control(E, c):
    tail, inner = (1 - c) / 2, c + (1 - c) / 2
    lo = 0.0 if np.exp(-E) >= tail else brentq(lambda a: gammaincc(a, E) - tail, 1e-9, 10 * E + 100, xtol=1e-14, rtol=1e-15) - 1
    return max(0.0, lo), brentq(lambda a: gammainc(a, E) - tail, 1e-9, 10 * E + 100, xtol=1e-14, rtol=1e-15)
for O in [1, 5, 10, 100]:   # E at the edge of a whole count's exact interval gives that count back
    for c in [0.95, 0.998]:
        U, L = chi2.ppf(c + (1 - c) / 2, 2 * O + 2) / 2, chi2.ppf((1 - c) / 2, 2 * O) / 2
        assert abs(control(U, c)[0] - O) < 1e-9 * O and abs(control(L, c)[1] - O) < 1e-9 * O
        print(f"control O={O} c={c}: E_low_curve = chi2.ppf(c+(1-c)/2, 2O+2)/2 = {U!r}; E_high_curve = chi2.ppf((1-c)/2, 2O)/2 = {L!r}")
for E in [0.5, 3.0, 3.7, 7.5, 250.0, 12345.6]:
    print(f"control E={E}: 95={control(E, 0.95)!r} 998={control(E, 0.998)!r}")
print("-log(alpha/2):", -np.log(0.025), -np.log(0.001))
# PHE testdata_funnel_ratio_outputs.csv rows Observed_events = 1, 10, 716 (isr = x100 ratio); bisection precision ~5e-5 rel at O=1
ratio_pub = {1: (5.571644585, 17.94802207, 0.025317898, 3949.774946, 9.233410143, 10.83023482, 0.001000547, 99945.32721),
             10: (18.39035799, 54.3763205, 4.795387629, 208.5337156, 24.13397235, 41.43536693, 2.960519925, 337.778507),
             100: (121.6268111, 82.21871402, 81.36400699, 122.9044681, 134.9243187, 74.11562345, 71.92139974, 139.0406755)}
for O, pub in ratio_pub.items():
    U, L = chi2.ppf(0.975, 2 * O + 2) / 2, chi2.ppf(0.025, 2 * O) / 2; U3, L3 = chi2.ppf(0.999, 2 * O + 2) / 2, chi2.ppf(0.001, 2 * O) / 2
    mine = (U, O / U * 100, L, O / L * 100, U3, O / U3 * 100, L3, O / L3 * 100)
    assert all(close(a, b, 5e-5) for a, b in zip(mine, pub)); print(f"ratio funnel O={O}: exact {mine!r} vs PHE {pub!r}")
def poisson_limit(O, c, low):   # PHE funnel_ratio_significance: exact below 10 (lower 0 at O = 0), Byar's from 10
    if O == 0 and low: return 0.0
    if O < 10: return chi2.ppf((1 - c) / 2, 2 * O) / 2 if low else chi2.ppf(c + (1 - c) / 2, 2 * O + 2) / 2
    zz = z(c); return O * (1 - 1/(9*O) - zz/(3*np.sqrt(O)))**3 if low else (O+1) * (1 - 1/(9*(O+1)) + zz/(3*np.sqrt(O+1)))**3
def pois_sig(O, scale, ref):
    return ("High (0.001)" if ref < poisson_limit(O, .998, True) / scale else "High (0.025)" if ref < poisson_limit(O, .95, True) / scale
            else "Low (0.001)" if ref > poisson_limit(O, .998, False) / scale else "Low (0.025)" if ref > poisson_limit(O, .95, False) / scale
            else "Not significant")
for O, E, s in [(8, 6.239860227, "Not significant"), (151, 106.4429719, "High (0.001)"), (159, 232.9329036, "Low (0.001)"),
                (191, 184.0963855, "Not significant")]:   # testdata_funnel_ratio_inputs.csv, first four rows
    assert pois_sig(O, E, 1) == s; print(f"ratio significance O={O} E={E}: {s}")
for O, E in [(0, 3.0), (0, 4.0), (0, 7.0), (1, 0.2), (25, 15.0), (25, 14.0)]:
    print(f"ratio significance O={O} E={E}: {pois_sig(O, E, 1)}")
# rate funnels: testdata_funnel_rate_input_funnels.csv (dsr, per 1e5, 3 years) average 0.0011617208350946295 from its 50 rows
RATE_AV = 0.0011617208350946295
rate_pub = {1: (1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943, 0.287087625, 116108.569)}   # testdata_funnel_rate_outputs.csv
for O, pub in rate_pub.items():
    U, L = chi2.ppf(0.975, 4) / 2, chi2.ppf(0.025, 2) / 2; U3, L3 = chi2.ppf(0.999, 4) / 2, chi2.ppf(0.001, 2) / 2
    mine = (U / RATE_AV / 3, O / (U / RATE_AV) * 1e5, L / RATE_AV / 3, O / (L / RATE_AV) * 1e5, U3 / RATE_AV / 3, O / (U3 / RATE_AV) * 1e5, L3 / RATE_AV / 3, O / (L3 / RATE_AV) * 1e5)
    assert all(close(a, b, 5e-5) for a, b in zip(mine, pub)), (mine, pub); print(f"rate funnel O={O}: exact {mine!r}")
    print(f"  i.e. rateLimits(denominator = {U / RATE_AV!r}) lower95 = {O / (U / RATE_AV) * 1e5!r}; denominator {L / RATE_AV!r} upper95 = {O / (L / RATE_AV) * 1e5!r}")
if phe:
    for fname, av in [("testdata_funnel_rate_outputs.csv", RATE_AV)]:
        with open(os.path.join(phe, "testdata_funnel_rate_input_funnels.csv"), encoding="utf-8-sig") as f: rin = list(csv.DictReader(f))
        ev = np.array([float(r["ev"]) for r in rin]); rate = np.array([float(r["rate"]) for r in rin])
        assert close(ev.sum() / (1e5 * ev / rate).sum(), RATE_AV, 1e-15)
    with open(os.path.join(phe, "testdata_funnel_rate_dsr_inputs.csv"), encoding="utf-8-sig") as f: rr = list(csv.DictReader(f))
    O = np.array([float(r["count"]) for r in rr]); P = np.array([float(r["pop"]) for r in rr]); R = np.array([float(r["rate_crude_per_100000"]) for r in rr])
    den = np.where(O == 0, P, 1e5 * O / np.where(R == 0, 1, R)); av = O.sum() / den.sum()
    assert all(pois_sig(o, d, av) == r["crude_per_100000_with_0"] for o, d, r in zip(O, den, rr))
    D = np.array([float(r["rate_dsr"]) if r["rate_dsr"] != "NA" else np.nan for r in rr]); dd = np.where(O == 0, np.nan, 1e5 * O / D)
    dav = O.sum() / np.nansum(dd)
    assert all(("Not applicable for events less than 10 for dsrs" if o < 10 else pois_sig(o, d, dav)) == r["dsr_per_100000_with_0"] for o, d, r in zip(O, dd, rr))
    print("PHE_TESTDATA: crude and dsr rate significances (per 100,000, with 0) agree")
# testdata_funnel_rate_dsr_inputs.csv rows used by the tests (count, rate_dsr, pop, rate_crude_per_100000, significances)
CRUDE_AV, DSR_AV = 0.006685089282681704, 0.007049004703317129   # from all 40 rows (crude with 0 / dsr per 100,000), as above
for count, dsr_rate, pop, s_dsr, s_crude in [(2419, 907.6174266, 264102, "High (0.001)", "High (0.001)"), (0, None, 297820, None, "Low (0.001)")]:
    assert pois_sig(count, pop, CRUDE_AV) == s_crude
    if dsr_rate: assert pois_sig(count, 1e5 * count / dsr_rate, DSR_AV) == s_dsr
    print(f"rate significance count={count} pop={pop}: crude {s_crude}; dsr {s_dsr}")

print("== ISR: E = sum(refcount/refpop * pop), value O/E, limits exact (<10) or Byar (>=10) / E (testdata_DSR_ISR.xlsx)")
ref_count = [10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745, 5514, 7125, 5694, 6210, 5757]
ref_pop = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974, 44140, 40888, 37239, 30819, 18136, 15325, 13918]
isr_pop = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
isr_counts = {"testdata_big": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
              "testdata_small": [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4], "testdata_tiny": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 2, 4]}
isr_results = {"testdata_big": (1.0707232939020275, 1.0017147712553987, 1.143233287249895, 0.9635155619614437, 1.1860070415876287),   # testresults_ISR
               "testdata_small": (0.10886683770400503, 0.08765040101829405, 0.1336657632841891, 0.07695425528392111, 0.14897920510466744),
               "testdata_tiny": (0.010767049882813684, 0.004923380825095776, 0.02043921455549973, 0.0029339306550682617, 0.02710589651469021)}
E_isr = sum(x / n * p for x, n, p in zip(ref_count, ref_pop, isr_pop)); assert close(E_isr, 835.8835612311743, 1e-14)
print(f"ISR expected = {E_isr!r}")
for area, counts in isr_counts.items():
    O = sum(counts); vals = [O / E_isr] + [v / E_isr for c in (0.95, 0.998) for v in (poisson_limit(O, c, True), poisson_limit(O, c, False))]
    assert all(close(a, b, 1e-12) for a, b in zip(vals, isr_results[area])), area
    print(f"ISR {area}: O={O} value, l95, u95, l998, u998 = {vals!r}")
E_err2 = sum(x / n * p for x, n, p in zip(ref_count, ref_pop, [636, 0] + isr_pop[2:])); O_err2 = sum(isr_counts["testdata_big"])
assert close(O_err2 / E_err2 * 100, 110.72323749430866, 1e-12) and close(poisson_limit(O_err2, .95, True) / E_err2 * 100, 103.58708281676485, 1e-12)
print(f"ISR err2 Area1 (a zero population, refvalue 100): E={E_err2!r} value={O_err2 / E_err2 * 100!r}")
for O, E in [(0, 2.5), (1, 2.5)]:
    print(f"ISR O={O} E={E}: value={O/E!r} 95=({poisson_limit(O, .95, True)/E!r}, {poisson_limit(O, .95, False)/E!r}) 998=({poisson_limit(O, .998, True)/E!r}, {poisson_limit(O, .998, False)/E!r})")

print("== Mean: x.mean() -/+ |t.ppf((1-c)/2, n-1)| * x.std(ddof=1)/sqrt(n) (testdata_Mean.xlsx)")
mean_data = {"Area1": [33.09375, 48.38596, 64.83495, 67.98475, 22.93556, 71.23587, 38.78465, 82.37927],
             "Area2": [5555.66666, 6666.77777, 4444.88888, 2222.99999, 3333.88888, 5555.44444, 6666.33333, 7777.44444, 5555.99999,
                       8888.33333, 2222.55555, 4444.33333, 6666.22222, 4444.11111, 4444.22222, 5555.11111, 7777.22222, 9999.77777]}
mean_data["No grouping"] = mean_data["Area1"] + mean_data["Area2"]
mean_results = {"Area1": (53.70434500000001, 20.97557525770931, 36.168325241336504, 71.24036475866352, 18.216705294788838, 89.19198470521118),   # testdata_Mean_results
                "Area2": (5678.962957777778, 2117.831716159067, 4625.790022452972, 6732.135893102583, 3859.0770997295967, 7498.848815825959),
                "No grouping": (3948.1141538461534, 3171.8018122194453, 2666.995676745849, 5229.232630946458, 1801.9535385474737, 6094.274769144833)}
for area, xs in mean_data.items():
    x = np.array(xs); n = len(x); m, s = x.mean(), x.std(ddof=1); t95, t998 = abs(student_t.ppf(0.025, n - 1)), abs(student_t.ppf(0.001, n - 1))
    vals = (m, s, m - t95 * s / np.sqrt(n), m + t95 * s / np.sqrt(n), m - t998 * s / np.sqrt(n), m + t998 * s / np.sqrt(n))
    assert all(close(a, b, 1e-12) for a, b in zip(vals, mean_results[area])), area
    print(f"mean {area}: n={n} sum={x.sum()!r} mean, sd, l95, u95, l998, u998 = {vals!r}")
x = np.array([12.0, 15.0]); print(f"mean [12, 15]: sd={x.std(ddof=1)!r} 95=({x.mean() - abs(student_t.ppf(.025, 1)) * x.std(ddof=1) / np.sqrt(2)!r}, {x.mean() + abs(student_t.ppf(.025, 1)) * x.std(ddof=1) / np.sqrt(2)!r})")
x = 1e9 + np.array([1.0, 2.0, 3.0, 4.0]); print(f"mean 1e9+[1,2,3,4]: mean={x.mean()!r} sd={x.std(ddof=1)!r}")
print("== Student's t: t.ppf(p, df) (each checked with mpmath: the t CDF at the quantile, 40 digits)")
for p, nu in [(0.025, 1), (0.001, 1), (0.975, 2), (1e-10, 3), (0.025, 7), (0.001, 7), (0.4, 9), (0.6, 17), (0.025, 25),
              (0.999, 30), (0.0005, 100), (0.49, 5), (0.025, 1000), (0.001, 1e6), (0.3, 0.5), (0.975, 2.5)]:
    v = student_t.ppf(p, nu); xx = mp.mpf(nu) / (nu + mp.mpf(v)**2)
    cdf = mp.betainc(mp.mpf(nu) / 2, mp.mpf(1) / 2, 0, xx, regularized=True) / 2; cdf = cdf if v < 0 else 1 - cdf
    dens = mp.gamma((mp.mpf(nu) + 1) / 2) / (mp.sqrt(nu * mp.pi) * mp.gamma(mp.mpf(nu) / 2)) * (1 + mp.mpf(v)**2 / nu)**(-(mp.mpf(nu) + 1) / 2)
    assert abs((cdf - p) / dens / v) < 1e-14; show(f"t.ppf({p!r}, {nu!r})", v)
for a, b, xv in [(2, 3, 0.4), (0.5, 0.5, 0.01), (50, 60, 0.45), (5000, 5000, 0.5), (51898, 48104, 0.519), (3, 100000, 2e-5), (8, 9, 0.9)]:
    show(f"betainc({a}, {b}, {xv})", betainc(a, b, xv))

print("== SPC: p-chart pbar -/+ k sqrt(pbar(1-pbar)/n), k = 2, 3, clamped to [0, 1]; Fingertips: Wilson of E = n*p0 out of n")
for pb, n in [(0.2, 50), (0.2, 5000), (0.02, 10), (0.97, 30), (0.0, 100), (1.0, 100)]:
    s = np.sqrt(pb * (1 - pb) / n); print(f"spc pbar={pb} n={n}: 2s=({max(0, pb - 2*s)!r}, {min(1, pb + 2*s)!r}) 3s=({max(0, pb - 3*s)!r}, {min(1, pb + 3*s)!r})")
ft = [(8.9611086876279327, 7.7065767284991562, 5930, "Better", "Better"), (8.9611086876279327, 9.8988121425428961, 2273, "Same", "Same"),
      (8.9611086876279327, 12.474645030425965, 1972, "Worse", "Worse"), (12.8379546895717, 10.9783420463032, 1339, "Better", "Same"),
      (12.8379546895717, 15.9065628476085, 899, "Worse", "Same")]   # fingertips-open SpcForProportionsComparerTest (low is good)
for p0, v, n, s95, s998 in ft:
    out = []
    for c, zf in [(0.95, 1.96), (0.998, 3.0902)]:
        for zz in (zf, z(c)):   # Fingertips' rounded z and the exact z give the same outcome
            E = n * p0 / 100; r = zz * np.sqrt(zz**2 + 4 * E * (1 - E / n)); lo, hi = (2*E + zz**2 - r) / 2 / (n + zz**2), (2*E + zz**2 + r) / 2 / (n + zz**2)
            out.append("Worse" if v / 100 > hi else "Better" if v / 100 < lo else "Same")
        if c == 0.95: print(f"fingertips spc p0={p0} value={v} n={n}: 95 limits with exact z = ({lo!r}, {hi!r})")
    assert out == [s95, s95, s998, s998], (p0, v, out)
    print(f"fingertips spc p0={p0} value={v} n={n}: {s95} at 95%, {s998} at 99.8%")

print("== SII: WLS of values on cumulative-population midpoint ranks (weights = population shares), phe_sii; testdata_SII.xlsx")
SII = {"LE1": dict(pop=[7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
                   value=[75.9334590103081, 78.3442382727843, 83.8360631041654, 83.6375399664931, 80.4655031529559, 81.1156759857022, 81.6930835718562, 84.1900062060987, 80.5955641081472, 86.2894349578624],
                   lower=[72.7220530546453, 75.2509802190802, 80.8697295124759, 80.157578356036, 77.1308785969275, 78.0499986811178, 79.011578491948, 81.4457282769343, 75.827185168894, 83.2190593454592],
                   upper=[79.1448649659708, 81.4374963264884, 86.8023966958549, 87.1175015769501, 83.8001277089842, 84.1813532902866, 84.3745886517644, 86.9342841352631, 85.3639430474004, 89.3598105702656]),
       "LE2": dict(pop=[21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312],
                   value=[70.54853186, 71.57155734, 72.48698671, 73.51985519, 73.14605425, 76.15898712, 78.65444871, 80.56476961, 80.85486627, 79.9711253],
                   lower=[70.09853186, 71.12155734, 72.03698671, 73.06985519, 72.69605425, 75.70898712, 78.20444871, 80.11476961, 80.40486627, 79.5211253],
                   upper=[70.99853186, 72.14, 73.21, 73.7, 75.8, 78.76, 79.77, 81.21, 81.30486627, 80.9]),
       "R1": dict(pop=[279012, 255993, 236961, 214315, 192812, 183546, 168593, 164822, 154836, 138165],
                  value=[5.892219689475721, 4.7345044591063035, 3.827634083245766, 3.8681380211371112, 3.6771570234217785, 3.1436261209723995, 3.1258711808912585, 2.942568346458604, 2.82879950399132, 2.7648101907140012],
                  lower=[5.614959662410748, 4.475920770781004, 3.586926055445024, 3.6140791140579505, 3.4166969870147965, 2.8977176350029272, 2.870493809285979, 2.6924041297904315, 2.57630573787527, 2.501420619088458],
                  upper=[6.183085357576154, 5.0079519402470885, 4.0844291026854505, 4.1399822998098585, 3.9573934822289045, 3.4103317188858107, 3.4038909874130083, 3.2159015715579464, 3.1059621495836955, 3.05584866618335]),
       "P1": dict(pop=[34353, 32112, 27715, 25372, 23889, 23260, 23180, 24193, 23609, 24488], count=[7287, 6881, 5656, 4868, 4176, 3876, 3617, 3546, 3314, 2960]),
       "R2": dict(pop=[13837, 14519, 14940, 14599, 12311, 21675, 20065, 19750, 24713, 20112],
                  value=[4.89675, 4.5678, 4.67666, 4.35666, 3.9, 3.8, 3.5, 3.2, 3.21, 2.8],
                  lower=[4.77675, 4.4478, 4.55666, 4.23666, 3.78, 3.6799999999999997, 3.38, 3.08, 3.09, 2.6799999999999997],
                  upper=[4.97675, 4.6478, 4.75666, 4.43666, 3.98, 3.88, 3.58, 3.2800000000000002, 3.29, 2.88]),
       "P2": dict(pop=[36111, 31803, 26681, 24184, 23023, 21506, 22197, 23679, 23271, 23464], count=[4362, 3734, 3032, 2561, 2304, 2024, 1938, 1981, 1856, 1635])}
P2_PUBLISHED = dict(value=[0.12079421782836301, 0.117410307203723, 0.11363891908099401, 0.105896460469732, 0.10007383920427401, 0.09411327071514931, 0.08730909582376001, 0.0836606275602855, 0.0797559193846418, 0.0696812137742925],
                    lower=[0.117473271937339, 0.11391851782536101, 0.109886239767609, 0.102080757108839, 0.09626388594689321, 0.0902830437346462, 0.0836665612937408, 0.08020120762600881, 0.0763441201710209, 0.0664933849950753],
                    upper=[0.12419583434331499, 0.120994510822713, 0.117502836842961, 0.10983734511402099, 0.104017228033421, 0.09808847293030461, 0.09109444792373561, 0.0872551115710111, 0.0833064392278473, 0.0730099206057122])
for k in ("P1", "P2"):   # PHE's proportion limits are the Wilson 95% limits of count/population (checked for P2 below)
    d = SII[k]; d["value"] = [x / n for x, n in zip(d["count"], d["pop"])]
    lims = [wilson_ci(x, n, 0.95) for x, n in zip(d["count"], d["pop"])]; d["lower"] = [l for l, _ in lims]; d["upper"] = [u for _, u in lims]
assert all(abs(a - b) < 1e-15 for k in P2_PUBLISHED for a, b in zip(SII["P2"][k], P2_PUBLISHED[k]))
G = {0: (lambda v: v, lambda v: v), 1: (np.log, np.exp), 2: (lambda v: np.log(v / (1 - v)), lambda v: 1 / (1 + np.exp(-v)))}
def sii_fit(key, vt, transform=False, m=1.0, n=10, conf=(0.95,), reps=100000, seed=20240601):
    d = {k: np.array(v[:n], float) for k, v in SII[key].items()}; f, finv = G[vt]
    a = d["pop"] / d["pop"].sum(); b = np.cumsum(a) - a / 2; X = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    yt = f(d["value"]); se = (f(d["upper"]) - f(d["lower"])) / z95 / 2
    b0, b1 = np.linalg.lstsq(X, np.sqrt(a) * (yt if transform else d["value"]), rcond=None)[0]
    sims = np.random.default_rng(seed).normal(yt[:, None], se[:, None], size=(n, reps))
    beta = np.linalg.solve(X.T @ X, X.T) @ ((sims if transform else finv(sims)) * np.sqrt(a)[:, None])
    if not transform:
        out = dict(sii=m * b1, rii=(1 / ((b0 + b1) / b0) if m < 0 else (b0 + b1) / b0), intercept=b0)
        S = np.sort(beta[1] * m); R = (beta[0] + beta[1]) / beta[0]; R = np.sort(1 / R if m < 0 else R)
    else:
        x1 = b0 + b1; out = dict(sii=(finv(x1) - finv(b0)) * m, rii=(finv(b0) / finv(x1) if m < 0 else finv(x1) / finv(b0)), intercept=finv(b0) * abs(m))
        S = np.sort(beta[1]); xh = b0 + b1 / 2
    for c in conf:
        cv = c + (1 - c) / 2; lo, hi = int(round(reps * (1 - cv))) - 1, int(round(reps * cv)) - 1
        if not transform: out[c] = (S[lo], S[hi], R[lo], R[hi])
        else:
            e = lambda s: (finv(xh + s / 2), finv(xh - s / 2)); (t1, d1), (t2, d2) = e(S[lo]), e(S[hi])
            out[c] = ((t2 - d2) * m, (t1 - d1) * m, d2 / t2, d1 / t1) if m < 0 else ((t1 - d1) * m, (t2 - d2) * m, t1 / d1, t2 / d2)
    return out
# (data, value_type, transform, multiplier, groups, levels) -> PHE's sii, rii, [sii_l, sii_u, rii_l, rii_u per level], intercept
sii_cases = [("LE1", 0, False, 1, 10, (0.95,), (6.934616473668819, 1.0888180804446217, [3.127594617650817, 10.7586873680794, 1.0383690591642838, 1.1412993360251238], 78.07663078231671)),
             ("LE2", 0, False, 1, 10, (0.95,), (12.547846636351798, 1.180885620848795, [11.936156426792138, 13.163020132396579, 1.1713706914325628, 1.1904396357244886], 69.36895579356593)),
             ("LE1", 0, False, 1, 10, (0.99,), (6.934616473668819, 1.0888180804446217, [1.9243274437391116, 11.99208403800279, 1.0234148326541768, 1.1587677685047233], None)),
             ("R1", 1, False, 1, 10, (0.95,), (-3.2752012326471758, 0.40600068953980034, [-3.5868233016744155, -2.9653170017272723, 0.36888170199068804, 0.44624776652446996], 5.513813189631011)),
             ("P2", 2, False, 1, 10, (0.95,), (-0.0581854710713103, 0.5470128461555435, [-0.06216629570885849, -0.05417454773129435, 0.5237145074007454, 0.5714617043537692], 0.12844839103602843)),
             ("P1", 2, False, -100, 10, (0.95,), (10.720032333730494, 1.874760274474414, [10.21798062145461, 11.22085722098469, 1.8176733941416052, 1.933759757083172], None)),
             ("R1", 1, True, 1, 10, (0.95, 0.98), (-3.15590713895456, 0.4418848436076823, [-3.4809615490242884, -2.833237344763632, 0.4082744080360723, 0.4785663265006931, -3.544280996599922, -2.7745074687289164, 0.4020907792516821, 0.48562375212051656], 5.65458060546947)),
             ("P1", 2, True, -1, 10, (0.95,), (0.1096462611125906, 1.8720366560930344, [0.10443087776045443, 0.11490838449464633, 1.8176063925941832, 1.9285161359197882], 0.2353821007088711)),
             ("R2", 1, True, -1, 10, (0.95,), (2.2954691808474057, 1.8361612555599447, [2.168075785150564, 2.423223688852598, 1.7769091470643676, 1.8972648386950541], 5.040716183843519)),
             ("LE1", 0, False, 1, 5, (0.95,), (7.919334147100874, 1.1037116952527257, [], None)),
             ("LE2", 0, False, 1, 5, (0.95,), (3.6215563376545648, 1.0513892712719326, [], None))]
for key, vt, tr, m, n, conf, (psii, prii, plims, pint) in sii_cases:
    o = sii_fit(key, vt, tr, m, n, conf)
    assert close(o["sii"], psii, 1e-12) and close(o["rii"], prii, 1e-12) and (pint is None or close(o["intercept"], pint, 1e-12)), (key, o["sii"], psii, o["rii"], prii, o["intercept"], pint)
    mine = [v for c in conf for v in o[c]]
    for i in range(0, len(plims), 4):   # numpy's own simulation (another generator) lands within 2% of PHE's interval widths
        for j in range(4): assert abs(mine[i + j] - plims[i + j]) <= 0.02 * (plims[i + (j // 2) * 2 + 1] - plims[i + (j // 2) * 2]), (key, i, j)
    print(f"sii {key} vt={vt} transform={tr} m={m} groups={n}: sii={o['sii']!r} rii={o['rii']!r} intercept={o['intercept']!r}; PHE limits {plims}")
for key in ("P1", "P2"): print(f"sii {key} Wilson-derived logit se = {((G[2][0](np.array(SII[key]['upper'])) - G[2][0](np.array(SII[key]['lower']))) / z95 / 2).tolist()!r}")
lo, hi = 25 * (1 - 1/225 - z95/15)**3, 26 * (1 - 1/234 + z95/(3*np.sqrt(26)))**3
print(f"sii Group.rate(count=25): log se from Byar 95% limits = log({hi!r}/{lo!r})/(2*z95) = {np.log(hi/lo)/(2*z95)!r}")
