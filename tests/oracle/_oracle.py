"""A client for ``k8s-oracle``: the real apimachinery and kstatus answering over a pipe.

One long-lived process per subcommand serves a whole test session: a JSON line in, a
JSON line out, each answer bounded by a timeout. The binary is found through
``GTS_K8S_ORACLE``, else ``$KUBEBUILDER_ASSETS/k8s-oracle``.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = [
    "MISSING",
    "TALLY",
    "Oracle",
    "OracleError",
    "Tally",
    "find_oracle",
    "required",
]

MISSING: Final = (
    "k8s-oracle not found: unpack it with "
    "`xz -dc ../shared/k8s/k8s-oracle.xz > DIR/k8s-oracle && chmod +x DIR/k8s-oracle` "
    "and set GTS_K8S_ORACLE=DIR/k8s-oracle (or KUBEBUILDER_ASSETS=DIR)"
)

#: Seconds one answer may take (a round trip is tens of microseconds when healthy).
TIMEOUT: Final = 10.0


class OracleError(RuntimeError):
    """The oracle process died, hung or answered something that is not a JSON object."""


def required() -> bool:
    """``GTS_REQUIRE_CONTROL_PLANE=1``: a missing oracle fails the run instead of skipping."""
    return os.environ.get("GTS_REQUIRE_CONTROL_PLANE") == "1"


def find_oracle() -> Path | None:
    """``$GTS_K8S_ORACLE``, else ``$KUBEBUILDER_ASSETS/k8s-oracle``, if executable."""
    explicit = os.environ.get("GTS_K8S_ORACLE")
    assets = os.environ.get("KUBEBUILDER_ASSETS")
    candidate = Path(explicit) if explicit else Path(assets) / "k8s-oracle" if assets else None
    if candidate is None or not candidate.is_file() or not os.access(candidate, os.X_OK):
        return None
    return candidate


def run_once(binary: Path, *args: str) -> dict[str, Any]:
    """Run a one-shot subcommand (``version``) and decode its single JSON answer."""
    done = subprocess.run(
        [str(binary), *args], capture_output=True, timeout=TIMEOUT, check=True, text=True
    )
    answer = json.loads(done.stdout)
    if not isinstance(answer, dict):
        raise OracleError(f"{args}: expected a JSON object, got {done.stdout[:200]!r}")
    return answer


class Oracle:
    """One ``k8s-oracle SUBCOMMAND`` process: :meth:`ask` sends a line, reads a line."""

    def __init__(self, binary: Path, subcommand: str, *, timeout: float = TIMEOUT) -> None:
        self.subcommand = subcommand
        self.timeout = timeout
        self._process = subprocess.Popen(
            [str(binary), subcommand],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        assert self._process.stdout is not None
        self._fd = self._process.stdout.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = b""

    def ask(self, request: object) -> dict[str, Any]:
        """The oracle's answer to one request (``{"error": ...}`` included)."""
        line = json.dumps(request, ensure_ascii=False, allow_nan=False).encode() + b"\n"
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(line)
        except BrokenPipeError:
            raise OracleError(f"k8s-oracle {self.subcommand} exited") from None
        answer = self._read_line()
        try:
            decoded = json.loads(answer)
        except ValueError:
            raise OracleError(f"not JSON: {answer[:200]!r}") from None
        if not isinstance(decoded, dict):
            raise OracleError(f"not a JSON object: {answer[:200]!r}")
        return decoded

    def _read_line(self) -> bytes:
        deadline = time.monotonic() + self.timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                self.close(kill=True)  # a hung oracle answers nothing more
                raise OracleError(f"k8s-oracle {self.subcommand}: no answer in {self.timeout}s")
            chunk = os.read(self._fd, 1 << 16)
            if not chunk:
                raise OracleError(f"k8s-oracle {self.subcommand} exited mid-answer")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def close(self, *, kill: bool = False) -> None:
        """Close stdin (the oracle then exits); kill it if it does not within 5 s."""
        if self._process.returncode is not None:
            return
        self._selector.close()
        if kill:
            self._process.kill()
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


@dataclass
class Tally:
    """Cases compared with the oracle per property: agreed, excluded by name, disagreed."""

    agreed: Counter[str] = field(default_factory=Counter)
    excluded: dict[str, Counter[str]] = field(default_factory=dict)
    disagreed: Counter[str] = field(default_factory=Counter)

    def exclude(self, prop: str, difference: str) -> None:
        self.excluded.setdefault(prop, Counter())[difference] += 1

    def properties(self) -> list[str]:
        return sorted({*self.agreed, *self.excluded, *self.disagreed})

    def compared(self, prop: str) -> int:
        return (
            self.agreed[prop]
            + sum(self.excluded.get(prop, Counter()).values())
            + self.disagreed[prop]
        )

    def dump(self) -> dict[str, Any]:
        """The tally as plain data (an xdist worker hands it to the controller)."""
        return {
            "agreed": dict(self.agreed),
            "excluded": {prop: dict(names) for prop, names in self.excluded.items()},
            "disagreed": dict(self.disagreed),
        }

    def merge(self, dumped: Mapping[str, Any]) -> None:
        """Add a worker's ``dump()`` to this tally."""
        self.agreed.update(dumped["agreed"])
        for prop, names in dumped["excluded"].items():
            self.excluded.setdefault(prop, Counter()).update(names)
        self.disagreed.update(dumped["disagreed"])

    def summary_lines(self) -> list[str]:
        """The "oracle comparisons" section (none when nothing was compared)."""
        properties = self.properties()
        if not properties:
            return []
        total = sum(self.compared(p) for p in properties)
        lines = [
            f"{total} cases compared with apimachinery/kstatus, "
            f"{sum(self.disagreed.values())} disagreements"
        ]
        for prop in properties:
            excluded = self.excluded.get(prop, Counter())
            lines.append(
                f"  {prop}: {self.compared(prop)} cases, {self.agreed[prop]} equal, "
                f"{sum(excluded.values())} excluded by name, {self.disagreed[prop]} disagreed"
            )
            lines.extend(f"      {count:6d}  {name}" for name, count in sorted(excluded.items()))
        return lines


#: The session's tally, printed by ``tests/conftest.py`` (every worker's, under xdist).
TALLY: Final = Tally()
