#!/usr/bin/env bash
# Byte-identical outputs of two versions of the engine: builds the given commit (default: the
# previous one) in a worktree beside this one, runs both release builds on the bundled drop and on
# the ~5.6M-row drop of ingest.sh (generated unless present), with the same key and every group
# and format, and compares every file of the two outputs: the 99 analyst tables, each group's CSV,
# JSON, SQLite and HTML, DISCLOSURE.txt, quality.json and the manifest, which may differ only in its
# build time. Then generates a drop with each and compares those too.
# Usage: Benchmarks/identical.sh [COMMIT] [DROP]
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-drop.sh
here=$PWD
commit=${1:-HEAD~1}
drop=${2:-/tmp/profiler-bench-drop-5m}
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
build_at "$commit" "$work/before"
echo "before: $(git -C "$work/before" log -1 --format='%h %s' | cut -c1-100)"
echo "after:  $(git log -1 --format='%h %s' | cut -c1-100)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
swift build -c release >/dev/null
bin=.build/release/profiler bench_drop "$drop" --people 1000000 --years 8 --names common
head -c 48 /dev/urandom | base64 > "$work/key"
status=0
for input in "$here/Fixtures/sample-drop" "$drop"; do
  for side in before after; do
    bin=$([ $side = before ] && echo "$work/before/.build/release/profiler" || echo "$here/.build/release/profiler")
    "$bin" build --data "$input" --key-file "$work/key" --out "$work/$side-out" >/dev/null 2>&1 || [ $? -eq 1 ]
  done
  files=$(find "$work/after-out" -type f | wc -l)
  # The manifest's build time differs; nothing else may.
  differences=$(diff -r "$work/before-out" "$work/after-out" | grep -v '^[<>]   "built_at"' | grep -v '^---$' | grep -v '^[0-9]*c[0-9]*$' \
    | grep -v '^diff -r .*/manifest.json .*/manifest.json$' || true)
  if [ -z "$differences" ]; then
    echo "$(basename "$input"): $files files, byte-identical (the manifest but for its build time)"
  else
    echo "$(basename "$input"): DIFFERENT"; echo "$differences" | head -20; status=1
  fi
  rm -rf "$work/before-out" "$work/after-out"
done
for side in before after; do
  bin=$([ $side = before ] && echo "$work/before/.build/release/profiler" || echo "$here/.build/release/profiler")
  "$bin" sample --out "$work/$side-sample" --people 30000 --seed 5 --names common --quiet
done
if diff -r "$work/before-sample" "$work/after-sample" >/dev/null; then
  echo "generated drop (30,000 residents, seed 5): byte-identical"
else
  echo "generated drop: DIFFERENT"; status=1
fi
exit $status
