"""``gittarget-status demo``: the lifecycle on the in-memory world (lands with the lifecycle)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo", help="run the GitTarget lifecycle on the embedded in-memory world"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print("demo: the lifecycle pipeline is not available in this build")
    return 1
