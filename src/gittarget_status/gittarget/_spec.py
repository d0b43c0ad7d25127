"""``GitTarget.spec``: what the user asked for (the lifecycle only reads it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from gittarget_status._base import KubeModel

__all__ = ["EncryptionSpec", "GitTargetSpec", "ProviderRef", "SecretKeyRef"]

Name = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=253)]


class _Spec(KubeModel):
    model_config = ConfigDict(frozen=True)


class ProviderRef(_Spec):
    """The GitProvider (repository credentials and URL) this target writes through."""

    name: Name


class SecretKeyRef(_Spec):
    name: Name


class EncryptionSpec(_Spec):
    """SOPS encryption of written manifests; the secret holds the recipients."""

    provider: Literal["sops"] = "sops"
    secret_ref: SecretKeyRef
    #: Create the secret (with generated keys) when it does not exist.
    generate_when_missing: Annotated[bool, Field(strict=True)] = False


#: ``spec.suspend``: the switch an operator flips (see docs/operating.md).
Suspend = Annotated[
    bool,
    Field(
        strict=True,
        description="Suspend reconciliation: no gate is evaluated and the status keeps "
        "the last verdict, marked Suspended=True, until it is set back to false.",
    ),
]


class GitTargetSpec(_Spec):
    """Where in which repository and branch a target's manifests are kept."""

    provider_ref: ProviderRef
    branch: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=255)]
    path: Annotated[str, StringConstraints(strict=True, max_length=4096)] = ""
    encryption: EncryptionSpec | None = None
    suspend: Suspend = False

    @property
    def encrypted(self) -> bool:
        return self.encryption is not None
