"""pytest fixtures for testing controllers built on gittarget-status (entry point ``pytest11``).

Loaded automatically in every pytest run where the package is installed, so importing this
module does nothing but define fixtures: no hypothesis import, no hooks, no configuration
or warning-filter changes; the fixtures import what they need when first used. Disable
with ``-p no:gittarget_status``.

* ``gts_clock``: a [`FakeClock`][gittarget_status.testing.FakeClock] (aware UTC, whole seconds)
  starting at [`DEMO_EPOCH`][gittarget_status.testing.DEMO_EPOCH];
  ``gts_clock.advance(seconds=30)``.
* ``fake_world``: a fresh [`FakeGitTargetWorld`][gittarget_status.testing.FakeGitTargetWorld] (happy
  path).
* ``async_fake_world``: the same world behind ``async def`` ports (shares ``fake_world``'s
  state, so set attributes on ``fake_world``).
* ``gts_spec``: the sample [`demo_spec`][gittarget_status.testing.demo_spec].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from gittarget_status.gittarget._spec import GitTargetSpec
    from gittarget_status.testing._clock import FakeClock
    from gittarget_status.testing._world import AsyncFakeGitTargetPorts, FakeGitTargetWorld

__all__ = ["async_fake_world", "fake_world", "gts_clock", "gts_spec"]


@pytest.fixture
def gts_clock() -> FakeClock:
    """A clock for ``now=``: starts at DEMO_EPOCH, moves only with ``advance``."""
    from gittarget_status.testing import DEMO_EPOCH, FakeClock

    return FakeClock(DEMO_EPOCH)


@pytest.fixture
def fake_world() -> FakeGitTargetWorld:
    """A fresh in-memory world implementing the GitTarget ports (happy path)."""
    from gittarget_status.testing import FakeGitTargetWorld

    return FakeGitTargetWorld()


@pytest.fixture
def async_fake_world(fake_world: FakeGitTargetWorld) -> AsyncFakeGitTargetPorts:
    """``fake_world`` behind async ports, for ``areconcile_gittarget``."""
    return fake_world.async_ports


@pytest.fixture
def gts_spec() -> GitTargetSpec:
    """The sample GitTarget spec (branch ``main``, path ``clusters/prod``, SOPS)."""
    from gittarget_status.testing import demo_spec

    return demo_spec()
