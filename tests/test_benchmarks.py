"""The benchmark scripts work (tiny iteration counts; their timings are not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_quick(script: str, *args: str) -> str:
    """``benchmarks/<script> --quick *args``: its stdout, once it exited 0."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_benchmark_script_runs_and_reports_zero_steady_state_writes(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    stdout = _run_quick("run.py", "--json", str(out))
    assert "set_condition" in stdout
    assert "ratio" in stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["name"]: row for row in report["rows"]}
    assert report["quick"] is True
    assert report["machine"]["python"]
    # Correctness, not speed: the steady state never writes, whatever the machine.
    assert rows["status writes, unchanged passes"]["ours"] == 0
    assert rows["lastTransitionTime changes, unchanged passes"]["ours"] == 0
    assert rows["full lifecycle pass, unchanged world"]["ours"] > 0


def test_native_schema_experiment_builds_the_same_status() -> None:
    """The experiment behind docs/performance.md still runs and still builds, through
    pydantic-core alone, a status equal to ``from_k8s``'s (it asserts so itself)."""
    assert "native + bookkeeping" in _run_quick("native_schema.py")


def test_ratio_rows_alternate_the_two_sides() -> None:
    """A ratio row's repeats alternate (ours, baseline, ours, ...), after one warm-up call
    each, so the VM's drift within a run slows both sides alike."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gtsbench.core import paired_us

    calls: list[str] = []
    ours, theirs = paired_us(lambda: calls.append("a"), lambda: calls.append("b"), 2, 3)
    assert "".join(calls) == "ab" + "aabb" * 3
    assert ours >= 0 and theirs >= 0
