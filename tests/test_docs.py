"""Documentation pages are executable: every ```python block runs (```py blocks are shown only).

The blocks of one page run in order in one namespace, so a page can build on earlier
blocks. Illustrative snippets that need a cluster or another framework (kopf, the official
client) use the ``py`` fence instead, which renders the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: Pages whose blocks their own test runs, as one pytest module
#: (tests/test_docs_property_testing.py).
EXECUTED_ELSEWHERE: frozenset[str] = frozenset({"property-testing.md"})
#: Pages whose blocks start a real API server: they need ``KUBEBUILDER_ASSETS``.
NEEDS_CONTROL_PLANE: frozenset[str] = frozenset({"real-api-server.md"})


def _pages() -> list[Path]:
    return sorted(
        p
        for p in DOCS.rglob("*.md")
        if "generated" not in p.parts and p.name not in EXECUTED_ELSEWHERE
    )


def _blocks(page: Path) -> list[str]:
    """The ```python blocks, each padded so its line numbers are the page's own.

    Tracebacks then point at the right line of the page, and tools that read source
    back (hypothesis, inspect) find the code where the line numbers say it is.
    """
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M):
        first_line = text.count("\n", 0, match.start(1))
        blocks.append("\n" * first_line + match.group(1))
    return blocks


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_python_blocks_run(page: Path, request: pytest.FixtureRequest) -> None:
    if page.name in NEEDS_CONTROL_PLANE:
        request.getfixturevalue("gts_control_plane")  # skips (or fails in CI) without binaries
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    for block in _blocks(page):
        # dont_inherit: run the page as a reader would, without this module's __future__ flags
        exec(compile(block, str(page), "exec", dont_inherit=True), namespace)


def test_the_pages_with_examples_have_executed_blocks() -> None:
    for name in ("index.md", "status-contract.md", "lifecycle.md", "custom-gates.md"):
        assert _blocks(DOCS / name), f"{name} lost its executed examples"


def test_nav_lists_every_page() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = [p for p in DOCS.rglob("*.md") if "generated" not in p.parts]
    for page in pages:
        assert str(page.relative_to(DOCS)) in nav, f"{page.name} is not in the mkdocs nav"
