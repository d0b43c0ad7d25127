"""The ``gittarget-status`` command: one module per subcommand, each with ``register``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from gittarget_status._version import __version__
from gittarget_status.cli import _demo, _manifests, _wait

__all__ = ["main"]

#: Subcommand modules; each exposes ``register(subparsers)`` and sets ``func`` on its parser.
_COMMANDS = (_demo, _manifests, _wait)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gittarget-status",
        description="Status contract tools for the GitTarget custom resource (no cluster I/O).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 ok, 1 not met/failed, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``gittarget-status demo | head``): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
