"""``gittarget-status wait --for=EXPR -f FILE``: kubectl wait's verdict on saved objects.

Exit codes: 0 the condition is met (for every object in FILE), 1 it is not (and why:
``condition Ready is stale: observedGeneration 1 < generation 2``), 2 bad input
(unreadable file, not an object, an expression kubectl would refuse, or an object on which
kubectl itself would fail with an error).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

import yaml

from gittarget_status.kubectl import (
    WaitEvaluationError,
    WaitExpressionError,
    parse_wait_expression,
    wait_verdict,
)

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "wait",
        help="evaluate a kubectl wait --for expression on a saved object, offline",
        description=(
            "Tell whether `kubectl wait --for=EXPR` would return for the object(s) in FILE, "
            "using kubectl's own rules (case folding, first condition of a type decides, "
            "stale observedGeneration does not count). Exit 0 met, 1 not met, 2 bad input."
        ),
    )
    parser.add_argument(
        "--for",
        dest="expression",
        required=True,
        metavar="EXPR",
        help="condition=NAME[=VALUE] or jsonpath='{...}'[=VALUE], as for kubectl wait",
    )
    parser.add_argument(
        "-f",
        "--filename",
        required=True,
        metavar="FILE",
        help="YAML or JSON file with one or more objects (- for standard input)",
    )
    parser.set_defaults(func=run)


def _describe(obj: Mapping[str, Any]) -> str:
    kind = str(obj.get("kind") or "object").lower()
    api_version = str(obj.get("apiVersion") or "")
    group = api_version.split("/")[0] if "/" in api_version else ""
    metadata = obj.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return f"{kind}{'.' + group if group else ''}/{name or '<unnamed>'}"


def _load(path: str) -> list[Mapping[str, Any]]:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    objects: list[Mapping[str, Any]] = []
    for document in documents:
        if isinstance(document, Mapping) and document.get("kind") == "List":
            items = document.get("items")
            documents_items = items if isinstance(items, list) else []
            objects.extend(item for item in documents_items if isinstance(item, Mapping))
        elif isinstance(document, Mapping):
            objects.append(document)
        else:
            raise ValueError(f"{path}: expected a JSON/YAML object, got {type(document).__name__}")
    if not objects:
        raise ValueError(f"{path}: no objects found")
    return objects


def run(args: argparse.Namespace) -> int:
    try:
        expression = parse_wait_expression(args.expression)
        objects = _load(args.filename)
    except (WaitExpressionError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    code = 0
    for obj in objects:
        try:
            verdict = wait_verdict(obj, expression)
        except WaitEvaluationError as exc:
            print(f"error: {_describe(obj)}: {exc}", file=sys.stderr)
            return 2
        if verdict.met:
            print(f"{_describe(obj)} condition met")
        else:
            print(f"error: condition not met for {_describe(obj)}: {verdict}", file=sys.stderr)
            code = 1
    return code
