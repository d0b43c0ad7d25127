"""How many statuses the real-server tests wrote, and how many the server rejected.

Every ``/status`` write of a library-computed status goes through :func:`record`, so the
session can say at its end how much the real API server accepted (``tests/conftest.py``
prints it, with every worker's tally under pytest-xdist). The goal is zero rejections: a
rejection also fails its test with the server's message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from gittarget_status.testing.control_plane import ApiError

__all__ = ["KNOWN", "REJECTED", "WRITTEN", "dump", "merge", "record", "summary_lines"]

T = TypeVar("T")

#: Accepted writes and rejections, by write path (``merge``, ``apply``, ``kopf``, ``retry``).
WRITTEN: Counter[str] = Counter()
REJECTED: Counter[str] = Counter()
#: Rejections of a known, reported library bug (their tests are ``xfail(strict=True)``).
KNOWN: Counter[str] = Counter()
_MESSAGES: list[str] = []


def record(path: str, write: Callable[[], T], *, known_bug: str | None = None) -> T:
    """Run one status write, counting it; a rejection is counted, then re-raised.

    ``known_bug`` names the reported bug an expected rejection demonstrates: it is
    counted apart, so the headline number stays the unexplained rejections.
    """
    try:
        answer = write()
    except ApiError as error:
        if error.code == 409:
            raise  # a conflict is the protocol working, not a rejected status
        if known_bug is not None:
            KNOWN[path] += 1
            _MESSAGES.append(f"{path} (known bug: {known_bug}): {error}")
        else:
            REJECTED[path] += 1
            _MESSAGES.append(f"{path}: {error}")
        raise
    WRITTEN[path] += 1
    return answer


def dump() -> dict[str, Any]:
    """This process's tally as plain data (an xdist worker hands it to the controller)."""
    return {
        "written": dict(WRITTEN),
        "rejected": dict(REJECTED),
        "known": dict(KNOWN),
        "messages": list(_MESSAGES),
    }


def merge(dumped: Mapping[str, Any]) -> None:
    """Add a worker's ``dump()`` to this process's tally."""
    WRITTEN.update(dumped["written"])
    REJECTED.update(dumped["rejected"])
    KNOWN.update(dumped["known"])
    _MESSAGES.extend(dumped["messages"])


def summary_lines() -> list[str]:
    """The lines the terminal summary prints (none when no status was written)."""
    if not WRITTEN and not REJECTED:
        return []
    paths = sorted(set(WRITTEN) | set(REJECTED))
    per_path = ", ".join(f"{p} {WRITTEN[p]}/{REJECTED[p]}" for p in paths)
    lines = [
        f"{sum(WRITTEN.values())} statuses written, {sum(REJECTED.values())} rejected "
        f"(written/rejected per path: {per_path})"
    ]
    if KNOWN:
        lines.append(f"{sum(KNOWN.values())} more rejected by known, reported bugs (xfail)")
    lines.extend(f"  rejected: {message}" for message in _MESSAGES[:10])
    return lines
