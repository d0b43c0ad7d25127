"""The base of any resource's status: a conditions map and observedGeneration."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, Self

from pydantic import BaseModel, BeforeValidator, Field, PrivateAttr
from pydantic_core import PydanticUndefined

from gittarget_status._base import KubeModel
from gittarget_status._slots import NEW, SET_ATTR, SET_EXTRA, SET_FIELDS_SET, SET_PRIVATE
from gittarget_status._stored import Snapshot, Stored, renders_as_read, snapshot

if TYPE_CHECKING:
    from gittarget_status._base import ParseOptions
from gittarget_status.conditions._list import ConditionList
from gittarget_status.conditions._model import Condition
from gittarget_status.conditions._operations import find_condition
from gittarget_status.conditions._rules import MAX_OBSERVED_GENERATION

__all__ = ["SUBCLASS_HOOKS", "Count", "StatusModel", "as_stored_count", "strict_int"]

#: Called with each StatusModel subclass as it is defined. The hypothesis plugin adds one
#: so ``st.from_type`` knows models defined after it loaded (a test module's own status).
SUBCLASS_HOOKS: list[Callable[[type[StatusModel]], None]] = []


@cache
def _all_private_defaulted(model: type[BaseModel]) -> bool:
    """Whether every private attribute of ``model`` has a default: pydantic then sets each,
    so an instance's private dict never holds its "unset" marker."""
    return all(
        attribute.default is not PydanticUndefined or attribute.default_factory is not None
        for attribute in model.__private_attributes__.values()
    )


def strict_int(value: object) -> object:
    """Integers only: JSON ``"5"``, ``5.0`` or ``true`` are not generations or counts."""
    if isinstance(value, bool) or (value is not None and not isinstance(value, int)):
        raise ValueError(f"must be an integer, got {type(value).__name__}")
    return value


@renders_as_read
def as_stored_count(value: object) -> int | None:
    """``value`` if it is an integer in 0..2^63-1 (a generation, a count), else None."""
    if type(value) is int and 0 <= value <= MAX_OBSERVED_GENERATION:
        return value
    return None


#: An integer in 0..2^63-1, as an int64 field of the API stores it: a generation, a count.
Count = Annotated[
    int,
    BeforeValidator(strict_int),
    Field(ge=0, le=MAX_OBSERVED_GENERATION),
    Stored(as_stored_count),
]


class StatusModel(KubeModel):
    """Subclass this for your resource's status to get the whole contract.

    ``conditions`` is a list keyed by type; ``observed_generation`` is what the gate
    pipeline sets after every pass. Add ``phase`` and ``last_reconcile_time`` fields and
    the pipeline maintains them too.
    """

    observed_generation: Count | None = None
    conditions: ConditionList = Field(default_factory=list)

    # Only status roots carry this (every nested model would otherwise pay for it): what
    # from_k8s read, or None for a model built in Python or computed by a pass.
    _read: _ReadInfo | None = PrivateAttr(default=None)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for hook in SUBCLASS_HOOKS:
            hook(cls)

    def __copy__(self) -> Self:
        """A shallow copy that owns its condition list (``copy.copy``, ``model_copy()``).

        set_condition edits the list in place, so a copy sharing it (pydantic's default)
        would change with the original and hide every change from a before/after diff.
        Conditions and detail objects are immutable, so sharing those is safe. What
        pydantic's ``__copy__`` does, without its ``copy.copy`` dispatch: every pass copies.
        """
        cls = type(self)
        copied = NEW(cls)
        values = self.__dict__.copy()
        values["conditions"] = list(values["conditions"])
        SET_ATTR(copied, "__dict__", values)
        extra = self.__pydantic_extra__
        SET_EXTRA(copied, None if extra is None else type(extra)(extra))
        SET_FIELDS_SET(copied, self.__pydantic_fields_set__.copy())
        private = self.__pydantic_private__
        assert private is not None  # StatusModel declares ``_read``: pydantic sets the dict
        if not _all_private_defaulted(cls):  # else no value is pydantic's "unset" marker
            private = {k: v for k, v in private.items() if v is not PydanticUndefined}
        SET_PRIVATE(copied, private.copy())
        return copied

    def condition(self, condition_type: str | Enum) -> Condition | None:
        """This status's condition of ``condition_type``, or None.

        The same answer as [`find_condition`][gittarget_status.conditions.find_condition].
        """
        return find_condition(self.conditions, condition_type)

    def _parsed_from(self, data: Mapping[str, Any], options: ParseOptions) -> None:
        # A shallow copy: cheap, and immune to the caller rebinding keys of its dict.
        private = self.__pydantic_private__
        assert private is not None
        private["_read"] = _ReadInfo(
            dict(data), tuple(options.dropped), options.normalised, options.odd
        )

    def _read_as_stored(self, data: Mapping[str, Any]) -> None:
        # Built directly from the stored form: nothing dropped, normalised or odd. Where
        # the models serialize back to exactly ``data``, a snapshot of the values stands
        # in for it (about 40 % of a status's memory); else ``data`` is kept.
        private = self.__pydantic_private__
        assert private is not None
        kept = snapshot(self)
        private["_read"] = _ReadInfo(dict(data) if kept is None else kept, (), False, False)

    def _read_info(self) -> _ReadInfo | None:
        # The private dict directly: pydantic's private-attribute lookup is slow and this
        # is on every pass's path.
        private = self.__pydantic_private__
        return None if private is None else private.get("_read")

    @property
    def dropped_on_parse(self) -> tuple[tuple[str, object], ...]:
        """What a lenient ``from_k8s`` discarded, as ``(path, raw value)`` pairs."""
        read = self._read_info()
        return () if read is None else read.dropped

    @property
    def stored_json(self) -> Mapping[str, Any] | None:
        """The status JSON ``from_k8s`` read (None for a model built in Python).

        [`status_patch`][gittarget_status.patch.status_patch] diffs against it, so a patch from a
        parsed model is the patch from the JSON it was parsed from. Treat it as read-only.
        A pipeline pass's output has none: it is computed, not read.

        A status read in the form the API server stores does not keep that JSON: it keeps
        a snapshot of the values read and renders the same JSON again on each access (the
        conditions in their keys' order as read, the other objects in declaration order),
        which saves about 40 % of the memory of a kept status.
        """
        read = self._read_info()
        return None if read is None else read.stored

    @property
    def needs_repair(self) -> bool:
        """Whether writing this model back unchanged would change what is stored.

        True when a lenient parse dropped entries (see ``dropped_on_parse``) or read
        a declared field in a non-canonical form (a fractional or offset timestamp, which
        the write normalises). Foreign conditions never count: they are written back as
        read.
        """
        read = self._read_info()
        return read is not None and (bool(read.dropped) or read.normalised)

    def _forget_source(self) -> None:
        """Mark this model as computed, not read (the pipeline's output)."""
        private = self.__pydantic_private__
        assert private is not None
        private["_read"] = None


class _ReadInfo(NamedTuple):
    """What ``from_k8s`` read: the JSON (or a snapshot that renders it), what it dropped,
    whether it normalised or met conditions outside the strict rules."""

    source: Mapping[str, Any] | Snapshot
    dropped: tuple[tuple[str, object], ...]
    normalised: bool
    odd: bool

    @property
    def stored(self) -> Mapping[str, Any]:
        source = self.source
        return source.render() if isinstance(source, Snapshot) else source

    @property
    def in_api_form(self) -> bool:
        """Whether the JSON read certainly has the API's camelCase keys only."""
        return type(self.source) is Snapshot
