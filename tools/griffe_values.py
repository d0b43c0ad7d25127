"""Griffe extension: hide attribute values too long to read in a signature.

mkdocstrings shows an attribute's value in its signature. For a constant such as
``GATE_ORDER`` that is the documentation; for a table such as ``SCENARIOS`` (thousands of
characters) it is a wall of code that the docstring already summarises, so values longer
than ``max_length`` characters, and strings too long for the column, are left out of the
rendered signature.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

__all__ = ["LongValues"]


class LongValues(griffe.Extension):
    """Drop an attribute's value when it is too long to read in a signature.

    That is: longer than ``max_length`` characters, or a single string literal longer
    than ``max_string`` (a formatter can wrap a tuple, never a string; a long regular
    expression would run off the column).
    """

    def __init__(self, max_length: int = 200, max_string: int = 60) -> None:
        super().__init__()
        self.max_length = max_length
        self.max_string = max_string

    def on_attribute_instance(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        attr: griffe.Attribute,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        """Called by griffe for each attribute it loads."""
        if attr.value is None:
            return
        text = str(attr.value)
        is_string = text[:1] in {"'", '"'} or text[:2].lower() in {"r'", 'r"', "b'", 'b"'}
        if len(text) > self.max_length or (is_string and len(text) > self.max_string):
            attr.value = None
