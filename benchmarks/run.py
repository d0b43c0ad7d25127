#!/usr/bin/env python3
"""Benchmarks of gittarget-status against the code people write or use instead.

Run from a checkout with the ``bench`` extra installed::

    pip install -e ".[bench]" && python benchmarks/run.py

Everything is measured in one process, side by side, and printed as one table of medians
and ratios with the target of each row (the measures live in ``benchmarks/gtsbench/``,
one module each). ``--quick`` runs tiny iteration counts (the test suite uses it to prove
the script works; its numbers mean nothing). ``--json FILE`` and ``--markdown FILE`` also
write the rows. A missing comparison package (``kubernetes``, ``kubernetes_asyncio``)
skips its rows instead of failing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gtsbench.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
