#!/usr/bin/env bash
# What probabilistic matching costs the 10M-row build (issue 20: "within 15% of today's time"):
# rounds of three builds of Benchmarks/build.sh's 10M-row drop, run alternately on one key:
#   filed  - the engine as it was when issue 20 was filed (BASE, default 53770a6, the last commit
#            before its work), a release build in its own worktree, with its own profiles;
#   exact  - this version with a copy of profiles/ whose linkage.yaml says `method: exact`;
#   prob   - this version as shipped (probabilistic matching).
# After a round not counted (caches warmed), prints each build's wall time and peak memory, then
# the medians and the two ratios.
# Usage: Benchmarks/linkage-cost.sh [rounds]   (default 5; BASE=commit to set another baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/bench-drop.sh
rounds=${1:-5}
base=${BASE:-53770a6}
swift build -c release >/dev/null
bin=$PWD/.build/release/profiler
drop=/tmp/profiler-bench-drop-10m
bench_drop "$drop" --people 1000000 --years 15 --names common
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
build_at "$base" "$work/base"
cp -r profiles "$work/exact-profiles"
sed -i 's/^method: probabilistic/method: exact/' "$work/exact-profiles/linkage.yaml"
head -c 48 /dev/urandom | base64 > "$work/key"
run() { # name dir binary [args...]: one build, its wall time and peak RSS
  local name=$1 dir=$2 binary=$3
  shift 3
  # A build exits 1 when a definition warns (the 10M drop's neglect re-referrals): timed all the
  # same, once it has published its outputs.
  rm -rf "$work/out-$name"
  (cd "$dir" && /usr/bin/time -o "$work/time" -f "%e %M" "$binary" build --data "$drop" --key-file "$work/key" \
    --out "$work/out-$name" "$@" >"$work/log" 2>&1) || true
  [ -f "$work/out-$name/manifest.json" ] || { echo "the $name build failed:" >&2; tail -3 "$work/log" >&2; exit 1; }
  local t
  t=$(tail -1 "$work/time")
  echo "$name ${t% *} $(( ${t#* } / 1024 ))"
}
# A first round, not counted, brings each binary and the drop into the page cache.
run filed "$work/base" "$work/base/.build/release/profiler" >/dev/null
run exact "$PWD" "$bin" --profiles "$work/exact-profiles" >/dev/null
run prob "$PWD" "$bin" >/dev/null
for i in $(seq 1 "$rounds"); do
  run filed "$work/base" "$work/base/.build/release/profiler"
  run exact "$PWD" "$bin" --profiles "$work/exact-profiles"
  run prob "$PWD" "$bin"
done | tee "$work/times"
python3 - "$work/times" <<'EOF'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    times.setdefault(name, []).append((float(wall), int(rss)))
med = {n: statistics.median(w for w, _ in v) for n, v in times.items()}
for n, v in times.items():
    print(f"{n}: median {med[n]:.2f} s (runs {', '.join(f'{w:.2f}' for w, _ in v)}), peak {max(r for _, r in v)} MB")
print(f"probabilistic against exact: {100 * (med['prob'] / med['exact'] - 1):+.1f}%")
print(f"probabilistic against the build when issue 20 was filed: {100 * (med['prob'] / med['filed'] - 1):+.1f}%")
EOF
