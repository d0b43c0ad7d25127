"""A test-only custom resource whose status the real API server stores as any JSON.

The GitTarget CRD's schema prunes unknown fields and rejects mistyped ones, so the odd
objects a differential test of ``kubectl wait`` needs (duplicated or mistyped condition
fields, non-object entries, a ``status`` that is a string) would never reach kubectl.
``Probe`` (group ``probes.gittarget-status.test``) has a status subresource and a
``status`` schema of just ``x-kubernetes-preserve-unknown-fields: true`` (no type), so
whatever is written through ``/status`` is stored and served back as written (the
server does drop ``status: null``, and re-serializes keys in sorted order).

``metadata.generation`` stays the server's: 1 at creation, one more per spec change.
:class:`ProbePool` therefore keeps, per generation 1..4, a few objects whose spec was
changed that often, and reuses them: each use is one ``PUT /status``. A real server
cannot hold a ``metadata.generation`` that is missing, zero or not an integer, nor a
``status: null``: those shapes are left to the port's unit tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from gittarget_status.testing.control_plane import ApiClient

__all__ = ["GENERATIONS", "PROBE_CRD", "PROBE_KIND", "ProbePool", "probe_crd"]

GROUP = "probes.gittarget-status.test"
VERSION = "v1"
PROBE_KIND = "Probe"
PROBE_CRD = f"probes.{GROUP}"

#: The generations a pooled object can have (the server counts them; we cannot set one).
GENERATIONS = (1, 2, 3, 4)

#: The spec every probe carries: scalars of every JSON type for the JSONPath cases.
PROBE_SPEC: dict[str, Any] = {
    "on": True,
    "off": False,
    "ratio": 1.5,
    "big": 1e21,
    "million": 1000000.5,
    "count": 3,
    "negative": -2,
    "none": None,
    "name": "demo",
    "letter": "x",
    "empty": "",
    "list": [1, "two", None],
    "nested": {"a": {"b": "deep"}},
}


def probe_crd() -> dict[str, Any]:
    """The CRD manifest: namespaced, v1, status subresource, any JSON in spec and status."""
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": PROBE_CRD},
        "spec": {
            "group": GROUP,
            "scope": "Namespaced",
            "names": {
                "plural": "probes",
                "singular": "probe",
                "kind": PROBE_KIND,
                "listKind": "ProbeList",
            },
            "versions": [
                {
                    "name": VERSION,
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {
                                "spec": {
                                    "type": "object",
                                    "x-kubernetes-preserve-unknown-fields": True,
                                },
                                "status": {"x-kubernetes-preserve-unknown-fields": True},
                            },
                        }
                    },
                }
            ],
        },
    }


_ABSENT = object()


@dataclass(repr=False)
class ProbePool:
    """``per_generation`` probes of each of ``generations`` in ``namespace``, reused."""

    client: ApiClient
    namespace: str
    per_generation: int
    generations: tuple[int, ...] = GENERATIONS
    _objects: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _by_generation: dict[int, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        base = self.client.resource_path(f"{GROUP}/{VERSION}", PROBE_KIND, namespace=self.namespace)

        def make(name: str, generation: int) -> dict[str, Any]:
            body = {
                "apiVersion": f"{GROUP}/{VERSION}",
                "kind": PROBE_KIND,
                "metadata": {"name": name},
                "spec": {**PROBE_SPEC, "revision": 1},
            }
            obj: dict[str, Any] = self.client.post(base, body)
            for revision in range(2, generation + 1):
                obj["spec"]["revision"] = revision
                obj = self.client.put(f"{base}/{name}", obj)
            assert obj["metadata"]["generation"] == generation, obj["metadata"]
            return obj

        wanted = {
            f"g{generation}-{i}": generation
            for generation in self.generations
            for i in range(self.per_generation)
        }
        with ThreadPoolExecutor(max_workers=8) as workers:
            made = dict(zip(wanted, workers.map(make, wanted, wanted.values()), strict=True))
        self._objects.update(made)
        for name, generation in wanted.items():
            self._by_generation.setdefault(generation, []).append(name)

    def __repr__(self) -> str:
        return f"ProbePool(namespace={self.namespace!r}, per_generation={self.per_generation})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Keep hypothesis' report of a failing example short (it prints fixtures too)."""
        printer.text(repr(self))

    def path(self, name: str) -> str:
        return self.client.object_path(self._objects[name])

    def store(self, items: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
        """Give each (generation, object) a probe and store the object's status on it.

        The probe has that generation while the pool has one free, else the next
        generation that has (the verdicts are judged on the object as stored, so this
        only shifts which generations are tried). The object's ``status`` key is written
        as is (absent: no status). Returns the probes as the server now serves them, by
        name, in the order given.
        """
        free = {g: list(names) for g, names in self._by_generation.items()}
        order = sorted(free)
        stored: dict[str, dict[str, Any]] = {}
        for generation, obj in items:
            start = order.index(generation) if generation in order else 0
            candidates = [g for g in order[start:] + order[:start] if free[g]]
            if not candidates:
                raise ValueError(f"the pool holds {len(self._objects)} probes, not more")
            name = free[candidates[0]].pop(0)
            body = {k: v for k, v in self._objects[name].items() if k != "status"}
            status = obj.get("status", _ABSENT)
            if status is not _ABSENT:
                body["status"] = status
            answer: dict[str, Any] = self.client.put(self.path(name) + "/status", body)
            self._objects[name] = answer
            stored[name] = answer
        return stored
