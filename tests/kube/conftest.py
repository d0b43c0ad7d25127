"""Fixtures for the Kubernetes wiring tests: the fake API endpoint and the real kubectl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._fakeapi import FakeAPIServer, serve
from ._kubectl import Kubectl, find_kubectl

KUBECTL_MISSING = (
    "kubectl is not on PATH: the kubectl integration tests need the real binary "
    "(install kubectl >= 1.29; CI machines have v1.32)"
)


@pytest.fixture(scope="session")
def kubectl_binary() -> str:
    binary = find_kubectl()
    if binary is None:
        pytest.skip(KUBECTL_MISSING)
    return binary


@pytest.fixture
def api() -> Iterator[FakeAPIServer]:
    with serve() as server:
        yield server


@pytest.fixture
def kubectl(kubectl_binary: str, api: FakeAPIServer, tmp_path: Path) -> Kubectl:
    config = api.write_kubeconfig(tmp_path / "kubeconfig")
    return Kubectl(kubectl_binary, config, tmp_path / "cache")


@pytest.fixture(scope="module")
def shared_api() -> Iterator[FakeAPIServer]:
    with serve() as server:
        yield server


@pytest.fixture(scope="module")
def shared_kubectl(
    kubectl_binary: str, shared_api: FakeAPIServer, tmp_path_factory: pytest.TempPathFactory
) -> Kubectl:
    directory = tmp_path_factory.mktemp("kubectl")
    config = shared_api.write_kubeconfig(directory / "kubeconfig")
    return Kubectl(kubectl_binary, config, directory / "cache")
