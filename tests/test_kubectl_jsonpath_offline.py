"""The JSONPath port and Go's ``%v`` against the real kubectl, offline.

``kubectl label --local -f FILE -o jsonpath=...`` runs client-go's JSONPath (the one
``kubectl wait`` uses) and prints each result with Go's ``fmt``, without an API server: one
process evaluates every expression below, and one per expression kubectl must refuse.
Without kubectl on PATH the differential tests skip; the refusals of the port are checked
anyway.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gittarget_status.kubectl import WaitEvaluationError, WaitExpressionError
from gittarget_status.kubectl._gofmt import go_format
from gittarget_status.kubectl._jsonpath import evaluate, parse_path

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
SEPARATOR = "\x1f"  # never in a printed value below

FLOATS = [
    1e6, 999999.0, 1e-5, 0.0001, 0.00012345, 123456.5, 1.5e300, -0.0, 100000.0,
    2.5e-7, -1.25, 5e-324, 1.7976931348623157e308, 0.1, 1e21, 12345678.0, -1e-7, 3.0,
]  # fmt: skip
OBJECT: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "x"},
    "spec": {
        "floats": FLOATS,
        "n": None,
        "m": {"k": 1, "j": "z"},
        "l": [1, "a", True],
        "items": [
            {"name": "a", "v": 1, "w": 2.5, "on": True, "tags": [{"k": "x"}]},
            {"name": "b", "v": 3, "w": 0.5, "on": False},
            {"name": "c", "v": 3},
        ],
    },
}
#: Expressions both evaluate without an error, covering every kind of step.
AGREED = [
    "{.spec.floats[*]}",
    "{.spec.l.*}",
    "{.spec.m.*}",
    "{.metadata.name.*}",
    "{.spec.n[0]}",
    "{.spec.n[*]}",
    "{.spec.m.k.*}",
    "{.spec.m.}",
    "{ .spec.m .k }",
    "{.spec.l[-1]}",
    '{.spec.items[?(@.name!="a")].v}',
    "{.spec.items[?(@.v!=3)].name}",
    "{.spec.items[?(@.v<=1)].name}",
    "{.spec.items[?(@.v>=3)].name}",
    "{.spec.items[?(@.v<3)].name}",
    "{.spec.items[?(@.v>1)].name}",
    "{.spec.items[?(@.w<1.0)].name}",
    "{.spec.items[?(@.w>-1.)].name}",
    "{.spec.items[?(@.on==true)].name}",
    "{.spec.items[?(@.on!=false)].name}",
    "{.spec.items[?(@.w==@.missing)].name}",
    "{.spec.items[?(@.tags[0].k)].name}",
    "{.spec.items[?(@.tags)].tags[0].k}",
    "{.spec.items[*].name}",
    "{.spec.items[?(@.name=='b')].v}",
]
UNORDERED = {"{.spec.m.*}"}
#: Expressions client-go fails on while evaluating, with the error it reports.
EVALUATION_ERRORS = {
    "{.spec.items[?(@.v==@.w)].name}": "incompatible types for comparison",
    "{.spec.items[?(@.v>1.5)].name}": "incompatible types for comparison",
    "{.spec.items[?(@.on<true)].name}": "invalid type for comparison",
    "{.spec.items[?(@.tags==1)].name}": "invalid type for comparison",
    "{.spec.items[?(@.*==1)].name}": "can only compare one element at a time",
    "{.spec.m[0]}": "map[string]interface {} is not array or slice",
    "{.spec.m[*]}": "map[string]interface {} is not array or slice",
    "{.metadata.name.*[0]}": "uint8 is not array or slice",
    "{.spec.l[5]}": "array index out of bounds",
    "{.spec.m[?(@.k)]}": "is not array or slice and cannot be filtered",
}


def _ours(expression: str) -> str:
    values = evaluate(parse_path(expression[1:-1]), [OBJECT])
    return " ".join(
        json.dumps(v, separators=(",", ":"), sort_keys=True)
        if isinstance(v, dict | list)
        else go_format(v)
        for v in values
    )


def _kubectl(tmp_path: Path, template: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "object.json"
    source.write_text(json.dumps(OBJECT), encoding="utf-8")
    assert KUBECTL is not None
    return subprocess.run(
        [KUBECTL, "label", "--local", "-f", str(source), "a=b", "-o", f"jsonpath={template}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_kubectl
def test_every_step_and_float_prints_as_kubectl_prints_it(tmp_path: Path) -> None:
    done = _kubectl(tmp_path, SEPARATOR.join(AGREED))
    assert done.returncode == 0, done.stderr
    theirs = dict(zip(AGREED, done.stdout.split(SEPARATOR), strict=True))
    ours = {expression: _ours(expression) for expression in AGREED}
    # Go visits a map in random order (the port: sorted keys), so only the values agree.
    for expression in UNORDERED:
        assert sorted(ours.pop(expression).split()) == sorted(theirs.pop(expression).split())
    assert ours == theirs


@needs_kubectl
@pytest.mark.parametrize("expression", sorted(EVALUATION_ERRORS))
def test_evaluation_errors_are_kubectls(tmp_path: Path, expression: str) -> None:
    message = EVALUATION_ERRORS[expression]
    done = _kubectl(tmp_path, expression)
    assert done.returncode != 0 and message in done.stderr, done.stderr
    with pytest.raises(WaitEvaluationError, match=re.escape(message)):
        _ours(expression)


@pytest.mark.parametrize(
    "expression",
    [
        "{.spec.items[?(@.v=~1)].name}",  # kubectl: unrecognized character
        "{.spec.items[?(@.v===1)].name}",
        "{.spec.items[?(@.v==.5)].name}",  # kubectl reads .5 as a field, not a number
        "{.spec.items[?(1==@.v)].name}",  # kubectl accepts these three: refused, not guessed
        "{.spec.items[?(1)].name}",
        "{.spec.items[?(@.v==nope)].name}",
        "{.spec#}",
        "{.spec.m.$}",
        "{.spec.l[0}",
        "{.spec..m}",
    ],
)
def test_what_the_port_refuses(expression: str) -> None:
    with pytest.raises(WaitExpressionError):
        _ours(expression)


def test_go_prints_the_floats_json_cannot_carry() -> None:
    # YAML (the offline ``wait`` command reads it) has .nan and .inf; Go prints them so.
    assert [go_format(v) for v in (math.nan, math.inf, -math.inf)] == ["NaN", "+Inf", "-Inf"]
    assert [go_format(v) for v in (None, True, 7, "s")] == ["<nil>", "true", "7", "s"]
