"""Shared fixtures and hypothesis profiles (HYPOTHESIS_PROFILE=ci for the thorough run).

The pytest plugin this package ships (``gittarget_status.testing.pytest_plugin``, loaded
through its ``pytest11`` entry point) provides ``gts_clock``, ``fake_world``,
``async_fake_world`` and ``gts_spec``; the suite uses them as any user would.

At the end of a run, a "fuzzing effort" section reports how many examples hypothesis
tried per property test (from the statistics hypothesis collects for every test).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ("pytester",)

settings.register_profile("default", max_examples=100, deadline=None)
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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
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
