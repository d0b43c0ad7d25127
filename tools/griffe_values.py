"""Griffe extension: hide attribute values too long to read in a signature.

mkdocstrings shows an attribute's value in its signature. For a constant such as
``GATE_ORDER`` that is the documentation; for a table such as ``SCENARIOS`` (thousands of
characters) it is a wall of code that the docstring already summarises, so values longer
than ``max_length`` characters are left out of the rendered signature.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

__all__ = ["LongValues"]


class LongValues(griffe.Extension):
    """Drop the value of any attribute whose source text exceeds ``max_length``."""

    def __init__(self, max_length: int = 200) -> None:
        super().__init__()
        self.max_length = max_length

    def on_attribute_instance(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        attr: griffe.Attribute,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        """Called by griffe for each attribute it loads."""
        if attr.value is not None and len(str(attr.value)) > self.max_length:
            attr.value = None
