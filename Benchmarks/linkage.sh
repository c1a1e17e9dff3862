#!/usr/bin/env bash
# Linkage against the truth on generated drops: for each size and seed, `profiler sample --truth`
# then `profiler linkage evaluate` with exact keys only and with probabilistic matching (the
# threshold of profiles/linkage.yaml), printing the measures overall and for the police roles, and
# the people figures furthest from the truth. Full reports go to $LINKAGE_OUT (default
# /tmp/profiler-linkage). Usage: Benchmarks/linkage.sh [people...]   (default: 100000 1000000)
# NAMES=common draws surnames from the 120 common ones only; the default (wide, as `profiler sample`) from
# 30,000 invented ones as well (`sample --names`).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=$PWD/.build/release/profiler
out=${LINKAGE_OUT:-/tmp/profiler-linkage}
mkdir -p "$out"
key=$(mktemp)
trap 'rm -f "$key"' EXIT
head -c 48 /dev/urandom | base64 > "$key"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for people in "${sizes[@]}"; do
  for seed in 7 11; do
    names=${NAMES:-wide}
    drop=/tmp/profiler-linkage-drop-$people-$seed$([ "$names" = common ] || echo "-$names")
    truth=$drop.truth.csv.gz
    [ -f "$truth" ] || $bin sample --out "$drop" --people "$people" --seed "$seed" --gzip --names "$names" --truth "$truth" --quiet
    for method in exact probabilistic; do
      report=$out/$people-$seed-$names-$method.txt
      { /usr/bin/time -v $bin linkage evaluate --data "$drop" --truth "$truth" --key-file "$key" --method "$method" \
          --misses "$out/$people-$seed-$names-$method.misses.csv" > "$report" ; } 2> "$report.time"
      wall=$(grep "Elapsed" "$report.time" | awk '{print $8}')
      rss=$(grep "Maximum resident" "$report.time" | awk '{print $6}')
      echo "== $people residents, seed $seed, $names names, $method (evaluation wall $wall, peak RSS $((rss / 1024)) MB)"
      sed -n '1p;3,4p' "$report"
      grep -E "^police_" "$report"
      grep -E "^Pairs of one true person|people figures within" "$report"
    done
  done
done
