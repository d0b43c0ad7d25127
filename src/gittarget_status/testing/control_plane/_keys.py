"""A throwaway ECDSA P-256 private key as PEM, with the standard library only.

kube-apiserver insists on a service-account signing key even in a test; generating one
must not pull in a cryptography package. The key is SEC1 ``EC PRIVATE KEY`` with its public
point included (what ``openssl ecparam -genkey`` writes), so every Go parser accepts it.
"""

from __future__ import annotations

import base64
import secrets
import textwrap

__all__ = ["ec_private_key_pem"]

# NIST P-256 (SEC 2, secp256r1): field prime, a, generator, order.
_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_A = _P - 3
_G = (
    0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
)
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_OID_P256 = bytes.fromhex("06082a8648ce3d030107")

_Point = tuple[int, int] | None


def _add(p: _Point, q: _Point) -> _Point:
    if p is None:
        return q
    if q is None:
        return p
    (x1, y1), (x2, y2) = p, q
    if x1 == x2 and (y1 + y2) % _P == 0:
        return None
    if p == q:
        slope = (3 * x1 * x1 + _A) * pow(2 * y1, -1, _P) % _P
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, _P) % _P
    x3 = (slope * slope - x1 - x2) % _P
    return x3, (slope * (x1 - x3) - y1) % _P


def _multiply(k: int) -> tuple[int, int]:
    result: _Point = None
    addend: _Point = _G
    while k:
        if k & 1:
            result = _add(result, addend)
        addend = _add(addend, addend)
        k >>= 1
    assert result is not None  # k is in [1, n-1]
    return result


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def ec_private_key_pem() -> str:
    """A new random P-256 key, PEM-encoded (``-----BEGIN EC PRIVATE KEY-----``)."""
    d = secrets.randbelow(_N - 1) + 1
    x, y = _multiply(d)
    public = b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")
    body = (
        _der(0x02, b"\x01")
        + _der(0x04, d.to_bytes(32, "big"))
        + _der(0xA0, _OID_P256)
        + _der(0xA1, _der(0x03, b"\x00" + public))
    )
    encoded = base64.b64encode(_der(0x30, body)).decode("ascii")
    lines = "\n".join(textwrap.wrap(encoded, 64))
    return f"-----BEGIN EC PRIVATE KEY-----\n{lines}\n-----END EC PRIVATE KEY-----\n"
