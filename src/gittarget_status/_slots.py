"""pydantic's per-instance slots, set directly.

The direct builds (a condition or status read in the stored form, a status copy) make
models without pydantic's validation and must leave each slot as pydantic would. The
slots' own setters skip ``object.__setattr__``'s lookup by name; declared once here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["NEW", "SET_ATTR", "SET_EXTRA", "SET_FIELDS_SET", "SET_PRIVATE"]

NEW = object.__new__
#: For ``__dict__``, which is not a pydantic slot (``BaseModel.__setattr__`` would refuse
#: a frozen model's).
SET_ATTR: Any = object.__setattr__
SET_FIELDS_SET: Any = BaseModel.__dict__["__pydantic_fields_set__"].__set__
SET_EXTRA: Any = BaseModel.__dict__["__pydantic_extra__"].__set__
SET_PRIVATE: Any = BaseModel.__dict__["__pydantic_private__"].__set__
