#!/usr/bin/env bash
# `profiler sources infer` then `profiler validate` on every CSV under a folder (default: the
# shared real data, ../shared/data): each file is drafted alone into a scratch definitions folder,
# then read with its draft; prints, per file, the rows read, accepted and rejected and the seconds
# the draft took, and fails (exit 1) if any file is not drafted or any row is rejected.
# Usage: Benchmarks/infer.sh [DATA_FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(cd "${1:-../shared/data}" && pwd)
swift build -c release >/dev/null
bin=$PWD/.build/release/profiler
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 48 /dev/urandom | base64 > "$work/key"
failed=0 files=0 total=0
printf "%-72s %10s %10s %9s %7s\n" file rows accepted rejected "infer s"
while IFS= read -r path; do
  files=$((files + 1))
  name=$(basename "$path")
  mkdir -p "$work/$files/defs/drafts" "$work/$files/drop"
  ln -s "$path" "$work/$files/drop/$name"
  start=$(date +%s.%N)
  if ! "$bin" sources infer "$path" --name "file_$files" --out "$work/$files/defs/drafts/file_$files.yaml" 2>"$work/$files/infer.err"; then
    printf "%-72s %s\n" "${path#"$data"/}" "NOT DRAFTED: $(tail -1 "$work/$files/infer.err")"
    failed=$((failed + 1))
    continue
  fi
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  report=$("$bin" validate --data "$work/$files/drop" --profiles "$work/$files/defs" --sources drafts --key-file "$work/key" 2>&1 || true)
  line=$(echo "$report" | grep -E "^$name \[" || true)
  read -r rows accepted rejected < <(echo "$line" | sed -E 's/.*: ([0-9]+) read, ([0-9]+) accepted, ([0-9]+) rejected.*/\1 \2 \3/')
  if [ -z "$line" ] || [ "$rejected" != 0 ]; then
    failed=$((failed + 1))
    echo "$report" | head -20 >&2
  fi
  total=$((total + ${rows:-0}))
  printf "%-72s %10s %10s %9s %7.2f\n" "${path#"$data"/}" "${rows:-?}" "${accepted:-?}" "${rejected:-?}" "$secs"
done < <(find "$data" -type f \( -name '*.csv' -o -name '*.csv.gz' \) | sort)
echo "$files files, $total rows read with their drafts; $failed with a problem"
[ "$failed" = 0 ]
