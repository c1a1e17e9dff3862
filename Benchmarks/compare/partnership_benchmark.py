"""The "how we compare with other authorities" tables of each profile (`benchmark` and
`benchmark_areas`), for the DuckDB and Polars jobs alike: the published figures read from the
comparator files, the statistics worked out here in Python from their published definitions, and
the only data-dependent inputs, the local count and the dates the extracts cover, asked of the job
(`local_count`, `coverage`), which computes them in its own engine.

Where the engine's pieces live: Sources/Benchmarking/BenchmarkSection.swift (the tables),
ComparatorFiles.swift and PublishedValue.swift (the comparator files: every `indicators-*.csv(.gz)`
of Fixtures/comparators, then of the drop's reference/comparators, read through
profiles/public/fingertips_indicators.yaml), AreaLookup.swift (areas.csv of Fixtures/comparators:
the area's name and region), Sources/Statistics (intervals, comparisons, ranks, quintiles, trend).

The statistics are those of the Fingertips technical guidance and PHEindicatormethods, written
here from the method, not from the engine's code:
- a crude rate's 95% and 99.8% intervals: below 10 events the exact Poisson limits, found here by
  bisection on the Poisson distribution function (the engine takes chi-squared quantiles: the same
  limits), from 10 events Byar's approximation;
- a comparison: "Similar" when the benchmark lies within the interval (limits included), else
  higher or lower, "Better" or "Worse" by polarity;
- rank 1 the best of the area and its neighbours (the highest where no direction is good), ties
  sharing the smallest rank; Fingertips quintiles (percentiles by linear interpolation, rounded to
  10 decimal places; quintile 1 the lowest values);
- the recent trend of the area's last five published values: weighted least squares with weights
  1/SE^2, SE = (upper 95 - lower 95)/3.92, significant at 99.8% when the slope keeps its sign
  leaving out each point in turn.
"""
import csv, datetime, gzip, math, os, re
from statistics import NormalDist

import partnership_defs as D

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
ENGLAND = "E92000001"
TREND_POINTS = 5


# --- The comparator files (read in Python: small files, as the engine reads them) ---

def glob_position(pattern, header, occurrence):
    """The column a field names: its exact name, or the n-th header matching a `*` pattern."""
    if "*" not in pattern:
        return header.index(pattern) if pattern in header else None
    rx = re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$", re.S)
    hits = [i for i, h in enumerate(header) if rx.match(h)]
    return hits[occurrence - 1] if len(hits) >= occurrence else None


def decimal(text):
    """A decimal field's value (commas dropped), None when blank or not finite; ValueError when not a number."""
    if text == "":
        return None
    x = float(text.replace(",", ""))
    return x if math.isfinite(x) else None


