"""Check a built site the way a reader sees it: in headless Chromium, with no network.

``python tools/docs_check.py SITE_DIR`` serves ``SITE_DIR`` on 127.0.0.1, opens every page
and fails when a reader would see something wrong:

* a request leaves 127.0.0.1 (every such request is blocked and reported);
* the lifecycle diagram is not an SVG, or its labels are smaller than a reader can read;
* the text shows raw markup: Sphinx roles (``:func:`` and friends) or snippet markers;
* a local link or its ``#anchor`` does not resolve;
* on the key pages and the API reference, a code line, a signature, a table or the diagram
  is wider than the content column (at 1280 and 1920 px);
* ``SITE_DIR`` opened from disk (``file://``, no server) has broken navigation or search.

Full-page screenshots of the key pages go to ``DOCS_SCREENSHOTS`` (default
``.ci-logs/docs-screenshots``). Chromium is ``DOCS_CHROMIUM`` or the one on ``PATH``
(Debian: ``apt-get install chromium``); Playwright only drives it, it downloads nothing.

One script of about 350 lines, a development tool run as a file: the checks share the
served site, the browser and the report.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import re
import shutil
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    BrowserContext,
    Page,
    Route,
    TimeoutError as PlaywrightTimeoutError,
    sync_playwright,
)

__all__ = ["KEY_PAGES", "Report", "check_site", "main"]

#: Pages whose layout is checked and kept as screenshots.
KEY_PAGES = ("index.html", "status-contract.html", "lifecycle.html", "performance.html")
WIDTHS = (1280, 1920)
#: Smallest rendered height, in CSS pixels, of a text line in the lifecycle diagram.
MIN_DIAGRAM_TEXT_PX = 12.0  # Material body text is 13.6 px; 9 px was unreadable
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: What a reader must never see: a Sphinx role (its backticks became a code span, so the
#: text reads ``:func:name``), a snippet marker, or an unresolved ``[text][identifier]``.
RAW_MARKUP = re.compile(
    r":(?:py:)?(?:func|class|mod|data|meth|attr|exc|obj):\S|--8<--|\]\[gittarget_status"
)
_IDS = re.compile(r"""\bid=["']([^"']+)["']""")

# Material renders the diagram into a closed shadow root; open it so the check can see it.
_OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, Object.assign({}, init, { mode: "open" }));
};
"""

# Elements wider than the content column (or scrolling sideways inside it).
_OVERFLOWS = """
() => {
  const column = document.querySelector(".md-content__inner");
  const right = column.getBoundingClientRect().right + 1;
  const found = [];
  const name = (el) => {
    const text = (el.innerText || el.textContent || "").trim().split("\\n")[0];
    return el.tagName.toLowerCase() + ": " + text.slice(0, 60);
  };
  const candidates = column.querySelectorAll("pre > code, table, .mermaid, .doc-signature");
  for (const el of candidates) {
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || box.right > right) {
      found.push(`${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  return found;
}
"""

# The lifecycle diagram: is it an SVG, how wide, and how big is its smallest label.
_DIAGRAM = """
() => {
  const host = document.querySelector(".md-content div.mermaid");
  const svg = host && host.shadowRoot && host.shadowRoot.querySelector("svg");
  if (!svg) return null;
  const labels = [...svg.querySelectorAll(".nodeLabel, .edgeLabel span, text")]
    .filter((el) => (el.textContent || "").trim())
    .map((el) => parseFloat(getComputedStyle(el).fontSize) *
                 (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width || 1));
  return {
    width: svg.getBoundingClientRect().width,
    column: document.querySelector(".md-content__inner").clientWidth,
    labels: labels.length,
    smallest: Math.min(...labels),
    text: svg.textContent,
  };
}
"""


@dataclass
class Report:
    """What the check found: failures fail the run, notes are printed."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def note(self, message: str) -> None:
        self.notes.append(message)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log: the report says what matters."""


@contextmanager
def _serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "404.html")


def _guard(context: BrowserContext, report: Report) -> None:
    """Let requests to 127.0.0.1 and local files through; block and record the rest."""

    def route(route: Route) -> None:
        url = route.request.url
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme in {"file", "data", "blob"} or parsed.hostname == "127.0.0.1":
            route.continue_()
        else:
            report.external.add(url)
            route.abort()

    context.route("**/*", route)


def _open(page: Page, url: str) -> None:
    """Load ``url``: with nothing fetched from elsewhere, "load" means every script ran."""
    page.goto(url, wait_until="load")


class _Links:
    """Resolves local links once each: the target must load and hold the anchor."""

    def __init__(self, site: Path, base: str) -> None:
        self.site = site
        self.base = base
        self.ids: dict[str, set[str] | None] = {}

    def _target_ids(self, path: str) -> set[str] | None:
        if path not in self.ids:
            file = self.site / urllib.parse.unquote(path)
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                self.ids[path] = None
            else:
                text = file.read_text(encoding="utf-8", errors="replace")
                self.ids[path] = {html.unescape(i) for i in _IDS.findall(text)}
        return self.ids[path]

    def problem(self, href: str) -> str | None:
        parsed = urllib.parse.urlsplit(href)
        path = parsed.path.removeprefix(urllib.parse.urlsplit(self.base).path)
        ids = self._target_ids(path or "index.html")
        if ids is None:
            return f"{href}: no such page"
        anchor = urllib.parse.unquote(parsed.fragment)
        if anchor and anchor not in ids:
            return f"{href}: no #{anchor} on that page"
        return None


def _check_page(page: Page, name: str, links: _Links, report: Report) -> int:
    text = page.inner_text("article")
    for match in RAW_MARKUP.finditer(text):
        snippet = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
        report.fail(f"{name}: raw markup in the text: ...{snippet}...")
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    local = {h for h in hrefs if h.startswith(links.base)}
    for href in sorted(local):
        problem = links.problem(href)
        if problem:
            report.fail(f"{name}: broken link {problem}")
    return len(local)


def _check_layout(page: Page, name: str, width: int, shots: Path, report: Report) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")
    for overflow in page.evaluate(_OVERFLOWS):
        report.fail(f"{name} at {width} px: wider than the content column: {overflow}")
    if width == WIDTHS[0] and name in KEY_PAGES:
        page.screenshot(path=str(shots / f"{Path(name).stem}-{width}.png"), full_page=True)


def _check_diagram(page: Page, report: Report) -> None:
    try:
        page.wait_for_selector(".md-content div.mermaid svg", timeout=15_000)
    except PlaywrightTimeoutError:  # the finding
        report.fail("lifecycle.html: the state diagram did not render as an SVG")
        return
    facts: dict[str, Any] | None = page.evaluate(_DIAGRAM)
    if facts is None:
        report.fail("lifecycle.html: the state diagram did not render as an SVG")
        return
    for state in ("PENDING", "RUNNING", "DEGRADED", "ERROR", "EventStreamLive"):
        if state not in facts["text"]:
            report.fail(f"lifecycle.html: the diagram lacks {state}")
    report.note(
        f"lifecycle diagram: SVG {facts['width']:.0f} px wide in a {facts['column']} px column,"
        f" {facts['labels']} labels, the smallest {facts['smallest']:.1f} px"
    )
    if facts["smallest"] < MIN_DIAGRAM_TEXT_PX:
        report.fail(
            f"lifecycle.html: diagram text {facts['smallest']:.1f} px, "
            f"below {MIN_DIAGRAM_TEXT_PX} px"
        )


def _check_from_disk(context: BrowserContext, site: Path, report: Report) -> None:
    """site/ opened from disk: navigation links name files, and search finds pages."""
    page = context.new_page()
    _open(page, (site / "index.html").as_uri())
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-nav__link[href]", "els => els.map(a => a.href)"
    )
    missing = sorted(
        {
            h
            for h in hrefs
            if h.startswith("file:")
            and not Path(urllib.request.url2pathname(urllib.parse.urlsplit(h).path)).is_file()
        }
    )
    for href in missing:
        report.fail(f"file:// index.html: navigation link to {href} has no file")
    try:
        query = page.locator("input[data-md-component='search-query']")
        query.click(timeout=10_000)
        # Real keystrokes: Material reads the query on key events, which fill() does not send.
        query.press_sequentially("observedGeneration")
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=15_000)
        found = results.count()
    except PlaywrightTimeoutError:  # the search box never became usable
        found = 0
    if found:
        report.note(f"file:// search for observedGeneration: {found} results")
    else:
        report.fail("file:// index.html: search shows no results for observedGeneration")
    page.close()


def check_site(site: Path, shots: Path, chromium: str) -> Report:
    """Run every check on the built ``site``; screenshots go to ``shots``."""
    report = Report()
    shots.mkdir(parents=True, exist_ok=True)
    pages = _pages(site)
    keys = [key for key in KEY_PAGES if key in pages]
    for key in sorted(set(KEY_PAGES) - set(keys)):
        report.fail(f"{key} is not in the site (is the offline plugin on?)")
    with _serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        context.add_init_script(_OPEN_SHADOW_ROOTS)
        _guard(context, report)
        links = _Links(site, base)
        page = context.new_page()
        checked = 0
        laid_out = {*keys, *(p for p in pages if p.startswith("reference/"))}
        for name in pages:
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            _open(page, base + name)
            if name.removesuffix("index.html") in {"lifecycle.html", "lifecycle/"}:
                _check_diagram(page, report)
            checked += _check_page(page, name, links, report)
            if name in laid_out:
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    _check_layout(page, name, width, shots, report)
        report.note(f"{len(pages)} pages, {checked} local links checked")
        _check_from_disk(context, site, report)
        browser.close()
    for url in sorted(report.external):
        report.fail(f"request left 127.0.0.1: {url}")
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: check SITE_DIR, print the report, exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", type=Path, help="a site built by mkdocs build")
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=Path(os.environ.get("DOCS_SCREENSHOTS", ".ci-logs/docs-screenshots")),
    )
    args = parser.parse_args(argv)
    chromium = os.environ.get("DOCS_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("docs check: no chromium (apt-get install chromium, or set DOCS_CHROMIUM)")
        return 1
    started = time.monotonic()
    report = check_site(args.site.resolve(), args.screenshots.resolve(), chromium)
    for note in report.notes:
        print(f"docs check: {note}")
    for failure in report.failures:
        print(f"docs check FAILED: {failure}")
    elapsed = time.monotonic() - started
    verdict = "FAILED" if report.failures else "ok"
    print(f"docs check: {verdict} in {elapsed:.1f} s; screenshots in {args.screenshots}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
