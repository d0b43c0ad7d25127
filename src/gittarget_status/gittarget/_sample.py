"""The sample GitTarget and the fixed clock start the toolkit's fixtures and machines share."""

from __future__ import annotations

from datetime import UTC, datetime

from gittarget_status.gittarget._spec import (
    EncryptionSpec,
    GitTargetSpec,
    ProviderRef,
    SecretKeyRef,
)

__all__ = ["DEMO_EPOCH", "demo_spec"]

#: Fixed start of every scenario's clock, so output is byte-identical run to run.
DEMO_EPOCH = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def demo_spec(*, generate_when_missing: bool = False, encrypted: bool = True) -> GitTargetSpec:
    """The sample GitTarget: ``main`` branch, ``clusters/prod``, SOPS encryption."""
    encryption = EncryptionSpec(
        secret_ref=SecretKeyRef(name="gittarget-sops"),
        generate_when_missing=generate_when_missing,
    )
    return GitTargetSpec(
        provider_ref=ProviderRef(name="github-prod"),
        branch="main",
        path="clusters/prod",
        encryption=encryption if encrypted else None,
    )
