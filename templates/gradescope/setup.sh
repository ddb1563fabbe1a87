#!/usr/bin/env bash
# Gradescope runs this once, as root on its Ubuntu image, when it builds the
# autograder: it installs bubblewrap and Rust (through rustup) when missing,
# then builds memgrade once from the course shipped in this zip (the
# instructor build: run_autograder grades for the record and writes
# Gradescope's results.json) and puts it on PATH. Written by `memgrade gradescope-package`.
#
# MEMGRADE_AUTOGRADER_ROOT: the base directory (default /autograder).
# MEMGRADE_SKIP_RUSTUP=1: do not install Rust (use the cargo on PATH).
set -euo pipefail
base="${MEMGRADE_AUTOGRADER_ROOT:-/autograder}"
course="$base/source/course"

if ! command -v bwrap >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends bubblewrap build-essential curl ca-certificates
fi
export PATH="$HOME/.cargo/bin:$PATH"
if [ "${MEMGRADE_SKIP_RUSTUP:-}" != 1 ] && ! command -v cargo >/dev/null 2>&1; then
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
    sh -s -- -y --profile minimal --default-toolchain stable
fi
cargo build --release --locked --features instructor --manifest-path "$course/Cargo.toml"
install -m 0755 "$course/target/release/memgrade" /usr/local/bin/memgrade
memgrade --version
# Prove the grade of record works on this image, sandbox included (bubblewrap,
# else Landlock + seccomp): grade the course's first exercise as shipped.
# Where neither sandbox can start, the autograder fails to build here, with
# memgrade's reason, instead of grading submissions unconfined.
first="$(sed -n 's/^name = "\(.*\)"$/\1/p' "$course/grader.toml" | head -n 1)"
probe="$(mktemp -d)"
mkdir -p "$probe/fork"
cp "$course/grader.toml" "$probe/fork/"
cp -r "$course/exercises" "$probe/fork/"
if ! (cd "$probe" && memgrade check --ci --exit-zero --root "$probe/fork" --course "$course" \
  --sandbox "${MEMGRADE_SANDBOX:-auto}" --format json "$first" >"$probe/grade.json"); then
  echo "memgrade cannot grade for the record on this image (see above); the autograder is not usable" >&2
  exit 1
fi
grep -o '"sandbox": *"[^"]*"' "$probe/grade.json" | head -n 1
rm -rf "$probe"
