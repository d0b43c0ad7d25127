"""What every write body starts from: a status model or JSON, as the JSON to send or diff.

Shared by the merge patch, the apply body and the kopf route, so the three agree on how a
model serializes and on what a ``from_k8s`` read counts as.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from gittarget_status._base import KubeModel
from gittarget_status.conditions._status import StatusModel

StatusLike = BaseModel | Mapping[str, Any] | None


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
