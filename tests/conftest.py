"""Shared fixtures and hypothesis profiles (HYPOTHESIS_PROFILE=ci for the thorough run).

The pytest plugin this package ships (``gittarget_status.testing.pytest_plugin``, loaded
through its ``pytest11`` entry point) provides ``gts_clock``, ``fake_world``,
``async_fake_world`` and ``gts_spec``; the suite uses them as any user would.

At the end of a run, a "fuzzing effort" section reports how many examples hypothesis
tried per property test (from the statistics hypothesis collects for every test), beside
the real-server and oracle tallies. Under pytest-xdist (the README's ``-n auto``) each
worker hands its tallies to the controller, which adds them up before printing.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, settings

from kube import _tally as status_writes
from oracle._oracle import TALLY as ORACLE_TALLY

pytest_plugins = ("pytester",)

#: default: the README's run. ci: the thorough one (CI's README command). quick: the
#: other Pythons in CI and the coverage run, which check that the same code paths work
#: (coverage measured at 10 examples equals coverage at 50) rather than fuzz again.
settings.register_profile("default", max_examples=50, deadline=None)
settings.register_profile("quick", max_examples=10, deadline=None)
settings.register_profile(
    "ci",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_PHASE = re.compile(
    r"during (\w+) phase \(([\d.]+) seconds\):.*?(\d+) passing, (\d+) failing, "
    r"and (\d+) invalid",
    flags=re.DOTALL,
)


@dataclass(frozen=True)
class _Effort:
    nodeid: str
    examples: int
    invalid: int
    seconds: float


_EFFORT: list[_Effort] = []


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Record the examples hypothesis ran for this test (statistics it always collects)."""
    described = getattr(item, "hypothesis_statistics", None)
    if not isinstance(described, str):
        return
    examples = invalid = 0
    seconds = 0.0
    for _, duration, passing, failing, rejected in _PHASE.findall(described):
        examples += int(passing) + int(failing)
        invalid += int(rejected)
        seconds += float(duration)
    _EFFORT.append(_Effort(item.nodeid, examples, invalid, seconds))


#: Seconds spent in tests on the real API server (setup, call, teardown), and their count.
_REAL_SERVER: dict[str, float] = {}
_ALL_TESTS: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _SKIPPED.append(report.nodeid)
    _ALL_TESTS[report.nodeid] = _ALL_TESTS.get(report.nodeid, 0.0) + report.duration
    if "real_server" in report.keywords:
        _REAL_SERVER[report.nodeid] = _REAL_SERVER.get(report.nodeid, 0.0) + report.duration


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the session's control plane ``real_server``.

    Tests that start a control plane of their own carry the mark themselves.
    """
    for item in items:
        if "gts_control_plane" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real_server)


_SKIPPED: list[str] = []


def _merge_effort(dumped: list[list[Any]]) -> None:
    _EFFORT.extend(_Effort(*effort) for effort in dumped)


#: The tallies kept in the process that runs the tests, as (dump, merge): an xdist worker
#: hands its dumps over when its session ends (``workeroutput``); the controller, which
#: runs no test, merges them before its terminal summary. Without xdist nothing moves.
_TALLIES: Final[dict[str, tuple[Callable[[], Any], Callable[[Any], None]]]] = {
    "gts-fuzzing-effort": (lambda: [dataclasses.astuple(e) for e in _EFFORT], _merge_effort),
    "gts-status-writes": (status_writes.dump, status_writes.merge),
    "gts-oracle-comparisons": (ORACLE_TALLY.dump, ORACLE_TALLY.merge),
}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """pytest-xdist's controller: add a finished worker's tallies to this process's."""
    output = getattr(node, "workeroutput", {})
    for key, (_, merge) in _TALLIES.items():
        if key in output:
            merge(output[key])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (GTS_REQUIRE_CONTROL_PLANE=1) a skipped test fails the run: nothing may hide.

    An xdist worker hands its tallies to the controller here (xdist sends ``workeroutput``
    once every ``pytest_sessionfinish`` has run).
    """
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        for key, (dump, _) in _TALLIES.items():
            output[key] = dump()
    if _SKIPPED and os.environ.get("GTS_REQUIRE_CONTROL_PLANE") == "1" and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _SKIPPED and os.environ.get("GTS_REQUIRE_CONTROL_PLANE") == "1":
        terminalreporter.section("skipped tests fail this run (GTS_REQUIRE_CONTROL_PLANE=1)")
        for nodeid in _SKIPPED:
            terminalreporter.write_line(f"  {nodeid}")
    if _REAL_SERVER:
        spent, everything = sum(_REAL_SERVER.values()), sum(_ALL_TESTS.values())
        terminalreporter.section("real API server")
        terminalreporter.write_line(
            f"{len(_REAL_SERVER)} of {len(_ALL_TESTS)} tests ran on the real API server: "
            f"{spent:.1f}s of {everything:.1f}s in tests ({spent / everything:.0%})"
        )
    for title, lines in (
        ("status writes on the real API server", status_writes.summary_lines()),
        ("oracle comparisons (k8s-oracle)", ORACLE_TALLY.summary_lines()),
    ):
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)
    if not _EFFORT:
        return
    profile = os.environ.get("HYPOTHESIS_PROFILE", "default")
    total = sum(e.examples for e in _EFFORT)
    seconds = sum(e.seconds for e in _EFFORT)
    terminalreporter.section("fuzzing effort (hypothesis)")
    terminalreporter.write_line(
        f"profile {profile!r}: {len(_EFFORT)} property tests, {total} examples "
        f"({sum(e.invalid for e in _EFFORT)} rejected), {seconds:.1f}s in hypothesis"
    )
    for effort in sorted(_EFFORT, key=lambda e: -e.seconds)[:10]:
        terminalreporter.write_line(
            f"  {effort.examples:6d} examples {effort.seconds:6.2f}s  {effort.nodeid}"
        )
