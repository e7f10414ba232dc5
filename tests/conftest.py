"""Shared fixtures: throwaway site repositories, and the example site built and served.

The example site (this repository's mkdocs.yml and policies/) is built once per test session
for each of two days and served over HTTP from this process, so the browser and the
validators see exactly what a visitor would. Tools the tests need are never skipped for
being absent: a missing Chromium or Java fails the tests that need them, with the command
that installs them (scripts/test-tools installs or lists everything at once).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sitekit import SiteRepo

from redline.pdf import CHROMIUM_ARGS, DEBIAN_CHROMIUM

if TYPE_CHECKING:
    from playwright.sync_api import Page

PROJECT = Path(__file__).resolve().parents[1]
ARTIFACTS = PROJECT / "test-artifacts"
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"  # `npm install` (make test does)
CHROMIUM = str(DEBIAN_CHROMIUM)  # Debian's, which the build also prints PDFs with by default

# The example content was all committed on 2026-11-22: the terms amendment takes effect on
# 2026-12-07 (minor) and the privacy amendment on 2027-01-01 (material).
NOTICE_DAY = "2026-12-01"  # inside both notice periods
QUIET_DAY = "2027-02-01"  # after both took effect: no notice anywhere
LANGUAGES = {"ko": "", "en": "en/"}  # language -> URL prefix

# One representative address of each page type, relative to a language's root.
PAGE_TYPES = {
    "home": "",
    "policy": "privacy/",
    "version": "privacy/2024-03-01/",
    "archive": "privacy/archive/",
    "changes": "privacy/changes/2027-01-01/",
}
# Every page type plus the variants that render differently (another policy, a version
# page in each state, a changes page of a minor amendment).
PAGES = [
    "",
    "privacy/",
    "terms/",
    "privacy/2024-03-01/",
    "privacy/2025-09-01/",
    "privacy/2027-01-01/",
    "privacy/archive/",
    "terms/archive/",
    "privacy/changes/2027-01-01/",
    "terms/changes/2026-12-07/",
]


def require(tool: str, install: str) -> str:
    """The path of a tool the tests cannot do without; fails (never skips) when it is absent."""
    path = tool if os.path.isabs(tool) and os.access(tool, os.X_OK) else shutil.which(tool)
    if not path:
        pytest.fail(
            f"{tool} is missing and these tests need it: {install} "
            "(scripts/test-tools installs them as root, or lists them)",
            pytrace=False,
        )
    return path


def visit(page: Page, url: str) -> Page:
    """Open a page of a served site in the browser; it must answer 200."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    return page


def axe_violations(page: Page) -> list[dict]:
    """What axe finds against WCAG 2.1 A and AA on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
             resultTypes: ['violations'],
           })"""
    )
    return result["violations"]


@pytest.fixture
def site_repo(tmp_path):
    return SiteRepo.create(tmp_path / "site")


@dataclass(frozen=True)
class BuiltSite:
    """The example site as of one day: its folder and the address it is served at."""

    today: str
    path: Path
    url: str  # "http://127.0.0.1:PORT/"

    def at(self, rel: str, lang: str = "ko") -> str:
        return self.url + LANGUAGES[lang] + rel

    def html_files(self) -> list[Path]:
        return sorted(self.path.rglob("*.html"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def end_headers(self):
        # LinkChecker throttles every host to about 3 requests a second (a 30-page site
        # took 4 minutes) unless the server opts in with this header: this one is ours.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()


def serve(path: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def example_sites() -> Iterator[dict[str, BuiltSite]]:
    """This repository's example site built with `mkdocs build --strict` as of both days.

    Built from the working tree (the build never writes into it) into world-readable
    folders under /tmp, because LinkChecker run as root drops to user nobody.
    """
    root = Path(tempfile.mkdtemp(prefix="redline-example-"))
    os.chmod(root, 0o755)
    builds = {}
    for today in (NOTICE_DAY, QUIET_DAY):
        dest = root / today
        builds[today] = (
            dest,
            subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                cwd=PROJECT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "REDLINE_TODAY": today, "NO_MKDOCS_2_WARNING": "1"},
            ),
        )
    failures = []
    for today, (_, proc) in builds.items():
        output, _ = proc.communicate(timeout=600)
        if proc.returncode != 0:
            failures.append(f"mkdocs build --strict as of {today} failed:\n{output}")
    if failures:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail("\n\n".join(failures), pytrace=False)
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    servers, sites = [], {}
    for today, (dest, _) in builds.items():
        server, url = serve(dest)
        servers.append(server)
        sites[today] = BuiltSite(today, dest, url)
    yield sites
    for server in servers:
        server.shutdown()
        server.server_close()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def example_notice(example_sites) -> BuiltSite:
    return example_sites[NOTICE_DAY]


@pytest.fixture(scope="session")
def example_quiet(example_sites) -> BuiltSite:
    return example_sites[QUIET_DAY]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (apt's `chromium`), never a downloaded browser: `playwright install`
    downloads from a CDN, which CI machines cannot reach. pytest-playwright has no option for
    the browser's path, hence this fixture."""
    require(CHROMIUM, "apt-get install -y chromium chromium-driver")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
