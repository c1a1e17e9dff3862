"""What the DuckDB and Polars jobs share once each has counted: the columns a table gets beside its
measures (Sources/Profiles/TableLayout.swift) and the measures of success with their change since
last year (ProfileBuild+Success.swift, ProfileBuild+Change.swift). Each job computes the counts in
its own engine (one row per table row with its records per year, a mean's values, the records per
population age band of an area table); these functions only put the few numbers per row together,
with partnership_stats.

A table's columns, in the engine's order: the breakdowns; each measure in each year; for a table
of one area breakdown (ward, locality, deprivation decile), each rate's comparison with the whole
area in each year (`<rate>_vs_area_<year>`), then, where the population file gives residents by
age and at least 80% of a year's records have an age, the same allowing for age
(`<rate>_vs_area_for_age_<year>`), then the residents (or children) the rates are per; then each
mean's 95% interval in each year (`<mean>_lower_95_<year>`, `<mean>_upper_95_<year>`).
"""
import partnership_stats as S

AREA_KINDS = ("ward", "locality", "decile")
RATES = ("rate_per_1000", "rate_per_10000_children")


def compared_rates(t):
    """(measure index, per children) of each rate an area table compares with the whole area."""
    if len(t.by) != 1 or t.by[0][0] not in AREA_KINDS:
        return []
    return [(k, m[0] == "rate_per_10000_children") for k, m in enumerate(t.measures) if m[0] in RATES]


def children_bands(ref):
    """The population's age bands a rate per children is standardised over (all below 18)."""
    return [k for k, b in enumerate(ref.age_bands) if b[2] is not None and b[2] < 18]


def finish_table(ref, t, suffixes, header, rows, records, means, ages):
    """The table's header and rows with the columns after the measures.

    suffixes: the columns' year suffixes ('_2025_26', '_2024_25', or '' by month); rows: per row, the breakdowns' labels and each measure's cells; records: per row, its records
    in each year; means: per row, per mean measure, per year (number of values, mean, standard
    deviation); ages: for a compared area table, {(label, year): {band index or None: records}}
    (None when the population has no ages), the band index over ref.age_bands."""
    years = len(suffixes)
    compared = compared_rates(t)
    extra_header, extra = [], [[] for _ in rows]
    if compared:
        kind = t.by[0][0]
        counts = ref.area_counts(kind)
        labels = [r[0] for r in rows]
        per = lambda label, children: (counts.get(label, {}).get("children" if children else "residents", 0) if label in counts else 0)
        for k, children in compared:
            name = "_".join((t.measures[k][0],) + t.measures[k][1])
            for y in range(years):
                verdicts = S.area_labels([r[y] for r in records], [per(l, children) for l in labels])
                extra_header.append(f"{name}_vs_area{suffixes[y]}")
                for e, v in zip(extra, verdicts):
                    e.append(v)
        for k, children in compared:
            name = "_".join((t.measures[k][0],) + t.measures[k][1])
            per_year = [standardised(ref, counts, labels, [r[y] for r in records], ages, y, children, per) for y in range(years)]
            if all(v is None for v in per_year):
                continue
            for y in range(years):
                extra_header.append(f"{name}_vs_area_for_age{suffixes[y]}")
                for g, e in enumerate(extra):
                    e.append(per_year[y][g] if per_year[y] else None)
        for children in sorted({c for _, c in compared}):
            extra_header.append("children" if children else "residents")
            for l, e in zip(labels, extra):
                n = per(l, children)
                e.append(n if n > 0 else None)
    mean_measures = [k for k, m in enumerate(t.measures) if m[0] == "mean"]
    for i, k in enumerate(mean_measures):
        name = "_".join((t.measures[k][0],) + t.measures[k][1])
        for y in range(years):
            extra_header += [f"{name}_lower_95{suffixes[y]}", f"{name}_upper_95{suffixes[y]}"]
            for row_means, e in zip(means, extra):
                n, mean, sd = row_means[i][y]
                e += list(S.mean_interval(n, mean, sd))
    return header + extra_header, [tuple(r) + tuple(e) for r, e in zip(rows, extra)]


def standardised(ref, counts, labels, records, ages, y, children, per):
    """One year's comparisons allowing for age, or None."""
    if ages is None or not ref.age_bands:
        return None
    used = children_bands(ref) if children else list(range(len(ref.age_bands)))
    if not used:
        return None
    dens = [per(l, children) for l in labels]
    populations = [[counts[l]["by_age"][k] for k in used] if dens[g] > 0 else [0] * len(used) for g, l in enumerate(labels)]
    banded, unbanded = [], []
    for l in labels:
        c = ages.get((l, y), {})
        banded.append([c.get(k, 0) for k in used])
        unbanded.append(sum(n for k, n in c.items() if k not in used))
    return S.standardised_labels(records, dens, populations, banded, unbanded)


# --- Measures of success ---

class SuccessValues:
    """The value of a success measure from the job's own measure_value and cohort_people: the
    same arithmetic whichever engine computes the counts. Per year (value, numerator, denominator):
    a share's counts, a rate's records; None where there are none."""

    def success_values(self, p, m):
        sets = [p.events[n] for n in m.events]
        if m.cohort:
            later = [p.events[n] for n in m.cohort[1]]
            _, total = self.cohort_people(sets, m.cohort, later)
            v = [float(total[0]), float(total[1])]
            if m.share_of is None:
                return [(x, None, None) for x in v]
            _, known = self.cohort_people(sets, (m.cohort[0], m.share_of, m.cohort[2]), [p.events[n] for n in m.share_of])
            return [(100 * a / b if b else None, a, float(b)) for a, b in zip(v, known)]
        kind = m.measure[0]
        if m.min_agencies is None and kind in RATES:
            counts = self.measure_value(sets, ("records", ()), None)
            children = kind == "rate_per_10000_children"
            den = sum(self.ref.children if children else self.ref.residents)
            v = [(x * (10000 if children else 1000) / den if den else None, x, None) for x in counts]
        else:
            v = [(x, None, None) for x in self.measure_value(sets, m.measure, m.min_agencies)]
        if m.share_of is None:
            return v
        d = self.measure_value([p.events[n] for n in m.share_of], m.measure, m.min_agencies)
        return [(100 * a[0] / b if (a[0] is not None and b) else None, a[0], b) for a, b in zip(v, d)]


def success_table(p, labels, values):
    """The success measures table as the engine writes it (ProfileBuild+Success.swift)."""
    rows = []
    for m in p.success:
        cur, prev = values(m)
        is_rate = m.measure[0] in RATES
        decimals = 0 if (m.share_of is None and not is_rate) else 1
        test = "sum" if m.measure[0] == "sum" else ("proportions" if m.share_of is not None else ("rate" if is_rate else "counts"))
        news, measured, lower, upper, method = S.success_change(test, m.good, cur, prev)
        change = None if cur[0] is None or prev[0] is None else cur[0] - prev[0]
        cell = (lambda v: None if v is None else int(v)) if decimals == 0 else (lambda v: v)
        rows.append((m.id, m.title, "up is good" if m.good == "up" else "down is good", cell(cur[0]), cell(prev[0]), change, news,
                     measured, lower, upper, method))
    return ["measure", "title", "direction", f"value_{labels[0]}", f"value_{labels[1]}", "change", "news", "change_measured_as",
            "change_lower_95", "change_upper_95", "test"], rows