def read_published(path, source):
    """The rows of one comparator file that are areas (no category), as dicts of the source's fields
    (short rows padded); a row lacking a required field or with a decimal that is no number is left out."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        header = next(rows)
        where = [(fl, glob_position(fl.column, header, fl.occurrence)) for fl in source.fields]
        out = []
        for r in rows:
            r = r + [""] * (len(header) - len(r))
            v = {fl.name: (r[i].strip(" \t") if i is not None else "") for fl, i in where}
            if any(fl.required and v[fl.name] == "" for fl, _ in where):
                continue
            try:
                v.update({fl.name: decimal(v[fl.name]) for fl, _ in where if fl.type == "decimal"})
            except ValueError:
                continue
            if v["category"] == "":
                out.append(v)
        return out


class Comparators:
    """Every published value of the comparator folders (the engine's, then the drop's own), in file
    order, the area lookup (code -> name, region) of the engine's folder, and the names of England,
    the regions and the authorities (code -> name) for values published without one."""

    def __init__(self, drop, root):
        source = D.Source(os.path.join(root, "profiles/public/fingertips_indicators.yaml"), {})
        folders = [os.path.join(root, "Fixtures/comparators"), os.path.join(drop, "reference/comparators")]
        self.values = []
        for folder in folders:
            if os.path.isdir(folder):
                for path in source.files(folder):
                    self.values += read_published(path, source)
        self.areas, regions = {}, {}
        with open(os.path.join(folders[0], "areas.csv"), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                self.areas[r["area_code"]] = (r["area_name"], r["region_code"])
                if r["region_code"] and r["region_name"]:
                    regions[r["region_code"]] = min(regions.get(r["region_code"], r["region_name"]), r["region_name"])
        self.names = {**regions, **{code: a[0] for code, a in self.areas.items()}, ENGLAND: "England"}


def period_days(period):
    """(first day, last day) of a published period: `2017`, `2016/17` (April to March), `2024-02`,
    `2024-02 to 2024-03`; None for other forms."""
    def month(s):
        p = s.split("-")
        if len(p) != 2 or len(p[0]) != 4 or not (p[0].isdigit() and p[1].isdigit()) or not 1 <= int(p[1]) <= 12:
            return None
        return int(p[0]), int(p[1])

    def span(y0, m0, y1, m1):
        end = datetime.date(y1 + (m1 == 12), m1 % 12 + 1, 1) - datetime.timedelta(days=1)
        return datetime.date(y0, m0, 1), end

    t = period.strip()
    if len(t) == 4 and t.isdigit():
        return span(int(t), 1, int(t), 12)
    fy = t.split("/")
    if len(fy) == 2 and len(fy[0]) == 4 and len(fy[1]) == 2 and fy[0].isdigit() and fy[1].isdigit() and (int(fy[0]) + 1) % 100 == int(fy[1]):
        return span(int(fy[0]), 4, int(fy[0]) + 1, 3)
    if month(t):
        (y, m) = month(t)
        return span(y, m, y, m)
    parts = t.split(" to ")
    if len(parts) == 2 and month(parts[0]) and month(parts[1]) and month(parts[0]) <= month(parts[1]):
        return span(*month(parts[0]), *month(parts[1]))
    return None


# --- Statistics ---

def z_value(level):
    """The two-sided critical value Φ⁻¹(level + (1 − level)/2)."""
    return NormalDist().inv_cdf(level + (1 - level) / 2)


def poisson_cdf(k, mean):
    """P(X ≤ k) for X ~ Poisson(mean), k a whole number ≥ 0."""
    if mean == 0:
        return 1.0
    return sum(math.exp(i * math.log(mean) - mean - math.lgamma(i + 1)) for i in range(k + 1))


def solve_decreasing(f, target, hi):
    """The x in [0, hi] where the decreasing f(x) crosses target, by bisection to the last bit."""
    lo = 0.0
    while f(hi) > target:
        hi *= 2
    while True:
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            return mid
        lo, hi = (mid, hi) if f(mid) > target else (lo, mid)


def exact_limits(count, level):
    """Exact Poisson limits of a whole count: P(X ≥ O | lower) = α/2 (0 for O = 0), P(X ≤ O | upper) = α/2."""
    tail = (1 - level) / 2
    k = int(count)
    # P(X ≥ O | m) = 1 − P(X ≤ O − 1 | m) rises with m: the lower limit is where it reaches α/2.
    lower = 0.0 if k == 0 else solve_decreasing(lambda m: poisson_cdf(k - 1, m), 1 - tail, k + 10.0)
    upper = solve_decreasing(lambda m: poisson_cdf(k, m), tail, k + 10.0)
    return lower, upper


def byar_limits(o, level):
    """Byar's approximation to the exact limits (O ≥ 10)."""
    z = z_value(level)
    l = 1 - 1 / (9 * o) - z / (3 * math.sqrt(o))
    u = 1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))
    return o * l * l * l, (o + 1) * u * u * u


def crude_rate(count, denominator, multiplier, level):
    """(rate, lower, upper) of count per multiplier of denominator; None without a positive denominator."""
    if not denominator or denominator <= 0 or count < 0:
        return None
    lower, upper = exact_limits(count, level) if count < 10 else byar_limits(count, level)
    return count / denominator * multiplier, lower / denominator * multiplier, upper / denominator * multiplier


def compare(interval, benchmark, polarity):
    """Fingertips' overlapping-interval comparison of an interval (lower, upper) with a benchmark."""
    if interval is None or benchmark is None or not all(math.isfinite(x) for x in (benchmark, *interval)) or interval[0] > interval[1]:
        return "Not compared"
    if interval[0] <= benchmark <= interval[1]:
        return "Similar"
    higher = interval[0] > benchmark
    if polarity == "high_is_good":
        return "Better" if higher else "Worse"
    if polarity == "low_is_good":
        return "Worse" if higher else "Better"
    return "Higher" if higher else "Lower"


def against_this_area(outcome):
    """A comparator's comparison with the area in words: "higher than this area", "similar to this
    area" (a sentence says similar *to*); blank when not compared."""
    if outcome == "Not compared":
        return ""
    return "similar to this area" if outcome == "Similar" else outcome.lower() + " than this area"


def rank_of_first(values, polarity):
    """The competition rank of values[0] (1 the best; ties share the smallest rank), None when it is missing."""
    if values[0] is None:
        return None
    key = (lambda v: v) if polarity == "low_is_good" else (lambda v: -v)
    return 1 + sum(1 for v in values[1:] if v is not None and key(v) < key(values[0]))


def round_half_away(x):
    f = math.floor(abs(x))
    return math.copysign(f + 1 if abs(x) - f >= 0.5 else f, x)


