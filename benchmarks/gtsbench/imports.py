"""Import time of a fresh interpreter, against ``import pydantic`` alone."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Iterator

from gtsbench.core import Budget, Row, ratio_row

__all__ = ["rows"]


def _cumulative_ms(module: str) -> float:
    """``-X importtime``'s cumulative time of ``module``, in a fresh interpreter."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1]) / 1000
    return 0.0


def rows(budget: Budget) -> Iterator[Row]:
    runs = 1 if budget.quick else 7
    ours = statistics.median(_cumulative_ms("gittarget_status") for _ in range(runs))
    pydantic = statistics.median(_cumulative_ms("pydantic") for _ in range(runs))
    yield ratio_row(
        "import gittarget_status (-X importtime, cumulative)",
        ours,
        "import pydantic alone",
        pydantic,
        2,
        unit="ms",
        note="median of fresh interpreters; pydantic, and what the package imports, included",
    )
