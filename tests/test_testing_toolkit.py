"""The testing toolkit itself: imports, plugins, fixtures, clock, world events."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from dataclasses import fields
from datetime import UTC, datetime, timedelta, timezone
from importlib.metadata import entry_points

import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies._internal.types import _global_type_lookup

import gittarget_status.testing as testing
from gittarget_status import (
    Condition,
    ConditionStatus,
    GateResult,
    GitTargetSpec,
    GitTargetStatus,
    StatusModel,
    areconcile_gittarget,
    reconcile_gittarget,
)
from gittarget_status.conditions._status import SUBCLASS_HOOKS
from gittarget_status.testing import (
    DEMO_EPOCH,
    PORT_METHODS,
    WORLD_EVENTS,
    AsyncFakeGitTargetPorts,
    FakeClock,
    FakeGitTargetWorld,
    apply_world_event,
    assert_status_contract,
)
from gittarget_status.testing.hypothesis_plugin import _hypothesis_setup_hook


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_testing_imports_without_hypothesis() -> None:
    result = _run(
        """
        import sys
        sys.modules["hypothesis"] = None  # any import of hypothesis now fails
        import gittarget_status.testing as t
        import gittarget_status.testing.pytest_plugin
        from gittarget_status import reconcile_gittarget
        world = t.FakeGitTargetWorld()
        out = reconcile_gittarget(t.demo_spec(), None, world, generation=1, now=t.DEMO_EPOCH)
        t.assert_status_contract(out.status, generation=1)
        t.assert_conditions_match(out.status, [{"type": "Ready", "status": "True"}],
                                  ignore_extra_types=True)
        try:
            import gittarget_status.testing.strategies
        except ImportError:
            print("strategies need hypothesis")
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "strategies need hypothesis"