def quintile_of_first(values):
    """Fingertips quintile (1 the lowest values) of values[0] among the values; None below five values."""
    ordered = sorted(v for v in values if v is not None)
    n = len(ordered)
    if n < 5 or values[0] is None:
        return None

    def percentile(f):
        position = (n - 1) * f + 1
        if position == 1:
            return ordered[0]
        if position == n:
            return ordered[-1]
        k = int(position)
        p = ordered[k - 1] + (position - k) * (ordered[k] - ordered[k - 1])
        return round_half_away(p * 1e10) / 1e10 if abs(p) < 1e16 else p

    bounds = [percentile(f) for f in (0.2, 0.4, 0.6, 0.8)] + [ordered[-1]]
    return next((q + 1 for q, b in enumerate(bounds) if values[0] <= b), 5)


def wls_slope(y, w, omitted):
    """Weighted least-squares slope of y on t = 1..5, leaving out point `omitted` (-1: none)."""
    s = st = stt = sy = sty = 0.0
    for i in range(len(y)):
        if i != omitted:
            t = i + 1.0
            s += w[i]; st += w[i] * t; stt += w[i] * t * t; sy += w[i] * y[i]; sty += w[i] * t * y[i]
    d = s * stt - st * st
    return (s * sty - st * sy) / d if d else math.nan


def recent_trend(points, polarity):
    """Fingertips' recent trend words for (value, lower 95, upper 95) points, oldest first."""
    if len(points) < TREND_POINTS:
        return "Could not be calculated"
    y, w = [], []
    for value, lower, upper in points[-TREND_POINTS:]:
        se = (upper - lower) / 3.92
        if not (math.isfinite(value) and math.isfinite(se) and se > 0):
            return "Could not be calculated"
        y.append(value)
        w.append(1 / (se * se))
    slopes = [wls_slope(y, w, k) for k in range(-1, TREND_POINTS)]
    s = st = stt = 0.0
    for i, wi in enumerate(w):
        t = i + 1.0
        s += wi; st += wi * t; stt += wi * t * t
    chi2 = slopes[0] * slopes[0] * (s * stt - st * st) / s
    if not (math.isfinite(chi2) and all(math.isfinite(b) for b in slopes)):
        return "Could not be calculated"
    same_sign = all(b < 0 for b in slopes) or all(b >= 0 for b in slopes)
    if not (same_sign and chi2 > z_value(0.998) ** 2) or slopes[0] == 0:
        return "No significant change"
    up = slopes[0] > 0
    if polarity == "high_is_good":
        return "Increasing and getting better" if up else "Decreasing and getting worse"
    if polarity == "low_is_good":
        return "Increasing and getting worse" if up else "Decreasing and getting better"
    return "Increasing" if up else "Decreasing"


# --- The two tables ---

BENCHMARK_COLUMNS = ["comparison", "title", "indicator", "period", "local_count", "local_denominator", "local_value", "local_lower_95",
                     "local_upper_95", "england", "region", "neighbours", "vs_england_95", "vs_england_998", "vs_region_95", "vs_neighbours_95",
                     "rank_among_neighbours", "quintile_among_neighbours", "recent_trend", "note"]
AREA_COLUMNS = ["comparison", "area_code", "area_name", "role", "value", "lower_95", "upper_95", "against_this_area"]


