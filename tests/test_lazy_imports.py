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
