"""``gittarget-status demo``: watch the lifecycle work on the embedded in-memory world."""

from __future__ import annotations

import argparse
import json
from typing import Any

import yaml

from gittarget_status.cli._scenarios import SCENARIOS, PassRecord, Scenario
from gittarget_status.conditions._time import format_kube_time
from gittarget_status.gates._outcome import Transition


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="run the GitTarget lifecycle on the embedded in-memory world",
        description="Run a lifecycle scenario pass by pass and show what each pass writes.",
    )
    parser.add_argument(
        "--scenario",
        default="golden-path",
        choices=sorted(SCENARIOS),
        help="which scenario to run (default: golden-path)",
    )
    parser.add_argument(
        "--output",
        choices=("timeline", "json", "yaml"),
        default="timeline",
        help="a readable timeline, or the status objects as JSON or YAML",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        for name in sorted(SCENARIOS):
            print(f"{name:28} {SCENARIOS[name].description}")
        return 0
    scenario = SCENARIOS[args.scenario]
    records = list(scenario.run())
    if args.output == "timeline":
        print(render_timeline(scenario, records))
    else:
        documents = [_document(record) for record in records]
        if args.output == "json":
            print(json.dumps(documents, indent=2))
        else:
            print(yaml.safe_dump_all(documents, sort_keys=False), end="")
    return 0


def render_timeline(scenario: Scenario, records: list[PassRecord]) -> str:
    spec = scenario.spec
    encryption = (
        f"sops (secret {spec.encryption.secret_ref.name})" if spec.encryption else "disabled"
    )
    lines = [
        f"scenario {scenario.name}: {scenario.description}",
        f"spec: provider={spec.provider_ref.name} branch={spec.branch} "
        f"path={spec.path} encryption={encryption}",
    ]
    for record in records:
        outcome = record.outcome
        status = outcome.status
        phase = status.phase.value if status.phase else "-"
        extras = [f"write={'yes' if outcome.changed else 'no'}"]
        if outcome.requeue_after is not None:
            extras.append(f"requeue={int(outcome.requeue_after.total_seconds())}s")
        if outcome.error is not None:
            extras.append(f"error={type(outcome.error).__name__}")
        lines += [
            "",
            f"pass {record.number}  {format_kube_time(record.now)}  gen {record.generation}"
            f"  {record.label}",
            f"  phase={phase}  ready={'yes' if outcome.ready else 'no'}  {'  '.join(extras)}",
        ]
        moved = {t.type: t for t in outcome.transitions}
        for condition in status.conditions:
            mark = f"<- {_arrow(moved[condition.type])}" if condition.type in moved else ""
            row = f"    {condition.type:22}{condition.status.value:9}{condition.reason:25}{mark}"
            lines.append(row.rstrip())
        gone = [t for t in outcome.transitions if t.new is None]
        lines += [f"    {t.type:22}{'-':9}{'(removed)':25}<- {_arrow(t)}" for t in gone]
        if not outcome.transitions:
            lines.append("    no condition changed status")
    return "\n".join(lines)


def _arrow(transition: Transition) -> str:
    old = transition.old.value if transition.old else "absent"
    new = transition.new.value if transition.new else "absent"
    return f"{old} -> {new}"


def _document(record: PassRecord) -> dict[str, Any]:
    return {
        "pass": record.number,
        "label": record.label,
        "time": format_kube_time(record.now),
        "metadata": {"generation": record.generation},
        "changed": record.outcome.changed,
        "status": record.outcome.status.to_k8s(),
    }
