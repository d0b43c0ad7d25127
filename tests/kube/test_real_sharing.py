"""Sharing one object with other writers, on the real API server.

A second writer owns conditions with every kind of oddity the CRD's schema accepts. It
writes them once by server-side apply (its own field manager) or re-asserts them every
round by merge patch. Our controller runs its passes by merge patch or by server-side
apply. After every one of our writes, the other writer's entries must be byte-identical
to what the server stored for it. No condition may be lost, our writes must settle to zero
within two passes, and the GitTarget must reach Ready.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld
from gittarget_status.testing.control_plane import ControlPlane

from ._driver import GOLDEN_PATH, GOLDEN_START
from ._sharing import (
    ODD_FOREIGN_CONDITIONS,
    GitTargetController,
    RawWriter,
    create_gittarget,
    entries_by_type,
)

FOREIGN_TYPES = [c["type"] for c in ODD_FOREIGN_CONDITIONS]


def _foreign_bytes(obj: dict[str, Any]) -> dict[str, str]:
    entries = entries_by_type(obj)
    return {t: json.dumps(entries[t]) for t in FOREIGN_TYPES if t in entries}


@pytest.mark.parametrize("ours", ["merge", "apply"])
@pytest.mark.parametrize("theirs", ["apply", "merge"])
def test_foreign_conditions_survive_our_writes_byte_for_byte(
    gittarget_api: ControlPlane, gts_namespace: str, ours: str, theirs: str
) -> None:
    api = gittarget_api.client
    create_gittarget(api, gts_namespace, "shared")
    other = RawWriter(api, gts_namespace, mode=theirs)  # type: ignore[arg-type]
    other.assert_values("shared")
    controller = GitTargetController(api, gts_namespace, path=ours)  # type: ignore[arg-type]
    path = controller.object_path("shared")
    stored = _foreign_bytes(api.get(path))
    assert sorted(stored) == sorted(FOREIGN_TYPES), "the server refused a valid foreign entry"
    for entry in ODD_FOREIGN_CONDITIONS:  # the server keeps them as written, oddities included
        assert json.loads(stored[entry["type"]]) == entry

    world = FakeGitTargetWorld(**GOLDEN_START)
    now = DEMO_EPOCH
    steps = [*(change for _, change in GOLDEN_PATH), {}, {}]  # then two settling passes
    writes_per_pass = []
    for change in steps:
        for key, value in change.items():
            setattr(world, key, value)
        now += timedelta(seconds=30)
        wrote = controller.reconcile("shared", world, now)
        writes_per_pass.append(wrote)
        after = api.get(path)
        assert _foreign_bytes(after) == stored, "our write changed another writer's data"
        if theirs == "merge":  # it re-asserts its values every round: nothing to re-assert
            before = other.tally.writes
            other.assert_values("shared")
            assert other.tally.writes == before, "the other writer had to repair its data"

    final = api.get(path)
    conditions = entries_by_type(final)
    assert conditions["Ready"]["status"] == "True"
    assert len(final["status"]["conditions"]) == len(conditions), "a duplicated type"
    assert set(FOREIGN_TYPES) <= set(conditions), "a foreign condition was lost"
    assert writes_per_pass[-2:] == [False, False], f"writes did not settle: {writes_per_pass}"
