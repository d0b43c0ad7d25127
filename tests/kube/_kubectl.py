"""Running the real ``kubectl`` against a test endpoint, bounded in time."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Kubectl", "find_kubectl"]

#: Every kubectl call made by the suite ends within this many seconds.
CALL_TIMEOUT = 30.0


def find_kubectl() -> str | None:
    return shutil.which("kubectl")


@dataclass(frozen=True)
class Kubectl:
    """``kubectl`` with a fixed kubeconfig and a private discovery cache."""

    binary: str
    kubeconfig: Path
    cache_dir: Path

    def argv(self, *args: str) -> list[str]:
        return [
            self.binary,
            f"--kubeconfig={self.kubeconfig}",
            f"--cache-dir={self.cache_dir}",
            "--request-timeout=10s",
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

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.argv(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )
