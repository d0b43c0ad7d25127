"""MkDocs hook: ship the site's third-party scripts with it, so it reads with no network.

Material loads Mermaid from a CDN when a page has no ``window.mermaid``, and its offline
plugin loads the ``iframe-worker`` shim (search from ``file://``) from one too; air-gapped
clusters and a downloaded copy of the site then show a diagram's source and a dead search
box. This hook adds both to every site, pinned: taken from the npm registry with
``npm pack`` (the ordinary client, whichever registry it is configured for), checked
against the integrity hash pinned here, and cached so later builds need no network.

Both are MIT-licensed; each licence is shipped beside its script in the built site.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

__all__ = ["PACKAGES", "NpmAsset", "ensure", "on_files"]

_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class NpmAsset:
    """Files taken from one pinned npm release: tarball member -> path in the site."""

    name: str
    version: str
    #: ``dist.integrity`` of the release's tarball (``npm view NAME@VERSION dist.integrity``).
    integrity: str
    files: dict[str, str] = field(default_factory=dict)


PACKAGES = (
    # Material 9 asks its CDN for mermaid@11; extra_javascript in mkdocs.yml names the file.
    NpmAsset(
        "mermaid",
        "11.17.2",
        "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
        {
            "package/dist/mermaid.min.js": "assets/javascripts/mermaid.min.js",
            "package/LICENSE": "assets/javascripts/mermaid.LICENSE.txt",
        },
    ),
    # The offline plugin's search worker from file://; extra.polyfills in mkdocs.yml names it.
    NpmAsset(
        "iframe-worker",
        "1.0.4",
        "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
        {
            "package/shim/index.js": "assets/javascripts/iframe-worker-shim.js",
            "package/LICENSE": "assets/javascripts/iframe-worker.LICENSE.txt",
        },
    ),
)


def _cache_dir(asset: NpmAsset) -> Path:
    base = os.environ.get("GTS_DOCS_CACHE") or str(_ROOT / ".cache" / "docs")
    return Path(base) / f"{asset.name}-{asset.version}"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _npm_pack(spec: str, workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise PluginError(f"npm is needed once to fetch {spec} for the docs (apt-get install npm)")
    done = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(workdir), "--silent"],
        capture_output=True,
        text=True,
        check=False,
    )
    tarballs = sorted(workdir.glob("*.tgz"))
    if done.returncode != 0 or len(tarballs) != 1:
        raise PluginError(f"npm pack {spec} failed: {done.stderr.strip() or done.stdout.strip()}")
    return tarballs[0]


def ensure(asset: NpmAsset) -> Path:
    """The cache folder holding ``asset``'s files, fetched and verified on first use.

    A tarball whose hash differs from the pinned one is refused, so a build never ships a
    script nobody reviewed.
    """
    cache = _cache_dir(asset)
    if all((cache / Path(member).name).is_file() for member in asset.files):
        return cache
    spec = f"{asset.name}@{asset.version}"
    with tempfile.TemporaryDirectory() as tmp:
        tarball = _npm_pack(spec, Path(tmp))
        data = tarball.read_bytes()
        if _integrity(data) != asset.integrity:
            raise PluginError(f"{spec}: integrity {_integrity(data)} is not the pinned one")
        staging = Path(tmp) / "out"
        staging.mkdir()
        with tarfile.open(tarball) as archive:
            for member in asset.files:
                source = archive.extractfile(member)
                if source is None:
                    raise PluginError(f"{spec} has no {member}")
                (staging / Path(member).name).write_bytes(source.read())
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.move(staging, cache)
    return cache


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add every pinned asset to the site's files."""
    for asset in PACKAGES:
        cache = ensure(asset)
        for member, site_path in asset.files.items():
            source = str(cache / Path(member).name)
            files.append(File.generated(config, site_path, abs_src_path=source))
    return files
