#!/usr/bin/env bash
# PrairieLearn external grader entrypoint for one exercise of a memgrade
# course. PrairieLearn mounts the grading job at /grade: the submitted files
# in /grade/student, the question's serverFilesCourse in
# /grade/serverFilesCourse; it reads /grade/results/results.json when this
# script ends (https://prairielearn.readthedocs.io/en/latest/externalGrading/).
#
# In the question's info.json, externalGradingOptions:
#   "image": an image with Rust, git, bubblewrap and memgrade (`cargo install
#            --locked --features instructor --path <course>`)
#   "serverFilesCourse": ["memgrade/"], where serverFilesCourse/memgrade holds
#            this script and course/ (the output of `memgrade template`)
#   "entrypoint": "/grade/serverFilesCourse/memgrade/run.sh"
#   "environment": {"MEMGRADE_EXERCISE": "01_join_words"}
#   "timeout": 600 (building the exercise takes a while)
#
# The student submits the exercise's src/*.rs (lib.rs, say). Only regular
# *.rs files directly in /grade/student are taken; everything else comes from
# the official course. With none, the exercise is graded with its starting
# code (0 points). The score is the exercise's points over its maximum.
#
# MEMGRADE_EXERCISE: the exercise's directory name (required).
# MEMGRADE_SANDBOX: auto (the default: bubblewrap, else Landlock plus
#   seccomp, else an error), bwrap, landlock, or none (no sandbox: set it
#   only when the image can run neither and you accept that).
# MEMGRADE: the memgrade executable (default: memgrade on PATH).
# MEMGRADE_COURSE: the course (default /grade/serverFilesCourse/memgrade/course).
# MEMGRADE_PL_ROOT: the job directory (default /grade), for a trial run.
set -uo pipefail
root="${MEMGRADE_PL_ROOT:-/grade}"
course="${MEMGRADE_COURSE:-$root/serverFilesCourse/memgrade/course}"
memgrade="${MEMGRADE:-memgrade}"
exercise="${MEMGRADE_EXERCISE:-}"
if [ -z "$exercise" ] || [ ! -d "$course/exercises/$exercise/src" ]; then
  echo "memgrade: MEMGRADE_EXERCISE must name an exercise directory of $course/exercises (got '$exercise')" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/memgrade-pl.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$course/grader.toml" "$work/grader.toml"
src="$work/exercises/$exercise/src"
mkdir -p "$src"
submitted="$(find "$root/student" -maxdepth 1 -type f -name '*.rs' 2>/dev/null | wc -l)"
if [ "$submitted" -gt 0 ]; then
  find "$root/student" -maxdepth 1 -type f -name '*.rs' -exec cp {} "$src/" \;
else
  echo "memgrade: no .rs file submitted: grading the starting code" >&2
  find "$course/exercises/$exercise/src" -maxdepth 1 -type f -name '*.rs' -exec cp {} "$src/" \;
fi

mkdir -p "$root/results"
"$memgrade" check --ci --exit-zero --root "$work" --course "$course" \
  --sandbox "${MEMGRADE_SANDBOX:-auto}" \
  --format prairielearn --output "prairielearn=$root/results/results.json" -- "$exercise"
status=$?
if [ "$status" -ne 0 ]; then
  # memgrade itself failed (not the student's code): no score is claimed,
  # so PrairieLearn reports a grading failure instead of a zero.
  echo "memgrade could not grade this submission (exit $status)" >&2
  rm -f "$root/results/results.json"
fi
exit "$status"
