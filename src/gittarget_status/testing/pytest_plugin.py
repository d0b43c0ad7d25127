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
* ``gts_control_plane``: one real etcd + kube-apiserver per session
  ([`ControlPlane`][gittarget_status.testing.control_plane.ControlPlane], binaries from
  ``KUBEBUILDER_ASSETS``). Without binaries the tests using it skip, saying how to get
  them; with ``GTS_REQUIRE_CONTROL_PLANE=1`` they fail instead (for CI).
* ``gts_namespace``: a fresh namespace on that server, per test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from gittarget_status.gittarget._fake_world import AsyncFakeGitTargetPorts, FakeGitTargetWorld
    from gittarget_status.gittarget._spec import GitTargetSpec
    from gittarget_status.testing._clock import FakeClock
    from gittarget_status.testing.control_plane import ControlPlane

__all__ = [
    "REQUIRE_CONTROL_PLANE_ENV",
    "async_fake_world",
    "fake_world",
    "gts_clock",
    "gts_control_plane",
    "gts_namespace",
    "gts_spec",
]

#: Set to ``1`` to make a missing control plane fail the tests that need it (CI).
REQUIRE_CONTROL_PLANE_ENV = "GTS_REQUIRE_CONTROL_PLANE"


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


@pytest.fixture(scope="session")
def gts_control_plane() -> Iterator[ControlPlane]:
    """A real API server for the whole session, stopped at its end."""
    from gittarget_status.testing.control_plane import ControlPlane, ControlPlaneNotFound

    try:
        plane = ControlPlane()
    except ControlPlaneNotFound as missing:
        if os.environ.get(REQUIRE_CONTROL_PLANE_ENV) == "1":
            pytest.fail(f"{REQUIRE_CONTROL_PLANE_ENV}=1 but {missing}", pytrace=False)
        pytest.skip(str(missing))
    with plane:
        yield plane


@pytest.fixture
def gts_namespace(gts_control_plane: ControlPlane) -> str:
    """A namespace of its own for one test (left behind: nothing deletes objects here)."""
    return gts_control_plane.client.create_namespace()
