"""What the API server holds after a server-side apply of ``/status``, modelled on values.

Enough for properties that ask "does this apply body write anything": conditions merge by
``type`` (the CRD's list-map), entries of other types stay, our owned types are replaced or
removed, owned top-level fields are set or removed. Ownership bookkeeping and entry order
subtleties are the real server's; tests/kube proves the bodies there.
"""

from __future__ import annotations

import copy
from collections.abc import Collection
from typing import Any

__all__ = ["applied_status"]


def applied_status(
    stored: dict[str, Any], body: dict[str, Any], owned: Collection[str], fields: Collection[str]
) -> dict[str, Any]:
    """``stored`` after applying ``body`` as a manager owning ``owned`` types and ``fields``."""
    out = copy.deepcopy(stored)
    applied = {c["type"]: c for c in body.get("conditions", [])}
    listed: list[dict[str, Any]] = []
    for entry in out.get("conditions", []):
        type_ = entry.get("type")
        if type_ not in owned:
            listed.append(entry)
        elif type_ in applied:
            listed.append(applied.pop(type_))
    listed.extend(applied.values())
    if listed or "conditions" in out:
        out["conditions"] = listed
    for key in fields:
        if key in body:
            out[key] = body[key]
        else:
            out.pop(key, None)
    return out
