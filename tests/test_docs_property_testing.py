"""docs/property-testing.md is executable: its Python blocks form one test module, run here
by pytest (warnings as errors) exactly as a user's suite would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from gittarget_status.testing import RULES

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "property-testing.md").read_text(encoding="utf-8")
#: Examples per test when the suite runs with the default profile: the page's code is what
#: is checked here (it runs, and passes); how hard it fuzzes is the ci profile's business.
SMOKE_EXAMPLES = 5
#: A conftest for the page's module, capping every test's examples, the page's own
#: ``settings(max_examples=...)`` included (a profile does not override those).
SMOKE_CONFTEST = f"""
from hypothesis import settings

settings.register_profile("doc-smoke", max_examples={SMOKE_EXAMPLES}, deadline=None)
settings.load_profile("doc-smoke")


def _capped(chosen):
    return settings(chosen, max_examples=min(chosen.max_examples, {SMOKE_EXAMPLES}))


def pytest_collection_modifyitems(items):
    for item in items:
        test = getattr(item, "obj", None)
        chosen = getattr(test, "_hypothesis_internal_use_settings", None)
        if chosen is not None:
            test._hypothesis_internal_use_settings = _capped(chosen)
        case = getattr(item, "cls", None)
        if case is not None and isinstance(getattr(case, "settings", None), settings):
            case.settings = _capped(case.settings)
"""


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.DOTALL)


def test_the_documented_example_runs_as_a_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_property_testing_doc.py"
    module.write_text("\n\n".join(_blocks("python")), encoding="utf-8")
    if os.environ.get("HYPOTHESIS_PROFILE", "default") == "default":
        (tmp_path / "conftest.py").write_text(textwrap.dedent(SMOKE_CONFTEST), encoding="utf-8")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"),
            *("--rootdir", str(tmp_path), str(module)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    tests = re.findall(r"^(?:def (test_\w+)|(Test\w+) = )", DOC, flags=re.MULTILINE)
    assert f"{len(tests)} passed" in result.stdout, result.stdout


def test_the_rules_table_lists_every_rule() -> None:
    rows = re.findall(r"^\| (GTS\d{3}) \| ([a-z0-9-]+) \| (yes|no) \|", DOC, flags=re.MULTILINE)
    documented = [(rule_id, name, default == "yes") for rule_id, name, default in rows]
    assert documented == [(r.id, r.name, r.default) for r in RULES.values()]
