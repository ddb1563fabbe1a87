#!/usr/bin/env bash
# memgrade benchmarks: memgrade check against the plain alternatives, side by
# side in one run on the same exercises (a temporary copy of the course with
# the reference solutions in place). Writes bench/RESULTS.md.
#
# Usage: bench/run.sh [RUNS]   (RUNS: hyperfine runs per warm figure, default 5)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
RUNS="${1:-5}"
OUT="$HERE/RESULTS.md"
WORK="$(mktemp -d /tmp/memgrade-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install -y hyperfine)" >&2; exit 1; }

echo "building memgrade (release)" >&2
cargo build --release --features instructor --manifest-path "$REPO/Cargo.toml" --bin memgrade -q
MEMGRADE="${CARGO_TARGET_DIR:-$REPO/target}/release/memgrade"
[ -x "$MEMGRADE" ] || MEMGRADE="$(cargo metadata --manifest-path "$REPO/Cargo.toml" --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/memgrade"

# The course with every solution copied in, as its own workspace.
COURSE="$WORK/course"
mkdir -p "$COURSE"
cp -r "$REPO/memprobe" "$REPO/exercises" "$REPO/grader.toml" "$COURSE/"
rm -rf "$COURSE/memprobe/target"
for s in "$REPO"/solutions/*/; do cp -r "$s/src/." "$COURSE/exercises/$(basename "$s")/src/"; done
printf '[workspace]\nmembers = ["memprobe", "exercises/*"]\nresolver = "3"\n' > "$COURSE/Cargo.toml"
export CARGO_TARGET_DIR="$WORK/target"
PKGS=$(for d in "$COURSE"/exercises/*/; do sed -n 's/^name = "\(.*\)"/\1/p' "$d/Cargo.toml" | head -1; done)
FIRST=$(echo "$PKGS" | head -1)
N=$(echo "$PKGS" | wc -l)
PKGS=$(echo $PKGS)  # one line: the names go inside `bash -c '...'`
FIRST_DIR=$(ls -d "$COURSE"/exercises/*/ | head -1)
PFLAGS=$(for p in $PKGS; do printf -- '-p %s ' "$p"; done)

CHECK="$MEMGRADE --root $COURSE check --no-cache --format json --output $WORK/grade.json"
LOOP="cd $COURSE && for p in $PKGS; do cargo test -q -p \$p >/dev/null 2>&1 || exit 1; done"
WS="cd $COURSE && cargo test -q --no-fail-fast $PFLAGS >/dev/null 2>&1"
NEXTEST="cd $COURSE && cargo nextest run --no-fail-fast $PFLAGS >/dev/null 2>&1"
CLEAN="rm -rf $CARGO_TARGET_DIR $COURSE/.memgrade"

cd "$WORK"
echo "cold: target dir removed before each run" >&2
hyperfine -N -i --runs 2 --prepare "$CLEAN" --export-markdown cold.md --export-json cold.json \
  -n "memgrade check --no-cache" "$CHECK" \
  -n "loop: cargo test -p (each)" "bash -c '$LOOP'" \
  -n "cargo test --no-fail-fast -p (all)" "bash -c '$WS'" \
  -n "cargo nextest run -p (all)" "bash -c '$NEXTEST'" >&2 || true
GRADE_NOTE=$(python3 -c "
import json; g=json.load(open('$WORK/grade.json'))
bad=[e['name']+': '+t['name']+' '+t['status']+' ('+t['message'].splitlines()[0][:160]+')' for e in g['exercises'] for t in e['tests'] if t['status']!='passed']
print(g['passed'], '/', g['total'], 'exercises passed in the last cold memgrade run', ('; not passed: '+'; '.join(bad)) if bad else '')")
echo "$GRADE_NOTE" >&2

echo "warm: everything built" >&2
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-markdown warm.md --export-json warm.json \
  -n "memgrade check --no-cache" "$CHECK" \
  -n "loop: cargo test -p (each)" "bash -c '$LOOP'" \
  -n "cargo test --no-fail-fast -p (all)" "bash -c '$WS'" \
  -n "cargo nextest run -p (all)" "bash -c '$NEXTEST'" >&2

echo "warm, one test process at a time: each runner's own cost per test" >&2
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-markdown serial.md --export-json serial.json \
  -n "memgrade check --no-cache --jobs 1" "$CHECK --jobs 1" \
  -n "cargo nextest run -p (all) -j 1" "bash -c '$NEXTEST -j 1'" >&2
# The tests' own time: the wall time of every test process, summed, as
# memgrade's report measured it in the last serial run.
TESTS_MS=$(python3 -c "
import json; g=json.load(open('$WORK/grade.json'))
print(sum(t['duration_ms'] for e in g['exercises'] for t in e['tests']))")
TESTS_N=$(python3 -c "
import json; g=json.load(open('$WORK/grade.json'))
print(sum(len(e['tests']) for e in g['exercises']))")

echo "nothing changed: memgrade's result cache versus the loop" >&2
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-markdown cached.md --export-json cached.json \
  -n "memgrade check (cache hit)" "$MEMGRADE --root $COURSE check --format json --output $WORK/grade.json" \
  -n "loop: cargo test -p (each)" "bash -c '$LOOP'" >&2

echo "edit to verdict: one exercise's lib.rs changed before each run" >&2
TOUCH="echo '// edit' >> ${FIRST_DIR}src/lib.rs"
hyperfine -N -i --runs "$RUNS" --prepare "bash -c \"$TOUCH\"" --export-markdown edit.md --export-json edit.json \
  -n "memgrade check $FIRST" "$MEMGRADE --root $COURSE check $FIRST --format json --output $WORK/grade.json" \
  -n "cargo test -p $FIRST" "bash -c 'cd $COURSE && cargo test -q -p $FIRST >/dev/null 2>&1'" \
  -n "cargo nextest run -p $FIRST" "bash -c 'cd $COURSE && cargo nextest run -p $FIRST >/dev/null 2>&1'" >&2

echo "peak memory of memgrade check (warm, --no-cache)" >&2
RSS_KB=$(/usr/bin/time -v $CHECK 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')

echo "memprobe overhead" >&2
ALLOC_TARGET="$WORK/alloc-target"
SYS_NS=$(CARGO_TARGET_DIR="$ALLOC_TARGET/sys" cargo run -q --release --manifest-path "$HERE/alloc/Cargo.toml")
PROBE_NS=$(CARGO_TARGET_DIR="$ALLOC_TARGET/probe" cargo run -q --release --manifest-path "$HERE/alloc/Cargo.toml" --features probe)

ratios() { # file.json: each command's mean and its ratio to the first command
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["mean"]
for x in r:
    print(f"| {x['command']} | {x['mean']:.2f} ± {x['stddev'] or 0:.2f} s | {x['mean'] / base:.2f}× |")
PY
}

# bench/first_verdict.sh writes its own section; keep it.
KEEP=$(sed -n '/<!-- first-verdict -->/,/<!-- \/first-verdict -->/p' "$OUT" 2>/dev/null || true)
{
  echo "# memgrade benchmarks"
  echo
  echo "Generated by \`bench/run.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(rustc --version), $(cargo nextest --version 2>/dev/null | head -1), hyperfine $(hyperfine --version | cut -d' ' -f2)."
  echo
  echo "Course: $N exercises with the reference solutions copied in (a temporary copy of the course as its own workspace; memgrade itself excluded). Each table measures its commands side by side in one run; the ratio is the mean time relative to the table's first row (lower is faster)."
  echo
  echo "## The two ratios"
  echo
  echo "| figure | ratio | target |"
  echo "|---|---|---|"
  echo "| warm full check: \`memgrade check --no-cache\` to \`cargo nextest run\` (table below) | $(python3 -c "
import json; r=json.load(open('warm.json'))['results']; print(f\"{r[0]['mean'] / r[-1]['mean']:.2f}×\")") | 0.6× |"
  echo "| first verdict from a fresh clone to \`cargo install rustlings\` (\`bench/first_verdict.sh\`, last section) | $(echo "$KEEP" | sed -n "s/.*README's first command.*| \([0-9.]*×\) |\$/\1/p" | head -1) | 0.75× |"
  echo
  echo "Where the warm time goes: the test processes themselves. The course's tests (forced races of many rounds, million-line inputs, grace periods a correct cell must wait out) take $(python3 -c "print(f'{$TESTS_MS / 1000:.1f}')") s of the $(nproc) cores per run, and every runner that starts each test in its own process sits at that floor; the one-at-a-time table shows each runner's own cost beside it. On 2026-11-25, with lighter tests, the same comparison was 0.59×."
  echo
  echo "## Full course, cold (target directory removed before each run, 2 runs)"
  echo
  echo "| command | mean | ratio |"; echo "|---|---|---|"; ratios cold.json
  echo
  echo "## Full course, warm (everything built, $RUNS runs)"
  echo
  echo "| command | mean | ratio |"; echo "|---|---|---|"; ratios warm.json
  echo
  echo "## Full course, warm, one test process at a time ($RUNS runs)"
  echo
  echo "The $TESTS_N test processes themselves took $(python3 -c "print(f'{$TESTS_MS / 1000:.2f}')") s in all (memgrade's report, last run): the rest of each row is its runner's own cost."
  echo
  echo "| command | mean | ratio |"; echo "|---|---|---|"; ratios serial.json
  echo
  echo "## Nothing changed ($RUNS runs)"
  echo
  echo "| command | mean | ratio |"; echo "|---|---|---|"; ratios cached.json
  echo
  echo "## Edit to verdict: \`$FIRST\`'s lib.rs changed before each run ($RUNS runs)"
  echo
  echo "| command | mean | ratio |"; echo "|---|---|---|"; ratios edit.json
  echo
  echo "## Resources"
  echo
  echo "| figure | value |"; echo "|---|---|"
  echo "| memgrade check --no-cache, max RSS (warm, whole course) | $((RSS_KB / 1024)) MiB |"
  echo "| Box alloc + free, system allocator | $SYS_NS ns |"
  echo "| Box alloc + free, memprobe (in a measurement window) | $PROBE_NS ns |"
  echo "| memprobe overhead | $(python3 -c "print(f'{$PROBE_NS / $SYS_NS:.2f}×')") |"
  echo
  echo "Grade check: $GRADE_NOTE"
  echo
  echo "Notes: memgrade runs every test in its own process under limits (\`--no-cache\` regrades all); the cargo and nextest rows run each test binary once. Cold rows include compiling memprobe and every exercise; memgrade compiles with one \`cargo build --tests\`."
  if [ -n "$KEEP" ]; then echo; echo "$KEEP"; fi
} > "$OUT"
cat "$OUT"
