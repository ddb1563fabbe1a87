#!/usr/bin/env bash
# The cost of grading a class: `memgrade gradebook --roster` over a
# synthetic class of forks (local bare git repositories), with the class
# cache (results keyed by content, shared across forks) and without it
# (--no-reuse). Writes bench/CLASS.md, puts the same table in
# bench/RESULTS.md (between the `class benchmark` markers; bench/run.sh
# rewrites that file, so run this one after it) and prints the table.
#
# The class: STUBS untouched forks, SAME forks with one identical
# submission (the reference solution), DISTINCT forks each with its own
# submission (the solution plus a comment of its own). The official course
# is this course cut down to two exercises (join_words, borrow_not_clone);
# the forks change join_words only.
#
# Usage: bench/class.sh [STUBS SAME DISTINCT]   (default 10 10 10)
#   MEMGRADE_BIN=path  use this memgrade instead of building a release one
#   SANDBOX=none|bwrap (default: auto)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$HERE")"
STUBS="${1:-10}" SAME="${2:-10}" DISTINCT="${3:-10}"
WORK="$(mktemp -d /tmp/memgrade-class-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if [ -z "${MEMGRADE_BIN:-}" ]; then
  echo "building memgrade (release)" >&2
  cargo build --release --features instructor --manifest-path "$REPO/Cargo.toml" --bin memgrade -q
  MEMGRADE_BIN="$REPO/target/release/memgrade"
fi

# The official course: two exercises, with solutions.
C="$WORK/course"
mkdir -p "$C/exercises" "$C/solutions"
cp -r "$REPO/memprobe" "$C/"
rm -rf "$C/memprobe/target"
python3 - "$REPO/grader.toml" "$C/grader.toml" join_words borrow_not_clone <<'PY'
import sys
text = open(sys.argv[1]).read()
head, *blocks = text.split("\n[[exercises]]")
keep = [b for b in blocks if any(f'name = "{n}"' in b for n in sys.argv[3:])]
open(sys.argv[2], "w").write(head + "".join("\n[[exercises]]" + b for b in keep))
PY
for name in join_words borrow_not_clone; do
  dir=$(grep -A1 "name = \"$name\"" "$C/grader.toml" | sed -n 's/^dir = "\(.*\)"/\1/p')
  cp -r "$REPO/$dir" "$C/$dir"
  cp -r "$REPO/solutions/$(basename "$dir")" "$C/solutions/"
done
printf '[workspace]\nmembers = ["memprobe", "exercises/*"]\nresolver = "3"\n' > "$C/Cargo.toml"
cp "$REPO/Cargo.lock" "$C/"
LIB=exercises/01_join_words/src/lib.rs
SOL="$C/solutions/01_join_words/src/lib.rs"

git_() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@x \
  GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@x git "$@"; }

# fork NAME KIND (stub | same | distinct)
fork() {
  local w="$WORK/work/$1"
  mkdir -p "$w"
  cp -r "$C/memprobe" "$C/exercises" "$C/grader.toml" "$C/Cargo.toml" "$w/"
  case "$2" in
    same) cp "$SOL" "$w/$LIB" ;;
    distinct) { cat "$SOL"; echo "// $1's own version"; } > "$w/$LIB" ;;
  esac
  git_ -C "$w" init -q -b main && git_ -C "$w" add -A && git_ -C "$w" commit -q -m start
  git_ clone -q --bare "$w" "$WORK/remotes/$1.git"
  echo "$1,$WORK/remotes/$1.git" >> "$WORK/roster.csv"
}
echo "student_id,repo" > "$WORK/roster.csv"
i=0
for kind in stub same distinct; do
  case $kind in stub) n=$STUBS ;; same) n=$SAME ;; distinct) n=$DISTINCT ;; esac
  for _ in $(seq 1 "$n"); do i=$((i + 1)); fork "s$(printf %02d $i)" "$kind"; done
done
FORKS=$i

