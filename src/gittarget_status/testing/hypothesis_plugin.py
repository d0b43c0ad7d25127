"""Hypothesis plugin (entry point ``hypothesis``): ``st.from_type`` for the library's types.

Hypothesis calls ``_hypothesis_setup_hook`` when it is imported, in every environment
where gittarget-status is installed, so the hook stays cheap and side-effect free: it
registers a *resolver* per type, and the strategies module is only imported the first
time a test asks for one of these types. Every [`StatusModel`][gittarget_status.StatusModel]
subclass, including ones defined after this hook ran, resolves to
[`status_models`][gittarget_status.testing.strategies.status_models] unless it has a strategy of its
own (GitTargetStatus does; your ``register_type_strategy`` call wins over ours).
Set ``HYPOTHESIS_NO_PLUGINS=1`` to turn all hypothesis plugins off.
"""

from __future__ import annotations

from typing import Any

__all__ = ["_hypothesis_setup_hook"]


def _resolver(name: str) -> Any:
    def resolve(_: type) -> Any:
        from gittarget_status.testing import strategies

        return getattr(strategies, name)()

    return resolve


def _status_model(model: type) -> Any:
    from gittarget_status.testing import strategies

    return strategies.status_models(model)


def _hypothesis_setup_hook() -> None:
    """Register ``Condition``, ``GitTargetStatus``, ``GitTargetSpec``, ``GateResult``, ..."""
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument

    from gittarget_status.conditions._model import Condition, ConditionStatus
    from gittarget_status.gates._result import GateResult
    from gittarget_status.gittarget._fake_world import FakeGitTargetWorld
    from gittarget_status.gittarget._spec import GitTargetSpec
    from gittarget_status.gittarget._status import GitTargetStatus
    from gittarget_status.testing._clock import FakeClock

    types: dict[type, str] = {
        Condition: "conditions",
        ConditionStatus: "condition_statuses",
        GitTargetStatus: "gittarget_statuses",
        GitTargetSpec: "gittarget_specs",
        GateResult: "gate_results",
        FakeGitTargetWorld: "fake_worlds",
        FakeClock: "fake_clocks",
    }
    for type_, name in types.items():
        try:
            st.register_type_strategy(type_, _resolver(name))
        except InvalidArgument:  # the pydantic.generics shim (below): never fail the import
            continue
    _register_status_models(frozenset(types))


def _register_status_models(own: frozenset[type]) -> None:
    """``status_models`` for every StatusModel subclass, now and as they are defined."""
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument

    from gittarget_status.conditions._status import SUBCLASS_HOOKS, StatusModel

    def register(model: type[StatusModel]) -> None:
        if model in own:
            return
        try:
            st.register_type_strategy(model, _status_model)
        except InvalidArgument:
            # Hypothesis refuses a function for any pydantic model while pydantic's v1 shim
            # ``pydantic.generics`` is imported; ``st.from_type`` then infers the model.
            return

    pending: list[type[StatusModel]] = [StatusModel]
    while pending:
        model = pending.pop()
        register(model)
        pending.extend(model.__subclasses__())
    # Once per process: each call makes a new ``register``, so compare by name.
    if all(getattr(hook, "__qualname__", "") != register.__qualname__ for hook in SUBCLASS_HOOKS):
        SUBCLASS_HOOKS.append(register)
