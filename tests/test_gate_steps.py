"""Generic gate steps: one body, driven against sync and async ports, decides the same.

The GitTarget gates are steps too (tests/test_lifecycle.py drives them both ways); these
tests use a step of a user's own, through public names only.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, strategies as st

from gittarget_status import GatePipeline, GateResult, StatusModel, UsageError
from gittarget_status.gates import Gate, GateStep, PortCall, async_evaluator, sync_evaluator

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Token:
    """An answer type the drivers have not seen: checked once for ``__await__``."""

    n: int


#: What a port may answer: JSON-like values and an object of a class of the user's own.
_ANSWERS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=3),
    st.builds(Token, st.integers(0, 3)),
)


@dataclass
class Ports:
    """Answers each call with the next scripted value, recording the calls."""

    answers: list[Any]
    calls: list[PortCall] = field(default_factory=list)

    def ask(self, *args: Any) -> Any:
        self.calls.append(("ask", args))
        return self.answers[len(self.calls) - 1]


@dataclass
class AsyncPorts(Ports):
    async def ask(self, *args: Any) -> Any:
        await asyncio.sleep(0)
        return super().ask(*args)


@dataclass
class Context:
    calls: int
    ports: Ports


def asking(context: Context) -> GateStep:
    """Asks ``calls`` times, each call carrying what came back before; the verdict names
    every answer, so any difference between the drivers shows in the result."""
    seen: list[str] = []
    for index in range(context.calls):
        answer = yield ("ask", (index, tuple(seen)))
        seen.append(repr(answer))
    if seen and seen[-1] == "False":
        return GateResult.failed("Refused", "; ".join(seen))
    return GateResult.passed("Answered", "; ".join(seen) or "nothing asked")


@given(st.lists(_ANSWERS, max_size=6))
def test_both_drivers_make_the_same_calls_and_the_same_verdict(answers: list[Any]) -> None:
    plain, awaited = Ports(list(answers)), AsyncPorts(list(answers))
    result = sync_evaluator(asking)(Context(len(answers), plain))
    async_result = asyncio.run(async_evaluator(asking)(Context(len(answers), awaited)))
    assert result == async_result
    assert plain.calls == awaited.calls
    assert len(plain.calls) == len(answers)


@given(st.lists(st.booleans(), max_size=4))
def test_the_async_driver_accepts_plain_ports(answers: list[bool]) -> None:
    expected = sync_evaluator(asking)(Context(len(answers), Ports(list(answers))))
    got = asyncio.run(async_evaluator(asking)(Context(len(answers), Ports(list(answers)))))
    assert got == expected


def test_a_sync_driver_refuses_an_async_port_and_closes_its_coroutine() -> None:
    made: list[Any] = []

    class Leaky(Ports):
        def ask(self, *args: Any) -> Any:
            async def later() -> bool:
                return True  # pragma: no cover - closed, never run

            made.append(later())
            return made[-1]

    evaluate = sync_evaluator(asking, async_hint="use the async pass")
    with pytest.raises(UsageError, match=r"^port ask is async; use the async pass$"):
        evaluate(Context(1, Leaky([])))
    assert inspect.getcoroutinestate(made[0]) == inspect.CORO_CLOSED


def test_a_sync_driver_refuses_any_awaitable_answer() -> None:
    class Pending:
        def __await__(self) -> Generator[Any, None, bool]:  # pragma: no cover - refused
            yield
            return True

    with pytest.raises(UsageError, match=r"^port ask is async; drive the step with"):
        sync_evaluator(asking)(Context(1, Ports([Pending()])))


def test_ports_come_from_where_the_caller_says() -> None:
    @dataclass
    class Bare:
        client: Ports

    def one(context: Bare) -> GateStep:
        answer = yield ("ask", ())
        return GateResult.passed("Answered", str(answer))

    sync = sync_evaluator(one, ports=lambda context: context.client)
    awaited = async_evaluator(one, ports=lambda context: context.client)
    assert sync(Bare(Ports(["sync"]))).message == "sync"
    assert asyncio.run(awaited(Bare(AsyncPorts(["async"])))).message == "async"


def test_a_context_without_ports_is_a_usage_error_not_a_condition() -> None:
    """A controller bug must raise, not be written to the cluster as EvaluationFailed."""

    @dataclass
    class Portless:
        calls: int

    def gates(evaluate: Any) -> GatePipeline[Any]:
        return GatePipeline([Gate("Answered", evaluate, ready_reason="NotAnswered")])

    missing = r"^Portless has no 'ports' attribute; pass ports= to the driver$"
    with pytest.raises(UsageError, match=missing):
        gates(sync_evaluator(asking)).evaluate(StatusModel(), Portless(1), generation=1, now=NOW)
    awaited = gates(async_evaluator(asking)).aevaluate(
        StatusModel(), Portless(1), generation=1, now=NOW
    )
    with pytest.raises(UsageError, match=missing):
        asyncio.run(awaited)


def test_evaluators_are_named_after_their_step() -> None:
    def _private_step(context: Context) -> GateStep:
        return GateResult.passed("Answered")
        yield ("ask", ())  # pragma: no cover - makes this a generator

    assert sync_evaluator(_private_step).__name__ == "private_step"
    assert async_evaluator(_private_step).__name__ == "private_step"
    assert not inspect.iscoroutinefunction(sync_evaluator(_private_step))
    assert inspect.iscoroutinefunction(async_evaluator(_private_step))


@given(st.lists(st.booleans(), min_size=1, max_size=4))
def test_a_pipeline_of_steps_passes_the_same_both_ways(answers: list[bool]) -> None:
    def pipeline(evaluate: Any) -> GatePipeline[Context]:
        return GatePipeline(
            [
                Gate(
                    "Answered",
                    evaluate,
                    ready_reason="NotAnswered",
                    reasons={"Answered", "Refused"},
                )
            ]
        )

    plain = pipeline(sync_evaluator(asking)).evaluate(
        StatusModel(), Context(len(answers), Ports(list(answers))), generation=1, now=NOW
    )
    awaited = asyncio.run(
        pipeline(async_evaluator(asking)).aevaluate(
            StatusModel(), Context(len(answers), AsyncPorts(list(answers))), generation=1, now=NOW
        )
    )
    assert plain.status == awaited.status
    assert plain.ready is awaited.ready is answers[-1]
