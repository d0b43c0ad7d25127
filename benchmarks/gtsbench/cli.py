"""``python benchmarks/run.py``: every measure in one process, one table."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

from gtsbench import imports, memory, parse, passes, resync, steady, upsert
from gtsbench.core import Budget, Row, machine, optional_patch
from gtsbench.report import render, render_markdown

__all__ = ["main"]

DESCRIPTION = "Benchmarks of gittarget-status against the code people write or use instead."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts (smoke test)")
    parser.add_argument("--json", type=Path, help="also write the rows and machine as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown")
    args = parser.parse_args(argv)
    budget = Budget(quick=args.quick)
    patch = optional_patch()
    measures: list[Callable[[], Iterator[Row]]] = [
        lambda: upsert.rows(budget),
        lambda: parse.rows(budget),
        lambda: passes.rows(budget, patch),
        lambda: resync.rows(budget),
        lambda: steady.rows(budget, patch),
        lambda: memory.rows(budget),
        lambda: imports.rows(budget),
    ]
    info = machine()
    print(" | ".join(f"{k}: {v}" for k, v in info.items()), flush=True)
    rows: list[Row] = []
    for measure in measures:
        rows.extend(measure())
    print(render(rows))
    if args.markdown:
        args.markdown.write_text(render_markdown(rows, info), encoding="utf-8")
    if args.json:
        payload = {"machine": info, "quick": args.quick, "rows": [asdict(r) for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0
