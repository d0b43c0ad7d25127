"""Lazy package attributes (PEP 562): a package's names are imported on first use.

``import gittarget_status`` then costs one small module, not pydantic and every model
(a controller's CLI, a ``--help``, a tool importing one helper pays only for what it
touches). The package's ``__all__`` stays the one list of its public names; each name is
looked up, once, in the ``__all__`` of the modules it may come from, and cached in the
package's namespace, so the second access is a plain attribute.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # typing itself is not imported: it is most of this module's cost
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, public: Sequence[str], sources: Sequence[str], submodules: Sequence[str] = ()
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    ``public`` is the package's ``__all__``; ``sources`` are the modules (relative to the
    package, e.g. ``"._spec"``, or absolute) whose ``__all__`` hold those names, searched
    in order; ``submodules`` are subpackages reachable as attributes without an import.
    """
    exported = frozenset(public)
    children = frozenset(submodules)

    def __getattr__(name: str) -> object:
        namespace = vars(sys.modules[package])
        if name in children:
            return importlib.import_module(f"{package}.{name}")
        if name in exported:
            for source in sources:
                module = importlib.import_module(source, package)
                if name in getattr(module, "__all__", ()):
                    value = getattr(module, name)
                    namespace[name] = value
                    return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exported, *children})

    return __getattr__, __dir__
