#!/usr/bin/env bash
# Ingest throughput: generates a drop of about 5M rows (1M residents, 8 years) unless one is given,
# then ingests it with one thread and with all cores, printing time, MB/s, rows/s and peak memory.
# Usage: Benchmarks/ingest.sh [DROP]
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-drop.sh
swift build -c release >/dev/null
bin=.build/release/profiler
drop=${1:-/tmp/profiler-bench-drop-5m}
[ -n "${1:-}" ] || bench_drop "$drop" --people 1000000 --years 8 --names common
key=$(mktemp)
trap 'rm -f "$key"' EXIT
head -c 48 /dev/urandom | base64 > "$key"
bytes=$(du -sb --exclude=reference "$drop" | cut -f1)
echo "drop: $drop, $(numfmt --to=iec "$bytes") of extracts, $(nproc) cores"
for threads in 1 "$(nproc)"; do
  out=$( { /usr/bin/time -v $bin validate --data "$drop" --key-file "$key" --threads "$threads" ; } 2>&1 || true)
  summary=$(echo "$out" | grep "rows read")
  rows=$(echo "$summary" | sed -E 's/.* ([0-9]+) rows read.*/\1/')
  secs=$(echo "$summary" | sed -E 's/.*; ([0-9.]+) s ->.*/\1/')
  rss=$(echo "$out" | grep "Maximum resident" | awk '{print $6}')
  # The whole process, start-up and definitions included (m:ss.ss).
  wall=$(echo "$out" | grep "Elapsed (wall clock)" | awk '{print $NF}' | awk -F: '{print $1 * 60 + $2}')
  columns=$(echo "$summary" | sed -E 's/.*columns ([0-9.]+ [KMG]?B).*/\1/')
  awk -v t="$threads" -v s="$secs" -v r="$rows" -v b="$bytes" -v m="$rss" -v c="$columns" -v w="$wall" 'BEGIN {
    printf "threads %s: %s rows in %.2f s = %.0f rows/s, %.1f MB/s; peak RSS %.0f MB; columns %s; whole process %.2f s (%.1f MB/s)\n", t, r, s, r / s, b / s / 1e6, m / 1024, c, w, b / w / 1e6 }'
done
