"""The two ways a ``kubectl wait`` check fails, apart from "not met".

Their own module so that the JSONPath evaluator, the unstructured accessors and the wait
expressions can all raise them without importing one another.
"""

from __future__ import annotations

__all__ = ["WaitEvaluationError", "WaitExpressionError"]


class WaitExpressionError(ValueError):
    """The ``--for`` expression is one kubectl would refuse (or one this port lacks)."""


class WaitEvaluationError(ValueError):
    """kubectl would fail with an error on this object (not merely "condition not met")."""
