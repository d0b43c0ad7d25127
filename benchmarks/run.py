#!/usr/bin/env python3
"""Benchmarks of gittarget-status against the code people write or use instead.

Run from a checkout with the ``bench`` extra installed::

    pip install -e ".[bench]" && python benchmarks/run.py

Everything is measured in one process, side by side, and printed as one table of medians
and ratios with the target of each row. ``--quick`` runs tiny iteration counts (the test
suite uses it to prove the script works; its numbers mean nothing). ``--json FILE`` also
writes the rows as JSON. Missing comparison packages (``kubernetes``,
``kubernetes_asyncio``) skip their rows instead of failing.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from gittarget_status import (
    Condition,
    GitTargetSpec,
    GitTargetStatus,
    ReconcileOutcome,
    gittarget_pipeline,
    reconcile_gittarget,
    set_condition,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

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
    """Median over ``repeat`` runs of the mean time of one call, in microseconds."""
    fn()  # warm caches (pydantic validators, the pipeline cache) before timing
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


# ----------------------------------------------------------------------------- fixtures

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


def hand_written_upsert(conditions: list[JSON], new: JSON, now: str) -> bool:
    """What a kopf user writes today: upsert by type, move LTT on a status change only."""
    for existing in conditions:
        if existing["type"] == new["type"]:
            status_moved = existing["status"] != new["status"]
            changed = status_moved or (
                existing["reason"],
                existing["message"],
                existing.get("observedGeneration"),
            ) != (new["reason"], new["message"], new.get("observedGeneration"))
            if changed:
                existing.update(new)
                if status_moved:
                    existing["lastTransitionTime"] = now
            return changed
    conditions.append({**new, "lastTransitionTime": now})
    return True


def optional_patch() -> StatusPatch | None:
    """``gittarget_status.patch.status_patch`` where this version of the library has it."""
    try:
        module = importlib.import_module("gittarget_status.patch")
    except ImportError:
        return None
    status_patch: StatusPatch = module.status_patch
    return status_patch


# ----------------------------------------------------------------------------- benchmarks


def bench_set_condition(budget: Budget) -> Iterator[Row]:
    status = steady_status()
    assert len(status.conditions) == 7
    existing = status.conditions[2]
    same = Condition(
        type=existing.type,
        status=existing.status,
        reason=existing.reason,
        message=existing.message,
        observed_generation=existing.observed_generation,
    )
    as_dicts = [c.to_k8s() for c in status.conditions]
    new_dict = {k: v for k, v in as_dicts[2].items() if k != "lastTransitionTime"}
    now, now_text = DEMO_EPOCH, "2026-01-01T12:00:00Z"
    n = budget.n(200_000)
    ours = median_us(lambda: set_condition(status, same, now=now), n, budget.repeat)
    base = median_us(lambda: hand_written_upsert(as_dicts, new_dict, now_text), n, budget.repeat)
    yield Row(
        "set_condition, 7 conditions, unchanged (steady state)",
        ours,
        "hand-written dict upsert",
        base,
        "≤ 2x",
        ours <= 2 * base,
    )

    changed = same.model_copy(update={"message": "a new message"})
    changed_dict = {**new_dict, "message": "a new message"}

    def ours_changed() -> None:
        set_condition(list(status.conditions), changed, now=now)

    def base_changed() -> None:
        hand_written_upsert([dict(c) for c in as_dicts], changed_dict, now_text)

    copies = median_us(lambda: list(status.conditions), n, budget.repeat)
    dict_copies = median_us(lambda: [dict(c) for c in as_dicts], n, budget.repeat)
    yield Row(
        "set_condition, 7 conditions, message changed",
        median_us(ours_changed, n, budget.repeat) - copies,
        "hand-written dict upsert",
        median_us(base_changed, n, budget.repeat) - dict_copies,
        "(info)",
        note="validated immutable copy vs in-place dict edit",
    )
    build = median_us(
        lambda: Condition(type="Bootstrapped", status=True, reason="BootstrapApplied"),
        budget.n(50_000),
        budget.repeat,
    )
    yield Row(
        "Condition(...) construction (validated)",
        build,
        "dict literal",
        median_us(
            lambda: {"type": "Bootstrapped", "status": "True", "reason": "BootstrapApplied"},
            n,
            budget.repeat,
        ),
        "(info)",
    )


def bench_parse(budget: Budget) -> Iterator[Row]:
    data = steady_status().to_k8s()
    conditions = data["conditions"]
    n = budget.n(5_000)
    ours = median_us(lambda: GitTargetStatus.from_k8s(data), n, budget.repeat)
    yield Row(
        "parse + validate a whole status (7 conditions + details)",
        ours,
        "",
        None,
        "(info)",
    )
    try:
        from kubernetes.client import ApiClient, V1Condition
    except ImportError:
        yield Row("parse vs kubernetes (official client)", None, note="pip install kubernetes")
    else:
        client = ApiClient()
        official = median_us(
            lambda: [V1Condition.from_dict(c) for c in conditions], n, budget.repeat
        )
        yield Row(
            "parse status vs kubernetes v37 V1Condition list",
            ours,
            "kubernetes V1Condition.from_dict x7",
            official,
            "≤ 1.5x",
            ours <= 1.5 * official,
            note="we parse and validate the whole status; they type the conditions only",
        )
        one = conditions[0]
        ours_one = median_us(lambda: Condition.from_k8s(one), budget.n(20_000), budget.repeat)
        theirs_one = median_us(lambda: V1Condition.from_dict(one), budget.n(20_000), budget.repeat)
        yield Row(
            "parse one condition",
            ours_one,
            "kubernetes V1Condition.from_dict",
            theirs_one,
            "(info)",
            note="like for like",
        )
        text = json.dumps(conditions)
        yield Row(
            "parse condition list from JSON text",
            median_us(lambda: [Condition.from_k8s(c) for c in json.loads(text)], n, budget.repeat),
            "kubernetes ApiClient.deserialize",
            median_us(
                lambda: client.deserialize(text, "List[V1Condition]", "application/json"),
                n,
                budget.repeat,
            ),
            "(info)",
        )
    try:
        import asyncio

        from kubernetes_asyncio.client import ApiClient as AsyncApiClient
    except ImportError:
        yield Row("parse vs kubernetes_asyncio", None, note="pip install kubernetes_asyncio")
    else:

        async def generated() -> float:
            async with AsyncApiClient() as client:
                deserialize = client._ApiClient__deserialize
                return median_us(
                    lambda: deserialize(conditions, "list[V1Condition]"), n, budget.repeat
                )

        theirs = asyncio.run(generated())
        yield Row(
            "parse status vs kubernetes_asyncio generated classes",
            ours,
            "kubernetes_asyncio ApiClient deserialize x7",
            theirs,
            "≥ 10x faster (ratio ≤ 0.1)",
            ours * 10 <= theirs,
            note="we parse and validate the whole status; they the conditions only",
        )


def bench_pass(budget: Budget, patch: StatusPatch | None) -> Iterator[Row]:
    spec, world = demo_spec(), FakeGitTargetWorld()
    status = steady_status()
    later = DEMO_EPOCH + timedelta(minutes=5)
    outcome = reconcile_gittarget(spec, status, world, generation=1, now=later)
    assert not outcome.changed
    n = budget.n(5_000)

    def full_pass() -> None:
        result = reconcile_gittarget(spec, status, world, generation=1, now=later)
        if patch is not None:
            patch(status, result.status)

    what = "6 gates, Ready, phase, Reconciling/Stalled" + (", status_patch" if patch else "")
    per_pass = median_us(full_pass, n, budget.repeat)
    yield Row(
        "full lifecycle pass, unchanged world",
        per_pass,
        "",
        None,
        "< 50 µs",
        per_pass < 50,
        note=what,
    )
    if patch is not None:
        bare = median_us(
            lambda: reconcile_gittarget(spec, status, world, generation=1, now=later),
            n,
            budget.repeat,
        )
        yield Row(
            "lifecycle pass without status_patch",
            bare,
            "",
            None,
            "(info)",
            note="status_patch is only needed when outcome.changed",
        )
    data = status.to_k8s()
    yield Row(
        "pass from API JSON (parse + pass)",
        median_us(
            lambda: reconcile_gittarget(spec, data, world, generation=1, now=later),
            n,
            budget.repeat,
        ),
        "",
        None,
        "(info)",
    )


def bench_resync(budget: Budget) -> Iterator[Row]:
    count = budget.n(10_000)
    world = FakeGitTargetWorld()
    base = demo_spec()
    specs = [base.model_copy(update={"path": f"clusters/c{i}"}) for i in range(count)]
    statuses = [steady_status(spec) for spec in specs]
    documents = [s.to_k8s() for s in statuses]
    now = DEMO_EPOCH + timedelta(minutes=5)

    def resync(inputs: list[Any]) -> tuple[float, int]:
        gc.collect()
        start = time.process_time()
        writes = 0
        for spec, status in zip(specs, inputs, strict=True):
            writes += reconcile_gittarget(spec, status, world, generation=1, now=now).changed
        return time.process_time() - start, writes

    typed, writes = resync(statuses)
    scale = 10_000 / count
    yield Row(
        "10,000-object resync, CPU (typed statuses)",
        typed * scale,
        "",
        None,
        "< 0.5 s",
        typed * scale < 0.5,
        unit="s",
        note=f"{writes} writes" + ("" if count == 10_000 else f"; {count} objects, scaled"),
    )
    from_json, _ = resync(documents)
    yield Row(
        "10,000-object resync, CPU (from API JSON)",
        from_json * scale,
        "",
        None,
        "(info)",
        unit="s",
        note="what an informer cache of dicts costs",
    )


def bench_steady_state(budget: Budget, patch: StatusPatch | None) -> Iterator[Row]:
    passes = 1_000 if not budget.quick else 50
    spec, world = demo_spec(), FakeGitTargetWorld()
    stored: JSON = steady_status().to_k8s()  # what the API server holds
    writes = ltt_changes = patches = 0
    pipeline = gittarget_pipeline()
    for i in range(passes):
        now = DEMO_EPOCH + timedelta(minutes=5, seconds=30 * i)
        outcome: ReconcileOutcome[GitTargetStatus] = reconcile_gittarget(
            spec, stored, world, generation=1, now=now, pipeline=pipeline
        )
        if patch is not None and patch(stored, outcome.status) is not None:
            patches += 1
        if outcome.changed:
            writes += 1
            new = outcome.status.to_k8s()
            before = {c["type"]: c["lastTransitionTime"] for c in stored["conditions"]}
            ltt_changes += sum(
                before.get(c["type"]) != c["lastTransitionTime"] for c in new["conditions"]
            )
            stored = new
    note = f"{passes} passes, clock advancing 30 s a pass"
    if patch is not None:
        note += f"; status_patch bodies: {patches}"
    yield Row("status writes, unchanged passes", writes, target="0", met=writes == 0, unit="")
    yield Row(
        "lastTransitionTime changes, unchanged passes",
        ltt_changes,
        target="0",
        met=ltt_changes == 0,
        unit="",
        note=note,
    )


def bench_memory(budget: Budget) -> Iterator[Row]:
    count = budget.n(2_000)
    template = steady_status().to_k8s()
    documents = [
        json.loads(json.dumps(template).replace("clusters/prod", f"p{i}")) for i in range(count)
    ]

    def per_object(build: Callable[[JSON], object]) -> float:
        gc.collect()
        tracemalloc.start()
        start = tracemalloc.take_snapshot()
        kept = [build(d) for d in documents]
        end = tracemalloc.take_snapshot()
        tracemalloc.stop()
        size = sum(stat.size_diff for stat in end.compare_to(start, "filename"))
        del kept
        return size / count / 1024

    ours = per_object(GitTargetStatus.from_k8s)
    raw = per_object(lambda d: json.loads(json.dumps(d)))
    yield Row(
        "memory per status object (7 conditions + details)",
        ours,
        "the same status as plain JSON dicts",
        raw,
        "(info)",
        unit="KiB",
    )
    try:
        from kubernetes.client import V1Condition
    except ImportError:
        return
    theirs = per_object(lambda d: [V1Condition.from_dict(c) for c in d["conditions"]])
    yield Row(
        "memory per condition list (7)",
        per_object(lambda d: [Condition.from_k8s(c) for c in d["conditions"]]),
        "kubernetes V1Condition x7 (conditions only)",
        theirs,
        "(info)",
        unit="KiB",
    )


def _fresh(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def bench_import(budget: Budget) -> Iterator[Row]:
    runs = 1 if budget.quick else 7
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import gittarget_status"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    cumulative = 0
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == "gittarget_status":
            cumulative = int(parts[1])
    interpreter = statistics.median(_fresh("pass") for _ in range(runs))
    with_package = statistics.median(_fresh("import gittarget_status") for _ in range(runs))
    yield Row(
        "import gittarget_status (-X importtime, cumulative)",
        cumulative / 1000,
        "",
        None,
        "(info)",
        unit="ms",
        note="pydantic, dateutil and yaml included",
    )
    yield Row(
        "fresh interpreter + import, minus bare interpreter",
        (with_package - interpreter) * 1000,
        "bare interpreter",
        interpreter * 1000,
        "(info)",
        unit="ms",
    )


# ----------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "platform": platform.platform(),
    }


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "":
        return f"{value:.0f}"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def render(rows: list[Row]) -> str:
    header = ["benchmark", "ours", "baseline", "baseline time", "ratio", "target", "met"]
    table = [header]
    for r in rows:
        verdict = {True: "yes", False: "NO", None: ""}[r.met]
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        table.append(
            [
                r.name,
                _fmt(r.ours, r.unit),
                r.baseline_name,
                _fmt(r.baseline, r.unit) if r.baseline is not None else "",
                ratio,
                r.target,
                verdict,
            ]
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  - {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join([*lines, "", "notes:", *notes])


def render_markdown(rows: list[Row], info: dict[str, str]) -> str:
    """The table for docs/performance.md."""
    lines = [
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['python']}, {info['platform']}.",
        "",
        "| Benchmark | Ours | Baseline | Baseline time | Ratio | Target | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        verdict = {True: "yes", False: "**no**", None: ""}[r.met]
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        baseline = _fmt(r.baseline, r.unit) if r.baseline is not None else ""
        cells = [r.name, _fmt(r.ours, r.unit), r.baseline_name, baseline, ratio, r.target, verdict]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts (smoke test)")
    parser.add_argument("--json", type=Path, help="also write the rows and machine as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown")
    args = parser.parse_args(argv)
    budget = Budget(quick=args.quick)
    patch = optional_patch()
    suites: list[Callable[[], Iterator[Row]]] = [
        lambda: bench_set_condition(budget),
        lambda: bench_parse(budget),
        lambda: bench_pass(budget, patch),
        lambda: bench_resync(budget),
        lambda: bench_steady_state(budget, patch),
        lambda: bench_memory(budget),
        lambda: bench_import(budget),
    ]
    rows: list[Row] = []
    info = machine()
    print(" | ".join(f"{k}: {v}" for k, v in info.items()), flush=True)
    for suite in suites:
        rows.extend(suite())
    print(render(rows))
    if args.markdown:
        args.markdown.write_text(render_markdown(rows, info), encoding="utf-8")
    if args.json:
        payload = {"machine": info, "quick": args.quick, "rows": [asdict(r) for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
