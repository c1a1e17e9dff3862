#!/usr/bin/env bash
# Opens every group's HTML report of a build of the bundled drop in a real headless browser
# (Chromium from Debian's packages, installed when missing and run as root) and checks that each
# renders: the browser exits cleanly, its DOM has the group's title, every profile section and
# the charts (every funnel plot with its points, every ward map coloured by the significance of
# each ward against the area), and a screenshot is written for each group to
# OUT/screenshots/<group>.png. At least one report must have a funnel plot and a significance map.
# Usage: Tests/browser/check-reports.sh [OUT]   (default: a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "check-reports: chromium is not installed (apt-get install chromium)" >&2; exit 2
  fi
fi
out=${1:-$(mktemp -d)}
swift run -q profiler build --out "$out/build" >/dev/null
mkdir -p "$out/screenshots"
failed=0
funnels_seen=0
maps_seen=0
for report in "$out"/build/*/report.html; do
  group=$(basename "$(dirname "$report")")
  dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$report" 2>/dev/null)
  title=$(grep -o '<h1>[^<]*</h1>' "$report" | head -1 | sed "s/&#39;/'/g; s/&amp;/\&/g")
  sections=$(grep -o '<section class="profile"' "$report" | wc -l)
  rendered=$(grep -o '<section class="profile"' <<<"$dom" | wc -l)
  svgs=$(grep -o '<svg' <<<"$dom" | wc -l)
  if ! grep -qF "$title" <<<"$dom" || [ "$rendered" -ne "$sections" ] || [ "$svgs" -lt 1 ]; then
    echo "check-reports: $group: the browser did not render the report (title, $rendered of $sections profiles, $svgs charts)" >&2
    failed=1
    continue
  fi
  # Counts of a pattern (none is 0, not a failure).
  count() { { grep -o "$1" || true; } | wc -l; }
  funnels=$(count 'aria-label="Funnel plot' <"$report")
  maps=$(count 'aria-label="Map of wards shaded by [a-z0-9_]*_vs_area' <"$report")
  if [ "$(count 'aria-label="Funnel plot' <<<"$dom")" -ne "$funnels" ] \
    || [ "$(count 'aria-label="Map of wards shaded by [a-z0-9_]*_vs_area' <<<"$dom")" -ne "$maps" ] \
    || { [ "$funnels" -gt 0 ] && ! grep -q 'class="funnel-point"' <<<"$dom"; }; then
    echo "check-reports: $group: the browser did not render its $funnels funnel plot(s) and $maps significance map(s)" >&2
    failed=1
    continue
  fi
  funnels_seen=$((funnels_seen + funnels))
  maps_seen=$((maps_seen + maps))
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1600 \
    --screenshot="$out/screenshots/$group.png" "file://$report" >/dev/null 2>&1
  [ -s "$out/screenshots/$group.png" ] || { echo "check-reports: $group: no screenshot" >&2; failed=1; continue; }
  echo "check-reports: $group: rendered ($sections profiles, $svgs charts, $funnels funnel plots, $maps significance maps), screenshot $out/screenshots/$group.png"
done
if [ "$funnels_seen" -lt 1 ] || [ "$maps_seen" -lt 1 ]; then
  echo "check-reports: no report has a funnel plot and a significance map ($funnels_seen, $maps_seen)" >&2
  failed=1
fi
exit $failed
