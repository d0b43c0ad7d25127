"""What every measure shares: the result row, the iteration budget, timing, the fixtures."""

from __future__ import annotations

import importlib
import os
import platform
import statistics
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gittarget_status import GitTargetSpec, GitTargetStatus, reconcile_gittarget
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

__all__ = [
    "FOREIGN",
    "JSON",
    "Budget",
    "Row",
    "StatusPatch",
    "machine",
    "median_us",
    "optional_patch",
    "paired_us",
    "ratio_row",
    "steady_status",
]

JSON = dict[str, Any]
StatusPatch = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Row:
    """One line of the results table (times in microseconds unless ``unit`` says so)."""

    name: str
    ours: float | None
    baseline_name: str = ""
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    unit: str = "µs"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline


def ratio_row(
    name: str,
    ours: float,
    baseline_name: str,
    baseline: float,
    limit: float,
    *,
    unit: str = "µs",
    note: str = "",
) -> Row:
    """A row whose target is ``ours <= limit x baseline`` (the ratio in the same run)."""
    return Row(
        name,
        ours,
        baseline_name,
        baseline,
        f"≤ {limit:g}x",
        ours <= limit * baseline,
        unit=unit,
        note=note,
    )


@dataclass(frozen=True)
class Budget:
    """Iteration counts; ``quick`` divides them so the whole run takes a second or two."""

    quick: bool

    def n(self, full: int) -> int:
        return max(1, full // 200) if self.quick else full

    @property
    def repeat(self) -> int:
        return 3 if self.quick else 7


def median_us(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Median over ``repeat`` runs of the mean CPU time of one call, in microseconds.

    CPU time of this process, not wall time: the machines are shared, and another
    process's load must not count as ours (or as the baseline's).
    """
    fn()  # warm caches (pydantic validators, the pipeline cache) before timing
    runs = timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)
    return statistics.median(runs) / number * 1e6


def paired_us(
    ours: Callable[[], object], baseline: Callable[[], object], number: int, repeat: int
) -> tuple[float, float]:
    """``median_us`` of both sides, their repeats alternating (ours, baseline, ours, ...).

    A ratio row times both sides this way: the VM's speed drifts by up to 2x within
    minutes, and timing one side's repeats after the other's puts that drift into the
    ratio. Alternating, a slow minute slows both sides.
    """
    ours()
    baseline()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeat):
        mine.append(timeit.timeit(ours, number=number, timer=time.process_time))
        theirs.append(timeit.timeit(baseline, number=number, timer=time.process_time))
    return statistics.median(mine) / number * 1e6, statistics.median(theirs) / number * 1e6


#: A condition another controller wrote into the same status.
FOREIGN = {
    "type": "example.com/Audited",
    "status": "True",
    "reason": "AuditPassed",
    "message": "written by another controller",
    "lastTransitionTime": "2026-01-01T11:00:00Z",
}


def steady_status(spec: GitTargetSpec | None = None) -> GitTargetStatus:
    """A RUNNING GitTarget's status: 5 gates, Ready and one foreign condition (7)."""
    world = FakeGitTargetWorld()
    outcome = reconcile_gittarget(spec or demo_spec(), None, world, generation=1, now=DEMO_EPOCH)
    data = outcome.status.to_k8s()
    data["conditions"].append(dict(FOREIGN))
    return GitTargetStatus.from_k8s(data)


def optional_patch() -> StatusPatch | None:
    """``gittarget_status.patch.status_patch`` where this version of the library has it."""
    try:
        module = importlib.import_module("gittarget_status.patch")
    except ImportError:
        return None
    status_patch: StatusPatch = module.status_patch
    return status_patch


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "platform": platform.platform(),
        "load": f"{load:.1f}",
    }
