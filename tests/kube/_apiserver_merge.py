"""The API server's JSON merge patch (RFC 7386) on a status, for tests that fake a server.

Objects merge key by key, ``null`` deletes, lists (``conditions`` included) are replaced
whole: custom resources have no strategic merge. ``test_real_managers`` checks this
against the real kube-apiserver on generated read-modify-write patch sequences (fresh
and stale reads, conditions upserted and removed, fields set and deleted): it agrees,
so it stays. (Unknown fields are pruned by the real server; callers send none.)

This module also held a simulation of server-side apply on the ``conditions`` list-map
(``StatusServer``). It was retired, not fixed: on the real server it was wrong about
entry order after an apply, about equal values becoming co-owned under ``force``, about
one manager's Apply and Update ownership being kept apart, and about an empty applied
list being stored as ``[]``. Its tests now run on the real server (``test_real_managers``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = ["apply_merge_patch"]


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
