"""The API server's write semantics for ``/status``, simulated for two-writer tests.

* JSON merge patch (RFC 7386): objects merge key by key, ``null`` deletes, lists are
  replaced whole (custom resources have no strategic merge). An optional
  ``metadata.resourceVersion`` in the patch is a precondition: 409 when stale.
* Server-side apply on a list-map: field managers own top-level status fields and
  ``conditions`` entries by their ``type`` key. An apply sets what it names, takes
  ownership of it, and removes what the same manager owned before but no longer names
  (unless another manager also owns it). Entries owned by other managers are untouched.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Conflict", "StatusServer", "apply_merge_patch"]


def apply_merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


class Conflict(Exception):
    """HTTP 409: the precondition failed (someone wrote since you read)."""


Path = tuple[str, str]  # ("field", name) or ("condition", type)


@dataclass
class StatusServer:
    status: dict[str, Any] = field(default_factory=dict)
    resource_version: int = 1
    managers: dict[str, set[Path]] = field(default_factory=dict)

    def read(self) -> tuple[dict[str, Any], str]:
        return copy.deepcopy(self.status), str(self.resource_version)

    def merge_patch(self, manager: str, body: Mapping[str, Any]) -> None:
        expected = body.get("metadata", {}).get("resourceVersion")
        if expected is not None and expected != str(self.resource_version):
            raise Conflict(f"resourceVersion {expected} is stale ({self.resource_version})")
        self.status = apply_merge_patch(self.status, body.get("status", {}))
        owned = self.managers.setdefault(manager, set())
        owned.update(("field", k) for k in body.get("status", {}) if k != "conditions")
        if "conditions" in body.get("status", {}):
            types = {c["type"] for c in self.status.get("conditions", [])}
            owned.update(("condition", t) for t in types)
        self.resource_version += 1

    def apply(self, manager: str, body: Mapping[str, Any]) -> None:
        """``PATCH /status`` with ``application/apply-patch+yaml``, ``force=true``."""
        status = body.get("status", {})
        named: set[Path] = {("field", k) for k in status if k != "conditions"}
        entries = {c["type"]: c for c in status.get("conditions", [])}
        named |= {("condition", t) for t in entries}
        previously = self.managers.get(manager, set())
        others = set().union(*(p for m, p in self.managers.items() if m != manager))
        for kind, key in previously - named:
            if (kind, key) in others:
                continue
            if kind == "field":
                self.status.pop(key, None)
            else:
                self.status["conditions"] = [
                    c for c in self.status.get("conditions", []) if c["type"] != key
                ]
        for key, value in status.items():
            if key != "conditions":
                self.status[key] = copy.deepcopy(value)
        live = self.status.setdefault("conditions", [])
        for type_, entry in entries.items():
            index = next((i for i, c in enumerate(live) if c["type"] == type_), None)
            if index is None:
                live.append(copy.deepcopy(entry))
            else:
                live[index] = copy.deepcopy(entry)
        if not live:
            del self.status["conditions"]
        for other in self.managers.values():
            other -= named  # force=true: ownership moves to this manager
        self.managers[manager] = named
        self.resource_version += 1

    def condition_types(self) -> list[str]:
        return [c["type"] for c in self.status.get("conditions", [])]
