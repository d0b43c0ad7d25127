"""Writers that share GitTarget objects on the real API server, for the coexistence tests.

* :class:`GitTargetController`: our controller, on the library: read, one pass, write only
  when the pass changed something, by merge patch (with ``resourceVersion``, so a stale
  read gets a real 409 and the pass is redone on a fresh read) or by server-side apply.
* :class:`PolicyController`: a second controller built on the library that owns other
  condition types on the same objects and writes them by server-side apply.
* :class:`RawWriter`: a controller that does not use the library and writes
  server-valid oddities (long names, huge multibyte messages, fractional and offset
  times) by server-side apply or by merge patch, re-asserting them every round.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from gittarget_status import (
    Condition,
    GitTargetSpec,
    gittarget_pipeline,
    reconcile_gittarget,
    set_condition,
)
from gittarget_status.patch import apply_status_body, status_patch
from gittarget_status.testing import FakeGitTargetWorld, demo_spec, strategies as gs
from gittarget_status.testing.control_plane import ApiClient, ApiError

__all__ = [
    "API_VERSION",
    "ODD_FOREIGN_CONDITIONS",
    "GitTargetController",
    "PolicyController",
    "RawWriter",
    "Tally",
    "create_gittarget",
    "entries_by_type",
]

API_VERSION = "configbutler.ai/v1alpha1"
WritePath = Literal["merge", "apply"]

#: Conditions another controller may legally store (the CRD's metav1.Condition schema
#: accepts each), though our own strict rules would never write them: the toolkit's named
#: oddities, plus a few of this module's (a message beyond the BMP exercises apply bodies).
ODD_FOREIGN_CONDITIONS: tuple[dict[str, Any], ...] = (
    *gs.ODD_FOREIGN_CONDITIONS.values(),
    {
        "type": "policy.example.com/" + "a" * 64,  # a 64-character name part
        "status": "True",
        "reason": "LongNamePart",
        "message": "accepted by the CRD pattern and the 316-character limit",
        "lastTransitionTime": "2026-04-01T10:00:00Z",
    },
    {
        "type": "Audited",
        "status": "False",
        "reason": "Huge",
        "message": "\u00e9\u6f22\U0001f600" * 6666 + "xy",  # 20,000 characters, ~60,000 bytes
        "lastTransitionTime": "2026-04-01T10:00:00.123456Z",
    },
    {
        "type": "example.com/OffsetAndZero",
        "status": "Unknown",
        "reason": "Offset",
        "message": "",
        "lastTransitionTime": "2026-04-01T10:00:00+02:00",
        "observedGeneration": 0,
    },
)


def create_gittarget(api: ApiClient, namespace: str, name: str) -> None:
    """A GitTarget with the sample spec, by server-side apply."""
    api.apply(
        {
            "apiVersion": API_VERSION,
            "kind": "GitTarget",
            "metadata": {"name": name},
            "spec": demo_spec().to_k8s(),
        },
        namespace=namespace,
    )


def entries_by_type(obj: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The stored condition entries keyed by type (the first of each, as kubectl reads)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in (obj.get("status") or {}).get("conditions") or []:
        found.setdefault(entry["type"], entry)
    return found


@dataclass
class Tally:
    """What one writer did: passes run, writes that landed, 409s retried."""

    passes: int = 0
    writes: int = 0
    conflicts: int = 0

    def __str__(self) -> str:
        return f"{self.passes} passes, {self.writes} writes, {self.conflicts} conflicts retried"


@dataclass
class GitTargetController:
    """Our GitTarget controller: one pass per object per round, writes only on change."""

    api: ApiClient
    namespace: str
    path: WritePath = "merge"
    manager: str = "gittarget-controller"
    tally: Tally = field(default_factory=Tally)
    max_retries: int = 20
    #: Called with the object's name between the read and the first write attempt: a test
    #: makes another writer change the object there, so the write meets a real 409.
    interfere: Callable[[str], None] | None = None

    def object_path(self, name: str) -> str:
        return self.api.resource_path(API_VERSION, "GitTarget", name, namespace=self.namespace)

    def reconcile(self, name: str, world: FakeGitTargetWorld, now: datetime) -> bool:
        """One pass (redone on a fresh read after each 409); True if it wrote."""
        for attempt in range(self.max_retries):
            obj = self.api.get(self.object_path(name))
            self.tally.passes += 1
            stored = obj.get("status")
            outcome = reconcile_gittarget(
                GitTargetSpec.from_k8s(obj["spec"]),
                stored,
                world,
                generation=obj["metadata"]["generation"],
                now=now,
            )
            if not outcome.changed:
                return False
            if attempt == 0 and self.interfere is not None:
                self.interfere(name)
            try:
                self._write(obj, outcome.status)
            except ApiError as error:
                if not error.conflict:
                    raise
                self.tally.conflicts += 1
                continue
            self.tally.writes += 1
            return True
        raise AssertionError(f"{name}: still conflicting after {self.max_retries} retries")

    def _write(self, obj: Mapping[str, Any], status: Any) -> None:
        path = self.object_path(obj["metadata"]["name"]) + "/status"
        if self.path == "merge":
            body = status_patch(
                obj.get("status"), status, resource_version=obj["metadata"]["resourceVersion"]
            )
            if body is not None:
                self.api.patch(path, body, "merge")
            return
        body = apply_status_body(  # owned fields: derived from the status model
            status,
            api_version=API_VERSION,
            kind="GitTarget",
            name=obj["metadata"]["name"],
            namespace=self.namespace,
            owned_conditions=gittarget_pipeline().owned_types,
        )
        self.api.patch(path, body, "apply", field_manager=self.manager, force=True)


@dataclass
class PolicyController:
    """A second controller on the library, owning ``PolicyCompliant`` and ``Scanned``."""

    api: ApiClient
    namespace: str
    manager: str = "policy-controller"
    tally: Tally = field(default_factory=Tally)
    owned: tuple[str, ...] = ("PolicyCompliant", "Scanned")

    def desired(self, compliant: bool, scanned: bool, generation: int) -> list[Condition]:
        return [
            Condition(
                type="PolicyCompliant",
                status=compliant,
                reason="AllRulesPass" if compliant else "RuleViolated",
                message="" if compliant else "rule no-latest-tag failed",
                observed_generation=generation,
            ),
            Condition(
                type="Scanned",
                status=scanned,
                reason="ScanComplete" if scanned else "ScanPending",
                observed_generation=generation,
            ),
        ]

    def reconcile(self, name: str, compliant: bool, scanned: bool, now: datetime) -> bool:
        path = self.api.resource_path(API_VERSION, "GitTarget", name, namespace=self.namespace)
        obj = self.api.get(path)
        self.tally.passes += 1
        stored = entries_by_type(obj)
        current = [Condition.from_k8s(stored[type_]) for type_ in self.owned if type_ in stored]
        before = [c.to_k8s() for c in current]
        for wanted in self.desired(compliant, scanned, obj["metadata"]["generation"]):
            set_condition(current, wanted, now=now)
        after = [c.to_k8s() for c in current]
        if before == after:
            return False
        body = {
            "apiVersion": API_VERSION,
            "kind": "GitTarget",
            "metadata": {"name": name, "namespace": self.namespace},
            "status": {"conditions": after},
        }
        self.api.patch(path + "/status", body, "apply", field_manager=self.manager)
        self.tally.writes += 1
        return True


@dataclass
class RawWriter:
    """A controller that does not use the library, writing its own entries as JSON."""

    api: ApiClient
    namespace: str
    mode: Literal["apply", "merge"]
    conditions: Sequence[Mapping[str, Any]] = ODD_FOREIGN_CONDITIONS
    manager: str = "raw-writer"
    tally: Tally = field(default_factory=Tally)

    def assert_values(self, name: str) -> None:
        """(Re-)assert every entry: by apply (own manager) or merge patch (whole list)."""
        path = self.api.resource_path(API_VERSION, "GitTarget", name, namespace=self.namespace)
        if self.mode == "apply":
            body = {
                "apiVersion": API_VERSION,
                "kind": "GitTarget",
                "metadata": {"name": name, "namespace": self.namespace},
                "status": {"conditions": [dict(c) for c in self.conditions]},
            }
            self.api.patch(path + "/status", body, "apply", field_manager=self.manager)
            self.tally.writes += 1
            return
        while True:
            obj = self.api.get(path)
            entries = list((obj.get("status") or {}).get("conditions") or [])
            mine = {c["type"]: dict(c) for c in self.conditions}
            merged = [mine.pop(e["type"], e) for e in entries] + list(mine.values())
            if merged == entries:
                return
            body = {
                "metadata": {"resourceVersion": obj["metadata"]["resourceVersion"]},
                "status": {"conditions": copy.deepcopy(merged)},
            }
            try:
                self.api.patch(path + "/status", body, "merge", field_manager=self.manager)
            except ApiError as error:
                if not error.conflict:
                    raise
                self.tally.conflicts += 1
                continue
            self.tally.writes += 1
            return
