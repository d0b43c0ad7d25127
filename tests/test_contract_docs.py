"""The contract pages in docs/generated/ are generated from the code and must not drift.

The generator is ``tools/contract_docs.py`` (on the test path through pytest's ``pythonpath``).
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from contract_docs import (
    PAGES,
    REGENERATE,
    gate_reason_enums,
    reason_rows,
    render_all,
    undocumented,
)
from gittarget_status import (
    GATE_ORDER,
    REASON_MEANINGS,
    TERMINAL_REASONS,
    ConditionType,
    GitTargetSpec,
    GitTargetStatus,
    ReconcileOutcome,
    gittarget_pipeline,
    initialize_gittarget,
    reconcile_gittarget,
)
from gittarget_status.testing import DEMO_EPOCH, FakeGitTargetWorld, demo_spec

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "docs" / "generated"

Triple = tuple[str, str, str]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_committed_page_matches_the_code(name: str) -> None:
    expected = render_all()[name]
    path = GENERATED / name
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    assert actual == expected, (
        f"docs/generated/{name} is out of date with the code; regenerate with: {REGENERATE}"
    )


def test_no_stray_generated_pages() -> None:
    assert sorted(p.name for p in GENERATED.glob("*.md")) == sorted(PAGES)


def test_every_type_and_reason_is_documented() -> None:
    assert undocumented() == []


def test_generated_pages_are_included_in_the_site() -> None:
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for name in PAGES:
        assert f'--8<-- "generated/{name}"' in pages, f"no page includes generated/{name}"


# Every world knob with its non-default values: single and paired deviations from the
# happy path reach every verdict each gate can give.
_DEVIATIONS: Mapping[str, tuple[Any, ...]] = {
    "provider_exists": (False,),
    "branch_allowed": (False,),
    "conflicting_target": ("team-a/other",),
    "secret_exists": (False,),
    "secret_creation_allowed": (False,),
    "recipients_valid": (False,),
    "worker_available": (False,),
    "bootstrap_fails": (True,),
    "bootstrap_commit": (None,),
    "snapshot_state": ("running", "failed"),
    "stream_registration_fails": (True,),
    "stream_connected": (False,),
}
_PORTS = (
    "lookup_provider",
    "read_encryption_secret",
    "ensure_worker",
    "poll_snapshot",
    "register_event_stream",
)


def _worlds() -> Iterator[FakeGitTargetWorld]:
    single = [(k, v) for k, values in _DEVIATIONS.items() for v in values]
    yield FakeGitTargetWorld()
    for change in single:
        yield replace(FakeGitTargetWorld(), **dict([change]))
    for a, b in itertools.combinations(single, 2):
        if a[0] != b[0]:
            yield replace(FakeGitTargetWorld(), **dict([a, b]))
    for port in _PORTS:
        yield replace(FakeGitTargetWorld(), raise_in=port)


def _triples(outcome: ReconcileOutcome[GitTargetStatus]) -> set[Triple]:
    return {(c.type, c.status.value, c.reason) for c in outcome.status.conditions}


def _observed() -> set[Triple]:
    specs: list[GitTargetSpec] = [
        demo_spec(encrypted=False),
        demo_spec(),
        demo_spec(generate_when_missing=True),
    ]
    seen = _triples(initialize_gittarget(None, generation=1, now=DEMO_EPOCH))
    for kstatus_present in (False, True):
        pipeline = gittarget_pipeline(kstatus_present=kstatus_present)
        for spec in specs:
            for world in _worlds():
                outcome = reconcile_gittarget(
                    spec, None, world, generation=1, now=DEMO_EPOCH, pipeline=pipeline
                )
                seen |= _triples(outcome)
    suspended = demo_spec().model_copy(update={"suspend": True})
    seen |= _triples(
        reconcile_gittarget(suspended, None, FakeGitTargetWorld(), generation=1, now=DEMO_EPOCH)
    )
    return seen


def test_the_lifecycle_emits_exactly_the_documented_reasons() -> None:
    documented = {(r.type, r.status.value, r.reason) for r in reason_rows()}
    observed = _observed()
    assert observed - documented == set(), "emitted but not documented"
    assert documented - observed == set(), "documented but never emitted"


def test_terminal_column_is_terminal_reasons_on_gates() -> None:
    terminal = {(r.type, r.reason) for r in reason_rows() if r.terminal}
    assert {reason for _, reason in terminal} == set(TERMINAL_REASONS)
    assert all(type_ in GATE_ORDER for type_, _ in terminal)


def test_each_gate_reason_enum_is_found_from_its_declaration() -> None:
    enums = gate_reason_enums()
    gates = gittarget_pipeline().gates
    assert list(enums) == [*(g.type for g in gates), "Ready"]
    for gate in gates:
        assert frozenset(enums[ConditionType(gate.type)]) == gate.declared_reasons
        assert set(REASON_MEANINGS[enums[ConditionType(gate.type)]]) == gate.declared_reasons


def test_the_generator_is_a_tool_not_part_of_the_package() -> None:
    assert importlib.util.find_spec("gittarget_status._contract") is None
    for source in (ROOT / "src").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import contract_docs" not in text, source
        assert "from contract_docs" not in text, source
