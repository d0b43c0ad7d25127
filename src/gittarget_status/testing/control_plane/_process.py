"""Start and stop a real etcd and kube-apiserver for a test session (envtest for Python).

Processes are started with kill-on-parent-death (Linux ``PR_SET_PDEATHSIG``), so a test
run that crashes leaves nothing behind;
[`ControlPlane.stop`][gittarget_status.testing.control_plane.ControlPlane.stop] stops
kube-apiserver first, then etcd (the other order can hang the API server's shutdown),
and signals only the processes it started.

Over 300 lines because starting (etcd, then kube-apiserver, readiness, kubeconfig), the
stop order and the failure reports (each process's log tail) are one lifecycle that must
stay in step.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from gittarget_status.testing.control_plane._assets import Assets, find_assets
from gittarget_status.testing.control_plane._client import ApiClient, ApiError
from gittarget_status.testing.control_plane._keys import ec_private_key_pem

__all__ = ["ControlPlane", "ControlPlaneError"]

_PR_SET_PDEATHSIG = 1
_LOG_TAIL_LINES = 40


class ControlPlaneError(RuntimeError):
    """Start-up failed; the message ends with the tail of each process's log."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class ControlPlane:
    """A real API server on 127.0.0.1: ``with ControlPlane() as cp: cp.client.get(...)``.

    Binaries come from ``assets`` (a folder), the explicit paths, or ``KUBEBUILDER_ASSETS``
    (see [`find_assets`][gittarget_status.testing.control_plane.find_assets]). ``kubeconfig``,
    ``server``, ``token`` and ``client`` are available once started; ``workdir`` (a
    temporary folder unless given) holds the data, certificates, logs and kubeconfig and
    is removed by [`stop`][gittarget_status.testing.control_plane.ControlPlane.stop]
    unless it was given.
    """

    def __init__(
        self,
        assets: str | os.PathLike[str] | Assets | None = None,
        *,
        workdir: str | os.PathLike[str] | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self.assets = assets if isinstance(assets, Assets) else find_assets(assets)
        self.start_timeout = start_timeout
        self._own_workdir = workdir is None
        self.workdir = (
            Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="gts-cp-"))
        )
        self.token = secrets.token_hex(16)
        self.kubeconfig = self.workdir / "kubeconfig"
        self.ca_file = self.workdir / "certs" / "apiserver.crt"
        self.etcd_log = self.workdir / "etcd.log"
        self.apiserver_log = self.workdir / "kube-apiserver.log"
        self.server = ""
        self.startup_seconds = 0.0
        self._etcd: subprocess.Popen[bytes] | None = None
        self._apiserver: subprocess.Popen[bytes] | None = None
        self._client: ApiClient | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return any(p is not None and p.poll() is None for p in (self._etcd, self._apiserver))

    @property
    def pids(self) -> tuple[int, ...]:
        """The process ids this control plane started (for tests of the fixture itself)."""
        return tuple(p.pid for p in (self._apiserver, self._etcd) if p is not None)

    @property
    def client(self) -> ApiClient:
        if self._client is None:
            raise ControlPlaneError("the control plane is not started")
        return self._client

    def start(self) -> Self:
        """Start etcd and kube-apiserver, wait for ``/readyz``, write the kubeconfig."""
        if self.running:
            return self
        began = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            self._start_etcd()
            self._start_apiserver()
            self._wait_ready(began + self.start_timeout)
        except BaseException:
            self._stop_processes()
            raise
        self._write_kubeconfig()
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop kube-apiserver, then etcd; remove the work folder if this object made it."""
        self._stop_processes()
        self._client = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def restart_apiserver(self) -> None:
        """Stop and start kube-apiserver alone (same port, same etcd): an outage in a test."""
        self._stop(self._apiserver)
        self._start_apiserver(port=int(self.server.rsplit(":", 1)[1]))
        self._wait_ready(time.monotonic() + self.start_timeout)

    def stop_apiserver(self) -> None:
        """Stop kube-apiserver alone, leaving etcd (and the data) in place."""
        self._stop(self._apiserver)

    # -- processes -----------------------------------------------------------------------

    def _spawn(
        self, argv: list[str], log: Path, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        handle: IO[bytes] = log.open("ab")
        try:
            return subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                env=env,
                preexec_fn=_die_with_parent,
                close_fds=True,
            )
        except OSError as error:
            raise ControlPlaneError(f"cannot run {argv[0]}: {error}") from error
        finally:
            handle.close()

    def _start_etcd(self) -> None:
        client, peer = _free_port(), _free_port()
        self._etcd_url = f"http://127.0.0.1:{client}"
        peer_url = f"http://127.0.0.1:{peer}"
        self._etcd = self._spawn(
            [
                str(self.assets.etcd),
                "--name=gts",
                f"--data-dir={self.workdir / 'etcd'}",
                f"--listen-client-urls={self._etcd_url}",
                f"--advertise-client-urls={self._etcd_url}",
                f"--listen-peer-urls={peer_url}",
                f"--initial-advertise-peer-urls={peer_url}",
                f"--initial-cluster=gts={peer_url}",
                "--initial-cluster-state=new",
                "--unsafe-no-fsync=true",
                "--log-level=warn",
            ],
            self.etcd_log,
        )

    def _start_apiserver(self, port: int | None = None) -> None:
        port = port or _free_port()
        self.server = f"https://127.0.0.1:{port}"
        key = self.workdir / "sa.key"
        if not key.exists():
            key.write_text(ec_private_key_pem(), encoding="ascii")
        tokens = self.workdir / "tokens.csv"
        tokens.write_text(f"{self.token},admin,admin-uid,system:masters\n", encoding="ascii")
        env = {**os.environ, "POD_NAMESPACE": "kube-system", "POD_NAME": "kube-apiserver"}
        self._apiserver = self._spawn(
            [
                str(self.assets.kube_apiserver),
                f"--etcd-servers={self._etcd_url}",
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                f"--secure-port={port}",
                f"--cert-dir={self.workdir / 'certs'}",
                "--service-cluster-ip-range=10.0.0.0/24",
                f"--service-account-issuer={self.server}",
                f"--service-account-key-file={key}",
                f"--service-account-signing-key-file={key}",
                f"--token-auth-file={tokens}",
                "--authorization-mode=RBAC",
                "--disable-admission-plugins=ServiceAccount",
                "--allow-privileged=true",
                "--endpoint-reconciler-type=none",
            ],
            self.apiserver_log,
            env,
        )

    def _failure(self, why: str) -> ControlPlaneError:
        return ControlPlaneError(
            f"{why}\n--- etcd log ({self.etcd_log}) ---\n{_tail(self.etcd_log)}"
            f"\n--- kube-apiserver log ({self.apiserver_log}) ---\n{_tail(self.apiserver_log)}"
        )

    def _wait_ready(self, deadline: float) -> None:
        probe = ApiClient(self.server, self.token, ca_file=str(self.ca_file), timeout=5.0)
        last = "no answer yet"
        while True:
            for name, process in (("etcd", self._etcd), ("kube-apiserver", self._apiserver)):
                if process is not None and process.poll() is not None:
                    code = process.returncode
                    raise self._failure(f"{name} exited with code {code} during start-up")
            if self.ca_file.exists():  # the server writes its self-signed cert before serving
                try:
                    answer = probe.send("GET", "/readyz")
                except (ApiError, OSError) as error:  # 429 while storage initialises, refused
                    last = str(error)
                else:
                    if answer.strip() == b"ok":
                        break
                    last = answer.decode("utf-8", "replace")
            if time.monotonic() > deadline:
                raise self._failure(f"kube-apiserver not ready after {self.start_timeout}s: {last}")
            time.sleep(0.1)
        self._client = ApiClient(self.server, self.token, ca_file=str(self.ca_file))

    def _write_kubeconfig(self) -> None:
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "gts",
                    "cluster": {"server": self.server, "certificate-authority": str(self.ca_file)},
                }
            ],
            "users": [{"name": "admin", "user": {"token": self.token}}],
            "contexts": [
                {
                    "name": "gts",
                    "context": {"cluster": "gts", "user": "admin", "namespace": "default"},
                }
            ],
            "current-context": "gts",
        }
        self.kubeconfig.write_text(json.dumps(config, indent=2), encoding="utf-8")

    @staticmethod
    def _stop(process: subprocess.Popen[bytes] | None, grace: float = 10.0) -> None:
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _stop_processes(self) -> None:
        self._stop(self._apiserver)
        self._stop(self._etcd)

    # -- conveniences --------------------------------------------------------------------

    def kubectl(
        self,
        *args: str,
        binary: str | os.PathLike[str] | None = None,
        stdin: str | None = None,
        timeout: float = 60.0,
    ) -> subprocess.CompletedProcess[str]:
        """Run kubectl (the assets' one, else ``binary``) against this server; never raises."""
        exe = binary or self.assets.kubectl
        if exe is None:
            raise ControlPlaneError("no kubectl: put one in the assets folder or on PATH")
        env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"}
        with contextlib.suppress(FileExistsError):
            (self.workdir / "kube-cache").mkdir()
        return subprocess.run(
            [
                str(exe),
                f"--kubeconfig={self.kubeconfig}",
                f"--cache-dir={self.workdir / 'kube-cache'}",
                *args,
            ],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
