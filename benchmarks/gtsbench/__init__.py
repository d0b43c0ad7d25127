"""The benchmark suite of gittarget-status: one module per measure, run by ``benchmarks/run.py``.

Each measure module has one ``rows(budget)`` generator yielding
[`Row`][gtsbench.core.Row]s; ``cli`` runs them in one process, side by side, and prints
the table (``report``). ``baseline`` is the hand-written dict pass the library's pass and
resync are measured against.
"""
