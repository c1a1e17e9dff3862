# Sourced by the benchmark scripts: bench_drop DIR SAMPLE_OPTIONS... makes the generated drop DIR
# with `profiler sample`, unless DIR already holds one made by the same generator with the same
# options. The stamp (DIR/.bench-drop) names the options and the last commit of
# Sources/SyntheticDrop (with "+" when that folder has changes not committed), so a drop left in
# /tmp by an older generator (without a column added since, say) is made again, not timed.
bench_drop() {
  local dir=$1
  shift
  local bin=${bin:-.build/release/profiler}
  local stamp changed=""
  if git status --porcelain -- Sources/SyntheticDrop 2>/dev/null | grep -q .; then changed=+; fi
  stamp="$(git log -1 --format=%H -- Sources/SyntheticDrop 2>/dev/null || true)$changed $*"
  if [ -d "$dir" ] && [ "$(cat "$dir/.bench-drop" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  [ ! -d "$dir" ] || echo "bench-drop: $dir was made by another generator or with other options: making it again" >&2
  rm -rf "$dir"
  "$bin" sample --out "$dir" "$@" --quiet
  echo "$stamp" > "$dir/.bench-drop"
}

# build_at COMMIT DIR: a release build of COMMIT in a worktree at DIR (its binary is
# DIR/.build/release/profiler); the caller removes it with `git worktree remove --force DIR`.
build_at() {
  git worktree add --detach "$2" "$1" >/dev/null 2>&1
  (cd "$2" && swift build -c release >"$2.build.log" 2>&1) || { tail -20 "$2.build.log" >&2; return 1; }
}
