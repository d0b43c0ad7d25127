"""Strategies for the fake world: worlds, the events that change them, and clocks.

Scenarios for property tests of a controller against
[`FakeGitTargetWorld`][gittarget_status.testing.FakeGitTargetWorld].
"""

from __future__ import annotations

import string
from functools import cache

from hypothesis import strategies as st

from gittarget_status.gittarget._fake_world import VALID_RECIPIENT, FakeGitTargetWorld
from gittarget_status.gittarget._world_events import PORT_METHODS, WORLD_EVENTS
from gittarget_status.testing._clock import FakeClock
from gittarget_status.testing.strategies._conditions import kube_times

__all__ = ["fake_clocks", "fake_worlds", "world_event_sequences", "world_events"]


@cache
def fake_worlds(*, raising: bool = True) -> st.SearchStrategy[FakeGitTargetWorld]:
    """Fake worlds with every attribute drawn: any mix of missing, failing and working.

    ``raising=False`` never injects a port exception (``raise_in``).
    """
    commits = st.text(string.hexdigits.lower(), min_size=7, max_size=40)
    return st.builds(
        FakeGitTargetWorld,
        provider_exists=st.booleans(),
        branch_allowed=st.booleans(),
        conflicting_target=st.none() | st.sampled_from(["team-a/mirror", "other"]),
        secret_exists=st.booleans(),
        secret_creation_allowed=st.booleans(),
        recipients_valid=st.booleans(),
        worker_available=st.booleans(),
        bootstrap_fails=st.booleans(),
        snapshot_state=st.sampled_from(["running", "completed", "failed"]),
        snapshot_stats=st.tuples(*[st.integers(0, 10_000)] * 3),
        stream_registration_fails=st.booleans(),
        stream_connected=st.booleans(),
        bootstrap_commit=st.none() | commits,
        snapshot_commit=commits,
        last_event_time=st.none() | kube_times(),
        recipients=st.lists(st.just(VALID_RECIPIENT), min_size=1, max_size=3).map(tuple),
        raise_in=st.none() | st.sampled_from(PORT_METHODS) if raising else st.none(),
    )


@cache
def world_events() -> st.SearchStrategy[str]:
    """Names of [`WORLD_EVENTS`][gittarget_status.testing.WORLD_EVENTS] (apply with
    [`apply_world_event`][gittarget_status.testing.apply_world_event]); port outages a quarter of
    the time.
    """
    outages = sorted(name for name in WORLD_EVENTS if name.startswith("outage-in-"))
    regular = sorted(set(WORLD_EVENTS) - set(outages))
    picks = (st.sampled_from(outages), st.sampled_from(regular))
    return st.integers(0, 3).flatmap(lambda pick: picks[0 if pick == 0 else 1])


@cache
def world_event_sequences(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[list[str]]:
    """Scripts of world events, one per reconcile pass."""
    return st.lists(world_events(), min_size=min_size, max_size=max_size)


@cache
def fake_clocks() -> st.SearchStrategy[FakeClock]:
    """Clocks starting anywhere metav1.Time can go, with a year of room to advance."""
    starts = kube_times().filter(lambda moment: moment.year < 9999)
    return st.builds(FakeClock, starts)
