"""The statistics the profiles' tables print beside their counts, for the DuckDB and Polars jobs
alike: each job counts (in its own engine) and these functions turn the few counts per row into
the engine's words and limits. Written from the published methods (PHEindicatormethods, Fingertips
technical guidance, Newcombe 1998, Clopper-Pearson), not from the engine's code; the engine's
pieces are named for reference only.

- each ward, locality or deprivation decile's rate against the whole area (Sources/Profiles/
  AreaComparison.swift): `assign_funnel_significance` for crude rates, the row's Poisson interval
  (exact below 10 events, Byar's from 10) at 95% and 99.8% against the average of the areas;
- the same allowing for age: the indirectly standardised ratio of each area's records to those
  expected at the whole area's age-specific rates (records without an age shared among the bands
  as those with one are), judged as `assign_funnel_significance(statistic = "ratio")`, where at
  least 80% of the year's records in the area have an age;
- a mean's 95% interval by Student's t (`phe_mean`);
- a measure of success's change since last year (ProfileBuild+Change.swift): a share by the
  difference of two proportions with Newcombe's hybrid score interval (method 10, Wilson limits), a
  count or rate by the exact conditional test on the binomial split of the two counts
  (Clopper-Pearson limits of the ratio this year / last), significant at 95% or 99.8%.
"""
import functools, math
from statistics import NormalDist

from partnership_benchmark import byar_limits, exact_limits, z_value

WORDS = {"high998": "higher (99.8%)", "high95": "higher (95%)", "similar": "similar", "low95": "lower (95%)", "low998": "lower (99.8%)"}


# --- Poisson intervals and funnel significance ---

@functools.lru_cache(maxsize=None)
def poisson_interval(count, level):
    """(lower, upper) of a count: exact below 10 events, Byar's from 10 (each count worked out once)."""
    return exact_limits(count, level) if count < 10 else byar_limits(count, level)


def poisson_significance(count, scale, reference):
    """The reference against the count's interval divided by `scale` (PHE's funnel significance)."""
    l998, u998 = poisson_interval(count, 0.998)
    l95, u95 = poisson_interval(count, 0.95)
    if reference < l998 / scale:
        return WORDS["high998"]
    if reference < l95 / scale:
        return WORDS["high95"]
    if reference > u998 / scale:
        return WORDS["low998"]
    if reference > u95 / scale:
        return WORDS["low95"]
    return WORDS["similar"]


def area_labels(records, denominators):
    """Each group's rate against the average of the groups with a population (None for a group
    without one, or when no group has one)."""
    areas = [g for g, d in enumerate(denominators) if d > 0]
    if not areas:
        return [None] * len(records)
    average = sum(records[g] for g in areas) / sum(denominators[g] for g in areas)
    return [poisson_significance(records[g], denominators[g], average) if denominators[g] > 0 else None for g in range(len(records))]


LEAST_SHARE_WITH_AGE = 0.8


def standardised_labels(records, denominators, populations, banded, unbanded):
    """Each group's records against those expected at the area's age-specific rates, or None for the
    table when fewer than 80% of the area's records have an age (None for a group without population).

    records[g]: the group's records; denominators[g]: its residents (or children), 0 outside the
    area; populations[g][k]: its residents in each band used; banded[g][k]: its records aged in
    band k; unbanded[g]: its records without a usable age."""
    in_area = [d > 0 for d in denominators]
    k_count = len(populations[0]) if populations else 0
    area_population = [sum(populations[g][k] for g in range(len(records)) if in_area[g]) for k in range(k_count)]
    counts = [0.0] * k_count
    total = 0.0
    for g in range(len(records)):
        if not in_area[g]:
            continue
        total += sum(banded[g]) + unbanded[g]
        for k in range(k_count):
            # A band without residents in the area: its records count as without an age.
            if area_population[k] > 0:
                counts[k] += banded[g][k]
    with_age = sum(counts)
    if total <= 0 or with_age < LEAST_SHARE_WITH_AGE * total:
        return None
    rates = [counts[k] * (total / with_age) / area_population[k] if area_population[k] > 0 else 0 for k in range(k_count)]
    out = []
    for g in range(len(records)):
        if not in_area[g]:
            out.append(None)
            continue
        expected = sum(r * p for r, p in zip(rates, populations[g]))
        out.append(poisson_significance(records[g], expected, 1.0) if expected > 0 else None)
    return out


# --- The incomplete beta function, its inverse, Student's t ---

def _beta_cf(a, b, x):
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return h


def _log_front(a, b, x):
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)