run() { # OUT [flags]
  local out="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$MEMGRADE_BIN" gradebook --roster "$WORK/roster.csv" --course "$C" --out "$WORK/$out" \
    --sandbox "${SANDBOX:-auto}" "$@" >/dev/null 2>"$WORK/$out.log" || [ $? -eq 1 ]
  t1=$(date +%s.%N)
  python3 - "$WORK/$out/gradebook.json" "$t0" "$t1" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
rows = b["students"]
graded = sum(1 for r in rows if r["cost"]["graded"])
print(f'{float(sys.argv[3]) - float(sys.argv[2]):.1f} {b["cost"]["graded"]} {b["cost"]["reused"]} {graded} {sum(r["status"] == "graded" for r in rows)}')
PY
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "class of $FORKS forks ($STUBS untouched, $SAME identical, $DISTINCT distinct); load average $load_before" >&2
read -r t_no g_no r_no f_no ok_no < <(run noreuse --no-reuse)
echo "no reuse: ${t_no}s, $g_no exercise gradings, $f_no grading processes" >&2
read -r t_re g_re r_re f_re ok_re < <(run reuse)
echo "reuse: ${t_re}s, $g_re exercise gradings ($r_re reused), $f_re grading processes" >&2
read -r t_again _ _ f_again _ < <(run reuse)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$ok_no" = "$FORKS" ] && [ "$ok_re" = "$FORKS" ] || { echo "some fork was not graded: see $WORK/*.log" >&2; exit 1; }

python3 - "$FORKS" "$STUBS" "$SAME" "$DISTINCT" "$t_no" "$g_no" "$f_no" "$t_re" "$g_re" "$r_re" "$f_re" "$t_again" "$f_again" "$load_before" "$load_after" "$(nproc)" "$("$MEMGRADE_BIN" --version)" "$(rustc --version)" > "$HERE/CLASS.md" <<'PY'
import sys
(forks, stubs, same, distinct, t_no, g_no, f_no, t_re, g_re, r_re, f_re, t_again, f_again,
 load0, load1, cores, mg, rustc) = sys.argv[1:]
forks, f_no, f_re = int(forks), int(f_no), int(f_re)
t_no, t_re, t_again = float(t_no), float(t_re), float(t_again)
print(f"Class of {forks} forks ({stubs} untouched, {same} identical, {distinct} distinct), "
      f"2 exercises; {cores} cores, load average {load0} before and {load1} after (1, 5, 15 min; the machine was shared); "
      f"{mg}, {rustc}.\n")
print("| run | wall time | exercise gradings built and run | reused | grading processes | per fork | per grading process |")
print("|---|---|---|---|---|---|---|")
print(f"| `--no-reuse` | {t_no:.1f} s | {g_no} | 0 | {f_no} | {t_no / forks:.1f} s | {t_no / max(f_no, 1):.1f} s |")
print(f"| class cache | {t_re:.1f} s | {g_re} | {r_re} | {f_re} | {t_re / forks:.1f} s | {t_re / max(f_re, 1):.1f} s |")
print(f"| re-run (resume) | {t_again:.1f} s | 0 | 0 | {f_again} | {t_again / forks:.2f} s | |")
print(f"\nSpeed-up of the class cache: {t_no / t_re:.2f}x ({forks} forks, {f_re} distinct fork submissions graded).")
PY
python3 - "$HERE/CLASS.md" "$HERE/RESULTS.md" <<'PY'
import os, sys
table = open(sys.argv[1]).read()
begin, end = "<!-- class benchmark (bench/class.sh) -->", "<!-- end of class benchmark -->"
text = open(sys.argv[2]).read() if os.path.exists(sys.argv[2]) else ""
section = f"{begin}\n## Grading a class (bench/class.sh)\n\n{table}{end}\n"
if begin in text and end in text:
    text = text[: text.index(begin)] + section + text[text.index(end) + len(end) + 1 :]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(sys.argv[2], "w").write(text)
PY
cat "$HERE/CLASS.md"
