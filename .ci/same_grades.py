"""Grades must not depend on the CPU's BLAS kernel (run by .ci/blas-kernels).

A learner's machine and the grader's may get different OpenBLAS kernels. This computes every
solution's answers for the suite's seeds under the machine's own kernel and under each
OPENBLAS_CORETYPE named, then grades each set of answers against the other's references (the
grader's own hidden checks and accepted answers): a learner who follows the solution on one
kernel must get full marks from a grader on another. It is the cross-kernel case that grading
the answer variants under each kernel never meets, at a fifth of that cost (one solution run per
part and seed, instead of one per variant notebook).

Usage: .venv/bin/python .ci/same_grades.py Haswell Sandybridge Prescott
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def answers() -> dict:
    """'part/seed' -> the solution's plain answers, for every authored part and the suite's seeds."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import SEEDS

    from aipm_lab.course.authoring import authored_parts
    from aipm_lab.grading.sweep import sweep

    results = sweep([p.number for p in authored_parts(ROOT)], list(SEEDS), workers=2, base=ROOT)
    failed = {r.part: r.failures for r in results if r.failures}
    if failed:
        sys.exit(f"solutions failed: {failed}")
    return {f"{r.part}/{seed}": a for r in results for seed, a in r.references.items()}


def lost_points(answers: dict, references: dict) -> list[str]:
    """Every question that ``answers`` do not get full marks on against ``references``."""
    from aipm_lab.course.authoring import solution_spec
    from aipm_lab.grading.grader import judge

    out = []
    for key, reference in references.items():
        part, seed = key.split("/")
        spec = solution_spec(part, ROOT)[1]
        for q in judge(spec, answers[key], reference, []):
            if q.score < q.max_score and not spec.questions[q.id].written:  # written ones: a person grades them
                out.append(f"part {part} seed {seed} {q.id}: {q.message}")
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["--dump"]:
        Path(argv[1]).write_text(json.dumps(answers()))
        return 0
    start = time.perf_counter()
    own, problems = json.loads(json.dumps(answers())), []  # as the other kernels' answers arrive
    print(f"answers under this machine's kernel: {time.perf_counter() - start:.0f} s", flush=True)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    with tempfile.TemporaryDirectory() as tmp:
        for kernel in argv:
            t, path = time.perf_counter(), Path(tmp) / f"{kernel}.json"
            subprocess.run([sys.executable, __file__, "--dump", str(path)], check=True,
                           env={**env, "OPENBLAS_CORETYPE": kernel})
            theirs = json.loads(path.read_text())
            found = ([f"{kernel} learner, this grader: {p}" for p in lost_points(theirs, own)]
                     + [f"this learner, {kernel} grader: {p}" for p in lost_points(own, theirs)])
            print(f"answers under {kernel}: {time.perf_counter() - t:.0f} s, {len(found)} questions lose points",
                  flush=True)
            problems += found
    print("\n".join(problems) or "every answer scores full marks across kernels")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
