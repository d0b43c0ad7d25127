"""Tools for testing controllers that use this library (like ``structlog.testing``).

Importable without hypothesis: the fake world and its events, the demo's named scenarios (the
CLI's), a fake clock, the status-contract invariants
([`check_status`][gittarget_status.testing.check_status],
[`assert_status_contract`][gittarget_status.testing.assert_status_contract]) and order-insensitive
condition matchers ([`assert_conditions_match`][gittarget_status.testing.assert_conditions_match])
and the check of a model's direct build from stored JSON
([`stored_build_mismatch`][gittarget_status.testing.stored_build_mismatch]).
The hypothesis parts (install the ``testing`` extra) live in submodules loaded only when used:
[`gittarget_status.testing.strategies`][gittarget_status.testing.strategies] and
[`gittarget_status.testing.stateful`][gittarget_status.testing.stateful]. The pytest fixtures
(``gts_clock``, ``fake_world``, ``async_fake_world``, ``gts_spec``) load automatically with pytest.
"""

from typing import TYPE_CHECKING, Any

from gittarget_status.gittarget._fake_world import (
    VALID_RECIPIENT,
    AsyncFakeGitTargetPorts,
    FakeGitTargetWorld,
)
from gittarget_status.gittarget._sample import DEMO_EPOCH, demo_spec
from gittarget_status.gittarget._world_events import PORT_METHODS, WORLD_EVENTS, apply_world_event
from gittarget_status.testing._clock import FakeClock
from gittarget_status.testing._stored import (
    assert_stored_build_matches,
    model_tree,
    stored_build_mismatch,
)
from gittarget_status.testing.invariants import (
    GITTARGET_CONTRACT,
    RULES,
    Rule,
    StatusContract,
    Violation,
    assert_status_contract,
    check_status,
    format_violations,
)
from gittarget_status.testing.matchers import (
    ConditionMismatch,
    assert_conditions_match,
    conditions_match,
    diff_conditions,
)

if TYPE_CHECKING:
    from gittarget_status.cli._scenarios import SCENARIOS, PassRecord, Scenario, ScenarioStep

__all__ = [
    "DEMO_EPOCH",
    "GITTARGET_CONTRACT",
    "PORT_METHODS",
    "RULES",
    "SCENARIOS",
    "VALID_RECIPIENT",
    "WORLD_EVENTS",
    "AsyncFakeGitTargetPorts",
    "ConditionMismatch",
    "FakeClock",
    "FakeGitTargetWorld",
    "PassRecord",
    "Rule",
    "Scenario",
    "ScenarioStep",
    "StatusContract",
    "Violation",
    "apply_world_event",
    "assert_conditions_match",
    "assert_status_contract",
    "assert_stored_build_matches",
    "check_status",
    "conditions_match",
    "demo_spec",
    "diff_conditions",
    "format_violations",
    "model_tree",
    "stored_build_mismatch",
]

#: The demo's scenarios belong to the CLI (``gittarget-status demo``); tests use the same
#: passes as tables, so they are importable here too, loaded on first use (importing the
#: toolkit does not load the CLI).
_FROM_THE_CLI = frozenset({"SCENARIOS", "PassRecord", "Scenario", "ScenarioStep"})


def __getattr__(name: str) -> Any:
    if name in _FROM_THE_CLI:
        from gittarget_status.cli import _scenarios

        return getattr(_scenarios, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
