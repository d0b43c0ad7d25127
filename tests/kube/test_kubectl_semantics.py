"""kubectl wait's rules, offline: the port's unit tests and the ``wait`` command."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from gittarget_status.cli import main
from gittarget_status.kubectl import (
    ConditionWait,
    JSONPathWait,
    WaitEvaluationError,
    WaitExpressionError,
    condition_met,
    equal_fold,
    parse_wait_expression,
)


def _obj(*conditions: dict[str, Any], generation: int | None = 2, **status: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "prod"}
    if generation is not None:
        metadata["generation"] = generation
    return {
        "apiVersion": "configbutler.ai/v1alpha1",
        "kind": "GitTarget",
        "metadata": metadata,
        "status": {"conditions": list(conditions), **status},
    }


def _c(type_: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"type": type_, "status": status, **extra}


def test_parsing() -> None:
    assert parse_wait_expression("condition=Ready") == ConditionWait("Ready", "true")
    assert parse_wait_expression("--for=condition=Ready=False") == ConditionWait("Ready", "False")
    assert parse_wait_expression("condition=A=b=c") == ConditionWait("A", "b=c")
    wait = parse_wait_expression('jsonpath={.status.conditions[?(@.type=="Ready")].status}=True')
    assert isinstance(wait, JSONPathWait)
    assert wait.expression == '{.status.conditions[?(@.type=="Ready")].status}'
    assert wait.value == "True"
    relaxed = parse_wait_expression("jsonpath=status.phase='RUNNING'")
    assert isinstance(relaxed, JSONPathWait)
    assert (relaxed.expression, relaxed.value) == ("{.status.phase}", "RUNNING")


@pytest.mark.parametrize(
    "expression",
    [
        "delete",
        "create",
        "Condition=Ready",
        "ready",
        "jsonpath=",
        "jsonpath={.a}=",
        "jsonpath={.a}=b=c",
        "jsonpath={..a}=b",
        "jsonpath={.a[1:2]}=b",
        "jsonpath={range .items[*]}{.a}{end}",
    ],
)
def test_expressions_kubectl_refuses(expression: str) -> None:
    with pytest.raises(WaitExpressionError):
        parse_wait_expression(expression)


def test_equal_fold_is_go_simple_folding() -> None:
    assert equal_fold("Ready", "rEADY")
    assert equal_fold("\u212aelvin", "kelvin")  # KELVIN SIGN
    assert equal_fold("\u017ftream", "STREAM")  # LONG S
    assert equal_fold("\u1e9e", "\u00df")  # capital sharp s ~ sharp s
    assert not equal_fold("stra\u00dfe", "STRASSE")  # no full folding
    assert not equal_fold("\u0130", "i")  # dotted capital I
    assert not equal_fold("\u0131", "I")  # dotless i
    assert not equal_fold("Ready", "Ready ")


def test_condition_rules() -> None:
    assert condition_met(_obj(_c("Ready", "True")), "condition=Ready")
    assert condition_met(_obj(_c("ready", "TRUE")), "condition=READY=true")
    assert not condition_met(_obj(_c("Ready", "False")), "condition=Ready")
    assert condition_met(_obj(_c("Ready", "False")), "condition=Ready=false")
    # The first condition of a matching type decides; the rest are not looked at.
    assert not condition_met(_obj(_c("Ready", "False"), _c("Ready", "True")), "condition=Ready")
    assert condition_met(_obj(_c("ready", "True"), _c("Ready", "False")), "condition=Ready")
    # ...unless its status is missing or not a string: then it is skipped.
    first_odd = _obj({"type": "Ready", "status": True}, _c("Ready", "True"))
    assert condition_met(first_odd, "condition=Ready")
    assert condition_met(_obj({"type": "Ready"}, _c("Ready", "True")), "condition=Ready")
    assert not condition_met({"metadata": {}}, "condition=Ready")
    assert not condition_met({"status": None}, "condition=Ready")
    assert not condition_met(_obj(_c("Ready", "True"))["metadata"], "condition=Ready")


def test_observed_generation_lag() -> None:
    stale = _c("Ready", "True", observedGeneration=1)
    assert not condition_met(_obj(stale, generation=2), "condition=Ready")
    assert condition_met(_obj(stale, generation=1), "condition=Ready")
    assert condition_met(_obj(_c("Ready", "True", observedGeneration=3)), "condition=Ready")
    # Falls back to status.observedGeneration when the condition has none.
    assert not condition_met(_obj(_c("Ready", "True"), observedGeneration=1), "condition=Ready")
    assert condition_met(_obj(_c("Ready", "True"), observedGeneration=2), "condition=Ready")
    # A stale condition is "not met" even when waiting for False.
    assert not condition_met(
        _obj(_c("Ready", "False", observedGeneration=1)), "condition=Ready=false"
    )
    # No (integer) generation: no lag check.
    assert condition_met(_obj(stale, generation=None), "condition=Ready")
    lagging_but_odd = _c("Ready", "True", observedGeneration="1")
    assert condition_met(_obj(lagging_but_odd, observedGeneration=1), "condition=Ready") is False
    assert condition_met(_obj(lagging_but_odd), "condition=Ready")


def test_jsonpath_rules() -> None:
    obj = _obj(_c("Ready", "True", reason="OK"), _c("Validated", "True"), phase="RUNNING")
    obj["status"]["observedGeneration"] = 2
    assert condition_met(obj, "jsonpath={.status.phase}=RUNNING")
    assert not condition_met(obj, "jsonpath={.status.phase}=running")
    assert condition_met(obj, "jsonpath={.status.phase}")
    assert not condition_met(obj, "jsonpath={.status.missing}")
    assert condition_met(obj, "jsonpath={.status.observedGeneration}=2")
    assert condition_met(obj, "jsonpath={.status.observedGeneration}=' 2'")
    assert condition_met(obj, 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}=OK')
    assert condition_met(obj, "jsonpath={.status.conditions[-1].type}=Validated")
    assert condition_met(obj, "jsonpath={.status.conditions[?(@.reason)].type}=Ready")
    with pytest.raises(WaitEvaluationError, match="more than one value"):
        condition_met(obj, "jsonpath={.status.conditions[*].type}=Ready")
    with pytest.raises(WaitEvaluationError, match="nested object or list"):
        condition_met(obj, "jsonpath={.status.conditions}=x")
    with pytest.raises(WaitEvaluationError, match="out of bounds"):
        condition_met(obj, "jsonpath={.status.conditions[5].type}=x")
    assert condition_met(
        {"spec": {"on": True, "ratio": 1.5, "none": None}}, "jsonpath=spec.on=true"
    )
    assert condition_met({"spec": {"ratio": 1.5}}, "jsonpath={.spec.ratio}=1.5")
    assert condition_met({"spec": {"big": 1e21}}, "jsonpath={.spec.big}=1e+21")
    assert condition_met({"spec": {"none": None}}, "jsonpath={.spec.none}=<nil>")


def test_waits_are_predicates() -> None:
    obj = _obj(_c("Ready", "True"), phase="RUNNING")
    assert ConditionWait("Ready")(obj) is True
    assert ConditionWait("Ready", "False")(obj) is False
    running = parse_wait_expression("jsonpath={.status.phase}=RUNNING")
    assert isinstance(running, JSONPathWait)
    assert running(obj) is True
    assert running(_obj(phase="PENDING")) is False


def test_a_non_object_metadata_means_no_generation_check() -> None:
    # NestedInt64's error is ignored, as kubectl does: no generation, so no lag check.
    stale = _obj(_c("Ready", "True", observedGeneration=1))
    assert not condition_met(stale, "condition=Ready")
    assert condition_met({**stale, "metadata": "prod"}, "condition=Ready")
    assert condition_met({**stale, "metadata": ["prod"]}, "condition=Ready")


@pytest.mark.parametrize("obj", [[], "GitTarget", None])
def test_an_object_that_is_not_json_object_is_an_error(obj: Any) -> None:
    with pytest.raises(WaitEvaluationError) as raised:
        condition_met(obj, "condition=Ready")
    assert str(raised.value) == f"expected a JSON object, got {type(obj).__name__}"


def test_errors_kubectl_reports() -> None:
    with pytest.raises(WaitEvaluationError, match="expected \\[\\]interface"):
        condition_met({"status": {"conditions": "nope"}}, "condition=Ready")
    with pytest.raises(WaitEvaluationError, match="expected map"):
        condition_met({"status": "nope"}, "condition=Ready")


def test_what_the_real_kubectl_showed() -> None:
    """Rules the differential found on the real server (kubectl v1.36 and client-go)."""
    # A non-object entry is skipped (v1.36); v1.32 crashes on it.
    assert condition_met(_obj("x", _c("Ready", "True")), "condition=Ready")  # type: ignore[arg-type]
    assert not condition_met(_obj(7, None), "condition=Ready")  # type: ignore[arg-type]
    spec = {"spec": {"nested": {"a": 1}, "letter": "x", "name": "demo", "list": [1]}}
    for refused in ('jsonpath={.spec["letter"]}', "jsonpath={.spec.list[ 0 ]}"):
        with pytest.raises(WaitExpressionError):
            condition_met(spec, refused)
    assert condition_met(spec, "jsonpath={.spec['letter']}=x")
    with pytest.raises(WaitEvaluationError, match="is not array or slice"):
        condition_met(spec, "jsonpath={.spec.nested[*]}")
    assert condition_met(spec, "jsonpath={.spec.list[*]}=1")
    assert condition_met(spec, "jsonpath={.spec.letter.*}=120")  # a string's bytes
    with pytest.raises(WaitEvaluationError, match="more than one value"):
        condition_met(spec, "jsonpath={.spec.name.*}")
    with pytest.raises(WaitExpressionError):  # kubectl splits on the "=" of "<="
        condition_met(spec, "jsonpath={.spec.list[?(@<=1)]}=1")


# ---------------------------------------------------------------------------- CLI


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_wait_command_exit_codes(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    ready.write_text(json.dumps(_obj(_c("Ready", "True"))), encoding="utf-8")
    code, out, _ = _run("wait", "--for=condition=Ready=true", "-f", str(ready))
    assert (code, out) == (0, "gittarget.configbutler.ai/prod condition met\n")

    stale = tmp_path / "stale.yaml"
    stale.write_text(
        "apiVersion: configbutler.ai/v1alpha1\nkind: GitTarget\n"
        "metadata: {name: prod, generation: 3}\n"
        "status:\n  observedGeneration: 2\n  conditions: [{type: Ready, status: 'True'}]\n",
        encoding="utf-8",
    )
    code, _, err = _run("wait", "--for=condition=Ready", "-f", str(stale))
    assert code == 1
    assert "condition not met for gittarget.configbutler.ai/prod" in err

    assert _run("wait", "--for=condition=Ready", "-f", str(tmp_path / "missing"))[0] == 2
    assert _run("wait", "--for=delete", "-f", str(ready))[0] == 2
    assert _run("wait", "--for=bogus", "-f", str(ready))[0] == 2
    broken = tmp_path / "broken.json"
    broken.write_text('{"status": {"conditions": "nope"}}', encoding="utf-8")
    assert _run("wait", "--for=condition=Ready", "-f", str(broken))[0] == 2
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    assert _run("wait", "--for=condition=Ready", "-f", str(scalar))[0] == 2


def test_wait_command_several_objects(tmp_path: Path) -> None:
    items = [_obj(_c("Ready", "True"))] * 2
    listing: dict[str, Any] = {"apiVersion": "v1", "kind": "List", "items": items}
    both = tmp_path / "list.json"
    both.write_text(json.dumps(listing), encoding="utf-8")
    assert _run("wait", "--for=condition=Ready", "-f", str(both))[0] == 0
    items.append(_obj(_c("Ready", "False")))
    both.write_text(json.dumps(listing), encoding="utf-8")
    code, out, err = _run("wait", "--for=condition=Ready", "-f", str(both))
    assert code == 1
    assert out.count("condition met") == 2
    assert "condition not met" in err
