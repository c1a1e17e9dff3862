#!/usr/bin/env bash
# No slower than COMMIT? Builds COMMIT in a worktree and alternates it with this tree, ROUNDS
# rounds, on what Benchmarks/ingest.sh and build.sh time: `profiler validate` of the ~5.6M-row drop
# on all cores, and `profiler build` of the 10M-row drop (shipped linkage). Prints each side's runs,
# median and peak memory. (This machine's times wander by up to 10% from minute to minute: hence
# the alternation.)
# Usage: Benchmarks/versus.sh COMMIT [ROUNDS]   (default 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-drop.sh
commit=$1
rounds=${2:-5}
swift build -c release >/dev/null
here=$PWD
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
build_at "$commit" "$work/before"
bench_drop /tmp/profiler-bench-drop-5m --people 1000000 --years 8 --names common
bench_drop /tmp/profiler-bench-drop-10m --people 1000000 --years 15 --names common
head -c 48 /dev/urandom | base64 > "$work/key"
echo "before: $(git -C "$work/before" log -1 --format='%h %s' | cut -c1-90)"
echo "after:  $(git log -1 --format='%h %s' | cut -c1-90)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
for i in $(seq "$rounds"); do
  for side in before after; do
    bin=$([ $side = before ] && echo "$work/before/.build/release/profiler" || echo "$here/.build/release/profiler")
    /usr/bin/time -o "$work/t" -f "%e %M" "$bin" validate --data /tmp/profiler-bench-drop-5m --key-file "$work/key" \
      --threads "$(nproc)" >/dev/null 2>&1 || true
    echo "validate-5m $side $(tail -1 "$work/t")" >>"$work/times"
    rm -rf "$work/out"
    # A build exits 1 when a definition warns (the 10M drop's neglect re-referrals): timed all the same.
    /usr/bin/time -o "$work/t" -f "%e %M" "$bin" build --data /tmp/profiler-bench-drop-10m --key-file "$work/key" \
      --out "$work/out" >/dev/null 2>&1 || true
    [ -f "$work/out/manifest.json" ] || { echo "the $side build failed" >&2; exit 1; }
    echo "build-10m $side $(tail -1 "$work/t")" >>"$work/times"
  done
done
for job in validate-5m build-10m; do
  for side in before after; do
    runs=$(grep "^$job $side " "$work/times" | awk '{ print $3 }')
    median=$(echo "$runs" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
    peak=$(grep "^$job $side " "$work/times" | awk '$4 > m { m = $4 } END { printf "%d", m / 1024 }')
    echo "$job $side: median $median s (runs $(echo $runs)), peak $peak MB"
  done
done
