"""A tiny Kubernetes API endpoint for the real ``kubectl``: enough for ``kubectl wait``.

Serves one custom resource type on 127.0.0.1 (a free port), plain HTTP, no auth:
discovery (``/api``, ``/apis``, ``/apis/GROUP/VERSION``), get, list (with
``fieldSelector=metadata.name=NAME``) and watch (chunked JSON lines). Every change made
through :meth:`FakeAPIServer.put` bumps ``resourceVersion`` and becomes a watch event.
Watches are bounded (``timeoutSeconds``, at most ``max_watch_seconds``) and the server is
shut down by its context manager, so a test can never leave it running.
"""

from __future__ import annotations

import copy
import json
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

GROUP = "configbutler.ai"
VERSION = "v1alpha1"
KIND = "GitTarget"
PLURAL = "gittargets"
NAMESPACE = "default"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    watch: bool
    at: float = field(default_factory=time.monotonic)


@dataclass
class _State:
    objects: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    events: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    resource_version: int = 100
    requests: list[Request] = field(default_factory=list)
    open_watches: int = 0


class FakeAPIServer:
    """The API endpoint; use :func:`serve` to run it."""

    def __init__(self, *, max_watch_seconds: float = 20.0) -> None:
        self.max_watch_seconds = max_watch_seconds
        self._state = _State()
        self._changed = threading.Condition()
        self._closing = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # ------------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def write_kubeconfig(self, path: Path) -> Path:
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "fake", "cluster": {"server": self.url}}],
            "users": [{"name": "fake", "user": {}}],
            "contexts": [
                {
                    "name": "fake",
                    "context": {"cluster": "fake", "user": "fake", "namespace": NAMESPACE},
                }
            ],
            "current-context": "fake",
        }
        path.write_text(json.dumps(config), encoding="utf-8")
        return path

    # ------------------------------------------------------------------- objects
    def put(
        self, name: str, *, spec: Mapping[str, Any] | None = None, status: Any = None
    ) -> dict[str, Any]:
        """Create or update ``name``. A spec change bumps ``metadata.generation``.

        ``status`` replaces the status when given (a dict, or None to leave it as is).
        Returns the stored object.
        """
        with self._changed:
            key = (NAMESPACE, name)
            existing = self._state.objects.get(key)
            self._state.resource_version += 1
            rv = self._state.resource_version
            if existing is None:
                obj: dict[str, Any] = {
                    "apiVersion": f"{GROUP}/{VERSION}",
                    "kind": KIND,
                    "metadata": {
                        "name": name,
                        "namespace": NAMESPACE,
                        "uid": str(uuid.uuid4()),
                        "generation": 1,
                        "creationTimestamp": "2026-11-26T09:00:00Z",
                    },
                    "spec": dict(spec or {}),
                }
                event = "ADDED"
            else:
                obj = copy.deepcopy(existing)
                if spec is not None and dict(spec) != obj.get("spec"):
                    obj["spec"] = dict(spec)
                    obj["metadata"]["generation"] += 1
                event = "MODIFIED"
            if status is not None:
                obj["status"] = copy.deepcopy(status)
            obj["metadata"]["resourceVersion"] = str(rv)
            self._state.objects[key] = obj
            self._state.events.append((rv, event, copy.deepcopy(obj)))
            self._changed.notify_all()
            return copy.deepcopy(obj)

    def put_raw(self, name: str, obj: Mapping[str, Any]) -> None:
        """Store ``obj`` exactly (any shape), keyed by ``name``: for differential tests."""
        with self._changed:
            self._state.resource_version += 1
            stored = copy.deepcopy(dict(obj))
            metadata = stored.get("metadata")
            if isinstance(metadata, dict):
                metadata["resourceVersion"] = str(self._state.resource_version)
            self._state.objects[(NAMESPACE, name)] = stored
            self._changed.notify_all()

    def get(self, name: str) -> dict[str, Any]:
        with self._changed:
            return copy.deepcopy(self._state.objects[(NAMESPACE, name)])

    @property
    def requests(self) -> list[Request]:
        with self._changed:
            return list(self._state.requests)

    @property
    def open_watches(self) -> int:
        with self._changed:
            return self._state.open_watches

    def wait_for_watch(self, timeout: float = 10.0) -> None:
        """Block until a client holds a watch open (kubectl got past its initial list)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._state.open_watches == 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("no watch was opened")
                self._changed.wait(remaining)

    # ---------------------------------------------------------------- internals
    def _record(self, request: Request) -> None:
        with self._changed:
            self._state.requests.append(request)

    def _list(self, name: str | None) -> dict[str, Any]:
        with self._changed:
            items = [
                copy.deepcopy(obj)
                for (_, obj_name), obj in sorted(self._state.objects.items())
                if name is None or obj_name == name
            ]
            rv = self._state.resource_version
        return {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": f"{KIND}List",
            "metadata": {"resourceVersion": str(rv)},
            "items": items,
        }

    def _watch_events(self, name: str | None, since: int, timeout: float) -> Iterator[bytes]:
        deadline = time.monotonic() + min(timeout, self.max_watch_seconds)
        with self._changed:
            self._state.open_watches += 1
            self._changed.notify_all()
        try:
            while True:
                with self._changed:
                    pending = [
                        (rv, kind, obj)
                        for rv, kind, obj in self._state.events
                        if rv > since and (name is None or obj["metadata"]["name"] == name)
                    ]
                    if not pending:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0 or self._closing:
                            return
                        self._changed.wait(min(remaining, 0.5))
                        continue
                for rv, kind, obj in pending:
                    since = rv
                    yield json.dumps({"type": kind, "object": obj}).encode() + b"\n"
        finally:
            with self._changed:
                self._state.open_watches -= 1
                self._changed.notify_all()


_API_VERSIONS = {
    "kind": "APIVersions",
    "versions": ["v1"],
    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
}
_GROUP_VERSION = {"groupVersion": f"{GROUP}/{VERSION}", "version": VERSION}
_API_GROUPS = {
    "kind": "APIGroupList",
    "apiVersion": "v1",
    "groups": [{"name": GROUP, "versions": [_GROUP_VERSION], "preferredVersion": _GROUP_VERSION}],
}
_RESOURCES = {
    "kind": "APIResourceList",
    "apiVersion": "v1",
    "groupVersion": f"{GROUP}/{VERSION}",
    "resources": [
        {
            "name": PLURAL,
            "singularName": "gittarget",
            "namespaced": True,
            "kind": KIND,
            "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"],
            "shortNames": ["gt"],
        },
        {
            "name": f"{PLURAL}/status",
            "singularName": "",
            "namespaced": True,
            "kind": KIND,
            "verbs": ["get", "patch", "update"],
        },
    ],
}
_CORE_RESOURCES = {
    "kind": "APIResourceList",
    "apiVersion": "v1",
    "groupVersion": "v1",
    "resources": [],
}


def _handler_for(server: FakeAPIServer) -> type[BaseHTTPRequestHandler]:
    base = f"/apis/{GROUP}/{VERSION}/namespaces/"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet

        def _json(self, code: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _not_found(self, what: str) -> None:
            self._json(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "metadata": {},
                    "status": "Failure",
                    "message": f"{what} not found",
                    "reason": "NotFound",
                    "code": 404,
                },
            )

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path, query = parts.path.rstrip("/"), parse_qs(parts.query)
            watch = query.get("watch", ["false"])[0] in ("true", "1")
            server._record(Request("GET", path, query, watch))
            if path == "/api":
                self._json(200, _API_VERSIONS)
            elif path == "/api/v1":
                self._json(200, _CORE_RESOURCES)
            elif path == "/apis":
                self._json(200, _API_GROUPS)
            elif path == f"/apis/{GROUP}/{VERSION}":
                self._json(200, _RESOURCES)
            elif path.startswith(base):
                self._resource(path[len(base) :].split("/"), query, watch)
            else:
                self._not_found(path)

        def _resource(self, segments: list[str], query: dict[str, list[str]], watch: bool) -> None:
            if len(segments) == 3 and segments[1] == PLURAL:
                wanted = unquote(segments[2])
                try:
                    self._json(200, server.get(wanted))
                except KeyError:
                    self._not_found(f'{PLURAL}.{GROUP} "{wanted}"')
                return
            if len(segments) != 2 or segments[1] != PLURAL:
                self._not_found("/".join(segments))
                return
            name: str | None = None
            for selector in query.get("fieldSelector", []):
                for term in selector.split(","):
                    key, _, value = term.partition("=")
                    if key == "metadata.name":
                        name = value.lstrip("=")
            if not watch:
                self._json(200, server._list(name))
                return
            since = int(query.get("resourceVersion", ["0"])[0] or 0)
            timeout = float(query.get("timeoutSeconds", [str(server.max_watch_seconds)])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for line in server._watch_events(name, since, timeout):
                    self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


@contextmanager
def serve(*, max_watch_seconds: float = 20.0) -> Iterator[FakeAPIServer]:
    """Run a :class:`FakeAPIServer` for the duration of the ``with`` block."""
    server = FakeAPIServer(max_watch_seconds=max_watch_seconds)
    server.start()
    try:
        yield server
    finally:
        server.stop()
