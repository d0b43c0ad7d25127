"""Import time of a fresh interpreter, against ``import pydantic`` alone."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from functools import cache

from gtsbench.core import Budget, Row, ratio_row

__all__ = ["rows"]


@cache
def _startup() -> frozenset[str]:
    """What a bare interpreter imports before running any code (measured once)."""
    return frozenset(_top_level("pass"))


def _top_level(code: str) -> dict[str, int]:
    """The top-level imports ``code`` makes in a fresh interpreter, with their cumulative
    ``-X importtime`` (microseconds; a module's children are inside its time)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    found: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            found[parts[2].strip()] = int(parts[1])
    return found


def _cumulative_ms(code: str) -> float:
    """What ``code`` adds to a bare interpreter's start-up imports, in milliseconds."""
    startup = _startup()
    return sum(t for name, t in _top_level(code).items() if name not in startup) / 1000


def rows(budget: Budget) -> Iterator[Row]:
    runs = 1 if budget.quick else 7

    def median(code: str) -> float:
        return statistics.median(_cumulative_ms(code) for _ in range(runs))

    pydantic = median("import pydantic")
    yield ratio_row(
        "import gittarget_status (-X importtime, cumulative)",
        median("import gittarget_status"),
        "import pydantic alone",
        pydantic,
        2,
        unit="ms",
        note="names are imported on first use (PEP 562): this is the package alone",
    )
    yield Row(
        "import + first use (gittarget_status.reconcile_gittarget)",
        median("import gittarget_status; gittarget_status.reconcile_gittarget"),
        "import pydantic; pydantic.BaseModel",
        median("import pydantic; pydantic.BaseModel"),
        "(info)",
        unit="ms",
        note="what a controller pays once: the models, their validators, the pipeline",
    )
