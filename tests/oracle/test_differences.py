"""The named differences in the tests are exactly the ones docs/kubernetes.md lists."""

from __future__ import annotations

import re
from pathlib import Path

from .test_conditions_oracle import REMOVE_DIFFERENCES, SET_DIFFERENCES
from .test_kstatus_oracle import DIFFERENCES as KSTATUS_DIFFERENCES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "kubernetes.md"


def _documented() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    table = text.split("<!-- oracle-differences")[1].split("<!-- /oracle-differences -->")[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([a-z, ]+) \|", table, flags=re.M)
    return dict(rows)


def test_the_named_differences_are_the_documented_ones() -> None:
    documented = _documented()
    in_tests = {
        "set": {d.name for d in SET_DIFFERENCES},
        "remove": {d.name for d in REMOVE_DIFFERENCES},
        "kstatus": {d.name for d in KSTATUS_DIFFERENCES},
    }
    assert set(documented) == set().union(*in_tests.values())
    for name, applies in documented.items():
        scopes = {scope.strip() for scope in applies.split(",")}
        assert scopes == {scope for scope, names in in_tests.items() if name in names}, name
