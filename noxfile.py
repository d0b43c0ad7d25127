"""Development sessions: ``nox`` runs them all; ``nox -s tests-3.12`` runs one.

Sessions: lint, types, tests (every Python 3.11 to 3.13 found on the machine; missing ones
are skipped), docs, build, and coverage (the tests under branch coverage, on demand).
``.ci/run`` runs them in a fresh environment (coverage on one Python, tests on the others).
"""

from __future__ import annotations

import os
import re
import shutil
import tarfile
import tempfile
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.11", "3.12", "3.13"]
LINTED = ["src", "tests", "benchmarks", "tools", "noxfile.py"]

# uv creates and fills a session's venv in seconds (pip took most of a minute for the
# types session's extras); plain venv + pip where uv is not installed.
nox.options.default_venv_backend = "uv|venv"
nox.options.sessions = ["lint", "types", "tests", "docs", "build"]  # coverage: on demand
# Skip (with a warning) a Python that is not installed, on CI too (nox errors there by default).
nox.options.error_on_missing_interpreters = False


def _pyenv_interpreters() -> None:
    """Put real pyenv interpreters (not shims) for each wanted version first on PATH.

    pyenv's ``python3.12`` shim exists even when 3.12 is not the selected version and then
    fails when run; a version's own ``bin`` directory always works.
    """
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if not root.is_dir():
        return
    found: list[str] = []
    for version in PYTHONS:
        candidates = sorted(
            (p for p in root.glob(f"{version}.*") if re.fullmatch(rf"{version}\.\d+", p.name)),
            key=lambda p: int(p.name.rsplit(".", 1)[1]),
        )
        for candidate in reversed(candidates):
            binary = candidate / "bin" / f"python{version}"
            if binary.exists():
                found.append(str(binary.parent))
                break
    os.environ["PATH"] = os.pathsep.join([*found, os.environ.get("PATH", "")])


_pyenv_interpreters()


def _extra(name: str) -> list[str]:
    """The requirements of one optional-dependency group: the tool pins live in pyproject."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        extras: dict[str, list[str]] = tomllib.load(handle)["project"]["optional-dependencies"]
    return extras[name]


def _examples() -> list[str]:
    examples = ROOT / "examples"
    return ["examples"] if any(examples.rglob("*.py")) else []


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check, with the pinned ruff."""
    session.install(*_extra("lint"))
    paths = [*LINTED, *_examples()]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def types(session: nox.Session) -> None:
    """mypy --strict on the package, the tests, the benchmarks, the tools and the examples."""
    session.install("-e", ".[test,types,bench,docs,docs-check]")
    session.run("mypy", "--strict", "src", "tests", "benchmarks", "tools")
    if _examples():  # separately: the examples are scripts, not one package
        session.run("mypy", "--strict", "examples")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite (HYPOTHESIS_PROFILE=ci selects the thorough profile)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHONS)
def coverage(session: nox.Session) -> None:
    """The suite under branch coverage; fails below the floor in pyproject.toml.

    Coverage measures which branches run, not how hard they are fuzzed: the quick
    hypothesis profile (10 examples) reaches the same branches as the default (50) and
    the ci (400) ones, in a fraction of their time (measured: 96.3 % at 10, 96.2 % at 50).
    What is measured is every test that needs no server, then the control-plane toolkit's
    own tests (tests/control_plane): the library's branches must be reached by tests that
    run everywhere, and the other real-server tests (the README command runs them all)
    would add half the session's time and no branch (measured, docs/performance.md).
    """
    session.install("-e", ".[test,coverage]")
    session.run("coverage", "erase")
    quick = {"HYPOTHESIS_PROFILE": "quick"}
    offline = ["-m", "not real_server"]
    session.run("coverage", "run", "-m", "pytest", *offline, *session.posargs, env=quick)
    toolkit = ["tests/control_plane", *session.posargs]
    session.run("coverage", "run", "--append", "-m", "pytest", *toolkit, env=quick)
    session.run("coverage", "report")


@nox.session
def docs(session: nox.Session) -> None:
    """mkdocs build --strict, then the built site checked in headless Chromium.

    The build fetches its pinned scripts with npm once (tools/docs_hooks.py); the check
    (tools/docs_check.py) needs Debian's chromium and writes screenshots to
    DOCS_SCREENSHOTS (default .ci-logs/docs-screenshots). ``nox -s docs -- --no-browser``
    only builds.
    """
    session.install("-e", ".[docs,docs-check]")
    with tempfile.TemporaryDirectory() as site:
        session.run(
            "mkdocs", "build", "--strict", "--site-dir", site, env={"NO_MKDOCS_2_WARNING": "1"}
        )
        if "--no-browser" not in session.posargs:
            session.run("python", "tools/docs_check.py", site)


@nox.session
def build(session: nox.Session) -> None:
    """sdist + wheel, twine check, then install the wheel in a fresh venv and use it."""
    session.install("build", "twine")
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        session.run("python", "-m", "build", "--outdir", str(dist))
        artifacts = sorted(str(p) for p in dist.iterdir())
        session.run("twine", "check", "--strict", *artifacts)
        wheel = next(p for p in artifacts if p.endswith(".whl"))
        sdist = next(p for p in artifacts if p.endswith(".tar.gz"))
        _check_sdist(session, sdist)

        # A fresh venv outside the source tree, with the session's interpreter.
        venv = Path(tmp) / "venv"
        python = shutil.which("python", path=session.bin) or "python"
        session.run(python, "-m", "venv", str(venv), external=True)
        bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
        session.run(str(bin_dir / "python"), "-m", "pip", "install", "-q", wheel, external=True)
        elsewhere = Path(tmp) / "elsewhere"
        elsewhere.mkdir()
        with session.chdir(elsewhere):
            session.run(str(bin_dir / "gittarget-status"), "demo", external=True)
            session.run(str(bin_dir / "gittarget-status"), "--version", external=True)
            session.run(str(bin_dir / "python"), "-c", _SMOKE, external=True)


_SMOKE = """
import pathlib, gittarget_status as g
from datetime import UTC, datetime
assert 'site-packages' in pathlib.Path(g.__file__).parts, g.__file__
assert (pathlib.Path(g.__file__).parent / 'py.typed').exists()
from gittarget_status.testing import FakeGitTargetWorld, demo_spec
o = g.reconcile_gittarget(demo_spec(), None, FakeGitTargetWorld(), generation=1,
                          now=datetime(2026, 1, 1, tzinfo=UTC))
assert o.ready and o.phase == g.Phase.RUNNING, o
print('import smoke test ok:', g.__version__, g.__file__)
"""


def _check_sdist(session: nox.Session, sdist: str) -> None:
    with tarfile.open(sdist) as archive:
        listing = archive.getnames()
    names = {name.split("/", 1)[1] for name in listing if "/" in name}
    for required in ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "mkdocs.yml"):
        if required not in names:
            session.error(f"sdist lacks {required}")
    stray = sorted(n for n in names if n.startswith((".hypothesis", ".venv", ".nox", "site/")))
    if stray:
        session.error(f"sdist contains {stray[:5]}")
