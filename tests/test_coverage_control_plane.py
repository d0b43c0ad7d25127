"""The control-plane toolkit's error paths, without a real server.

The client talks to a local ``http.server`` that answers what each case needs; the
process lifecycle runs stand-in binaries (shell and Python scripts), one of them a TLS
"kube-apiserver" with a certificate from ``openssl``; the key generator is checked
against the curve itself.
"""

from __future__ import annotations

import base64
import json
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gittarget_status.testing.control_plane import (
    ApiClient,
    ApiError,
    Assets,
    ControlPlane,
    ControlPlaneError,
    _keys,
)

#: (method, path) -> (code, body bytes); what the stub server answers.
Routes = dict[tuple[str, str], tuple[int, bytes]]


class _Stub(ThreadingHTTPServer):
    routes: Routes
    seen: list[tuple[str, str, str]]


class _Handler(BaseHTTPRequestHandler):
    server: _Stub

    def _answer(self) -> None:
        self.server.seen.append((self.command, self.path, self.headers.get("Authorization", "")))
        code, body = self.server.routes.get((self.command, self.path), (404, b'{"reason":"x"}'))
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_DELETE = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def stub() -> Iterator[_Stub]:
    server = _Stub(("127.0.0.1", 0), _Handler)
    server.routes, server.seen = {}, []
    # A short poll: shutdown() waits for the loop's next poll (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _client(stub: _Stub) -> ApiClient:
    return ApiClient(f"http://127.0.0.1:{stub.server_address[1]}", "tok", timeout=5.0)


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


# --- the client -----------------------------------------------------------------------------


def test_without_a_ca_file_tls_is_not_verified() -> None:
    context = ApiClient("https://127.0.0.1:1", "tok")._context()
    assert context.verify_mode is ssl.CERT_NONE and not context.check_hostname


def test_delete_sends_the_token_and_decodes_the_answer(stub: _Stub) -> None:
    stub.routes[("DELETE", "/api/v1/namespaces/a")] = (200, _json({"kind": "Status"}))
    assert _client(stub).delete("/api/v1/namespaces/a") == {"kind": "Status"}
    assert stub.seen == [("DELETE", "/api/v1/namespaces/a", "Bearer tok")]


@pytest.mark.parametrize(
    ("body", "reason", "message"),
    [
        (_json({"reason": "Forbidden", "message": "no"}), "Forbidden", "no"),
        (b"<html>gateway down</html>", "", "<html>gateway down</html>"),
        (_json(["not", "a", "status"]), "", "['not', 'a', 'status']"),
        (_json("just text"), "", "just text"),
    ],
    ids=["status", "not-json", "json-list", "json-string"],
)
def test_every_error_body_becomes_a_status(
    stub: _Stub, body: bytes, reason: str, message: str
) -> None:
    stub.routes[("GET", "/x")] = (503, body)
    with pytest.raises(ApiError) as raised:
        _client(stub).get("/x")
    error = raised.value
    assert (error.code, error.reason, error.message) == (503, reason, message)
    assert str(error) == f"GET /x: 503 {reason}: {message}"


def test_an_unknown_kind_is_a_not_found(stub: _Stub) -> None:
    listing = {"resources": [{"name": "configmaps", "kind": "ConfigMap", "namespaced": True}]}
    stub.routes[("GET", "/api/v1")] = (200, _json(listing))
    client = _client(stub)
    assert client.resource_path("v1", "ConfigMap", "c", namespace="n") == (
        "/api/v1/namespaces/n/configmaps/c"
    )
    with pytest.raises(ApiError) as raised:
        client.resource_path("v1", "Widget")
    assert (raised.value.code, raised.value.reason) == (404, "NotFound")
    assert raised.value.message == "no kind 'Widget' in v1"


_CRD = "widgets.example.com"
_ESTABLISHED = {
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget"},
        "versions": [{"name": "v1", "served": True}],
    },
    "status": {"conditions": [{"type": "Established", "status": "True"}]},
}


@pytest.mark.parametrize(
    ("discovery", "error", "match"),
    [
        ((404, _json({"reason": "NotFound"})), TimeoutError, "not Established and served"),
        ((200, _json({"resources": []})), TimeoutError, "not Established and served"),
        ((500, _json({"reason": "InternalError", "message": "boom"})), ApiError, "500"),
    ],
    ids=["not-served-yet", "kind-not-listed-yet", "discovery-fails"],
)
def test_waiting_for_a_crd_waits_for_its_kind_or_fails(
    stub: _Stub, discovery: tuple[int, bytes], error: type[Exception], match: str
) -> None:
    path = f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{_CRD}"
    stub.routes[("GET", path)] = (200, _json(_ESTABLISHED))
    stub.routes[("GET", "/apis/example.com/v1")] = discovery
    with pytest.raises(error, match=match):
        _client(stub).wait_established(_CRD, timeout=0.2)
    asked = [p for _, p, _ in stub.seen if p == "/apis/example.com/v1"]
    assert len(asked) >= 1 if error is ApiError else len(asked) >= 2  # it polled again


# --- the process lifecycle ------------------------------------------------------------------


def _script(path: Path, body: str, shell: str = "/bin/sh") -> Path:
    path.write_text(f"#!{shell}\n{body}\n")
    path.chmod(0o755)
    return path


def _assets(tmp_path: Path, etcd: str = "exec sleep 60", api: str = "exec sleep 60") -> Assets:
    return Assets(
        etcd=_script(tmp_path / "etcd", etcd), kube_apiserver=_script(tmp_path / "api", api)
    )


