#!/usr/bin/env bash
# Disclosure control for every group: its time (the build's own clock, both audiences, all groups)
# and what it cost per group (count cells published, small counts withheld, other counts withheld
# to protect them, per small count, tables withheld whole), on the bundled drop and on generated
# drops of 100,000 and 320,000 residents (Shropshire's size).
# Usage: Benchmarks/disclosure.sh [RUNS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-drop.sh
runs=${1:-3}
threads=${2:-$(nproc)}
swift build -c release >/dev/null
bin=$PWD/.build/release/profiler
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 48 /dev/urandom | base64 > "$work/key"
for spec in "bundled - -" "100k 100000 7" "320k 320000 11"; do
  set -- $spec
  if [ "$1" = bundled ]; then
    data=(); key=()
  else
    drop=/tmp/profiler-disclosure-drop-$1
    bench_drop "$drop" --people "$2" --seed "$3" --names common
    data=(--data "$drop"); key=(--key-file "$work/key")
  fi
  times=()
  for _ in $(seq "$runs"); do
    "$bin" build "${data[@]}" "${key[@]}" --out "$work/out" --threads "$threads" --format csv --log-format json 2> "$work/log" > /dev/null || [ $? -eq 1 ]
    times+=("$(grep -o 'disclosure control for [0-9]* audience(s) in [0-9.]* s' "$work/log" | awk '{print $(NF-1)}')")
  done
  echo "drop $1: disclosure control on $threads thread(s): ${times[*]} s"
  python3 - "$work/out/manifest.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"  {'group':18} {'published':>9} {'primary':>8} {'secondary':>9} {'per primary':>11} {'tables withheld':>15}")
for d in m["disclosure"]:
    p, s = d["primary_withheld"], d["secondary_withheld"]
    print(f"  {d['group']:18} {d['cells_published']:>9} {p:>8} {s:>9} {s / p if p else 0:>11.2f} {len(d['tables_withheld']):>15}"
          + ("  " + ", ".join(t["table"] for t in d["tables_withheld"]) if d["tables_withheld"] else ""))
EOF
done
