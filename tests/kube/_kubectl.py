"""Running the real ``kubectl`` against the test API server, bounded in time.

:class:`Kubectl` runs one binary with a fixed kubeconfig and a private discovery cache;
:class:`LiveWait` is a ``kubectl wait`` left running while a test changes the object,
with kubectl's own request log (``-v=6``) read back to tell when it is watching and
whether it re-read the object; :func:`verdicts` reads one ``--timeout=0`` call about
several objects back into a verdict per object.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Literal, TypeVar

__all__ = [
    "CALL_TIMEOUT",
    "Kubectl",
    "LiveWait",
    "Verdict",
    "find_kubectl",
    "run_concurrently",
    "verdicts",
]

#: Every kubectl call made by the suite ends within this many seconds.
CALL_TIMEOUT = 30.0

Verdict = Literal["met", "not met", "error", "refused"]
K = TypeVar("K", bound=Hashable)


def find_kubectl() -> str | None:
    return shutil.which("kubectl")


@dataclass(frozen=True)
class Kubectl:
    """``kubectl`` with a fixed kubeconfig, a private discovery cache and a namespace."""

    binary: str
    kubeconfig: Path
    cache_dir: Path
    version: str = ""
    namespace: str | None = None

    def in_namespace(self, namespace: str) -> Kubectl:
        return replace(self, namespace=namespace)

    def argv(self, *args: str) -> list[str]:
        namespace = [f"--namespace={self.namespace}"] if self.namespace else []
        return [
            self.binary,
            f"--kubeconfig={self.kubeconfig}",
            f"--cache-dir={self.cache_dir}",
            "--request-timeout=10s",
            *namespace,
            *args,
        ]

    @staticmethod
    def env() -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"}
        env["KUBECTL_INTERACTIVE_DELETE"] = "false"
        return env

    def run(self, *args: str, timeout: float = CALL_TIMEOUT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(*args),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env(),
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start a call without waiting for it (to run several kubectl versions at once)."""
        return subprocess.Popen(
            self.argv(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )

    def wait_live(self, expression: str, resource: str, log: Path) -> LiveWait:
        """Start ``kubectl wait --for=EXPRESSION RESOURCE --timeout=30s``, logging requests."""
        handle = log.open("w", encoding="utf-8")
        process = subprocess.Popen(
            self.argv("wait", f"--for={expression}", resource, "--timeout=30s", "-v=6"),
            stdout=subprocess.PIPE,
            stderr=handle,
            text=True,
            env=self.env(),
        )
        return LiveWait(self, expression, process, log, handle)


#: A request in kubectl's ``-v=6`` log, in either format: v1.32 writes
#: ``GET URL 200 OK in 1 milliseconds``, v1.36 ``"Response" verb="GET" url="URL" ...``.
_REQUEST = re.compile(r'(?:\] (GET|PUT|PATCH|POST|DELETE) (\S+) \d{3}|verb="(\w+)" url="([^"]+)")')


#: The object name at the end of a logged request's URL path.
_REQUEST_PATH = re.compile(r"(?:\] GET |url=\")\S*/([^/?\s\"]+)(?:\?[^\s\"]*)?[\s\"]")


@dataclass
class LiveWait:
    """A running ``kubectl wait``; :meth:`close` (or :meth:`finish`) always ends it."""

    kubectl: Kubectl
    expression: str
    process: subprocess.Popen[str]
    log: Path
    _handle: IO[str]
    returned_at: float | None = field(default=None)

    def requests(self) -> list[tuple[str, str]]:
        """(method, URL) of every request kubectl has logged so far, in order."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        found: list[tuple[str, str]] = []
        for match in _REQUEST.finditer(text):
            method = match.group(1) or match.group(3)
            url = match.group(2) or match.group(4)
            found.append((method, url))
        return found

    def watching(self) -> bool:
        """kubectl holds a watch open and has evaluated the object it found."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "watch=true" in text and "Caches populated" in text

    def wait_until_watching(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.watching():
            if self.process.poll() is not None:
                raise AssertionError(f"kubectl wait --for={self.expression} ended: {self.stderr()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"kubectl wait --for={self.expression} never started watching")
            time.sleep(0.02)

    def reads_after(self, mark: int) -> list[str]:
        """URLs of the non-watch reads (get, list) made after request number ``mark``."""
        return [url for method, url in self.requests()[mark:] if "watch=true" not in url]

    def running(self) -> bool:
        if self.process.poll() is None:
            return True
        if self.returned_at is None:
            self.returned_at = time.monotonic()
        return False

    def finish(self, timeout: float = 15.0) -> tuple[int, str]:
        """Wait for kubectl to return: (exit code, stdout); kills it after ``timeout``."""
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise AssertionError(
                f"kubectl wait --for={self.expression} did not return within {timeout}s"
            ) from None
        if self.returned_at is None:
            self.returned_at = time.monotonic()
        self._handle.close()
        return self.process.returncode, out

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
        self._handle.close()


def run_concurrently(
    calls: Mapping[K, tuple[Kubectl, Sequence[str]]], *, at_once: int = 8
) -> dict[K, subprocess.CompletedProcess[str]]:
    """Many kubectl calls (each ``key: (kubectl, args)``), ``at_once`` at a time."""
    keys = list(calls)
    results: dict[K, subprocess.CompletedProcess[str]] = {}
    for first in range(0, len(keys), at_once):
        started = {
            key: calls[key][0].start(*calls[key][1]) for key in keys[first : first + at_once]
        }
        try:
            for key, process in started.items():
                out, err = process.communicate(timeout=CALL_TIMEOUT)
                results[key] = subprocess.CompletedProcess(
                    process.args, process.returncode, out, err
                )
        finally:
            for process in started.values():
                if process.poll() is None:
                    process.kill()
                    process.communicate()
    return results


#: One line of kubectl's own log (klog), as ``-v=6`` writes it to stderr.
_KLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\] ")


def verdicts(result: subprocess.CompletedProcess[str], names: list[str]) -> dict[str, Verdict]:
    """Each object's verdict from one ``kubectl wait --timeout=0 -v=6 KIND/NAME...`` call.

    kubectl goes on past an object that fails: each met object is a ``condition met`` line
    on stdout, each unmet one a ``condition not met for PLURAL/NAME`` line on stderr, and
    every other stderr line is one object's error. An expression kubectl refuses fails
    before any object is read: no request for one is in its log ("refused").
    """
    lines = result.stderr.splitlines()
    log = [line for line in lines if _KLOG.match(line)]
    said = [line for line in lines if line and not _KLOG.match(line)]
    assert log, "verdicts() needs kubectl's request log: run it with -v=6"
    read = {match.group(1) for match in _REQUEST_PATH.finditer("\n".join(log))}
    if not read & set(names):
        assert result.returncode == 1, (result.returncode, said)
        assert len(said) == 1, said
        assert said[0].startswith("error: "), said
        assert not result.stdout, result.stdout
        return dict.fromkeys(names, "refused")
    met = set(re.findall(r"^\S+/(\S+) condition met$", result.stdout, re.M))
    not_met = set(re.findall(r"condition not met for \S+/(\S+)$", "\n".join(said), re.M))
    expected_code = 0 if len(met) == len(names) else 1
    assert result.returncode == expected_code, (result.returncode, said)
    found: dict[str, Verdict] = {}
    for name in names:
        found[name] = "met" if name in met else "not met" if name in not_met else "error"
    errors = [line for line in said if "condition not met" not in line]
    assert sum(v == "error" for v in found.values()) == len(errors), said
    return found
