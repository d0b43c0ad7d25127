"""Status writes: the exact request bodies a controller sends, and nothing when idle.

Four ways to write ``/status``, all pure (the controller does the HTTP call):

* [`status_patch`][gittarget_status.patch.status_patch] - a JSON merge patch
  (``application/merge-patch+json``) from the status read to the status computed, or ``None`` when
  they are equal: the controller then skips the write, so a resource at steady state costs zero
  writes and zero watch events.
* [`apply_status_body`][gittarget_status.patch.apply_status_body] - a server-side apply body
  (``application/apply-patch+yaml``) naming only the condition types and status fields this
  controller owns. ``conditions`` is a list-map keyed by ``type`` in the CRD, so the API server
  merges entries by type and another field manager's conditions are never touched.
* [`merge_conditions`][gittarget_status.patch.merge_conditions] - a three-way merge for
  update-with-retry controllers: re-applies this pass's changes (``before`` -> ``after``) to the
  ``latest`` object and reports a conflict only where both sides changed the same owned condition.
* [`kopf_status_fn`][gittarget_status.patch.kopf_status_fn] - a function for kopf's ``patch.fns``
  that re-derives the status from whatever fresh body kopf hands it (pure, idempotent).

Conversions to and from the official client's ``V1Condition``, lightkube's ``Condition``
and the plain dicts of kopf and kr8s are duck-typed: nothing here imports those packages.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from gittarget_status._base import KubeModel
from gittarget_status._errors import StatusValidationError
from gittarget_status.conditions import Condition, conditions_of, set_condition
from gittarget_status.conditions._operations import HasConditions
from gittarget_status.conditions._status import StatusModel

__all__ = [
    "ConditionConflict",
    "ConditionMerge",
    "apply_status_body",
    "condition_from_client",
    "condition_to_client",
    "conditions_from_object",
    "json_merge_patch",
    "kopf_status_fn",
    "merge_conditions",
    "owned_status_fields",
    "status_from_object",
    "status_patch",
]

StatusLike = BaseModel | Mapping[str, Any] | None
M = TypeVar("M", bound=KubeModel)


def _stored_json(status: StatusLike) -> Mapping[str, Any]:
    """The old side of a diff: for a model ``from_k8s`` read, the JSON it read."""
    if isinstance(status, StatusModel):
        stored = status.stored_json
        if stored is not None:
            return stored
    return _status_json(status)


def _status_json(status: StatusLike) -> dict[str, Any]:
    if status is None:
        return {}
    if isinstance(status, KubeModel):
        return status.to_k8s()
    if isinstance(status, BaseModel):
        dumped: dict[str, Any] = status.model_dump(mode="json", by_alias=True, exclude_none=True)
        return dumped
    if isinstance(status, Mapping):
        return copy.deepcopy(dict(status))
    raise TypeError(f"expected a status model or a JSON object, got {type(status).__name__}")


def json_merge_patch(old: Any, new: Any) -> Any:
    """RFC 7386: the merge patch turning ``old`` into ``new`` (``{}`` when equal).

    Objects are diffed key by key (a removed key becomes ``null``); anything else,
    lists included, is replaced whole, which is what the API server does for custom
    resources (no strategic merge).
    """
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return copy.deepcopy(new)
    patch: dict[str, Any] = {}
    for key in old:
        if key not in new:
            patch[key] = None
    for key, value in new.items():
        if key not in old:
            patch[key] = copy.deepcopy(value)
        elif old[key] != value:
            if isinstance(old[key], Mapping) and isinstance(value, Mapping):
                patch[key] = json_merge_patch(old[key], value)
            else:
                patch[key] = copy.deepcopy(value)
    return patch


def status_patch(
    old: StatusLike, new: StatusLike, *, resource_version: str | None = None
) -> dict[str, Any] | None:
    """The ``/status`` merge patch body from ``old`` to ``new``, or None if nothing changed.

    ``old`` and ``new`` are status models or the status JSON. A model ``from_k8s`` read counts as
    the JSON it was read from
    ([`StatusModel.stored_json`][gittarget_status.conditions.StatusModel.stored_json]), so the patch
    from a parsed model is the patch from the stored JSON, repairs included. The body is
    ``{"status": {...}}``; ``conditions`` is sent whole when any condition changed (a merge patch
    replaces lists), with every condition not changed written back exactly as read.
    Read-modify-write with ``resource_version`` (sent as ``metadata.resourceVersion``, making the
    write fail with 409 on a stale read) or use
    [`apply_status_body`][gittarget_status.patch.apply_status_body] when other writers share the
    list.
    """
    if _same_model(old, new):
        return None  # equal models serialize equally: skip two serializations
    diff = json_merge_patch(_stored_json(old), _status_json(new))
    if not diff:
        return None
    body: dict[str, Any] = {"status": diff}
    if resource_version is not None:
        body["metadata"] = {"resourceVersion": resource_version}
    return body


def _same_model(old: StatusLike, new: StatusLike) -> bool:
    """Whether ``new`` certainly serializes to what ``old`` was read from (cheap checks)."""
    if not isinstance(old, KubeModel) or type(old) is not type(new) or old != new:
        return False
    if isinstance(old, StatusModel) and old.needs_repair:
        return False
    before = old.__dict__.get("conditions")
    after = new.__dict__.get("conditions")
    if type(before) is list and type(after) is list:
        # Equal values may still differ in form: a repaired condition is a new object.
        return all(map(operator.is_, before, after))
    return True


def _type_name(value: str | Enum) -> str:
    return str(value.value) if isinstance(value, Enum) else value


def owned_status_fields(model: type[BaseModel] | BaseModel) -> tuple[str, ...]:
    """The JSON names of ``model``'s declared status fields except ``conditions``.

    What a controller built on that model owns: the fields it declares. Unknown fields
    (another writer's) are never among them.
    """
    cls = model if isinstance(model, type) else type(model)
    return tuple(
        field.alias or name for name, field in cls.model_fields.items() if name != "conditions"
    )


def _owned_fields(status: StatusLike, owned_fields: Iterable[str] | None, what: str) -> list[str]:
    """``owned_fields`` as JSON names, derived from the model when None; unknown names fail."""
    model = type(status) if isinstance(status, BaseModel) else None
    if owned_fields is None:
        if status is None:
            return []  # nothing to write, nothing to own
        if model is None:
            raise TypeError(
                f"{what}: owned_fields is required when the status is JSON "
                "(pass the field names, or a status model to derive them from)"
            )
        return list(owned_status_fields(model))
    names = [owned_fields] if isinstance(owned_fields, str) else list(owned_fields)
    if model is None:
        return names
    by_name = {name: field.alias or name for name, field in model.model_fields.items()}
    by_alias = set(by_name.values())
    out: list[str] = []
    unknown: list[str] = []
    for name in names:
        if name in by_alias:
            out.append(name)
        elif name in by_name:
            out.append(by_name[name])
        else:
            unknown.append(name)
    if unknown or "conditions" in out:
        bad = unknown or ["conditions"]
        raise ValueError(
            f"{what}: {bad} {'are' if len(bad) > 1 else 'is'} not a status field of "
            f"{model.__name__} (fields: {list(owned_status_fields(model))}; conditions "
            "are owned by type through owned_conditions)"
        )
    return out


def _owned_types(owned_conditions: Iterable[str | Enum], what: str) -> set[str]:
    if isinstance(owned_conditions, str | Enum):
        raise TypeError(f"{what}: owned_conditions must be a collection of types, not one type")
    return {_type_name(t) for t in owned_conditions}


def apply_status_body(
    status: StatusLike,
    *,
    api_version: str,
    kind: str,
    name: str,
    namespace: str | None = None,
    owned_conditions: Iterable[str | Enum],
    owned_fields: Iterable[str] | None = None,
) -> dict[str, Any]:
    """A server-side apply body for ``/status`` naming only what this manager owns.

    ``owned_conditions`` (required): the condition types this controller writes, usually
    ``pipeline.owned_types``. ``owned_fields``: the other top-level status fields it writes, by JSON
    or Python name; None derives them from the status model's declared fields
    ([`owned_status_fields`][gittarget_status.patch.owned_status_fields]), and is an error for JSON
    input. A name that is not a field of the model raises ValueError. Send the body with ``PATCH
    .../status?fieldManager=NAME&force=true`` and content type ``application/apply-patch+yaml``
    (JSON is valid YAML): the body names only what this manager owns, so forcing settles conflicts
    over our own fields, never over others'. A type or field left out of a later apply by the same
    manager is removed by the server, so always send the full set.
    """
    owned = _owned_types(owned_conditions, "apply_status_body")
    fields = _owned_fields(status, owned_fields, "apply_status_body")
    data = _status_json(status)
    conditions = data.pop("conditions", [])
    out: dict[str, Any] = {}
    for key in sorted(fields):
        if key in data:
            out[key] = data[key]
    selected = [c for c in conditions if c.get("type") in owned]
    if selected or owned:
        out["conditions"] = selected
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "status": out}


# --------------------------------------------------------------------- three-way merge


@dataclass(frozen=True, slots=True)
class ConditionConflict:
    """Both this pass and another writer changed the same owned condition type."""

    type: str
    before: Condition | None
    ours: Condition | None
    theirs: Condition | None


@dataclass(frozen=True, slots=True)
class ConditionMerge:
    """The merged list (the latest object's, with our changes re-applied) and conflicts.

    On conflict the latest (their) entry is kept in ``conditions``; the caller decides:
    usually re-read and re-run the pass, i.e. retry.
    """

    conditions: list[Condition]
    conflicts: tuple[ConditionConflict, ...]
    #: Whether writing ``conditions`` changes the latest stored list.
    changed: bool = True

    @property
    def ok(self) -> bool:
        return not self.conflicts


ConditionsInput = Sequence[Condition] | HasConditions | None


def _by_type(conditions: ConditionsInput) -> dict[str, Condition]:
    if conditions is None:
        return {}
    out: dict[str, Condition] = {}
    for condition in conditions_of(conditions):
        out.setdefault(condition.type, condition)
    return out


def merge_conditions(
    before: ConditionsInput,
    after: ConditionsInput,
    latest: ConditionsInput,
    owned: Iterable[str | Enum],
) -> ConditionMerge:
    """Re-apply this pass's owned-condition changes on top of ``latest``.

    For each owned type: unchanged by us -> the latest entry stays (added, changed or
    removed by someone else); changed by us and not by them -> ours is applied (inserted,
    replaced or removed); changed by both to different values -> conflict (theirs kept).
    Types we do not own always come from ``latest``, as the very objects read (so they
    are written back byte for byte). An owned entry our pass repaired (see
    ``ReconcileOutcome.repaired``) counts as changed by us. Order: ``latest``'s order,
    new types appended in ``after``'s order. ``changed`` says whether the merged list
    differs from the latest stored one (write only then).
    """
    owned_types = _owned_types(owned, "merge_conditions")
    old, ours, theirs = _by_type(before), _by_type(after), _by_type(latest)
    merged: list[Condition] = list(theirs.values())
    conflicts: list[ConditionConflict] = []
    ordered = [t for t in ours if t in owned_types] + sorted(owned_types - set(ours))
    for type_ in ordered:
        b, o, t = old.get(type_), ours.get(type_), theirs.get(type_)
        if o == b and not _repaired(b, o):
            continue  # we did not touch it
        if t != b and t != o:
            conflicts.append(ConditionConflict(type_, b, o, t))
            continue
        index = next((i for i, c in enumerate(merged) if c.type == type_), None)
        if o is None:
            if index is not None:
                del merged[index]
        elif index is None:
            merged.append(o)
        else:
            merged[index] = o
    return ConditionMerge(merged, tuple(conflicts), _list_changed(latest, merged))


def _repaired(before: Condition | None, ours: Condition | None) -> bool:
    """Whether ``ours`` is ``before`` rewritten in canonical form (same values)."""
    return (
        before is not None
        and ours is not None
        and ours is not before
        and before.strict_problem is not None
        and ours.strict_problem is None
    )


def _list_changed(latest: ConditionsInput, merged: list[Condition]) -> bool:
    if latest is None:
        return bool(merged)
    if isinstance(latest, StatusModel) and latest.dropped_on_parse:
        return True
    stored = conditions_of(latest)
    if len(stored) != len(merged):
        return True
    return any(a is not b for a, b in zip(stored, merged, strict=True))


# -------------------------------------------------------------------------- kopf route


def kopf_status_fn(
    computed: StatusLike,
    *,
    owned_conditions: Iterable[str | Enum],
    owned_fields: Iterable[str] | None = None,
) -> Callable[[MutableMapping[str, Any]], None]:
    """A function for kopf's ``patch.fns``: writes our part of the status into ``body``.

    kopf calls it on the freshest body it has (a deep copy) and may call it again on a fresher one
    after a conflict; it must therefore derive everything from that body. It upserts each owned
    condition from ``computed`` with [`set_condition`][gittarget_status.conditions.set_condition]
    (so the lastTransitionTime of an unchanged status survives), repairs an owned entry stored in a
    form the strict rules do not write, removes owned types absent from ``computed``, copies the
    ``owned_fields`` (JSON or Python names; None derives them from the status model, and is an error
    for JSON; absent -> removed), and leaves everything else as it found it: other controllers'
    condition dicts stay the very same objects. It changes ``body`` only when something differs.
    Applying it twice equals applying it once.
    """
    owned = _owned_types(owned_conditions, "kopf_status_fn")
    fields = _owned_fields(computed, owned_fields, "kopf_status_fn")
    data = _status_json(computed)
    wanted = [Condition.from_k8s(c) for c in data.get("conditions", []) if c.get("type") in owned]
    wanted_types = {c.type for c in wanted}
    field_values = {key: copy.deepcopy(data.get(key)) for key in fields}

    def apply(body: MutableMapping[str, Any]) -> None:
        status = body.get("status")
        if not isinstance(status, MutableMapping):
            status = {}
            body["status"] = status
        raw = status.get("conditions")
        current: list[Any] = list(raw) if isinstance(raw, list) else []
        edited = _apply_owned(current, wanted, owned, wanted_types)
        if edited and (current or isinstance(raw, list)):
            status["conditions"] = current
        for key, value in field_values.items():
            if value is None:
                status.pop(key, None)
            elif status.get(key) != value:
                status[key] = copy.deepcopy(value)

    return apply


def _apply_owned(
    current: list[Any], wanted: list[Condition], owned: set[str], wanted_types: set[str]
) -> bool:
    """Upsert ``wanted`` into a list of condition dicts; foreign dicts are not touched."""
    edited = False
    for index in reversed(range(len(current))):
        entry = current[index]
        type_ = entry.get("type") if isinstance(entry, Mapping) else None
        if type_ in owned and type_ not in wanted_types:
            del current[index]
            edited = True
    for condition in wanted:
        positions = [
            i
            for i, entry in enumerate(current)
            if isinstance(entry, Mapping) and entry.get("type") == condition.type
        ]
        if not positions:
            current.append(condition.to_k8s())
            edited = True
            continue
        existing = Condition.from_k8s(current[positions[0]])
        working = [existing]
        changed = set_condition(working, condition)
        for i in reversed(positions[1:]):
            del current[i]
            edited = True
        if changed or existing.strict_problem is not None:
            current[positions[0]] = working[0].canonical().to_k8s()
            edited = True
    return edited


# ------------------------------------------------------------------------ conversions

_FIELDS = (
    ("type", "type"),
    ("status", "status"),
    ("observed_generation", "observedGeneration"),
    ("last_transition_time", "lastTransitionTime"),
    ("reason", "reason"),
    ("message", "message"),
)


_SNAKE_ONLY = frozenset({"observed_generation", "last_transition_time"})


def condition_from_client(value: object) -> Condition:
    """A [`Condition`][gittarget_status.Condition] from a dict or a client object, whatever its
    naming.

    Accepts the API's camelCase dicts (kopf, kr8s ``.raw``, lightkube ``.to_dict()``),
    snake_case dicts (``V1Condition.to_dict()``), and objects with attributes in either
    style (``kubernetes.client.V1Condition``, ``lightkube.models.meta_v1.Condition``).
    Datetimes and RFC 3339 strings are both fine. Raises StatusValidationError.
    """
    if isinstance(value, Condition):
        return value
    data: dict[str, Any] = {}
    if isinstance(value, Mapping) and _SNAKE_ONLY.isdisjoint(value):
        return Condition.from_k8s(value)  # already API JSON: kept as read
    if isinstance(value, Mapping):
        extras = {k: v for k, v in value.items() if k not in {n for pair in _FIELDS for n in pair}}
        for snake, camel in _FIELDS:
            found = value.get(camel, value.get(snake))
            if found is not None:
                data[camel] = found
        data.update(extras)
    else:
        for snake, camel in _FIELDS:
            found = getattr(value, snake, None)
            if found is None:
                found = getattr(value, camel, None)
            if found is not None:
                data[camel] = found
        if not data:
            raise StatusValidationError.single(
                "", f"cannot read a condition from {type(value).__name__}", model="Condition"
            )
    return Condition.from_k8s(data)


def condition_to_client(
    condition: Condition,
    factory: Callable[..., Any] = dict,
    *,
    naming: Literal["snake", "camel"] = "snake",
    datetimes: bool = True,
) -> Any:
    """Call ``factory`` with the condition's fields as keyword arguments.

    ``condition_to_client(c, kubernetes.client.V1Condition)`` builds the official
    client's object (snake_case keywords, datetime ``last_transition_time``);
    ``naming="camel"`` suits lightkube's ``Condition``; the default ``dict`` factory gives
    a snake_case dict. ``datetimes=False`` passes RFC 3339 strings instead.
    """
    values: dict[str, Any] = {
        "type": condition.type,
        "status": condition.status.value,
        "observed_generation": condition.observed_generation,
        "last_transition_time": condition.last_transition_time,
        "reason": condition.reason,
        "message": condition.message,
    }
    if not datetimes and condition.last_transition_time is not None:
        values["last_transition_time"] = condition.to_k8s()["lastTransitionTime"]
    if naming == "camel":
        values = {camel: values[snake] for snake, camel in _FIELDS}
    return factory(**values)


def _object_mapping(obj: object) -> Mapping[str, Any] | None:
    """A whole resource as a JSON-ish mapping, from any client's representation.

    A mapping (kopf's body, a kr8s or plain dict) is itself; a kr8s ``APIObject`` gives its
    ``.raw``; official-client and lightkube models their ``to_dict()`` (snake_case keys for
    the official client). None for an object with attributes only (read those directly).
    """
    if isinstance(obj, Mapping):
        return obj
    raw = getattr(obj, "raw", None)  # kr8s APIObject
    if isinstance(raw, Mapping):
        return raw
    to_dict = getattr(obj, "to_dict", None)  # kubernetes / lightkube models
    if callable(to_dict):
        as_dict = to_dict()
        if isinstance(as_dict, Mapping):
            return as_dict
    return None


def _status_mapping(obj: object) -> Mapping[str, Any] | None:
    """``obj``'s status as a JSON-ish mapping, from any client's representation."""
    mapping = _object_mapping(obj)
    status = mapping.get("status") if mapping is not None else getattr(obj, "status", None)
    if status is None:
        return None
    if isinstance(status, Mapping):
        return status
    to_dict = getattr(status, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        return result if isinstance(result, Mapping) else None
    raise TypeError(f"cannot read a status from {type(status).__name__}")


def conditions_from_object(obj: object) -> list[Condition]:
    """The conditions of a whole resource (dict, kopf body, kr8s or client object).

    Lenient like the API's readers: the first condition of a duplicated type wins.
    """
    status = _status_mapping(obj)
    raw = status.get("conditions") if status is not None else None
    if not raw:
        return []
    seen: set[str] = set()
    out: list[Condition] = []
    for entry in raw:
        condition = condition_from_client(entry)
        if condition.type not in seen:
            seen.add(condition.type)
            out.append(condition)
    return out


def status_from_object(model: type[M], obj: object) -> M:
    """Parse ``obj``'s status into ``model`` (e.g. ``GitTargetStatus``), leniently.

    The official client's ``to_dict()`` gives snake_case keys, which the models accept
    too; an absent status gives an empty model.
    """
    status = _status_mapping(obj)
    if status is None:
        return model.from_k8s({})
    listed = status.get("conditions")
    needs_conversion = isinstance(listed, list) and any(
        not isinstance(c, Mapping) or not _SNAKE_ONLY.isdisjoint(c) for c in listed
    )
    if needs_conversion:
        normalised = dict(status)
        normalised["conditions"] = [condition_from_client(c).to_k8s() for c in status["conditions"]]
        status = normalised
    return model.from_k8s(status)