class BenchmarkTables:
    """The benchmark tables of a profile from the job's `local_count(sets, people, (first, last))`
    and `coverage(sets)` ((first, last) date of the extracts behind the sets, or None), with the
    job's `drop`, `ref`, `cur` and `labels`."""

    def benchmark_tables(self, p):
        """[(table id, header, rows)] for the profile: none when it has no benchmark definition."""
        b = self.defs.benchmarks.get(p.id)
        if b is None:
            return []
        if not hasattr(self, "comparators"):
            self.comparators = Comparators(self.drop, ROOT)
        rows, areas = [], []
        for c in b.comparisons:
            row, listed = self.comparison(p, c)
            rows.append(row)
            areas += listed
        return [("benchmark", BENCHMARK_COLUMNS, rows), ("benchmark_areas", AREA_COLUMNS, areas)]

    def chosen_period(self, sets, mine):
        """(period, (first, last) day, days counted locally, notes): the latest published period
        (with an England value) the extracts cover to within 30 days at each end, else the latest
        published one counted over the reporting year, with a note; None when nothing is published."""
        periods = sorted({(v["time_period"], period_days(v["time_period"])) for v in mine if v["area_code"] == ENGLAND and period_days(v["time_period"])},
                         key=lambda x: (x[1][0], x[1][1], x[0]))
        if not periods:
            return None
        latest = periods[-1]
        cover = self.coverage(sets)
        margin = datetime.timedelta(days=30)
        covered = [x for x in periods if cover and cover[0] <= x[1][0] + margin and cover[1] >= x[1][1] - margin]
        if covered:
            return covered[-1][0], covered[-1][1], covered[-1][1], []
        note = f"The local data does not cover {latest[0]}: the local value is for {self.labels[0].replace('_', '-')}."
        return latest[0], latest[1], self.cur, [note]

    def comparison(self, p, c):
        """One row of `benchmark` and the comparison's rows of `benchmark_areas`."""
        blank = [None] * 16
        if c.indicator is None:
            return [c.id, c.title, None] + blank + ["No published counterpart: " + c.note], []
        mine = [v for v in self.comparators.values if v["indicator_id"] == c.indicator and v["sex"] == c.sex and v["age"] == c.age]
        sets = [p.events[n] for n in c.events if n in p.events]
        chosen = self.chosen_period(sets, mine)
        if chosen is None:
            return [c.id, c.title, c.indicator] + blank + [f"Indicator {c.indicator} is not in the comparator files (for {c.sex}, {c.age}). " + c.note], []
        period, span, days, notes = chosen
        groups = self.defs.groups
        count = self.local_count(sets, c.count == "people", days)
        denominator = sum(self.ref.children if c.per == "children" else self.ref.residents)
        at = [v for v in mine if v["time_period"] == period]
        value = lambda code: next((v for v in at if v["area_code"] == code), None)
        area = self.comparators.areas.get(groups.area)
        england, region = value(ENGLAND), (value(area[1]) if area else None)
        r95 = crude_rate(count, denominator, c.multiplier, 0.95)
        r998 = crude_rate(count, denominator, c.multiplier, 0.998)
        listed_codes = groups.neighbours(span[0].year) or []
        neighbours = [v for v in map(value, listed_codes) if v is not None]
        group = self.group_value(neighbours, c.multiplier)
        i95, i998 = (r95[1:] if r95 else None), (r998[1:] if r998 else None)
        ranked = [r95[0] if r95 else None] + [v["value"] for v in neighbours]
        rank = rank_of_first(ranked, c.polarity)
        series = self.series(mine, groups.area)
        if len(series) < TREND_POINTS:
            notes.append(f"Trend: {len(series)} published period(s) for the area, five needed.")
        if len(neighbours) < len(listed_codes):
            notes.append(f"{len(listed_codes) - len(neighbours)} of the {len(listed_codes)} neighbours have no published value.")
        if c.note:
            notes.append(c.note)
        e = england["value"] if england else None
        row = [c.id, c.title, c.indicator, period, count, denominator, *(r95 or (None, None, None)), e, region["value"] if region else None, group,
               compare(i95, e, c.polarity), compare(i998, e, c.polarity), compare(i95, region["value"] if region else None, c.polarity),
               compare(i95, group, c.polarity), None if rank is None else f"{rank} of {sum(v is not None for v in ranked)}",
               quintile_of_first(ranked), recent_trend(series[-TREND_POINTS:], c.polarity), " ".join(notes)]
        return row, self.area_rows(c, area, r95, england, region, neighbours)

    @staticmethod
    def group_value(neighbours, multiplier):
        """The neighbours' rate together (their counts over their denominators), when every one has both."""
        den = sum(v["denominator"] for v in neighbours if v["denominator"] is not None)
        if den > 0 and all(v["count"] is not None and v["denominator"] is not None for v in neighbours):
            return sum(v["count"] for v in neighbours if v["count"] is not None) * multiplier / den
        return None

    @staticmethod
    def series(mine, code):
        """The area's published (value, lower 95, upper 95), oldest period first."""
        points = [(period_days(v["time_period"])[0], (v["value"], v["lower_ci_95"], v["upper_ci_95"])) for v in mine
                  if v["area_code"] == code and period_days(v["time_period"]) and None not in (v["value"], v["lower_ci_95"], v["upper_ci_95"])]
        return [x for _, x in sorted(points, key=lambda p: p[0])]

    def area_rows(self, c, area, r95, england, region, neighbours):
        """This area's row, then England's, the region's and each neighbour's, each compared with the
        local value; a value published without a name is named from the area list (else by its code)."""
        code = self.defs.groups.area
        rows = [[c.id, code, area[0] if area else code, "this area", *(r95 or (None, None, None)), ""]]
        listed = [("England", england)] + ([("region", region)] if region else []) + [("neighbour", v) for v in neighbours]
        for role, v in listed:
            if v is None:
                continue
            interval = (v["lower_ci_95"], v["upper_ci_95"]) if None not in (v["lower_ci_95"], v["upper_ci_95"]) else None
            outcome = compare(interval, r95[0] if r95 else None, "no_judgement")
            name = v["area_name"] or self.comparators.names.get(v["area_code"], v["area_code"])
            rows.append([c.id, v["area_code"], name, role, v["value"], v["lower_ci_95"], v["upper_ci_95"],
                         against_this_area(outcome)])
        return rows
