"""The base of any resource's status: a conditions map and observedGeneration."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Self

from pydantic import BeforeValidator, Field, PrivateAttr

from gittarget_status._base import KubeModel
from gittarget_status.conditions._model import Condition, ConditionList
from gittarget_status.conditions._operations import find_condition
from gittarget_status.conditions._rules import MAX_OBSERVED_GENERATION

__all__ = ["SUBCLASS_HOOKS", "StatusModel", "strict_int"]

#: Called with each StatusModel subclass as it is defined. The hypothesis plugin adds one
#: so ``st.from_type`` knows models defined after it loaded (a test module's own status).
SUBCLASS_HOOKS: list[Callable[[type[StatusModel]], None]] = []


def strict_int(value: object) -> object:
    """Integers only: JSON ``"5"``, ``5.0`` or ``true`` are not generations or counts."""
    if isinstance(value, bool) or (value is not None and not isinstance(value, int)):
        raise ValueError(f"must be an integer, got {type(value).__name__}")
    return value


class StatusModel(KubeModel):
    """Subclass this for your resource's status to get the whole contract.

    ``conditions`` is a list keyed by type; ``observed_generation`` is what the gate
    pipeline sets after every pass. Add ``phase`` and ``last_reconcile_time`` fields and
    the pipeline maintains them too.
    """

    observed_generation: Annotated[int | None, BeforeValidator(strict_int)] = Field(
        default=None, ge=0, le=MAX_OBSERVED_GENERATION
    )
    conditions: ConditionList = Field(default_factory=list)

    # Only status roots carry this (every nested model would otherwise pay for it).
    _dropped: tuple[tuple[str, object], ...] = PrivateAttr(default=())

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for hook in SUBCLASS_HOOKS:
            hook(cls)

    def __copy__(self) -> Self:
        """A shallow copy that owns its condition list (``copy.copy``, ``model_copy()``).

        set_condition edits the list in place, so a copy sharing it (pydantic's default)
        would change with the original and hide every change from a before/after diff.
        Conditions and detail objects are immutable, so sharing those is safe.
        """
        copied = super().__copy__()
        copied.__dict__["conditions"] = list(self.conditions)
        return copied

    def condition(self, condition_type: str | Enum) -> Condition | None:
        """This status's condition of ``condition_type``, or None.

        The same answer as [`find_condition`][gittarget_status.conditions.find_condition].
        """
        return find_condition(self.conditions, condition_type)

    @property
    def dropped_on_parse(self) -> tuple[tuple[str, object], ...]:
        """What a lenient ``from_k8s`` discarded, as ``(path, raw value)`` pairs."""
        return self._dropped
