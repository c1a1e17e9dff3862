#!/usr/bin/env bash
# The national police.uk count (crimes by type x upper-tier authority x month) side by side: the
# engine (`profiler comparators --by-month`), DuckDB and Polars (Python packages from PyPI, in a
# virtual environment made here), on the same synthetic real-format files (generate.py), or on a
# folder of real ones (police.uk's gzipped months: ../shared/data/policeuk/national). Checks that
# DuckDB's and Polars' counts equal the engine's, cell by cell, and fails loudly otherwise; then
# times each (a warm-up, then RUNS runs alternating, median) with peak memory.
# Usage: Benchmarks/compare/policeuk.sh [ROWS|FOLDER] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-10000000}
runs=${2:-3}
threads=$(nproc)
venv=/tmp/profiler-bench-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q duckdb polars
swift build -c release >/dev/null
if [ -d "$rows" ]; then
  data=$(cd "$rows" && pwd)
  rows=$(find "$data" -name '*-street.csv*' | while read -r f; do
    case "$f" in *.gz) zcat "$f" ;; *) cat "$f" ;; esac | tail -n +2; done | wc -l)
else
  data=/tmp/profiler-policeuk-$rows
  [ -d "$data" ] || python3 Benchmarks/policeuk/generate.py "$data" --rows "$rows" --months 36
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
engine() { .build/release/profiler comparators --data "$data" --profiles Benchmarks/policeuk/profiles --by-month --threads "$threads" --out "$work/engine.csv" >/dev/null; }
duck() { "$venv/bin/python" Benchmarks/compare/policeuk_job.py duckdb "$data" Fixtures/comparators/areas.csv "$work/duckdb.csv" "$threads"; }
polars() { "$venv/bin/python" Benchmarks/compare/policeuk_job.py polars "$data" Fixtures/comparators/areas.csv "$work/polars.csv" "$threads"; }

# Same numbers first.
engine; duck; polars
"$venv/bin/python" - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
mine = {}
for r in csv.DictReader(open(f"{work}/engine.csv", newline="")):
    if r["Indicator ID"].startswith("policeuk-count-") and r["Area Type"] == "County & UA":
        mine[(r["Indicator Name"].split(":")[0], r["Area Code"], r["Time period"])] = int(float(r["Count"]))
for other in ("duckdb", "polars"):
    theirs = {(r["crime_type"], r["utla"], r["month"]): int(r["crimes"]) for r in csv.DictReader(open(f"{work}/{other}.csv", newline=""))}
    if theirs != mine:
        diff = [k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k)]
        sys.exit(f"DIFFERENT NUMBERS: the engine and {other} disagree on {len(diff)} cells, e.g. {sorted(diff)[:3]}: "
                 f"{[(mine.get(k), theirs.get(k)) for k in sorted(diff)[:3]]}")
    print(f"same numbers: the engine and {other} agree on all {len(mine)} cells (crime type x authority x month)")
PY

# Then the clock: alternating, after the warm-up above.
for i in $(seq "$runs"); do
  for name in engine duck polars; do
    /usr/bin/time -f "$name %e %M" bash -c "$(declare -f engine duck polars); data=$data work=$work threads=$threads venv=$venv; $name" 2>>"$work/times"
  done
done
bytes=$(du -sb "$data" | cut -f1)
echo "$rows rows, $(numfmt --to=iec "$bytes"), $threads threads, median of $runs runs:"
for name in engine duck polars; do
  grep "^$name " "$work/times" | sort -k2 -n | awk -v n="$runs" -v b="$bytes" -v r="$rows" -v name="$name" '
    { t[NR] = $2; m[NR] = $3 } END { i = int((n + 1) / 2); printf "  %-7s %6.2f s  %6.1f MB/s  %9.0f rows/s  peak %5.0f MB\n", name, t[i], b / t[i] / 1e6, r / t[i], m[i] / 1024 }'
done
