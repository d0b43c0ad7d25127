#!/usr/bin/env python3
"""Experiment: would a pydantic-core schema of the stored form meet the parse target?

The measurement behind docs/performance.md's "native schema" paragraph, kept so that the
numbers can be reproduced, not code the library uses. It builds the steady-state
``GitTargetStatus`` through one ``SchemaValidator`` whose checks are pydantic-core's own
(strict types, the metav1 type and reason patterns, an ASCII message within the byte
limit, bounded integers), and times, interleaved in one process against the official
client's ``V1Condition.from_dict`` x7 (the parse row's baseline):

* ``ours``: ``GitTargetStatus.from_k8s`` (the recipes of ``gittarget_status._stored``);
* ``native``: the validator alone, timestamps read by the library's ``as_stored_time``
  (pydantic-core's own datetimes carry its ``TzInfo``, not ``UTC``);
* ``native + bookkeeping``: that, plus what ``from_k8s`` records at read time for the
  byte-for-byte write back (each condition's key order, the duplicate-type check, the
  private attributes, the status's snapshot).

The schema is written by hand for this one status class (deriving it from the recipes
is what landing this would take), and checked to build a status equal to ``from_k8s``'s;
so it keeps the models' ``extra="allow"``, where landing it would refuse unknown keys (the
full validation notes them) and set the shared empty extras itself.

    pip install -e ".[bench]" && python benchmarks/native_schema.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import SchemaValidator, core_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gittarget_status import Condition, ConditionStatus, GitTargetStatus, Phase
from gittarget_status._stored._recipe import recipe_for
from gittarget_status.conditions._model import raw_json, stored_keys
from gittarget_status.conditions._rules import MAX_MESSAGE_BYTES
from gittarget_status.conditions._time import as_stored_time
from gittarget_status.gittarget._status import (
    BootstrapStatus,
    EncryptionStatus,
    SecretRef,
    SnapshotStats,
    SnapshotStatus,
    StreamStatus,
    WorkerRef,
)
from gtsbench.core import steady_status

__all__ = ["main", "native_validator"]

#: metav1.Condition's type (an optional DNS-subdomain prefix, then a qualified name) and
#: reason patterns; the lengths are checked beside them.
TYPE_PATTERN = (
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
)
REASON_PATTERN = r"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"
#: An ASCII message is within the byte limit iff within as many characters.
ASCII_MESSAGE = rf"^[\x00-\x7f]{{0,{MAX_MESSAGE_BYTES}}}$"

Schema = core_schema.CoreSchema


def _stored_time(value: Any) -> datetime:
    moment = as_stored_time(value)
    if moment is None:
        raise ValueError("not in the stored form")
    return moment


TIME = core_schema.no_info_plain_validator_function(_stored_time)
COUNT = core_schema.int_schema(ge=0, le=2**63 - 1, strict=True)


def _text(**bounds: Any) -> Schema:
    return core_schema.str_schema(strict=True, **bounds)


def _model(cls: type[BaseModel], fields: dict[str, tuple[str, Schema]]) -> Schema:
    """``cls`` from exactly these keys: (alias, schema) per field, every field named."""
    assert list(fields) == list(cls.model_fields), f"{cls.__name__}: not every field"
    return core_schema.model_schema(
        cls,
        core_schema.model_fields_schema(
            {
                name: core_schema.model_field(schema, validation_alias=alias)
                for name, (alias, schema) in fields.items()
            },
            extra_behavior="allow",
        ),
        config=core_schema.CoreConfig(extra_fields_behavior="allow"),
    )


def _optional(alias: str, schema: Schema) -> tuple[str, Schema]:
    return alias, core_schema.with_default_schema(schema, default=None)


def native_validator() -> SchemaValidator:
    """The stored form of ``GitTargetStatus``, every check native except the timestamps."""
    condition = _model(
        Condition,
        {
            "type": ("type", _text(pattern=TYPE_PATTERN, max_length=316)),
            "status": (
                "status",
                core_schema.enum_schema(ConditionStatus, list(ConditionStatus), sub_type="str"),
            ),
            "observed_generation": _optional("observedGeneration", COUNT),
            "last_transition_time": _optional("lastTransitionTime", TIME),
            "reason": ("reason", _text(pattern=REASON_PATTERN, max_length=1024)),
            "message": (
                "message",
                core_schema.with_default_schema(_text(pattern=ASCII_MESSAGE), default=""),
            ),
        },
    )
    stats = {name: _optional(name, COUNT) for name in ("created", "updated", "deleted")}
    status = _model(
        GitTargetStatus,
        {
            "observed_generation": _optional("observedGeneration", COUNT),
            "conditions": (
                "conditions",
                core_schema.with_default_schema(
                    core_schema.list_schema(condition), default_factory=list
                ),
            ),
            "last_handled_reconcile_at": _optional("lastHandledReconcileAt", _text()),
            "phase": _optional(
                "phase", core_schema.enum_schema(Phase, list(Phase), sub_type="str")
            ),
            "last_reconcile_time": _optional("lastReconcileTime", TIME),
            "worker_ref": _optional(
                "workerRef",
                _model(
                    WorkerRef,
                    {"name": ("name", _text()), "uid": _optional("uid", _text())},
                ),
            ),
            "encryption": _optional(
                "encryption",
                _model(
                    EncryptionStatus,
                    {
                        "mode": _optional("mode", _text()),
                        "secret_ref": _optional(
                            "secretRef", _model(SecretRef, {"name": ("name", _text())})
                        ),
                        "recipients_hash": _optional("recipientsHash", _text()),
                        "last_validated_time": _optional("lastValidatedTime", TIME),
                    },
                ),
            ),
            "bootstrap": _optional(
                "bootstrap",
                _model(
                    BootstrapStatus,
                    {
                        "target_path": _optional("targetPath", _text()),
                        "commit": _optional("commit", _text()),
                        "last_applied_time": _optional("lastAppliedTime", TIME),
                    },
                ),
            ),
            "snapshot": _optional(
                "snapshot",
                _model(
                    SnapshotStatus,
                    {
                        "last_completed_time": _optional("lastCompletedTime", TIME),
                        "last_commit": _optional("lastCommit", _text()),
                        "stats": _optional("stats", _model(SnapshotStats, stats)),
                    },
                ),
            ),
            "stream": _optional(
                "stream",
                _model(
                    StreamStatus,
                    {
                        "status": _optional("status", _text()),
                        "registered_time": _optional("registeredTime", TIME),
                        "last_event_time": _optional("lastEventTime", TIME),
                    },
                ),
            ),
        },
    )
    return SchemaValidator(status)


_SET_RAW: Any = Condition.__dict__["_gts_raw"].__set__
_SET_PRIVATE: Any = BaseModel.__dict__["__pydantic_private__"].__set__


def with_bookkeeping(validator: SchemaValidator) -> Callable[[dict[str, Any]], GitTargetStatus]:
    """The validator, then what ``from_k8s`` records when it reads the stored form."""
    private = _private_of()

    def parse(data: dict[str, Any]) -> GitTargetStatus:
        status: GitTargetStatus = validator.validate_python(data)
        entries = data["conditions"]
        for condition, entry in zip(status.conditions, entries, strict=True):
            _SET_RAW(condition, stored_keys(entry))
        if len({entry["type"] for entry in entries}) != len(entries):
            raise ValueError("a duplicate type: left to the full validation")
        _SET_PRIVATE(status, dict(private))
        status._read_as_stored(data)
        return status

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny iteration counts")
    args = parser.parse_args(argv)
    from kubernetes.client import V1Condition

    data = steady_status().to_k8s()
    validator = native_validator()
    parse = with_bookkeeping(validator)
    ours = GitTargetStatus.from_k8s(data)
    built = parse(data)
    assert built == ours and built.to_k8s() == data, "the experiment builds another status"
    assert [raw_json(c) for c in built.conditions] == data["conditions"]
    entries = data["conditions"]
    runs: dict[str, Callable[[], object]] = {
        "V1Condition.from_dict x7": lambda: [V1Condition.from_dict(c) for c in entries],
        "ours (from_k8s)": lambda: GitTargetStatus.from_k8s(data),
        "native": lambda: validator.validate_python(data),
        "native + bookkeeping": lambda: parse(data),
    }
    number, rounds = (20, 2) if args.quick else (2_000, 15)
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):  # interleaved, so load hits every row alike
        for name, run in runs.items():
            best[name] = min(best[name], timeit.timeit(run, number=number) / number * 1e6)
    baseline = best["V1Condition.from_dict x7"]
    for name, micros in best.items():
        print(f"{name:26s} {micros:7.2f} µs  {micros / baseline:.2f}x")
    for name, micros in _bookkeeping_parts(validator, data, _private_of(), number).items():
        print(f"  of which {name:17s} {micros:5.2f} µs")
    sets = _fields_sets(validator.validate_python(data)), _fields_sets(ours)
    for name, found in zip(("native", "ours"), sets, strict=True):
        size = sum(sys.getsizeof(s) for s in found.values())
        print(f"fields sets ({name}): {len(found)} distinct, {size} bytes")
    return 0


def _private_of() -> dict[str, Any]:
    """The private attributes' defaults a status built from its recipe starts with."""
    GitTargetStatus.from_k8s(steady_status().to_k8s())  # makes the recipe
    recipe = recipe_for(GitTargetStatus)
    assert recipe is not None
    return recipe.private or {}


