"""Re-exporting a package's API from its private modules under the package's own name.

The ``invariants`` and ``strategies`` packages define their API in private modules; this
sets ``__module__`` of the re-exported classes and functions back to the package, as it
was when each was a single module (reprs, ``__module__``-based API checks and
documentation tools see the public path, not ``._rules_flux``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["claim_public_names"]


def claim_public_names(namespace: dict[str, Any]) -> None:
    """Make ``namespace["__name__"]`` the ``__module__`` of each callable in its ``__all__``."""
    for name in namespace["__all__"]:
        value = namespace[name]
        if callable(value):
            value.__module__ = namespace["__name__"]
