"""Session fixtures for the differential tests against ``k8s-oracle`` and their summary.

Each subcommand gets one process for the whole session. Without the binary the tests
skip with instructions, unless ``GTS_REQUIRE_CONTROL_PLANE=1`` (CI), where they fail.
At the end of the run, an "oracle comparisons" section (printed by ``tests/conftest.py``,
which adds up every xdist worker's tally) reports how many cases each property compared,
how many each named difference excluded, and the disagreements.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._oracle import MISSING, Oracle, find_oracle, required


@pytest.fixture(scope="session")
def oracle_binary() -> Path:
    binary = find_oracle()
    if binary is None:
        if required():
            pytest.fail(f"GTS_REQUIRE_CONTROL_PLANE=1 but {MISSING}")
        pytest.skip(MISSING)
    return binary


def _serve(binary: Path, subcommand: str) -> Iterator[Oracle]:
    oracle = Oracle(binary, subcommand)
    try:
        yield oracle
    finally:
        oracle.close()


@pytest.fixture(scope="session")
def set_condition_oracle(oracle_binary: Path) -> Iterator[Oracle]:
    yield from _serve(oracle_binary, "set-condition")


@pytest.fixture(scope="session")
def remove_condition_oracle(oracle_binary: Path) -> Iterator[Oracle]:
    yield from _serve(oracle_binary, "remove-condition")


@pytest.fixture(scope="session")
def kstatus_oracle(oracle_binary: Path) -> Iterator[Oracle]:
    yield from _serve(oracle_binary, "kstatus")
