"""The package imports its names on first use (PEP 562), with the same public surface."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

import gittarget_status
from gittarget_status import gittarget

LAZY = [gittarget_status, gittarget]


def test_importing_the_package_does_not_import_pydantic() -> None:
    code = (
        "import sys, gittarget_status, gittarget_status.gittarget; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("package", LAZY, ids=lambda m: m.__name__)
def test_every_public_name_is_the_defining_modules_object(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    assert set(names) <= set(dir(package))
    for name in names:
        value = getattr(package, name)
        defining = getattr(value, "__module__", None)
        if isinstance(defining, str) and defining.startswith("gittarget_status."):
            assert getattr(importlib.import_module(defining), name, value) is value, name
        assert vars(package)[name] is value  # cached: the next access is a plain attribute


def test_subpackages_are_attributes_and_unknown_names_fail_by_name() -> None:
    assert gittarget_status.patch is importlib.import_module("gittarget_status.patch")
    assert "kubectl" in dir(gittarget_status)
    with pytest.raises(AttributeError, match="'gittarget_status' has no attribute 'Conditon'"):
        gittarget_status.Conditon  # type: ignore[attr-defined]  # noqa: B018
    product = re.escape("'gittarget_status.gittarget' has no attribute 'READY'")
    with pytest.raises(AttributeError, match=product):
        gittarget.READY  # type: ignore[attr-defined]  # noqa: B018


def test_the_type_checking_imports_list_every_public_name() -> None:
    """Static readers (mypy, the docs' griffe) see the names only through these imports."""
    import ast
    from pathlib import Path

    for package in LAZY:
        tree = ast.parse(Path(package.__file__ or "").read_text(encoding="utf-8"))
        guarded = [
            node
            for node in tree.body
            if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        ]
        imported = {
            alias.asname or alias.name
            for block in guarded
            for stmt in ast.walk(block)
            if isinstance(stmt, ast.ImportFrom)
            for alias in stmt.names
        }
        # __version__ is a plain import above the guard.
        assert imported == set(package.__all__) - {"__version__"}, package.__name__


def test_lazy_attributes_import_subpackages_and_refuse_names_no_source_has() -> None:
    """The hook itself: a subpackage is imported on access; a listed name no source
    exports fails by name instead of returning None."""
    from gittarget_status._lazy import lazy_attributes

    getattr_, dir_ = lazy_attributes("gittarget_status", ["Ghost"], ["._errors"], ["conditions"])
    assert getattr_("conditions") is importlib.import_module("gittarget_status.conditions")
    assert {"Ghost", "conditions"} <= set(dir_())
    with pytest.raises(AttributeError, match="'gittarget_status' has no attribute 'Ghost'"):
        getattr_("Ghost")
    assert "Ghost" not in vars(gittarget_status)  # nothing cached for a failed lookup
