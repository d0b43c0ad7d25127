"""Gate steps: one gate body for sync and async ports (sans-I/O).

A step is a generator function over the context: it yields each port call as
``(method, args)``, receives the answer, and returns a
[`GateResult`][gittarget_status.GateResult]. The two drivers below call the method on the
ports the context carries; they differ only in whether an answer is awaited, so a
controller with a sync and an async client writes each gate once and both kinds of pass
make the same decisions.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Final, TypeAlias, TypeVar

from gittarget_status._errors import UsageError
from gittarget_status.gates._result import GateResult

__all__ = ["GateStep", "PortCall", "async_evaluator", "sync_evaluator"]

C = TypeVar("C")

#: One port call a step asks for: the method's name on the ports, and its arguments.
PortCall: TypeAlias = tuple[str, tuple[Any, ...]]
#: What a step function returns: yields port calls, receives answers, returns the verdict.
GateStep: TypeAlias = Generator[PortCall, Any, GateResult]


#: What a sync driver's refusal says to do by default.
_AWAIT_HINT: Final = "drive the step with async_evaluator and 'await pipeline.aevaluate(...)'"


def _context_ports(context: object) -> object:
    """Where the drivers find the ports by default: the context's ``ports`` attribute.

    A context without one is a bug in the controller, so a ``UsageError``: raised inside
    the evaluator as an ``AttributeError``, it would become an EvaluationFailed condition.
    """
    try:
        return context.ports  # type: ignore[attr-defined]
    except AttributeError:
        raise UsageError(
            f"{type(context).__name__} has no 'ports' attribute; pass ports= to the driver"
        ) from None


#: Answer types known not to be awaitable; each other type is checked once and remembered
#: (a class does not grow ``__await__`` between passes).
_PLAIN_ANSWERS: Final[set[type]] = {bool, str, int, type(None), tuple, list, dict}


def _awaitable(answer: object) -> bool:
    kind = type(answer)
    if kind in _PLAIN_ANSWERS:
        return False
    if hasattr(kind, "__await__"):
        return True
    _PLAIN_ANSWERS.add(kind)
    return False


def sync_evaluator(
    step: Callable[[C], GateStep],
    *,
    ports: Callable[[C], object] = _context_ports,
    async_hint: str = _AWAIT_HINT,
) -> Callable[[C], GateResult]:
    """An evaluator answering ``step``'s port calls with plain calls on ``ports(context)``.

    A port that answers with an awaitable is a controller bug (async ports in a sync
    pass): it raises [`UsageError`][gittarget_status.UsageError] naming the method and
    ``async_hint`` (by default: drive the step with ``async_evaluator`` and await
    ``pipeline.aevaluate``), and the coroutine is closed, never left un-awaited.
    """

    def evaluate(context: C) -> GateResult:
        target = ports(context)
        plain = _PLAIN_ANSWERS
        steps = step(context)
        try:
            method, args = next(steps)
            while True:
                answer = getattr(target, method)(*args)
                if type(answer) not in plain and _awaitable(answer):
                    if inspect.iscoroutine(answer):
                        answer.close()
                    raise UsageError(f"port {method} is async; {async_hint}")
                method, args = steps.send(answer)
        except StopIteration as done:
            result: GateResult = done.value
            return result

    evaluate.__name__ = step.__name__.lstrip("_")
    return evaluate


def async_evaluator(
    step: Callable[[C], GateStep], *, ports: Callable[[C], object] = _context_ports
) -> Callable[[C], Coroutine[Any, Any, GateResult]]:
    """An ``async def`` evaluator answering ``step``'s port calls on ``ports(context)``,
    awaiting the answers that are awaitable (plain port methods are accepted too)."""

    async def evaluate(context: C) -> GateResult:
        target = ports(context)
        steps = step(context)
        try:
            method, args = next(steps)
            while True:
                answer = getattr(target, method)(*args)
                if _awaitable(answer):
                    answer = await answer
                method, args = steps.send(answer)
        except StopIteration as done:
            result: GateResult = done.value
            return result

    evaluate.__name__ = step.__name__.lstrip("_")
    return evaluate
