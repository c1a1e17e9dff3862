"""Same numbers: every table the engine wrote (`profiler build --tables-only`, OUT/tables/<profile>/)
against the same table computed by another job (partnership_job.py), cell by cell.

  python3 partnership_compare.py ENGINE_TABLES OTHER_TABLES NAME

Rows are matched by their label columns (the breakdowns; the first column of agency and cohort
tables; the measure id of success_measures; the comparison id of benchmark; the comparison id and
area code of benchmark_areas). Counts must be equal. Rates, shares and changes are printed by the
engine to 1 decimal (0 for a change of counts): the other job's unrounded value is printed the same
way and must give the same text; where it does not, the values may differ by no more than half a
unit of the last printed decimal (0.05), for a value that falls on a rounding boundary, and nothing
else. Text cells (titles, directions, news, tests, an area's comparison with the whole area such as
"higher (95%)") must be equal; a success measure's change limits (2 decimals) and a mean's limits
follow the rounding rule, the residents or children of an area row are counts. Any other difference fails, listing the
first differences of each table; tables the other job does not produce are listed as not covered.

The benchmark tables follow the same rules, with no rule of their own:
- rates, confidence limits and the published England, region, neighbour and group values are
  printed by the engine to 2 decimals (1 for a rate per fewer than 1,000): the rounding rule above,
  with half a unit of the engine's own last decimal (0.005 or 0.05). At 1M rows every such cell
  printed the same text without it;
- the local count, the denominator and the quintile (printed without decimals) must be equal;
- the period, the verdicts (vs_england_95, vs_england_998, vs_region_95, vs_neighbours_95 and
  against_this_area), the rank ("7 of 10"), the trend words and the notes are text and must be
  equal: each job decides them from its own unrounded values, so a verdict is not excused by a
  limit's rounding. Blank cells (no published counterpart, not in the comparator files) must be
  blank on both sides.
"""
import csv, math, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import partnership_defs as D

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def label_count(profile, table_id):
    if table_id in ("success_measures", "benchmark"):
        return 1
    if table_id == "benchmark_areas":
        return 2
    t = next((t for t in profile.tables if t.id == table_id), None)
    if t is None:
        return None
    if t.cohort or any(d[0] == "agencies" for d in t.by):
        return 1
    return len(t.by)


def same(engine, other):
    """None when the cells agree, else why not."""
    if engine == "" or other == "":
        return None if engine == other else "blank on one side"
    try:
        e = float(engine)
        o = float(other)
    except ValueError:
        return None if engine == other else "text differs"
    if "." not in engine:
        return None if o == e and o == math.floor(o) else "count differs"
    decimals = len(engine.split(".")[1])
    if f"{o:.{decimals}f}" == engine:
        return None
    return None if abs(o - e) <= 0.5 * 10 ** -decimals + 1e-9 else "value differs"


def main():
    engine_dir, other_dir, name = sys.argv[1:4]
    defs = D.Definitions(ROOT)
    equal, different, missing = [], [], []
    for p in defs.profiles:
        folder = os.path.join(engine_dir, p.id)
        for file in sorted(os.listdir(folder)):
            table = file[:-4]
            tid = f"{p.id}/{table}"
            other_path = os.path.join(other_dir, p.id, file)
            labels = label_count(p, table)
            if labels is None or not os.path.exists(other_path):
                missing.append(tid)
                continue
            eh, erows = read(os.path.join(folder, file))
            oh, orows = read(other_path)
            problems = []
            if eh != oh:
                problems.append(f"columns differ: engine {eh}, {name} {oh}")
            else:
                mine = {tuple(r[:labels]): r for r in erows}
                theirs = {tuple(r[:labels]): r for r in orows}
                if len(mine) != len(erows) or len(theirs) != len(orows):
                    problems.append("a row's labels appear twice")
                for key in sorted(set(mine) | set(theirs)):
                    if key not in theirs:
                        problems.append(f"row {list(key)}: only in the engine's table {mine[key][labels:]}")
                        continue
                    if key not in mine:
                        problems.append(f"row {list(key)}: only in {name}'s table {theirs[key][labels:]}")
                        continue
                    for c in range(labels, len(eh)):
                        why = same(mine[key][c], theirs[key][c])
                        if why:
                            problems.append(f"row {list(key)} column {eh[c]}: engine {mine[key][c]!r}, {name} {theirs[key][c]!r} ({why})")
            if problems:
                different.append((tid, problems))
            else:
                equal.append((tid, len(erows)))
    cells = sum(n for _, n in equal)
    print(f"same numbers, engine against {name}: {len(equal)} tables equal ({cells} rows), {len(different)} different, {len(missing)} not covered")
    for tid, problems in different:
        print(f"  DIFFERENT {tid}: {len(problems)} difference(s); first:")
        for line in problems[:5]:
            print(f"    {line}")
    if missing:
        print(f"  not covered: {', '.join(missing)}")
    if different:
        sys.exit(f"DIFFERENT NUMBERS: {len(different)} table(s) of the engine and {name} disagree (above)")


if __name__ == "__main__":
    main()
