"""Go's ``strings.EqualFold``: how kubectl compares condition types and statuses.

Python has no simple (non-expanding) case folding built in, and ``str.casefold`` gives
different answers (``"ß"`` vs ``"ss"``), so the rune-by-rune comparison lives here.
"""

from __future__ import annotations

__all__ = ["equal_fold"]


def _simple_fold(char: str) -> str:
    """The Unicode simple case folding (CaseFolding.txt status C and S) of one character."""
    folded = char.casefold()
    if len(folded) == 1:
        return folded
    lower = char.lower()  # the few status-S entries are their simple lowercase
    return lower if len(lower) == 1 else char


def equal_fold(left: str, right: str) -> bool:
    """Go's ``strings.EqualFold``: equal under Unicode simple case folding, rune by rune.

    Unlike ``str.casefold`` this never expands a character (``"ß"`` does not equal
    ``"ss"``), and the Kelvin sign equals ``k``, long s equals ``s``.
    """
    if len(left) != len(right):
        return False
    pairs = zip(left, right, strict=True)
    return all(a == b or _simple_fold(a) == _simple_fold(b) for a, b in pairs)
