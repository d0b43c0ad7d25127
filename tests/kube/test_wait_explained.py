"""wait_verdict: kubectl wait's answer (condition_met's, unchanged) and why."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status.cli import main
from gittarget_status.kubectl import (
    WaitEvaluationError,
    WaitVerdict,
    condition_met,
    equal_fold,
    wait_verdict,
)
from gittarget_status.testing.strategies import kube_objects


def _obj(*conditions: Any, generation: int | None = 2, observed: int | None = None) -> Any:
    status: dict[str, Any] = {"conditions": list(conditions)}
    if observed is not None:
        status["observedGeneration"] = observed
    metadata: dict[str, Any] = {"name": "prod"}
    if generation is not None:
        metadata["generation"] = generation
    return {"apiVersion": "configbutler.ai/v1alpha1", "kind": "GitTarget", "metadata": metadata,
            "status": status}  # fmt: skip


def _ready(status: str = "True", **extra: Any) -> dict[str, Any]:
    return {"type": "Ready", "status": status, "reason": "OK", **extra}


@pytest.mark.parametrize(
    ("obj", "expression", "met", "explanation"),
    [
        (_obj(_ready(observedGeneration=2)), "condition=Ready", True, "condition Ready is True"),
        (
            _obj(_ready(observedGeneration=1)),
            "condition=Ready",
            False,
            "condition Ready is stale: observedGeneration 1 < generation 2",
        ),
        (
            _obj(_ready(), observed=1),
            "condition=Ready",
            False,
            "condition Ready is stale: observedGeneration 1 < generation 2",
        ),
        (
            _obj({"type": "Ready", "status": "False", "reason": "ValidationFailed"}),
            "condition=Ready",
            False,
            "condition Ready is False (reason ValidationFailed), want true",
        ),
        (_obj(_ready()), "condition=ready=TRUE", True, "condition Ready is True"),
        (_obj(_ready()), "condition=SnapshotSynced", False, "no condition SnapshotSynced"),
        (
            _obj({"type": "Ready", "reason": "OK"}),
            "condition=Ready",
            False,
            "no condition Ready with a string status",
        ),
        ({"status": {}}, "condition=Ready", False, "no .status.conditions"),
        (
            _obj("oops", _ready()),
            "condition=Ready",
            True,
            "condition Ready is True",  # kubectl v1.36 skips an entry that is not an object
        ),
        (_obj(_ready()), "jsonpath={.status.phase}", False, "{.status.phase} matches nothing"),
        (
            {"status": {"phase": "Ready"}},
            "jsonpath={.status.phase}=Running",
            False,
            "{.status.phase} is Ready, want Running",
        ),
        (
            {"status": {"phase": "Ready"}},
            "jsonpath={.status.phase}=Ready",
            True,
            "{.status.phase} is Ready",
        ),
        (
            {"status": {"phase": "Ready"}},
            "jsonpath={.status.phase}",
            True,
            "{.status.phase} is present",
        ),
    ],
)
def test_verdicts_say_why(obj: Any, expression: str, met: bool, explanation: str) -> None:
    verdict = wait_verdict(obj, expression)
    assert verdict == WaitVerdict(met, explanation)
    assert bool(verdict) is met and str(verdict) == explanation
    assert condition_met(obj, expression) is met


def test_errors_are_raised_as_condition_met_raises() -> None:
    for call in (condition_met, wait_verdict):
        with pytest.raises(WaitEvaluationError, match="accessor error"):
            call({"status": {"conditions": "x"}}, "condition=Ready")


def test_a_non_object_metadata_explains_the_verdict_without_a_lag_check() -> None:
    stale = {**_obj(_ready(observedGeneration=1)), "metadata": "prod"}
    assert wait_verdict(stale, "condition=Ready") == WaitVerdict(True, "condition Ready is True")
    with pytest.raises(WaitEvaluationError, match=r"^expected a JSON object, got list$"):
        wait_verdict([], "condition=Ready")  # type: ignore[arg-type]


_EXPRESSIONS = st.sampled_from(
    ["condition=Ready", "condition=Ready=False", "condition=validated", "condition=Stalled"]
)


@given(obj=kube_objects(), expression=_EXPRESSIONS)
def test_the_explanation_matches_the_object(obj: dict[str, Any], expression: str) -> None:
    """Whatever the object: the verdict is condition_met's, and its reason is true of it."""
    verdict = wait_verdict(obj, expression)
    assert verdict.met is condition_met(obj, expression)
    _, _, rest = expression.partition("=")
    name, _, value = rest.partition("=")
    value = value or "true"
    first = next(
        (
            c
            for c in obj["status"].get("conditions", [])
            if equal_fold(c["type"], name) and isinstance(c.get("status"), str)
        ),
        None,
    )
    text = verdict.explanation
    if first is None:
        conditions = obj["status"].get("conditions")
        expected = f"no condition {name}" if conditions else "no .status.conditions"
        assert not verdict.met and text.startswith(expected)
        return
    assert first["type"] in text
    if "is stale" in text:
        observed = first.get("observedGeneration", obj["status"].get("observedGeneration"))
        generation = obj["metadata"]["generation"]
        assert observed < generation
        assert text.endswith(f"observedGeneration {observed} < generation {generation}")
    elif verdict.met:
        assert equal_fold(first["status"], value)
    else:
        assert text == (
            f"condition {first['type']} is {first['status']} (reason {first['reason']}), "
            f"want {value}"
        )


def test_cli_wait_prints_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "objects.json"
    objects = {
        "kind": "List",
        "items": [
            _obj(_ready(observedGeneration=1)),
            _obj({"type": "Ready", "status": "False", "reason": "ValidationFailed"}),
            _obj(_ready(observedGeneration=2)),
        ],
    }
    path.write_text(json.dumps(objects), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["wait", "--for", "condition=Ready", "-f", str(path)])
    assert code == 1
    assert out.getvalue() == "gittarget.configbutler.ai/prod condition met\n"
    assert err.getvalue().splitlines() == [
        "error: condition not met for gittarget.configbutler.ai/prod: "
        "condition Ready is stale: observedGeneration 1 < generation 2",
        "error: condition not met for gittarget.configbutler.ai/prod: "
        "condition Ready is False (reason ValidationFailed), want true",
    ]


def test_cli_wait_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """``-f -``: the objects come from standard input (``kubectl get -o yaml | ...``)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(_obj(_ready(observedGeneration=2)))))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["wait", "--for", "condition=Ready", "-f", "-"])
    assert (code, out.getvalue(), err.getvalue()) == (
        0,
        "gittarget.configbutler.ai/prod condition met\n",
        "",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",  # an empty file
        "---\n---\n",  # only empty documents
        '{"kind": "List", "items": []}',  # an empty list
        '{"kind": "List", "items": "nope"}',  # a list whose items are not a list
    ],
    ids=["empty", "empty-documents", "empty-list", "items-not-a-list"],
)
def test_cli_wait_without_objects_is_a_usage_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "objects.yaml"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["wait", "--for", "condition=Ready", "-f", str(path)])
    assert (code, out.getvalue(), err.getvalue()) == (2, "", f"error: {path}: no objects found\n")
