#!/usr/bin/env bash
# A new student's first minutes: from `git clone` to the first verdict with
# the README's quick-start command, against `cargo install rustlings`, side by
# side in one run. The machine may be shared, so the contenders run
# interleaved (round 1: A B C D, round 2: D C B A, ...) and the 1-minute load
# average is recorded before each run.
#
# Contenders (each from a cold target directory, registry already downloaded):
#   rustlings     `cargo install rustlings --root <tmp>` (its crates are
#                 fetched by one install before the timed runs)
#   readme        `git clone` of this repository (HEAD when the script
#                 starts), then the README's
#                 quick-start command (read from README.md)
#   release       the same clone, `cargo run --release -- check` (what the
#                 profile lever buys: the grader profile against release)
#   before        a clone at BASE (default: the commit before the first-build
#                 levers), `cargo run --release -- check` (what the
#                 dependency-feature lever buys: release against release)
#
# The time of a memgrade contender stops at the first verdict line of the
# report (`✓`/`✗` at the start of a line); rustlings' when the install ends.
#
# Usage: bench/first_verdict.sh [ROUNDS]   (default 2)
# Writes its section of bench/RESULTS.md (between the first-verdict markers)
# and prints it.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
ROUNDS="${1:-2}"
OUT="$HERE/RESULTS.md"
WORK="$(mktemp -d /tmp/memgrade-first.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR

HEAD=$(git -C "$REPO" rev-parse HEAD)
README_CMD=$(git -C "$REPO" show "$HEAD:README.md" | sed -n '/^## Quick start/,/^## /p' | grep -m1 '^cargo run' | sed 's/ *#.*//')
[ -n "$README_CMD" ] || { echo "no \`cargo run\` line in the README's quick start" >&2; exit 1; }
BASE="${BASE:-$(git -C "$REPO" log --format=%H -S'[profile.grader]' -- Cargo.toml | tail -1)^}"
BASE=$(git -C "$REPO" rev-parse "$BASE")

echo "pre-fetching: memgrade's dependencies and one rustlings install" >&2
(cd "$REPO" && cargo fetch -q)
git -C "$REPO" show "$BASE:Cargo.lock" > "$WORK/base.lock" 2>/dev/null || true
cargo install -q rustlings --root "$WORK/prefetch" >&2
RUSTLINGS_VERSION=$("$WORK/prefetch/bin/rustlings" --version 2>/dev/null | head -1 || echo rustlings)
rm -rf "$WORK/prefetch"

# run NAME: one timed run of a contender; prints "seconds load".
run() {
  local name="$1" dir="$WORK/$1-$RANDOM$RANDOM" load
  load=$(cut -d' ' -f1 /proc/loadavg)
  case "$name" in
    rustlings) cmd="cargo install -q rustlings --root '$dir'" ;;
    readme) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $HEAD && $README_CMD" ;;
    release) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $HEAD && cargo run --release -- check" ;;
    before) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $BASE && cargo run --release -- check" ;;
  esac
  python3 - "$cmd" "$name" <<'PY'
import subprocess, sys, time
cmd, name = sys.argv[1], sys.argv[2]
start = time.monotonic()
p = subprocess.Popen(["bash", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
first = None
for line in p.stdout:
    if first is None and (line.startswith("✓") or line.startswith("✗")):
        first = time.monotonic() - start
p.wait()
end = time.monotonic() - start
if name == "rustlings":
    if p.returncode != 0:
        sys.exit(f"rustlings install failed ({p.returncode})")
    print(f"{end:.1f}")
else:
    if first is None:
        sys.exit(f"{name}: no verdict line (exit {p.returncode})")
    print(f"{first:.1f}")
PY
  echo "$load" >&2
  rm -rf "$dir"
}

ORDER=(rustlings readme release before)
: > "$WORK/runs.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2 == 0)); then seq=(before release readme rustlings); else seq=("${ORDER[@]}"); fi
  for c in "${seq[@]}"; do
    echo "round $r: $c" >&2
    secs=$(run "$c" 2>"$WORK/load")
    load=$(tail -1 "$WORK/load")
    echo "  $secs s (load $load)" >&2
    printf '%s\t%s\t%s\t%s\n' "$r" "$c" "$secs" "$load" >> "$WORK/runs.tsv"
  done
done

SECTION=$(python3 - "$WORK/runs.tsv" "$README_CMD" "$RUSTLINGS_VERSION" "$BASE" "$HEAD" "$ROUNDS" <<'PY'
import sys, statistics as st
path, readme, rversion, base, head, rounds = sys.argv[1:]
runs = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
by = {}
for r, c, s, load in runs:
    by.setdefault(c, []).append((float(s), float(load)))
label = {
    "rustlings": "`cargo install rustlings` (" + rversion + ")",
    "readme": f"memgrade: `git clone` + `{readme}` (the README)",
    "release": "memgrade: `git clone` + `cargo run --release -- check` (no grader profile)",
    "before": f"memgrade at {base[:9]}: `git clone` + `cargo run --release -- check` (before both levers)",
}
ref = st.mean(s for s, _ in by["rustlings"])
loads = [l for v in by.values() for _, l in v]
print("<!-- first-verdict -->")
print("## First verdict from a fresh clone (`bench/first_verdict.sh`)")
print()
print(f"Measured on {__import__('datetime').date.today()} at {head[:9]}, {rounds} interleaved round(s) "
      "(round 1: rustlings, README, release, before; round 2 in reverse order). "
      "Each memgrade run starts with `git clone` into a temporary directory "
      "(cold target directory, registry already downloaded) and stops at the first "
      "verdict line of the report; the rustlings run is a whole `cargo install` "
      "into a temporary root, its crates fetched beforehand.")
print()
print(f"**The machine was shared with other builds during the run**: 1-minute load average "
      f"{min(loads):.1f} to {max(loads):.1f} on {__import__('os').cpu_count()} cores "
      "(recorded before each run). Absolute times are therefore inflated; the ratios compare runs made side by side.")
print()
print("| contender | runs (s) | mean | ratio to rustlings |")
print("|---|---|---|---|")
for c in ["rustlings", "readme", "release", "before"]:
    if c not in by: continue
    v = by[c]
    m = st.mean(s for s, _ in v)
    shown = ", ".join(f"{s:.0f} (load {l:.1f})" for s, l in v)
    print(f"| {label[c]} | {shown} | {m:.1f} s | {m / ref:.2f}× |")
print()
def m(c): return st.mean(s for s, _ in by[c])
if all(c in by for c in ("readme", "release", "before")):
    print(f"Levers: the grader profile (no optimisation, no debug info, no incremental cache) "
          f"saves {m('release') - m('readme'):.0f} s against release ({m('release'):.0f} → {m('readme'):.0f} s); "
          f"trimming dependency features saves {m('before') - m('release'):.0f} s in release "
          f"({m('before'):.0f} → {m('release'):.0f} s).")
print("<!-- /first-verdict -->")
PY
)
# Replace the section in RESULTS.md (or append it).
python3 - "$OUT" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# memgrade benchmarks\n"
pat = re.compile(r"<!-- first-verdict -->.*?<!-- /first-verdict -->\n?", re.S)
if pat.search(text):
    text = pat.sub(lambda _: section + "\n", text)
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
echo "$SECTION"
