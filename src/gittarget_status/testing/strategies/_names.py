"""Kubernetes names and the character sets they are drawn from.

DNS-1123 labels and subdomains, qualified names (``example.com/Name``) within the API
server's limits: shared by condition types, object names and references.
"""

from __future__ import annotations

import string
from functools import cache
from typing import Final

from hypothesis import strategies as st

from gittarget_status.conditions import MAX_TYPE_LENGTH

__all__ = ["ALNUM", "UNICODE", "bounded", "dns_label", "k8s_names", "qualified_names"]

ALNUM = string.ascii_letters + string.digits
#: Unicode without lone surrogates (which cannot be encoded as UTF-8 JSON).
UNICODE = st.characters(codec="utf-8")

_NAME_MAX = 63
_LABEL_MAX = 63
_PREFIX_MAX = 253


@cache
def bounded(inner: str, edge: str, max_size: int) -> st.SearchStrategy[str]:
    """``edge``, or ``edge inner* edge``, at most ``max_size`` characters long.

    Cached, like every strategy here that a draw asks for: a strategy built anew in each
    draw pays hypothesis's set-up (validation, wrapping) every time.
    """
    one = st.text(edge, min_size=1, max_size=1)
    longer = st.tuples(one, st.text(inner, max_size=max_size - 2), one).map("".join)
    return one | longer if max_size >= 2 else one


@cache
def dns_label() -> st.SearchStrategy[str]:
    """A DNS-1123 label of at most 63 characters (``team-a``)."""
    edge = string.ascii_lowercase + string.digits
    return bounded(edge + "-", edge, _LABEL_MAX)


@cache
def _dns_prefix() -> st.SearchStrategy[str]:
    """A DNS-1123 subdomain of at most 253 characters (``example.com``)."""
    labels = st.lists(dns_label(), min_size=1, max_size=4).map(".".join)
    return labels.filter(lambda prefix: len(prefix) <= _PREFIX_MAX)


_OPTIONAL_PREFIX: Final = st.none() | _dns_prefix()


@st.composite
def qualified_names(draw: st.DrawFn) -> str:
    """``name`` or ``prefix/name``, within the 63/253/316 limits of a condition type."""
    prefix = draw(_OPTIONAL_PREFIX)
    room = _NAME_MAX if prefix is None else min(_NAME_MAX, MAX_TYPE_LENGTH - len(prefix) - 1)
    name = draw(bounded(ALNUM + "-_.", ALNUM, room))
    return name if prefix is None else f"{prefix}/{name}"


@cache
def k8s_names() -> st.SearchStrategy[str]:
    """DNS-1123 subdomains, the shape of ``metadata.name`` and of object references."""
    return st.lists(dns_label(), min_size=1, max_size=3).map(".".join)
