"""A small authenticated JSON client for a test's API server: standard library only.

Enough for tests and nothing more: get, post, put, patch (merge, JSON patch, strategic,
server-side apply: always an explicit content type), delete, server-side apply of whole
manifests through discovery, waiting for a CRD to be Established, creating a namespace.
Every failure the server reports is an [`ApiError`][gittarget_status.testing.control_plane.ApiError]
carrying its ``Status``.
"""

from __future__ import annotations

import json
import re
import ssl
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

__all__ = ["PATCH_CONTENT_TYPES", "ApiClient", "ApiError", "PatchType", "encode_body"]

PatchType = Literal["merge", "json", "strategic", "apply"]

#: The Content-Type the API server expects for each kind of PATCH.
PATCH_CONTENT_TYPES: Mapping[PatchType, str] = {
    "merge": "application/merge-patch+json",
    "json": "application/json-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    # JSON is YAML, so the body is sent as JSON, but as raw UTF-8: YAML refuses the
    # surrogate-pair escapes (\ud83d\ude00) that json.dumps writes by default.
    "apply": "application/apply-patch+yaml",
}

Json = Any

#: Characters the API server's YAML parser refuses raw (DEL, C1 controls, U+FFFE/U+FFFF)
#: or silently changes (U+0085 NEL becomes a space); escaped, they pass.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\ufffe\uffff]")