def _bookkeeping_parts(
    validator: SchemaValidator, data: dict[str, Any], private: dict[str, Any], number: int
) -> dict[str, float]:
    """Each step of ``with_bookkeeping`` timed alone (9 rounds, minimum), in µs."""
    entries = data["conditions"]
    status: GitTargetStatus = validator.validate_python(data)
    kept = with_bookkeeping(validator)(data)

    def key_orders() -> None:
        for condition, entry in zip(status.conditions, entries, strict=True):
            _SET_RAW(condition, stored_keys(entry))

    parts: dict[str, Callable[[], object]] = {
        "key orders": key_orders,
        "duplicate types": lambda: len({entry["type"] for entry in entries}) != len(entries),
        "private attrs": lambda: _SET_PRIVATE(status, dict(private)),
        "snapshot": lambda: kept._read_as_stored(data),
    }
    return {
        name: min(timeit.repeat(part, number=number, repeat=9)) / number * 1e6
        for name, part in parts.items()
    }


def _fields_sets(status: GitTargetStatus) -> dict[int, set[str] | frozenset[str]]:
    """Each distinct ``__pydantic_fields_set__`` of the status and its models, by id."""
    models: list[BaseModel] = [status, *status.conditions]
    for name in ("worker_ref", "encryption", "bootstrap", "snapshot", "stream"):
        child = getattr(status, name)
        if child is not None:
            models.append(child)
    return {id(m.__pydantic_fields_set__): m.__pydantic_fields_set__ for m in models}


if __name__ == "__main__":
    raise SystemExit(main())
