"""A controllable clock: aware UTC, whole seconds, moves only when told to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gittarget_status.conditions._time import parse_kube_time

__all__ = ["FakeClock"]


class FakeClock:
    """The ``now`` to pass to every reconcile pass in a test.

    Always an aware UTC datetime in whole seconds (what ``metav1.Time`` stores), so a
    value read back from a status compares equal. ``clock()`` is ``clock.now``.
    """

    __slots__ = ("_now",)

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _whole(start if start is not None else datetime(2026, 1, 1, 12, tzinfo=UTC))

    @property
    def now(self) -> datetime:
        return self._now

    def __call__(self) -> datetime:
        return self._now

    def advance(
        self,
        delta: timedelta | None = None,
        *,
        seconds: float = 0,
        minutes: float = 0,
        hours: float = 0,
        days: float = 0,
    ) -> datetime:
        """Move forward by ``delta`` and/or the keyword amounts; return the new ``now``."""
        step = (delta or timedelta(0)) + timedelta(
            seconds=seconds, minutes=minutes, hours=hours, days=days
        )
        if step < timedelta(0):
            raise ValueError(f"a clock only moves forward, got {step}")
        if step % timedelta(seconds=1):
            raise ValueError(f"advance by whole seconds (metav1.Time precision), got {step}")
        self._now += step
        return self._now

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment`` (aware; normalised to UTC whole seconds); may go back."""
        self._now = _whole(moment)
        return self._now

    def __repr__(self) -> str:
        return f"FakeClock({self._now.isoformat()})"


def _whole(moment: datetime) -> datetime:
    normalised = parse_kube_time(moment)
    if normalised != moment:
        raise ValueError(f"expected an aware UTC datetime in whole seconds, got {moment!r}")
    return normalised
