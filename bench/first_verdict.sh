#!/usr/bin/env bash
# A new student's first minutes: from `git clone` to the first verdict with
# the README's quick-start command, against `cargo install rustlings`, side by
# side in one run. The machine may be shared, so the contenders run
# interleaved (round 1 in order, round 2 in reverse, ...) and the 1-minute
# load average is recorded before each run.
#
# Contenders (each from a cold target directory, registry already downloaded):
#   rustlings  `cargo install rustlings --root <tmp>` (its crates are fetched
#              by one install before the timed runs)
#   readme     `git clone` of this repository (HEAD when the script starts),
#              then the README's first command (read from README.md) in a
#              terminal: memgrade without a command watches the first
#              exercise
#   release    the same in release (`cargo run --release`): what the grader
#              profile buys
#   check      the same clone, `cargo run --profile grader -- check` on a
#              terminal: every exercise graded (what grading one exercise
#              first buys)
#   before     a clone at BASE (default: the commit before these levers),
#              its README command `cargo run --release -- check`
#
# Every memgrade contender runs in a pseudo-terminal (as a student's shell)
# and its time stops at the first verdict line on screen (`✓`/`✗` and an
# exercise, colors stripped); rustlings' when the install ends.
#
# Usage: bench/first_verdict.sh [ROUNDS]   (default 2)
#   CONTENDERS="rustlings readme" bench/first_verdict.sh   runs only those
#   (in that order; reversed in even rounds), e.g. for the README's row alone
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

# run NAME: one timed run of a contender; prints its seconds (stdout) and
# the load average before it (stderr).
run() {
  local name="$1" dir="$WORK/$1-$RANDOM$RANDOM" load cmd
  load=$(cut -d' ' -f1 /proc/loadavg)
  case "$name" in
    rustlings) cmd="cargo install -q rustlings --root '$dir'" ;;
    readme) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $HEAD && $README_CMD" ;;
    release) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $HEAD && cargo run --release" ;;
    check) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $HEAD && cargo run --profile grader -- check" ;;
    before) cmd="git clone -q '$REPO' '$dir' && cd '$dir' && git checkout -q $BASE && cargo run --release -- check" ;;
  esac
  python3 - "$cmd" "$name" <<'PY'
import fcntl, os, re, select, signal, struct, subprocess, sys, termios, time
cmd, name = sys.argv[1], sys.argv[2]
start = time.monotonic()
if name == "rustlings":
    p = subprocess.run(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit(f"rustlings install failed ({p.returncode})")
    print(f"{time.monotonic() - start:.1f}")
    sys.exit(0)
# A terminal of 120 x 40 for memgrade, as a student's shell would give it.
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
p = subprocess.Popen(["bash", "-c", cmd], stdin=slave, stdout=slave, stderr=slave,
                     start_new_session=True)
os.close(slave)
ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
verdict = re.compile(r"^[✓✗] \S+ +\S+ +[0-9.]+/[0-9]+")
buf, first = "", None
while first is None:
    r, _, _ = select.select([master], [], [], 1.0)
    if r:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data.decode("utf-8", "replace")
        lines = re.split(r"[\r\n]", ansi.sub("", buf))
        if any(verdict.match(l.strip()) for l in lines):
            first = time.monotonic() - start
        buf = buf[-4096:]
    elif p.poll() is not None:
        break
    if time.monotonic() - start > 3600:
        break
try:
    os.write(master, b"q")
except OSError:
    pass
try:
    p.wait(timeout=15)
except subprocess.TimeoutExpired:
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
if first is None:
    sys.exit(f"{name}: no verdict line (exit {p.returncode}); last output: {buf[-2000:]!r}")
print(f"{first:.1f}")
PY
  echo "$load" >&2
  rm -rf "$dir"
}

