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
