"""The examples use the library as a user would: public names only.

Every ``examples/*.py`` is parsed (not imported) and each import from ``gittarget_status``
is checked: no module path segment and no imported name starting with ``_``, every name
in its module's ``__all__``, and no ``gittarget_status._x`` reached through attributes.
The generic examples (Database, Certificate) also import no GitTarget name at all.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PACKAGE = "gittarget_status"
#: Examples built on the generic core only: no GitTarget name may be imported.
GENERIC = ("certificate.py", "database.py")


def _ours(module: str) -> bool:
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def _imports(tree: ast.AST) -> list[tuple[str, str | None, int]]:
    """``(module, name or None, line)`` for every import of the library in ``tree``."""
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None:
            if _ours(node.module):
                found.extend((node.module, alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((a.name, None, node.lineno) for a in node.names if _ours(a.name))
    return found


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def private_uses(source: str) -> list[str]:
    """Every private module or name of the library that ``source`` imports or reaches."""
    tree = ast.parse(source)
    problems = []
    for module, name, line in _imports(tree):
        if any(part.startswith("_") for part in module.split(".")):
            problems.append(f"line {line}: private module {module}")
        elif name is not None:
            exported = getattr(importlib.import_module(module), "__all__", ())
            if name.startswith("_") or name not in exported:
                problems.append(f"line {line}: {module}.{name} is not in its __all__")
    attributes = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)]
    inner = {id(node.value) for node in attributes}
    for node in attributes:
        if id(node) not in inner:  # the whole chain once, not each of its prefixes
            dotted = _dotted(node)
            parts = [] if dotted is None else dotted.split(".")
            if parts and _ours(parts[0]) and any(p.startswith("_") for p in parts[1:]):
                problems.append(f"line {node.lineno}: private attribute {dotted}")
    return problems


def gittarget_names(source: str) -> list[str]:
    """Names imported from the library that belong to the GitTarget product."""
    return [
        module if name is None else f"{module}.{name}"
        for module, name, _ in _imports(ast.parse(source))
        if (name is not None and "gittarget" in name.lower())
        or "gittarget" in module.lower().removeprefix(PACKAGE)
    ]


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.py"))


def test_there_are_examples_to_check() -> None:
    names = {path.name for path in _examples()}
    assert set(GENERIC) <= names
    assert len(names) >= 4


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.name)
def test_an_example_imports_only_public_names(path: Path) -> None:
    assert private_uses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", GENERIC)
def test_a_generic_example_imports_no_gittarget_name(name: str) -> None:
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    assert _imports(ast.parse(source)), f"{name} imports nothing from the library"
    assert gittarget_names(source) == []


def test_the_checks_find_what_they_look_for() -> None:
    """Each kind of violation is reported (so a green run means something)."""
    bad = "\n".join(
        [
            "import gittarget_status",
            "from gittarget_status._base import KubeModel",
            "from gittarget_status.conditions import _common",
            "from gittarget_status.conditions import SUBCLASS_HOOKS",
            "import gittarget_status.conditions._model",
            "x = gittarget_status.conditions._status.StatusModel",
        ]
    )
    found = private_uses(bad)
    assert [p.split(":")[0] for p in found] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ], found
    assert private_uses("from gittarget_status import StatusModel, KubeModel") == []
    product = (
        "from gittarget_status import GitTargetStatus, Gate\nimport gittarget_status.gittarget"
    )
    assert gittarget_names(product) == [
        "gittarget_status.GitTargetStatus",
        "gittarget_status.gittarget",
    ]
    assert gittarget_names("from gittarget_status.gates import Gate") == []