def betainc(a, b, x):
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(_log_front(a, b, x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_cf(a, b, x) / a
    return 1 - front * _beta_cf(b, a, 1 - x) / b


def beta_inverse(a, b, p):
    """The x with I_x(a, b) = p: Newton's steps on the beta density from the normal approximation,
    kept inside a bisection bracket."""
    lo, hi = 0.0, 1.0
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    x = min(max(mean + NormalDist().inv_cdf(p) * sd, 1e-12), 1 - 1e-12)
    for _ in range(200):
        f = betainc(a, b, x) - p
        if f > 0:
            hi = x
        else:
            lo = x
        if f == 0 or hi - lo <= 1e-16 * max(hi, 1e-300):
            return x
        density = math.exp(_log_front(a, b, x) - math.log(x) - math.log1p(-x))
        step = x - f / density if density > 0 else None
        x = step if step is not None and lo < step < hi else (lo + hi) / 2
        if abs(hi - lo) < 1e-15:
            break
    return x


def t_quantile(p, df):
    """Student's t quantile for p < 0.5 (negative): I_{df/(df+t²)}(df/2, 1/2) = 2p."""
    x = beta_inverse(df / 2, 0.5, 2 * p)
    return -math.sqrt(df * (1 - x) / x)


def mean_interval(n, mean, sd):
    """The 95% interval of a mean of n values with sample standard deviation sd (None below two values)."""
    if n is None or n < 2 or sd is None:
        return None, None
    half = abs(t_quantile(0.025, n - 1)) * sd / math.sqrt(n)
    return mean - half, mean + half


# --- The change of a measure of success ---

def clopper_pearson_ratio(x, n, level):
    """The Clopper-Pearson limits (p_L, p_U) of x out of n as odds p / (1 - p)."""
    tail = (1 - level) / 2
    lower = 0.0 if x == 0 else beta_inverse(x, n - x + 1, tail)
    upper = math.inf if x == n else beta_inverse(x + 1, n - x, 1 - tail)
    odds = lambda p: p / (1 - p) if p < 1 else math.inf
    return odds(lower), odds(upper)


def wilson(x, n, level):
    z = z_value(level)
    z2 = z * z
    root = z * math.sqrt(z2 + 4 * x * (1 - x / n))
    lower = (2 * x + z2 - root) / 2 / (n + z2)
    upper = 1.0 if x == n else (2 * x + z2 + root) / 2 / (n + z2)
    return lower, upper


def judge(interval, no_change):
    if interval is None:
        return "not testable"
    if interval[0] > no_change:
        return "higher"
    if interval[1] < no_change:
        return "lower"
    return "same"


COUNTS_TEST = "Exact conditional test on the binomial split of the two counts (Clopper-Pearson)"
PROPORTIONS_TEST = "Newcombe hybrid score interval for a difference of proportions (method 10)"


def success_change(kind, good, current, previous):
    """(news, measured as, lower 95, upper 95, test) of a measure of success from (value, numerator,
    denominator) this year and last. `kind`: 'proportions', 'counts' or 'rate' (its numerators are
    the records), or 'sum' (not tested)."""
    if current[0] is None or previous[0] is None:
        return "not available", "", None, None, ""
    if kind == "sum":
        return "not tested", "", None, None, "none: a total of a field is not a count of events"
    if kind == "proportions":
        (_, x1, n1), (_, x2, n2) = current, previous
        if x1 is None or n1 is None or x2 is None or n2 is None:
            return "not available", "", None, None, ""
        if x1 > n1 or x2 > n2 or n1 <= 0 or n2 <= 0:
            return "not testable", "", None, None, "none: the share's count is above its base"
        p1, p2 = x1 / n1, x2 / n2
        d = p1 - p2
        intervals = []
        for level in (0.95, 0.998):
            l1, u1 = wilson(x1, n1, level)
            l2, u2 = wilson(x2, n2, level)
            intervals.append((d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)))
        verdicts = [judge(i, 0) for i in intervals]
        shown = (100 * intervals[0][0], 100 * intervals[0][1])
        measured, test = "difference (percentage points)", PROPORTIONS_TEST
    else:
        o1, o2 = (current[1], previous[1]) if kind == "rate" else (current[0], previous[0])
        if o1 is None or o2 is None:
            return "not available", "", None, None, ""
        total = o1 + o2
        intervals = [clopper_pearson_ratio(o1, total, level) for level in (0.95, 0.998)] if total > 0 else [None, None]
        verdicts = [judge(i, 1) for i in intervals]
        shown = intervals[0] or (None, None)
        measured, test = "ratio (this year / last)", COUNTS_TEST
    if verdicts[0] == "not testable":
        return "not testable", measured, shown[0], shown[1], test
    better = lambda v: {"higher": "better", "lower": "worse"}[v] if good == "up" else {"higher": "worse", "lower": "better"}[v]
    if verdicts[1] in ("higher", "lower"):
        news = f"significantly {better(verdicts[1])} (99.8%)"
    elif verdicts[0] in ("higher", "lower"):
        news = f"significantly {better(verdicts[0])} (95%)"
    else:
        news = "no significant change"
    return news, measured, shown[0], shown[1], test
