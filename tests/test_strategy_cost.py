"""The shipped strategies build their sub-strategies once, not in every draw.

A strategy built inside a draw (``draw(st.none() | other())``, a composite called again,
``st.sampled_from([...])`` of a list literal) pays hypothesis's set-up on every example:
about a fifth of the cost of drawing from the toolkit before it was hoisted. This test
counts, for each library function, the examples in which it built a strategy; one that
builds in one example of five or more is a regression (a branch half the draws take, one
new cache key in a fifth of them), unless what it builds depends on a value drawn just
before (listed below with the reason).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gittarget_status.gittarget import GitTargetStatus
from gittarget_status.testing import strategies

#: Library functions whose strategies depend on what was just drawn, so are built per draw.
DRAWN_SHAPES = {
    "messages.<locals>.<lambda>": "flatmap: the drawn unit's byte length bounds its count",
    "mutated_statuses": "the keys, or the length, of the node the walk reached",
    "damaged_statuses": "permutations of, and picks among, the conditions drawn",
}
#: Hypothesis frames that draw; a strategy built below one of them is hypothesis's own.
_DRAWING = frozenset({"do_draw", "draw", "_draw", "do_filtered_draw"})
_EXAMPLES = 30
#: Built in one example of this many or more: per example. A cached helper reached for
#: the first time counts once per key (at most 3 of 30 examples today).
_PER_EXAMPLE = 5
#: The uncounted first run, which builds what is built once.
_WARM_UP = 10


def _builder(frame: FrameType | None) -> str | None:
    """The library function that built the strategy, or None if hypothesis built it."""
    while frame is not None:
        code = frame.f_code
        if "/hypothesis/" in code.co_filename:
            if code.co_name in _DRAWING:
                return None
        elif "/gittarget_status/testing/strategies/" in code.co_filename:
            return code.co_qualname
        frame = frame.f_back
    return None


@contextmanager
def _counting(building: set[str]) -> Iterator[None]:
    """Record in ``building`` each library function that builds a strategy meanwhile."""
    original: Callable[..., None] = st.SearchStrategy.__init__

    def counted(self: st.SearchStrategy[Any], *args: Any, **kwargs: Any) -> None:
        builder = _builder(sys._getframe(1))
        if builder is not None:
            building.add(builder)
        original(self, *args, **kwargs)

    st.SearchStrategy.__init__ = counted  # type: ignore[method-assign]
    try:
        yield
    finally:
        st.SearchStrategy.__init__ = original  # type: ignore[method-assign]


def _strategy(name: str) -> st.SearchStrategy[Any]:
    factory = getattr(strategies, name)
    if name == "status_models":
        return factory(GitTargetStatus)  # type: ignore[no-any-return]
    return factory()  # type: ignore[no-any-return]


NAMES = [
    name
    for name in strategies.__all__
    if callable(getattr(strategies, name)) and not name[0].isupper()
]


def _draw(
    strategy: st.SearchStrategy[Any], seed: int, examples: int, building: set[str]
) -> tuple[int, Counter[str]]:
    """Draw up to ``examples`` examples from ``strategy``: how many were drawn, and in how
    many of them each library function built a strategy (``building`` collects the
    builders between two examples).

    Examples, not strategies, are counted: one cached helper built for the first time
    builds a dozen strategies at once, and that is building once, not per example.
    """
    drawn: list[object] = []
    per_example: Counter[str] = Counter()

    @hypothesis.seed(seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: object) -> None:
        drawn.append(value)
        per_example.update(building)
        building.clear()

    draw()
    return len(drawn), per_example


def _built_per_example(strategy: st.SearchStrategy[Any]) -> dict[str, int]:
    """The library functions that built a strategy in a fifth of the examples or more.

    A first run builds what is built once (cached helpers, lazily resolved fields);
    only a second run, with another seed, is counted.
    """
    _draw(strategy, seed=0, examples=_WARM_UP, building=set())
    building: set[str] = set()
    with _counting(building):
        drawn, per_example = _draw(strategy, seed=1, examples=_EXAMPLES, building=building)
    return {
        builder: count
        for builder, count in per_example.items()
        if count >= max(drawn // _PER_EXAMPLE, 3) and builder not in DRAWN_SHAPES
    }


@pytest.mark.parametrize("name", NAMES)
def test_drawing_builds_no_strategy_per_example(name: str) -> None:
    assert _built_per_example(_strategy(name)) == {}


_WASTEFUL = """
from hypothesis import strategies as st

@st.composite
def wasteful(draw):
    return draw(st.none() | st.integers())
"""


def test_a_strategy_built_in_every_draw_is_caught() -> None:
    """The check above can fail: a composite in the strategies' folder that builds a
    strategy in each draw (the pattern this test guards against) is reported."""
    namespace: dict[str, Any] = {}
    path = "/site/gittarget_status/testing/strategies/_wasteful.py"
    exec(compile(_WASTEFUL, path, "exec"), namespace)
    built = _built_per_example(namespace["wasteful"]())
    assert list(built) == ["wasteful"]
    assert built["wasteful"] == _EXAMPLES  # a strategy built in every example