def test_the_pytest_plugin_does_not_import_hypothesis() -> None:
    result = _run(
        """
        import sys
        import gittarget_status.testing.pytest_plugin
        print(sorted(m for m in sys.modules if m.split(".")[0] == "hypothesis"))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_both_plugins_are_registered_entry_points() -> None:
    pytest11 = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert pytest11["gittarget_status"] == "gittarget_status.testing.pytest_plugin"
    hypothesis = {ep.name: ep.value for ep in entry_points(group="hypothesis")}
    assert hypothesis["gittarget_status"].endswith("hypothesis_plugin:_hypothesis_setup_hook")


def test_the_pytest_plugin_is_active(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.has_plugin("gittarget_status")


def test_from_type_works_without_importing_the_strategies() -> None:
    result = _run(
        """
        import sys
        from hypothesis import Phase, find, settings, strategies as st
        from gittarget_status import Condition, GitTargetStatus
        assert "gittarget_status.testing.strategies" not in sys.modules
        quick = settings(phases=[Phase.generate], database=None)  # any match: no shrinking
        found = find(st.from_type(Condition), lambda c: c.status.value == "False", settings=quick)
        status = find(
            st.from_type(GitTargetStatus), lambda s: len(s.conditions) >= 2, settings=quick
        )
        print(type(found).__name__, len(status.conditions))
        """
    )
    assert result.returncode == 0, result.stderr
    name, count = result.stdout.split()
    assert name == "Condition" and int(count) >= 2


def _our_hooks() -> list[str]:
    return [h.__qualname__ for h in SUBCLASS_HOOKS if "_register_status_models" in h.__qualname__]


def test_the_setup_hook_registers_its_subclass_hook_once() -> None:
    assert len(_our_hooks()) == 1  # hypothesis ran the hook when it was imported
    _hypothesis_setup_hook()  # a second run (a re-import, a test of the plugin)
    assert len(_our_hooks()) == 1


# pydantic's v1 shim warns when hypothesis reads its GenericModel (= BaseModel in v2).
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20")
def test_the_pydantic_generics_shim_does_not_break_the_plugin() -> None:
    """With ``pydantic.generics`` imported, hypothesis refuses a function for any pydantic
    model: the hook and a later StatusModel subclass must not raise (from_type infers)."""
    imported_before = "pydantic.generics" in sys.modules
    importlib.import_module("pydantic.generics")
    try:
        with pytest.raises(InvalidArgument, match=r"pydantic\.generics"):
            st.register_type_strategy(GitTargetStatus, lambda _: st.just(GitTargetStatus()))
        _hypothesis_setup_hook()  # every registration refused: skipped, not raised

        class LateStatus(StatusModel):
            endpoint: str | None = None

        assert LateStatus not in _global_type_lookup  # refused; the definition still worked
        assert len(_our_hooks()) == 1
    finally:
        if not imported_before:  # the rest of the session registers as usual
            del sys.modules["pydantic.generics"]


def test_importing_hypothesis_after_the_pydantic_generics_shim_works() -> None:
    result = _run(
        """
        import warnings
        warnings.simplefilter("ignore")  # pydantic's deprecation of its v1 shim
        import pydantic.generics
        from hypothesis import find, strategies as st
        from gittarget_status.testing import strategies as gs
        print(type(find(gs.conditions(), lambda c: True)).__name__)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Condition"


@settings(max_examples=max(10, (settings.default or settings()).max_examples // 4))
@given(
    condition=st.from_type(Condition),
    status=st.from_type(GitTargetStatus),
    spec=st.from_type(GitTargetSpec),
    result=st.from_type(GateResult),
    world=st.from_type(FakeGitTargetWorld),
    clock=st.from_type(FakeClock),
    value=st.from_type(ConditionStatus),
)
def test_from_type_gives_valid_values(
    condition: Condition,
    status: GitTargetStatus,
    spec: GitTargetSpec,
    result: GateResult,
    world: FakeGitTargetWorld,
    clock: FakeClock,
    value: ConditionStatus,
) -> None:
    assert Condition.from_k8s(condition.to_k8s(), strict=True) == condition
    assert GitTargetStatus.from_k8s(status.to_k8s(), strict=True) == status
    assert GitTargetSpec.from_k8s(spec.to_k8s(), strict=True) == spec
    assert result.status in ConditionStatus
    assert isinstance(world, FakeGitTargetWorld)
    assert clock.now.microsecond == 0
    assert value in ConditionStatus


def test_every_name_in_all_exists() -> None:
    # The order of __all__ is ruff's (RUF022); that every name resolves is ours to check.
    assert all(hasattr(testing, name) for name in testing.__all__)


# --- fixtures from the plugin ---------------------------------------------------------


def test_gts_clock_fixture(gts_clock: FakeClock) -> None:
    assert gts_clock.now == DEMO_EPOCH == gts_clock()
    assert gts_clock.advance(seconds=30) == DEMO_EPOCH + timedelta(seconds=30)
    assert gts_clock.advance(timedelta(minutes=1), seconds=1) == DEMO_EPOCH + timedelta(seconds=91)


def test_fake_world_fixtures_share_state(
    fake_world: FakeGitTargetWorld,
    async_fake_world: AsyncFakeGitTargetPorts,
    gts_spec: GitTargetSpec,
    gts_clock: FakeClock,
) -> None:
    assert async_fake_world.world is fake_world
    fake_world.provider_exists = False
    sync = reconcile_gittarget(gts_spec, None, fake_world, generation=1, now=gts_clock.now)
    import asyncio

    gts_clock.advance(seconds=10)
    done = asyncio.run(
        areconcile_gittarget(gts_spec, None, async_fake_world, generation=1, now=gts_clock.now)
    )
    assert sync.blocked_by == done.blocked_by == "Validated"
    assert_status_contract(done.status, generation=1)


def test_fixtures_are_fresh_per_test(fake_world: FakeGitTargetWorld) -> None:
    assert fake_world.provider_exists
    assert fake_world.calls == []


# --- the clock --------------------------------------------------------------------------


def test_clock_is_aware_utc_whole_seconds() -> None:
    plus_two = timezone(timedelta(hours=2))
    clock = FakeClock(datetime(2026, 5, 1, 14, tzinfo=plus_two))
    assert clock.now.tzinfo is UTC
    assert clock.now.hour == 12
    with pytest.raises(ValueError, match="timezone"):
        FakeClock(datetime(2026, 5, 1))
    with pytest.raises(ValueError, match="whole seconds"):
        FakeClock(datetime(2026, 5, 1, microsecond=5, tzinfo=UTC))
    with pytest.raises(ValueError, match="whole seconds"):
        clock.advance(seconds=0.5)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(seconds=-1)
    assert clock.set(DEMO_EPOCH) == DEMO_EPOCH
    assert repr(clock) == "FakeClock(2026-01-01T12:00:00+00:00)"


# --- world events -----------------------------------------------------------------------


@pytest.mark.parametrize("event", sorted(WORLD_EVENTS))
def test_every_world_event_names_real_attributes(event: str) -> None:
    world = FakeGitTargetWorld()
    apply_world_event(world, event)
    attributes = {f.name for f in fields(FakeGitTargetWorld)}
    assert set(WORLD_EVENTS[event]) <= attributes
    for name, value in WORLD_EVENTS[event].items():
        assert getattr(world, name) == value


def test_unknown_world_events_and_port_methods() -> None:
    with pytest.raises(ValueError, match="unknown world event"):
        apply_world_event(FakeGitTargetWorld(), "meteor-strike")
    assert all(callable(getattr(FakeGitTargetWorld(), name)) for name in PORT_METHODS)