read -r -a ORDER <<< "${CONTENDERS:-rustlings readme release check before}"
REVERSED=()
for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do REVERSED+=("${ORDER[i]}"); done
: > "$WORK/runs.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2 == 0)); then seq=("${REVERSED[@]}"); else seq=("${ORDER[@]}"); fi
  for c in "${seq[@]}"; do
    echo "round $r: $c" >&2
    secs=$(run "$c" 2>"$WORK/load")
    load=$(tail -1 "$WORK/load")
    echo "  $secs s (load $load)" >&2
    printf '%s\t%s\t%s\t%s\n' "$r" "$c" "$secs" "$load" >> "$WORK/runs.tsv"
  done
done

SECTION=$(python3 - "$WORK/runs.tsv" "$README_CMD" "$RUSTLINGS_VERSION" "$BASE" "$HEAD" "$ROUNDS" "${ORDER[*]}" <<'PY'
import sys, statistics as st
path, readme, rversion, base, head, rounds, order = sys.argv[1:]
runs = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
by = {}
for r, c, s, load in runs:
    by.setdefault(c, []).append((float(s), float(load)))
label = {
    "rustlings": "`cargo install rustlings` (" + rversion + ")",
    "readme": f"memgrade: `git clone` + `{readme}` (the README's first command: watch the first exercise)",
    "release": "memgrade: `git clone` + `cargo run --release` (the same in release)",
    "check": "memgrade: `git clone` + `cargo run --profile grader -- check` (every exercise graded first)",
    "before": f"memgrade at {base[:9]}: `git clone` + `cargo run --release -- check` (before these levers)",
}
ref = st.mean(s for s, _ in by["rustlings"])
loads = [l for v in by.values() for _, l in v]
print("<!-- first-verdict -->")
print("## First verdict from a fresh clone (`bench/first_verdict.sh`)")
print()
print(f"Measured on {__import__('datetime').date.today()} at {head[:9]}, {rounds} interleaved round(s) "
      f"(round 1: {', '.join(order.split())}; round 2 in reverse order). "
      "Each memgrade run starts with `git clone` into a temporary directory "
      "(cold target directory, registry already downloaded), runs in a pseudo-terminal "
      "and stops at the first verdict line on screen; the rustlings run is a whole "
      "`cargo install` into a temporary root, its crates fetched beforehand.")
print()
print(f"1-minute load average before each run: {min(loads):.1f} to {max(loads):.1f} on "
      f"{__import__('os').cpu_count()} cores (the previous contender's build counts in it; above about "
      "2.5 other work was running and absolute times are inflated). The ratios compare runs made side by side.")
print()
print("| contender | runs (s) | mean | ratio to rustlings |")
print("|---|---|---|---|")
for c in ["rustlings", "readme", "release", "check", "before"]:
    if c not in by: continue
    v = by[c]
    m = st.mean(s for s, _ in v)
    shown = ", ".join(f"{s:.0f} (load {l:.1f})" for s, l in v)
    print(f"| {label[c]} | {shown} | {m:.1f} s | {m / ref:.2f}× |")
print()
def m(c): return st.mean(s for s, _ in by[c])
if all(c in by for c in ("readme", "release", "check", "before")):
    r, rel, chk, bef = m("readme"), m("release"), m("check"), m("before")
    print(f"Levers, from these means: the grader profile (no optimisation, no debug info, no incremental cache) "
          f"saves {rel - r:.0f} s against release ({rel:.0f} → {r:.0f} s); grading the first exercise "
          f"instead of every exercise first saves {chk - r:.0f} s ({chk:.0f} → {r:.0f} s); "
          f"everything together against the previous README command saves {bef - r:.0f} s ({bef:.0f} → {r:.0f} s). "
          f"What is left of that ({bef - r - (rel - r) - (chk - r):.0f} s) is the estimate for the lighter "
          "build of memgrade itself (no derive macros, memgrade's own progress line and file watcher, "
          "instructor-only code behind the `instructor` feature, trimmed dependency features; not measured "
          "one by one).")
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