def encode_body(body: Json) -> bytes:
    """JSON that is also YAML the API server reads back unchanged (apply bodies are YAML).

    Plain ``json.dumps`` writes surrogate-pair escapes for characters beyond U+FFFF,
    which the server's YAML parser rejects ("invalid Unicode character escape code");
    ``ensure_ascii=False`` alone leaves the characters of ``_YAML_UNSAFE`` raw.
    """
    text = json.dumps(body, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


class ApiError(Exception):
    """The API server refused a request; ``status`` is its ``Status`` object (or a stand-in)."""

    def __init__(self, method: str, path: str, code: int, status: Mapping[str, Any]) -> None:
        self.method, self.path, self.code = method, path, code
        self.status: dict[str, Any] = dict(status)
        self.reason: str = str(status.get("reason", ""))
        self.message: str = str(status.get("message", ""))
        super().__init__(f"{method} {path}: {code} {self.reason}: {self.message}")

    @property
    def conflict(self) -> bool:
        """A 409: the resourceVersion was stale, or a server-side apply conflict."""
        return self.code == 409


@dataclass
class ApiClient:
    """Talks to one API server as one bearer token (verified TLS when ``ca_file`` is set)."""

    server: str
    token: str
    ca_file: str | None = None
    timeout: float = 30.0
    _resources: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=dict, repr=False)

    def _context(self) -> ssl.SSLContext:
        if self.ca_file is None:
            return ssl._create_unverified_context()
        return ssl.create_default_context(cafile=self.ca_file)

    def request(
        self,
        method: str,
        path: str,
        body: Json = None,
        *,
        content_type: str = "application/json",
        params: Mapping[str, str] | None = None,
    ) -> Json:
        """One request; returns the decoded JSON answer (None for an empty body)."""
        data = None if body is None else encode_body(body)
        raw = self.send(method, path, data, content_type=content_type, params=params)
        return json.loads(raw) if raw else None

    def send(
        self,
        method: str,
        path: str,
        data: bytes | None = None,
        *,
        content_type: str = "application/json",
        params: Mapping[str, str] | None = None,
    ) -> bytes:
        """One request with a raw body; returns the raw answer (``/readyz`` answers text)."""
        url = self.server.rstrip("/") + path + (f"?{urlencode(params)}" if params else "")
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json, */*"}
        if data is not None:
            headers["Content-Type"] = content_type
        req = Request(url, data=data, method=method, headers=headers)
        try:
            with urlopen(req, timeout=self.timeout, context=self._context()) as answer:
                raw: bytes = answer.read()
        except HTTPError as error:
            body_bytes: bytes = error.read()
            try:
                status = json.loads(body_bytes)
            except ValueError:
                status = {"message": body_bytes.decode("utf-8", "replace")}
            if not isinstance(status, dict):
                status = {"message": str(status)}
            raise ApiError(method, path, error.code, status) from None
        except URLError as error:
            unreachable = {"reason": "Unreachable", "message": str(error.reason)}
            raise ApiError(method, path, 0, unreachable) from None
        return raw

    def get(self, path: str, *, params: Mapping[str, str] | None = None) -> Json:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Json, *, params: Mapping[str, str] | None = None) -> Json:
        return self.request("POST", path, body, params=params)

    def put(self, path: str, body: Json, *, params: Mapping[str, str] | None = None) -> Json:
        return self.request("PUT", path, body, params=params)

    def delete(self, path: str) -> Json:
        return self.request("DELETE", path)

    def patch(
        self,
        path: str,
        body: Json,
        patch_type: PatchType,
        *,
        field_manager: str | None = None,
        force: bool = False,
        dry_run: bool = False,
    ) -> Json:
        """PATCH with the content type ``patch_type`` names; ``force`` only with ``apply``."""
        params: dict[str, str] = {}
        if field_manager is not None:
            params["fieldManager"] = field_manager
        if force:
            params["force"] = "true"
        if dry_run:
            params["dryRun"] = "All"
        return self.request(
            "PATCH", path, body, content_type=PATCH_CONTENT_TYPES[patch_type], params=params
        )

    # -- discovery and manifests ---------------------------------------------------------

    def _discover(self, api_version: str) -> dict[str, tuple[str, bool]]:
        prefix = "/api/" if "/" not in api_version else "/apis/"
        listing = self.get(prefix + api_version)
        kinds: dict[str, tuple[str, bool]] = {}
        for resource in listing.get("resources", []):
            if "/" not in resource["name"]:
                kinds[resource["kind"]] = (resource["name"], bool(resource["namespaced"]))
        self._resources[api_version] = kinds
        return kinds

    def resource_path(
        self, api_version: str, kind: str, name: str = "", *, namespace: str | None = None
    ) -> str:
        """The REST path of a kind (and object), through discovery, cached per group-version."""
        kinds = self._resources.get(api_version)
        if kinds is None or kind not in kinds:
            kinds = self._discover(api_version)
        if kind not in kinds:
            raise ApiError(
                "GET",
                api_version,
                404,
                {"reason": "NotFound", "message": f"no kind {kind!r} in {api_version}"},
            )
        plural, namespaced = kinds[kind]
        prefix = "/api/" if "/" not in api_version else "/apis/"
        path = prefix + api_version
        if namespaced:
            path += f"/namespaces/{quote(namespace or 'default')}"
        path += f"/{plural}"
        return path + (f"/{quote(name)}" if name else "")

    def object_path(self, obj: Mapping[str, Any], *, namespace: str | None = None) -> str:
        """The REST path of ``obj`` (its own namespace wins over ``namespace``)."""
        meta = obj.get("metadata", {})
        return self.resource_path(
            obj["apiVersion"], obj["kind"], meta["name"], namespace=meta.get("namespace", namespace)
        )

    def apply(
        self,
        manifests: Mapping[str, Any] | Iterable[Mapping[str, Any]],
        *,
        field_manager: str = "gittarget-status-tests",
        namespace: str | None = None,
        force: bool = True,
        dry_run: bool = False,
    ) -> list[Json]:
        """Server-side apply each manifest (a ``List`` is unpacked); returns the answers."""
        items = [manifests] if isinstance(manifests, Mapping) else list(manifests)
        flat: list[Mapping[str, Any]] = []
        for item in items:
            flat.extend(item.get("items", []) if item.get("kind") == "List" else [item])
        return [
            self.patch(
                self.object_path(item, namespace=namespace),
                item,
                "apply",
                field_manager=field_manager,
                force=force,
                dry_run=dry_run,
            )
            for item in flat
        ]

    def wait_established(self, crd_name: str, *, timeout: float = 30.0) -> Json:
        """Wait until the CRD is Established and its resource is served; returns the CRD."""
        path = f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{quote(crd_name)}"
        deadline = time.monotonic() + timeout
        while True:
            crd = self.get(path)
            established = any(
                c.get("type") == "Established" and c.get("status") == "True"
                # a CRD just created has "conditions": null until the controller runs
                for c in (crd.get("status") or {}).get("conditions") or []
            )
            if established:
                group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
                served = [v["name"] for v in crd["spec"]["versions"] if v.get("served")]
                try:
                    if all(kind in self._discover(f"{group}/{v}") for v in served):
                        return crd
                except ApiError as error:
                    if error.code != 404:
                        raise
            if time.monotonic() > deadline:
                raise TimeoutError(f"CRD {crd_name} not Established and served after {timeout}s")
            time.sleep(0.05)

    def create_namespace(self, name: str | None = None) -> str:
        """Create a namespace (a fresh ``gts-xxxxxxxx`` name by default); returns its name."""
        name = name or f"gts-{uuid.uuid4().hex[:8]}"
        self.post(
            "/api/v1/namespaces",
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
        )
        return name
