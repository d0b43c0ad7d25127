"""The lifecycle given a damaged status repairs what it owns and leaves the rest.

Damage: duplicated types left by a non-list-map writer, foreign conditions with unknown
fields, unknown status fields, owned gates with stale verdicts and wrong
observedGenerations, Ready/phase/kstatus contradicting the gates, over-long messages.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from hypothesis import given, settings, strategies as st

from gittarget_status import (
    GitTargetSpec,
    GitTargetStatus,
    gittarget_pipeline,
    reconcile_gittarget,
)
from gittarget_status.testing import (
    DEMO_EPOCH,
    SCENARIOS,
    FakeGitTargetWorld,
    assert_conditions_match,
    assert_status_contract,
    demo_spec,
    strategies as gs,
)

#: Every type the GitTarget pipeline writes (its gates, Ready, kstatus and Suspended).
OWNED = frozenset(gittarget_pipeline().owned_types)


@settings(max_examples=max(20, (settings.default or settings()).max_examples // 2))
@given(
    raw=gs.damaged_statuses(max_generation=10),
    world=gs.fake_worlds(),
    spec=gs.gittarget_specs(),
    generation=st.integers(1, 12),
)
def test_a_damaged_status_is_repaired_where_owned_and_kept_elsewhere(
    raw: dict[str, Any], world: FakeGitTargetWorld, spec: GitTargetSpec, generation: int
) -> None:
    stored = copy.deepcopy(raw)
    parsed = GitTargetStatus.from_k8s(raw)
    outcome = reconcile_gittarget(spec, raw, world, generation=generation, now=DEMO_EPOCH)
    assert raw == stored, "the pass mutated the JSON it was given"
    # Every rule, including: nothing foreign dropped and LTT moves iff status moves,
    # against the status as parsed (duplicates dropped, long messages truncated).
    assert_status_contract(outcome.status, generation=generation, previous=parsed, now=DEMO_EPOCH)
    out = outcome.status.to_k8s()
    foreign_in = [c for c in parsed.to_k8s().get("conditions", []) if c["type"] not in OWNED]
    foreign_out = [c for c in out.get("conditions", []) if c["type"] not in OWNED]
    assert foreign_out == foreign_in  # same entries, same order, unknown fields included
    known = {field.alias for field in GitTargetStatus.model_fields.values()}
    unknown = {k: v for k, v in raw.items() if k not in known}
    assert {k: out[k] for k in unknown} == unknown
    again = reconcile_gittarget(spec, outcome.status, world, generation=generation, now=DEMO_EPOCH)
    assert not again.changed
    assert again.status == outcome.status


def _running() -> dict[str, Any]:
    status: dict[str, Any] = list(SCENARIOS["happy-path"].run())[-1].outcome.status.to_k8s()
    return status


def test_stale_owned_conditions_are_rewritten_for_the_current_generation() -> None:
    stale = _running()
    for condition in stale["conditions"]:
        condition["observedGeneration"] = 1
    stale["conditions"][0].update(status="False", reason="ProviderNotFound", severity="x")
    stale["phase"] = "ERROR"
    world = FakeGitTargetWorld()
    later = DEMO_EPOCH + timedelta(hours=1)
    outcome = reconcile_gittarget(demo_spec(), stale, world, generation=3, now=later)
    assert_status_contract(outcome.status, generation=3, previous=stale)
    assert outcome.changed
    assert_conditions_match(
        outcome.status,
        [{"type": "Validated", "status": "True", "reason": "OK", "observedGeneration": 3}],
        ignore_extra_types=True,
    )
    validated = outcome.status.condition("Validated")
    assert validated is not None
    # An owned condition is written in the strict form: the CRD declares no other field, and
    # server-side apply refuses one (the real-server tests show the 500).
    assert validated.extra_fields == {}
    assert outcome.status.phase == "RUNNING"


def test_a_stored_duplicate_is_repaired_by_a_write() -> None:
    stored = _running()
    stored["conditions"].append({**stored["conditions"][0], "status": "False"})
    outcome = reconcile_gittarget(
        demo_spec(), stored, FakeGitTargetWorld(), generation=1, now=DEMO_EPOCH
    )
    assert outcome.status.to_k8s() != stored  # the repaired status differs from what is stored
    assert outcome.changed, "the duplicate is never written away"


def test_encryption_detail_follows_the_spec_when_the_new_secret_is_missing() -> None:
    world = FakeGitTargetWorld()
    first = reconcile_gittarget(demo_spec(), None, world, generation=1, now=DEMO_EPOCH)
    assert first.status.encryption is not None
    edited = GitTargetSpec.from_k8s(
        {**demo_spec().to_k8s(), "encryption": {"provider": "sops", "secretRef": {"name": "new"}}}
    )
    world.secret_exists = False
    later = DEMO_EPOCH + timedelta(minutes=1)
    outcome = reconcile_gittarget(edited, first.status, world, generation=2, now=later)
    assert_conditions_match(
        outcome.status,
        [{"type": "EncryptionConfigured", "status": "False", "reason": "MissingSecret"}],
        ignore_extra_types=True,
    )
    encryption = outcome.status.encryption
    assert (
        encryption is None or encryption.secret_ref is None or encryption.secret_ref.name == "new"
    )
