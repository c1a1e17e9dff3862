#!/usr/bin/env bash
# End-to-end `profiler build` (ingest and every profile) on generated drops of about 1M and 10M rows,
# printing wall time and peak memory. Usage: Benchmarks/build.sh [threads]
# LINKAGE=exact builds with a copy of profiles/ whose linkage.yaml says `method: exact` (exact keys
# only), to set beside the shipped probabilistic matching.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-drop.sh
swift build -c release >/dev/null
bin=.build/release/profiler
threads=${1:-$(nproc)}
key=$(mktemp)
out=$(mktemp -d)
profiles=$PWD/profiles
if [ "${LINKAGE:-}" = exact ]; then
  profiles=$(mktemp -d)/profiles
  cp -r "$PWD/profiles" "$profiles"
  sed -i 's/^method: probabilistic/method: exact/' "$profiles/linkage.yaml"
fi
trap 'rm -rf "$key" "$out"; [ "$profiles" = "$PWD/profiles" ] || rm -rf "$(dirname "$profiles")"' EXIT
head -c 48 /dev/urandom | base64 > "$key"
for spec in "1m 450000 3" "10m 1000000 15"; do
  set -- $spec
  drop=/tmp/profiler-bench-drop-$1
  bench_drop "$drop" --people "$2" --years "$3" --names common
  result=$( { /usr/bin/time -v $bin build --data "$drop" --key-file "$key" --out "$out" --threads "$threads" --profiles "$profiles" ; } 2>&1 || true)
  rows=$(echo "$result" | grep "^built" | sed -E 's/.*; ([0-9]+) rows read.*/\1/')
  wall=$(echo "$result" | grep "Elapsed" | awk '{print $8}')
  rss=$(echo "$result" | grep "Maximum resident" | awk '{print $6}')
  echo "drop $1 (${LINKAGE:-probabilistic} linkage): $rows rows, $(du -sh --exclude=reference "$drop" | cut -f1); threads $threads; wall $wall; peak RSS $((rss / 1024)) MB"
done
