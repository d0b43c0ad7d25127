"""Models read in the form the API server stores them, built without pydantic's field calls.

What the API server hands back is, nearly always, what a writer like this library put
there: camelCase keys, canonical timestamps, exact strings. For such input, validation
can change nothing and note nothing, so ``as_stored`` builds the model directly (the
instance dict and pydantic's slots, as pydantic would set them), at a fraction of the
cost. The recipe for each model class is derived once from its fields:

* a field whose ``Annotated`` metadata holds a ``Stored(read)`` marker is read with
  ``read``, which stands for the metadata before it (the type alias's own validators:
  ``KubeTime``, counts, the condition list); anything after it, or any other validator
  on the field, leaves the class without one;
* a nested pydantic model is read with its own recipe, made the same way;
* plain or strict ``str``, ``int`` and ``bool`` take exactly that type, within the
  bounds and lengths their ``Field(...)`` gives; a ``str`` enum takes one of its values.

Any input outside that (an unknown or snake_case key, a ``null``, a value in another
form, a missing required field) returns None, and the caller takes the full validation
with its errors, lenient readings and notes. A model with its own validators, a
``model_post_init`` of its own or value-changing settings is never given a recipe.

The parts: ``_marker`` (the ``Stored`` marker, the readers of exact types, what is shared
between models), ``_readers`` (how a field's metadata becomes a reader), ``_recipe`` (a
recipe per model class, and the build) and ``_snapshot`` (what a status read so keeps
instead of its JSON).
"""

from gittarget_status._stored._marker import (
    NO_EXTRAS,
    Stored,
    exact_str,
    renders_as_read,
    shared_fields_set,
)
from gittarget_status._stored._readers import enum_reader
from gittarget_status._stored._recipe import as_stored
from gittarget_status._stored._snapshot import Snapshot, renders_as_read_tree, snapshot

__all__ = [
    "NO_EXTRAS",
    "Snapshot",
    "Stored",
    "as_stored",
    "enum_reader",
    "exact_str",
    "renders_as_read",
    "renders_as_read_tree",
    "shared_fields_set",
    "snapshot",
]
