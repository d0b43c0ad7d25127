"""Parsing with every direct build switched off: the reference the direct builds must match.

``from_k8s`` builds a status (``_base.as_stored``) or a condition (``built_as_stored``, in
the model and in the list validator) without pydantic when the JSON is in the stored form;
inside this context manager each returns None, so everything goes through pydantic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from gittarget_status import _base
from gittarget_status.conditions import _list, _model

__all__ = ["pydantic_only"]


@contextmanager
def pydantic_only() -> Iterator[None]:
    with (
        mock.patch.object(_base, "as_stored", return_value=None),
        mock.patch.object(_model, "built_as_stored", return_value=None),
        mock.patch.object(_list, "built_as_stored", return_value=None),
    ):
        yield
