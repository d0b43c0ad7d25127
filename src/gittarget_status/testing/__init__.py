"""Tools for testing controllers that use this library (like ``structlog.testing``).

Importable without hypothesis; the hypothesis strategies live in
:mod:`gittarget_status.testing.strategies` (install the ``testing`` extra).
"""

__all__: list[str] = []