def test_an_unstarted_control_plane_has_no_client_and_no_kubectl(tmp_path: Path) -> None:
    cp = ControlPlane(_assets(tmp_path), workdir=tmp_path / "w")
    with pytest.raises(ControlPlaneError, match="the control plane is not started"):
        _ = cp.client
    with pytest.raises(ControlPlaneError, match="no kubectl: put one in the assets folder"):
        cp.kubectl("version")


def test_stop_keeps_a_workdir_it_was_given(tmp_path: Path) -> None:
    given = tmp_path / "w"
    given.mkdir()
    (given / "keep.txt").write_text("mine")
    ControlPlane(_assets(tmp_path), workdir=given).stop()
    assert (given / "keep.txt").read_text() == "mine"


def test_a_log_that_vanished_is_reported_as_missing(tmp_path: Path) -> None:
    # etcd removes its own log (derived from --data-dir=<workdir>/etcd), then exits.
    etcd = "for a; do case $a in --data-dir=*) d=${a#--data-dir=};; esac; done\n"
    etcd += 'rm -f "$(dirname "$d")/etcd.log"; exit 4'
    cp = ControlPlane(_assets(tmp_path, etcd=etcd), workdir=tmp_path / "w", start_timeout=20)
    with pytest.raises(ControlPlaneError) as failed:
        cp.start()
    message = str(failed.value)
    assert "etcd exited with code 4 during start-up" in message
    assert f"--- etcd log ({cp.etcd_log}) ---\n(no log)\n" in message
    assert not cp.running


def test_a_process_that_ignores_sigterm_is_killed() -> None:
    shell = ["/bin/sh", "-c", "trap '' TERM; echo up; exec sleep 60"]
    with subprocess.Popen(shell, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stdout.readline() == b"up\n"
        ControlPlane._stop(process, grace=0.2)
        assert process.returncode == -9


#: A stand-in kube-apiserver: TLS on --secure-port with the certificate the test put in
#: --cert-dir, answering /readyz with $FAKE_READYZ.
_FAKE_APISERVER = """
import os, ssl, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
args = dict(a[2:].split("=", 1) for a in sys.argv[1:] if "=" in a)
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = os.environ["FAKE_READYZ"].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
server = HTTPServer(("127.0.0.1", int(args["secure-port"])), H)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
certs = args["cert-dir"]
context.load_cert_chain(f"{certs}/apiserver.crt", f"{certs}/apiserver.key")
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""


@pytest.fixture
def tls_workdir(tmp_path: Path) -> Path:
    """A workdir whose certs/ holds a self-signed certificate for 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl to make a certificate")
    certs = tmp_path / "w" / "certs"
    certs.mkdir(parents=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1", "-keyout", str(certs / "apiserver.key"),
         "-out", str(certs / "apiserver.crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return tmp_path / "w"


def _tls_assets(tmp_path: Path) -> Assets:
    api = _script(tmp_path / "api", _FAKE_APISERVER, shell=sys.executable)
    return Assets(etcd=_script(tmp_path / "etcd", "exec sleep 60"), kube_apiserver=api)


def test_a_server_that_answers_not_ready_shows_why(
    tmp_path: Path, tls_workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_READYZ", "[-]etcd failed: reason withheld\nreadyz check failed")
    cp = ControlPlane(_tls_assets(tmp_path), workdir=tls_workdir, start_timeout=3)
    with pytest.raises(ControlPlaneError) as failed:
        cp.start()
    first = str(failed.value).splitlines()[0]
    assert first == "kube-apiserver not ready after 3s: [-]etcd failed: reason withheld"
    assert not cp.running


def test_starting_a_running_control_plane_changes_nothing(
    tmp_path: Path, tls_workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_READYZ", "ok")
    with ControlPlane(_tls_assets(tmp_path), workdir=tls_workdir, start_timeout=30) as cp:
        pids, server = cp.pids, cp.server
        assert cp.start() is cp
        assert (cp.pids, cp.server) == (pids, server) and cp.running
        assert cp.client.send("GET", "/readyz") == b"ok"  # verified against its certificate
    assert not cp.running


# --- the service-account key -----------------------------------------------------------------


def test_the_point_addition_covers_the_identity_and_inverses() -> None:
    g = _keys._G
    assert _keys._add(None, g) == g and _keys._add(g, None) == g
    assert _keys._add(g, (g[0], _keys._P - g[1])) is None  # G + (-G): the point at infinity
    assert _keys._add(g, g) == _keys._multiply(2)


@pytest.mark.parametrize(
    ("size", "header"),
    [(5, b"\x04\x05"), (127, b"\x04\x7f"), (128, b"\x04\x81\x80"), (300, b"\x04\x82\x01\x2c")],
)
def test_der_lengths_use_the_short_and_long_forms(size: int, header: bytes) -> None:
    assert _keys._der(0x04, b"x" * size) == header + b"x" * size


def test_the_key_is_a_p256_key_with_its_public_point() -> None:
    pem = _keys.ec_private_key_pem()
    lines = pem.strip().splitlines()
    assert lines[0] == "-----BEGIN EC PRIVATE KEY-----"
    assert lines[-1] == "-----END EC PRIVATE KEY-----"
    der = base64.b64decode("".join(lines[1:-1]))
    assert der[0] == 0x30 and der[1] == len(der) - 2
    d = int.from_bytes(der[7:39], "big")  # 30 len | 02 01 01 | 04 20 <d>
    assert der[5:7] == b"\x04\x20" and 1 <= d < _keys._N
    assert _keys._OID_P256 in der
    x, y = _keys._multiply(d)
    assert der.endswith(b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big"))
    assert (y * y - (x**3 + _keys._A * x + _B)) % _keys._P == 0  # on the curve


#: P-256's b (SEC 2), for the curve equation y^2 = x^3 + ax + b.
_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
