"""docs/property-testing.md is executable: its Python blocks form one test module, run here
by pytest (warnings as errors) exactly as a user's suite would run it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from gittarget_status.testing import RULES

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "property-testing.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.DOTALL)


def test_the_documented_example_runs_as_a_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_property_testing_doc.py"
    module.write_text("\n\n".join(_blocks("python")), encoding="utf-8")
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
