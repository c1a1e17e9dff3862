#!/usr/bin/env bash
# The partnership's own job side by side: `profiler build --tables-only` (every profile's tables,
# success measures and benchmark tables, before disclosure control) against the same job in DuckDB
# and in Polars (partnership_job.py, generated from profiles/sources, profiles/codes,
# profiles/priorities and profiles/benchmarks with the comparator files), on generated drops of
# about 1M, 5M and 10M rows (`profiler sample`, every dataset).
#
# The engine builds with exact keys only (a copy of profiles/ whose linkage.yaml says `method:
# exact`, as Benchmarks/build.sh's LINKAGE=exact): the other jobs link people by the same exact keys
# and implement no probabilistic matching, which the shipped linkage.yaml turns on (at 1M rows it
# changes the people figures of 24 tables).
#
# For each size: first the same numbers, every table of the engine against DuckDB's and Polars'
# cell by cell (partnership_compare.py; the script stops on any difference); then the clock, on one
# thread and on all cores: a warm-up run of each, then RUNS runs with the three alternating; the
# median wall time, peak RSS (/usr/bin/time), rows/s and MB/s of CSV, the ratios engine/DuckDB and
# engine/Polars, and how time grows with the rows. Prints Markdown tables for Benchmarks/RESULTS.md.
#
# Usage: Benchmarks/compare/partnership.sh [--sizes 1m,5m,10m] [--runs 3] [--threads "1 N"]
#   --sizes   which drops (default all three): 1m = --people 450000 --years 3, 5m = --people 1000000
#             --years 8, 10m = --people 1000000 --years 15 (the drops of build.sh and ingest.sh,
#             generated into /tmp/profiler-bench-drop-<size> when missing)
#   --runs    timed runs per tool, thread count and size (default 3, at least 1)
#   --threads thread counts to time (default "1 <all cores>")
# DuckDB 2.0.1, Polars 2.1.0, polars-hash and PyYAML come from PyPI into /tmp/profiler-bench-venv.
set -euo pipefail
# The script's own path, resolved before the cd (--help reads it; $0 may be relative).
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$script")/../.."
source Benchmarks/bench-drop.sh
sizes="1m 5m 10m"
runs=3
threads="1 $(nproc)"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=${2//,/ }; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,25p' "$script"; exit 0 ;;
    *) echo "partnership.sh: unknown option $1 (see --help)" >&2; exit 3 ;;
  esac
done
[ "$runs" -ge 1 ] || { echo "partnership.sh: --runs must be at least 1" >&2; exit 3; }
spec() {
  case "$1" in
    1m) echo "450000 3" ;;
    5m) echo "1000000 8" ;;
    10m) echo "1000000 15" ;;
    *) echo "partnership.sh: unknown size $1 (1m, 5m or 10m)" >&2; exit 3 ;;
  esac
}
for size in $sizes; do spec "$size" >/dev/null; done

venv=/tmp/profiler-bench-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q duckdb==2.0.1 polars==2.1.0 polars-hash==0.9.3 pyyaml==6.0.3
py="$venv/bin/python"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! swift build -c release > "$work/build.log" 2>&1; then cat "$work/build.log" >&2; exit 4; fi
bin=.build/release/profiler
head -c 48 /dev/urandom | base64 > "$work/key"
cp -r profiles "$work/profiles"
sed -i 's/^method: probabilistic/method: exact/' "$work/profiles/linkage.yaml"

# One run of a tool on $drop with $1 threads, its tables into $work/<tool>.
engine() {
  rm -rf "$work/engine"
  # Exit code 1 is a build with warnings (some rows rejected within tolerance): still a build.
  "$bin" build --data "$drop" --key-file "$work/key" --out "$work/engine" --tables-only --threads "$1" --profiles "$work/profiles" > "$work/engine.log" || [ $? -eq 1 ]
}
duckdb() { rm -rf "$work/duckdb"; "$py" Benchmarks/compare/partnership_job.py duckdb "$drop" "$work/key" "$work/duckdb" "$1" 2>/dev/null; }
polars() { rm -rf "$work/polars"; "$py" Benchmarks/compare/partnership_job.py polars "$drop" "$work/key" "$work/polars" "$1" 2>/dev/null; }
timed() {
  local tool=$1 n=$2
  /usr/bin/time -f "$size $rows $bytes $n $tool %e %M" -a -o "$work/times" bash -c "$(declare -f engine duckdb polars); $(declare -p bin py work drop); $tool $n"
}

