"""Tools for testing controllers that use this library (like ``structlog.testing``).

Importable without hypothesis. The hypothesis strategies live in
:mod:`gittarget_status.testing.strategies` (install the ``testing`` extra).
"""

from gittarget_status.testing._scenarios import (
    DEMO_EPOCH,
    SCENARIOS,
    PassRecord,
    Scenario,
    ScenarioStep,
    demo_spec,
)
from gittarget_status.testing._world import (
    VALID_RECIPIENT,
    AsyncFakeGitTargetPorts,
    FakeGitTargetWorld,
)

__all__ = [
    "DEMO_EPOCH",
    "SCENARIOS",
    "VALID_RECIPIENT",
    "AsyncFakeGitTargetPorts",
    "FakeGitTargetWorld",
    "PassRecord",
    "Scenario",
    "ScenarioStep",
    "demo_spec",
]
