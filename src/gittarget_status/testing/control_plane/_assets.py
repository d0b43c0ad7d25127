"""Where the control-plane binaries are: envtest's ``KUBEBUILDER_ASSETS`` or explicit paths.

``setup-envtest use -p path`` prints such a folder (``etcd``, ``kube-apiserver``,
``kubectl``), so a Go operator author's set-up works here unchanged.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ASSETS_ENV", "Assets", "ControlPlaneNotFound", "find_assets"]

#: controller-runtime envtest's variable naming the folder that holds the binaries.
ASSETS_ENV = "KUBEBUILDER_ASSETS"

HOW_TO_GET = (
    "point KUBEBUILDER_ASSETS at a folder holding etcd, kube-apiserver and (optionally) "
    "kubectl: `setup-envtest use -p path` prints one, or unpack the project's "
    "shared/k8s/*.xz (xz -dc shared/k8s/etcd.xz > DIR/etcd && chmod +x DIR/etcd, the same "
    "for kube-apiserver and kubectl)"
)


class ControlPlaneNotFound(FileNotFoundError):
    """The etcd or kube-apiserver binary is missing; the message says how to get it."""


@dataclass(frozen=True, slots=True)
class Assets:
    """The binaries one control plane runs (``kubectl`` is optional)."""

    etcd: Path
    kube_apiserver: Path
    kubectl: Path | None = None


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_assets(
    directory: str | os.PathLike[str] | None = None,
    *,
    etcd: str | os.PathLike[str] | None = None,
    kube_apiserver: str | os.PathLike[str] | None = None,
    kubectl: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Assets:
    """Resolve the binaries: explicit paths first, then ``directory``, then the variable.

    ``kubectl`` falls back to the one on ``PATH``. Raises
    [`ControlPlaneNotFound`][gittarget_status.testing.control_plane.ControlPlaneNotFound]
    naming what is missing and how to get it.
    """
    env = os.environ if environ is None else environ
    folder = directory if directory is not None else env.get(ASSETS_ENV) or None
    base = Path(folder) if folder is not None else None

    def resolve(name: str, explicit: str | os.PathLike[str] | None) -> Path | None:
        if explicit is not None:
            return Path(explicit)
        return base / name if base is not None else None

    found: dict[str, Path] = {}
    missing: list[str] = []
    for name, explicit in (("etcd", etcd), ("kube-apiserver", kube_apiserver)):
        path = resolve(name, explicit)
        if path is None or not _executable(path):
            where = f"{path} is not an executable file" if path else f"{ASSETS_ENV} is not set"
            missing.append(f"{name} ({where})")
        else:
            found[name] = path
    if missing:
        raise ControlPlaneNotFound(
            f"control plane binaries missing: {'; '.join(missing)}; " + HOW_TO_GET
        )
    ctl = resolve("kubectl", kubectl)
    if ctl is None or not _executable(ctl):
        on_path = shutil.which("kubectl")
        ctl = Path(on_path) if on_path else None
    return Assets(etcd=found["etcd"], kube_apiserver=found["kube-apiserver"], kubectl=ctl)