for size in $sizes; do
  set -- $(spec "$size")
  drop=/tmp/profiler-bench-drop-$size
  bench_drop "$drop" --people "$1" --years "$2" --names common
  bytes=$(du -sb --exclude=reference "$drop" | cut -f1)
  echo "== $size: $drop, $(numfmt --to=iec "$bytes") of extracts" >&2

  # Same numbers first (all cores).
  all=$(nproc)
  engine "$all"
  rows=$(sed -nE 's/.*; ([0-9]+) rows read.*/\1/p' "$work/engine.log")
  duckdb "$all"
  polars "$all"
  for other in duckdb polars; do
    "$py" Benchmarks/compare/partnership_compare.py "$work/engine/tables" "$work/$other" "$other" >&2
  done

  # Then the clock: for each thread count a warm-up of each tool, then the runs, alternating.
  for n in $threads; do
    engine "$n"; duckdb "$n"; polars "$n"
    for i in $(seq "$runs"); do
      for tool in engine duckdb polars; do
        timed "$tool" "$n"
        echo "  $size, $n thread(s), run $i: $(tail -1 "$work/times" | cut -d' ' -f5-6) s" >&2
      done
    done
  done
done

"$py" - "$work/times" "$runs" <<'PY'
import statistics, sys
from collections import defaultdict
times, runs = sys.argv[1], int(sys.argv[2])
wall, rss, meta = defaultdict(list), defaultdict(list), {}
for line in open(times):
    parts = line.split()
    if len(parts) != 7 or parts[0].startswith("Command"):
        continue
    size, rows, bytes_, n, tool, seconds, kb = parts
    key = (size, int(n), tool)
    wall[key].append(float(seconds))
    rss[key].append(int(kb))
    meta[size] = (int(rows), int(bytes_))
tools = ["engine", "duckdb", "polars"]
names = {"engine": "engine", "duckdb": "DuckDB", "polars": "Polars"}
sizes = sorted(meta, key=lambda s: meta[s][0])
threads = sorted({k[1] for k in wall})
med = {k: statistics.median(v) for k, v in wall.items()}
print(f"\nWall time: median of {runs} runs after a warm-up, the three alternating; peak RSS the largest of the runs.\n")
print("| drop | rows | CSV MB | threads | tool | wall s | peak RSS MB | rows/s | MB/s |")
print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
for s in sizes:
    rows, b = meta[s]
    for n in threads:
        for t in tools:
            k = (s, n, t)
            if k in med:
                print(f"| {s} | {rows:,} | {b / 1e6:.0f} | {n} | {names[t]} | {med[k]:.2f} | {max(rss[k]) / 1024:.0f} | {rows / med[k]:,.0f} | {b / 1e6 / med[k]:.1f} |")
print("\nRatio of wall times (below 1: the engine is faster).\n")
print("| drop | threads | engine/DuckDB | engine/Polars |")
print("|---|---:|---:|---:|")
for s in sizes:
    for n in threads:
        e, d, p = (med.get((s, n, t)) for t in tools)
        if e and d and p:
            print(f"| {s} | {n} | {e / d:.2f} | {e / p:.2f} |")
if len(sizes) > 1:
    base = sizes[0]
    print(f"\nGrowth: wall time at each size over the time at {base}, beside the rows' growth.\n")
    print("| drop | rows / rows at " + base + " | threads | " + " | ".join(names[t] for t in tools) + " |")
    print("|---|---:|---:|" + "---:|" * len(tools))
    for s in sizes[1:]:
        for n in threads:
            cells = [f"{med[(s, n, t)] / med[(base, n, t)]:.1f}x" if (s, n, t) in med and (base, n, t) in med else "" for t in tools]
            print(f"| {s} | {meta[s][0] / meta[base][0]:.1f}x | {n} | " + " | ".join(cells) + " |")
PY
