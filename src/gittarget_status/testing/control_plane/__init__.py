"""A real Kubernetes API server for tests: envtest for Python, standard library only.

``ControlPlane`` starts etcd and kube-apiserver from the binaries in ``KUBEBUILDER_ASSETS``
(controller-runtime envtest's convention) or given paths, on free 127.0.0.1 ports, and
stops them when the block ends or the test process dies::

    with ControlPlane() as cp:
        cp.client.apply(custom_resource_definition(...))
        cp.client.wait_established("gittargets.configbutler.ai")
        namespace = cp.client.create_namespace()
        subprocess.run(["kubectl", f"--kubeconfig={cp.kubeconfig}", "get", "crd"])

The pytest plugin offers the same as fixtures: ``gts_control_plane`` (one per session)
and ``gts_namespace`` (a fresh namespace per test). No Kubernetes client is needed.
"""

from gittarget_status.testing.control_plane._assets import (
    ASSETS_ENV,
    Assets,
    ControlPlaneNotFound,
    find_assets,
)
from gittarget_status.testing.control_plane._client import (
    PATCH_CONTENT_TYPES,
    ApiClient,
    ApiError,
    PatchType,
    encode_body,
)
from gittarget_status.testing.control_plane._process import ControlPlane, ControlPlaneError

__all__ = [
    "ASSETS_ENV",
    "PATCH_CONTENT_TYPES",
    "ApiClient",
    "ApiError",
    "Assets",
    "ControlPlane",
    "ControlPlaneError",
    "ControlPlaneNotFound",
    "PatchType",
    "encode_body",
    "find_assets",
]
