#!/usr/bin/env bash
# National scale (issue 7): police.uk street files of every force, 36 months, in the real format
# with synthetic rows (generate.py), ingested and counted by crime type x upper-tier authority
# (whole period, with rates) and by crime type x authority x month, by `profiler comparators`.
# Prints rows, bytes, wall time, MB/s and peak memory. Target: 50M rows in under 60 s, under 4 GiB.
# Usage: Benchmarks/policeuk/run.sh [ROWS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-50000000}
threads=${2:-$(nproc)}
swift build -c release >/dev/null
data=/tmp/profiler-policeuk-$rows
if [ ! -d "$data" ]; then
  python3 Benchmarks/policeuk/generate.py "$data" --rows "$rows" --months 36
fi
bytes=$(du -sb "$data" | cut -f1)
out=$(mktemp --suffix=.csv)
trap 'rm -f "$out"' EXIT
result=$( { /usr/bin/time -v .build/release/profiler comparators --data "$data" --profiles Benchmarks/policeuk/profiles \
            --by-month --threads "$threads" --out "$out" ; } 2>&1 )
wall=$(echo "$result" | grep "Elapsed" | awk '{print $8}')
rss=$(echo "$result" | grep "Maximum resident" | awk '{print $6}')
echo "$result" | grep -E "^police.uk|^wrote"
echo "$rows rows, $(numfmt --to=iec "$bytes"), $threads threads: wall $wall, peak RSS $((rss / 1024)) MB"
