#!/usr/bin/env bash
# `profiler sources infer` on a 500 MB extract (the target: under 10 s on two cores). The file is
# the bundled drop's police extract (people, dates with times, flags, codes, postcodes, LSOAs)
# repeated to 500 MB with a row number in front (a column unique to the end, so the record id
# check runs over every row) and each copy's crime reference made its own. Prints the time, rows and peak memory, and the
# draft's first lines.
# Usage: Benchmarks/infer-large.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-500}
swift build -c release >/dev/null
bin=.build/release/profiler
file=/tmp/profiler-infer-${mb}mb-v2.csv
if [ ! -f "$file" ] || [ "$(stat -c %s "$file")" -lt $((mb * 1000000)) ]; then
  gzip -dc Fixtures/sample-drop/police_crimes.csv.gz > /tmp/profiler-infer-one.csv
  one=$(stat -c %s /tmp/profiler-infer-one.csv)
  copies=$(( (mb * 1000000 + one - 1) / one ))
  awk -v copies="$copies" 'NR == 1 { header = $0; next } { rows[++n] = $0 }
    END { print "RowNumber," header; for (k = 1; k <= copies; k++) for (i = 1; i <= n; i++) print ++r ",c" k "-" rows[i] }' \
    /tmp/profiler-infer-one.csv > "$file"
fi
echo "file: $file, $(numfmt --to=iec "$(stat -c %s "$file")"), $(nproc) cores"
out=$( { /usr/bin/time -v $bin sources infer "$file" --out /tmp/profiler-infer-draft.yaml --force ; } 2>&1 )
echo "$out" | grep "drafted source"
echo "$out" | grep -E "Elapsed \(wall clock\)|Maximum resident" | sed 's/^\s*//'
head -12 /tmp/profiler-infer-draft.yaml | tail -4
