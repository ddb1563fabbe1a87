#!/usr/bin/env python3
"""Classroom 50 autograder for a memgrade course.

Classroom 50's runner starts this script in the student's checkout (the
repository made from `memgrade template`, which carries memgrade's own
source) with the submission's context in the environment (CLASSROOM,
ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, REVIEW_URL, OWNER or
USERNAME, ASSIGNMENT_TYPE), and reads result.json there when it exits 0.

It runs `memgrade check --ci --exit-zero --format classroom50`, which writes
result.json (classroom50/result/v1): unfinished exercises are a score, not a
failure. When memgrade itself fails (exit 2 or more: a missing variable, a
broken checkout), no result.json is left, so the runner records an error
rather than a zero.

Publish it as the assignment's autograder.py (or the classroom's default).
MEMGRADE: a memgrade executable to use instead of building the one the
checkout carries (`cargo run --profile grader --features instructor`).
"""

import os
import subprocess
import sys

CHECK = [
    "check",
    "--ci",
    "--exit-zero",
    "--format",
    "classroom50",
    "--output",
    "classroom50=result.json",
]


def main() -> int:
    memgrade = os.environ.get("MEMGRADE", "").strip()
    if memgrade:
        command = [memgrade, *CHECK]
    else:
        command = [
            "cargo", "run", "--quiet", "--locked", "--profile", "grader",
            "--features", "instructor", "--", *CHECK,
        ]
    try:
        code = subprocess.run(command, check=False).returncode
    except OSError as error:
        print(f"autograder: cannot run {command[0]}: {error}", file=sys.stderr)
        code = 127
    if code != 0:
        try:
            os.remove("result.json")
        except FileNotFoundError:
            pass
        print(f"autograder: memgrade could not grade this submission (exit {code})", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
