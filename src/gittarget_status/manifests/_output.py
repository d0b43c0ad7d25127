"""Rendering manifests: YAML for ``kubectl apply -f``, JSON for tools; same input, same bytes.

Deterministic output is what lets generated files be committed and checked for drift.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

import yaml

__all__ = ["to_json", "to_yaml"]


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases: the same documents always give the same bytes."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _documents(
    documents: Mapping[str, Any] | Iterable[Mapping[str, Any]],
) -> list[Mapping[str, Any]]:
    """One document or several, as a list."""
    return [documents] if isinstance(documents, Mapping) else list(documents)


def to_yaml(documents: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> str:
    """Render one or more documents as YAML (``---`` between them), deterministically."""
    docs = _documents(documents)
    return yaml.dump_all(
        [_plain(d) for d in docs],
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1000,
        explicit_start=len(docs) > 1,
    )


def to_json(documents: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> str:
    """One document as a JSON object, several (or none) as a ``v1 List``; two-space indent."""
    docs = _documents(documents)
    payload: Any = (
        _plain(docs[0])
        if len(docs) == 1
        else {"apiVersion": "v1", "kind": "List", "items": _plain(docs)}
    )
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
