"""The installed distribution matches the package: version, entry point, API, typing marker."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import urlsplit

import gittarget_status

DISTRIBUTION = "gittarget-status"
ROOT = Path(__file__).resolve().parent.parent


def test_version_matches_the_installed_metadata() -> None:
    assert gittarget_status.__version__ == metadata.version(DISTRIBUTION)
    assert gittarget_status.__version__ == "0.1.0.dev0"


def test_console_script_points_at_the_cli() -> None:
    scripts = metadata.entry_points(group="console_scripts", name="gittarget-status")
    assert [script.value for script in scripts] == ["gittarget_status.cli:main"]
    (script,) = scripts
    assert script.load() is importlib.import_module("gittarget_status.cli").main


def test_all_is_unique_importable_and_in_two_groups() -> None:
    names = gittarget_status.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(gittarget_status, name) is not None, name
    # The GitTarget group is the product package's own list, after the generic core's;
    # nothing in the core group comes from the product (each group's order is RUF022's).
    product = importlib.import_module("gittarget_status.gittarget").__all__
    core = names[: len(names) - len(product)]
    assert names[len(core) :] == product
    for name in core:
        module = getattr(getattr(gittarget_status, name), "__module__", "") or ""
        assert not module.startswith("gittarget_status.gittarget"), name


def test_all_covers_every_public_class_and_function() -> None:
    # dir(), not vars(): the package imports its names on first use (PEP 562).
    namespace = {name: getattr(gittarget_status, name) for name in dir(gittarget_status)}
    public = {
        name
        for name, value in namespace.items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__.startswith("gittarget_status")
    }
    assert public
    assert public <= set(gittarget_status.__all__)


def _installed_editable() -> bool:
    direct_url = metadata.distribution(DISTRIBUTION).read_text("direct_url.json") or "{}"
    return bool(json.loads(direct_url).get("dir_info", {}).get("editable", False))


def test_py_typed_is_shipped() -> None:
    assert resources.files("gittarget_status").joinpath("py.typed").is_file()
    if not _installed_editable():  # a wheel install must list the marker in its RECORD
        shipped = {str(file) for file in metadata.files(DISTRIBUTION) or []}
        assert "gittarget_status/py.typed" in shipped


def test_the_docs_generator_is_not_in_the_package() -> None:
    """``tools/contract_docs.py`` renders docs/generated/; the wheel ships only the library."""
    package = resources.files("gittarget_status")
    assert not package.joinpath("_contract.py").is_file()
    assert (ROOT / "tools" / "contract_docs.py").is_file()
    if not _installed_editable():
        shipped = {str(file) for file in metadata.files(DISTRIBUTION) or []}
        assert "gittarget_status/_contract.py" not in shipped
        assert not any("contract_docs" in name for name in shipped)
        assert not any(name.startswith("tools/") for name in shipped)


def test_requires_python_and_runtime_dependencies_have_no_upper_caps() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    assert meta["Requires-Python"] == ">=3.11"
    for requirement in metadata.requires(DISTRIBUTION) or []:
        if "extra ==" in requirement:
            continue
        assert not any(op in requirement for op in ("<", "~=", "==")), requirement


def test_strategies_module_exports_every_public_strategy() -> None:
    """Each private module's API reaches the package (``_names`` holds building blocks)."""
    strategies = importlib.import_module("gittarget_status.testing.strategies")
    public: set[str] = set()
    for info in pkgutil.iter_modules(strategies.__path__):
        if info.name != "_names":
            module = importlib.import_module(f"{strategies.__name__}.{info.name}")
            public |= {n for n in module.__all__ if n[0].islower() and callable(vars(module)[n])}
    assert len(public) >= 20
    assert public <= set(strategies.__all__)
    assert all(getattr(strategies, name).__doc__ for name in strategies.__all__)


def test_index_metadata_urls_are_well_formed() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Changelog", "Issues"} <= set(urls)
    for label, url in urls.items():
        parsed = urlsplit(url)
        assert parsed.scheme == "https", (label, url)
        assert parsed.netloc, (label, url)
        assert " " not in url, (label, url)


def test_index_metadata_license_readme_keywords_and_classifiers() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    assert meta["License-Expression"] == "Apache-2.0"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    assert meta["Summary"]
    assert meta["Description-Content-Type"] == "text/markdown"
    assert "kubernetes" in (meta["Keywords"] or "").split(",")
    classifiers = set(meta.get_all("Classifier") or [])
    expected_pythons = {f"Programming Language :: Python :: 3.{minor}" for minor in (11, 12, 13)}
    assert expected_pythons <= classifiers
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    # PEP 639: the license is the SPDX expression, not a (deprecated) license classifier.
    assert not any(c.startswith("License ::") for c in classifiers)


def test_license_file_is_the_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_extras_keep_kubernetes_clients_out_of_the_runtime() -> None:
    extras = set(metadata.metadata(DISTRIBUTION).get_all("Provides-Extra") or [])
    assert {"test", "dev", "docs", "bench", "testing"} <= extras
    runtime = [r for r in metadata.requires(DISTRIBUTION) or [] if "extra ==" not in r]
    assert not any(r.startswith(("kubernetes", "kopf", "mkdocs", "nox")) for r in runtime)


def test_changelog_keeps_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
