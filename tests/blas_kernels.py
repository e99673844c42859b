"""Run a snippet under several OpenBLAS kernels: a learner's CPU and the grader's may get different ones."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

KERNELS = ("", "Prescott", "Sandybridge")
"""Values of OPENBLAS_CORETYPE ("" is the machine's own kernel); all of them run on any x86-64 CPU."""

_KERNEL = """
from threadpoolctl import threadpool_info
print(sorted(str(i.get("architecture")) for i in threadpool_info() if i["internal_api"] == "openblas"))
"""


def outputs_under_kernels(code: str) -> dict[str, str]:
    """What ``code`` prints in a fresh Python under each of :data:`KERNELS`, by kernel.

    Skips the test where OPENBLAS_CORETYPE changes nothing (not x86-64, or an OpenBLAS built for one CPU).
    """
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    runs, kernels = {}, set()
    for kernel in KERNELS:
        out = subprocess.run([sys.executable, "-c", code + _KERNEL], capture_output=True, text=True, check=True,
                             env={**env, "OPENBLAS_CORETYPE": kernel} if kernel else env).stdout
        *lines, used = out.splitlines()
        runs[kernel or "default"] = "\n".join(lines)
        kernels.add(used)
    if len(kernels) < 2:
        pytest.skip(f"OPENBLAS_CORETYPE does not change the BLAS kernel here ({kernels})")
    return runs
