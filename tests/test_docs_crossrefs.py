"""Docstrings cross-reference in the syntax mkdocstrings renders, and every target exists.

Sphinx roles (``:func:`x```) are shown verbatim by mkdocstrings, so a reader of the API
reference sees markup instead of a link. ``mkdocs build --strict`` only checks the links of
docstrings it renders; this checks every docstring in ``src/``, rendered or not.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|data|meth|attr|exc|obj|const|type):`")
#: ``[text][gittarget_status.some.object]``: an autorefs link with an explicit identifier.
AUTOREF = re.compile(r"\]\[(gittarget_status(?:\.\w+)*)\]")
#: Words that point a reader at a design document they do not have.
UNSHARED_DOCUMENT = re.compile(r"\b(?:the plan\b|plan(?:'s)? section|\(plan \d)", re.I)


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _resolves(identifier: str) -> bool:
    """Import the longest module prefix of ``identifier``, then walk attributes."""
    parts = identifier.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            if not hasattr(target, name):
                # Dataclass fields and pydantic fields without defaults are not class attributes.
                fields = getattr(target, "__dataclass_fields__", None) or getattr(
                    target, "model_fields", {}
                )
                if name not in fields:
                    return False
                target = fields[name]
                continue
            target = getattr(target, name)
        return True
    return False


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_sphinx_roles(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}: {text[m.start() : m.end() + 30]}"
        for m in SPHINX_ROLE.finditer(text)
    ]
    assert not found, "use [`name`][gittarget_status.module.name] instead:\n" + "\n".join(found)


def test_every_autoref_target_exists() -> None:
    identifiers = {m.group(1) for p in _sources() for m in AUTOREF.finditer(p.read_text("utf-8"))}
    assert len(identifiers) > 50, "the docstrings lost their cross-references"
    missing = sorted(i for i in identifiers if not _resolves(i))
    assert not missing, f"cross-reference targets that do not exist: {missing}"


@pytest.mark.parametrize("identifier", ["gittarget_status.nope", "gittarget_status.Phase.NOPE"])
def test_a_missing_target_is_reported(identifier: str) -> None:
    assert not _resolves(identifier)


def test_pages_do_not_cite_an_unshared_document() -> None:
    root = SRC.parent
    paths = [*_sources(), *(root / "docs").rglob("*.md"), root / "README.md"]
    paths.append(root / "CHANGELOG.md")
    cited = [
        f"{p.relative_to(root)}: {m.group(0)}"
        for p in paths
        for m in UNSHARED_DOCUMENT.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not cited, "say what the plan says instead of citing it:\n" + "\n".join(cited)
