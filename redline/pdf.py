"""A PDF of every published version in every language, printed by Chromium from the built site.

A legal team files the exact text of each version: its PDF is the version's own page as the
browser prints it (the print stylesheet drops the site's header, navigation, search, footer
and announcement bar and keeps the version's status banner), with a footer on every sheet
saying which text it is: title, version number and effective date, the permanent address,
the SHA-256 of the version file (as in versions.json), the day it was printed and page x of y.

The built site is served over HTTP on 127.0.0.1, and Chromium reads each page at its
permanent address (`site_url`), answered from that server: the links in a PDF lead to the
site, never to the server that printed it. No other request is answered (no web fonts:
nothing in a PDF depends on a third party), and no script runs, so that a PDF reads as of
the build day (as its footer says), not as of the printing machine's clock. Playwright is
imported only here, and only when PDFs are asked for.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .findings import CannotRun, Finding
from .fragments import Html, fragment
from .locale import day, t
from .model import Project, Version
from .site import Site
from .urls import Urls, absolute

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Not `tagged` (nor `outline`, which needs it): Chromium numbers the structure tree
# differently from run to run, and two builds of one day must print the same bytes.
PAPER = {
    "format": "A4",
    "margin": {"top": "16mm", "bottom": "28mm", "left": "16mm", "right": "16mm"},
}
INSTALL = (
    "install Playwright and its Chromium: `pip install 'playwright>=1.45'` (or "
    "`pip install -e '.[pdf]'`), then `python -m playwright install --with-deps chromium`, "
    "or set REDLINE_CHROMIUM to a Chromium you have"
)
OFF = "or turn PDFs off (REDLINE_PDF=0, or `extra.redline.pdf: false`)"
NO_SITE_URL = "http://localhost/"  # where a site without `site_url` is read from


@dataclass(frozen=True)
class PdfJob:
    url: str  # the version's page, relative to the site root
    output: str  # its PDF, relative to the site root
    footer: Html  # what Chromium prints at the foot of every sheet


def _cannot(message: str, fix: str) -> CannotRun:
    return CannotRun(Finding("pdf", "extra.redline.pdf", message, fix))


def footer(project: Project, printed: date, lang: str, version: Version) -> Html:
    """Which text a sheet belongs to, in the words of its language."""
    settings = project.settings
    page = Urls(lang, settings.default_language).version(version.policy, version.slug)
    identity = [
        version.title(lang),
        t(lang, "version_n", n=version.number),
        t(lang, "effective_on", date=day(lang, version.effective)),
    ]
    lines = [
        t(lang, "pdf_address", url=absolute(settings.site_url, page)),
        t(lang, "pdf_sha256", sha256=version.file(lang).sha256),
        t(lang, "printed_on", date=day(lang, printed)),
    ]
    page_label = t(lang, "pdf_page", page="{page}", total="{total}")  # filled by the template
    margin = PAPER["margin"]["left"]
    return fragment(
        "pdf_footer",
        lang=lang,
        identity=identity,
        lines=lines,
        page_label=page_label,
        margin=margin,
    )


def pdf_jobs(project: Project, site: Site) -> list[PdfJob]:
    """Every version page of the site, in every language, with its PDF's address and footer."""
    settings = project.settings
    jobs = []
    for lang in settings.languages:
        urls = Urls(lang, settings.default_language)
        for tl in site.timelines.values():
            for entry in tl.entries:
                v = entry.version
                jobs.append(
                    PdfJob(
                        urls.version(v.policy, v.slug),
                        urls.pdf(v.policy, v.slug),
                        footer(project, site.day, lang, v),
                    )
                )
    return jobs


def chromium() -> str | None:
    """$REDLINE_CHROMIUM, else Debian's /usr/bin/chromium, else Playwright's own (None)."""
    env = os.environ.get("REDLINE_CHROMIUM", "").strip()
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            raise _cannot(
                f"REDLINE_CHROMIUM is {env!r}, which is not an executable file",
                "set REDLINE_CHROMIUM to Chromium's path (e.g. /usr/bin/chromium), or unset it "
                "to use Playwright's Chromium (`python -m playwright install --with-deps chromium`)",
            )
        return env
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else None


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on 127.0.0.1 (a free port) while the block runs: its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def publish_pdfs(project: Project, site: Site, site_dir: Path) -> int:
    """Print every version's PDF into the built site; how many were printed."""
    jobs = pdf_jobs(project, site)
    site_url = project.settings.site_url
    write_pdfs(site_dir, jobs, chromium(), absolute(site_url, "") if site_url else NO_SITE_URL)
    return len(jobs)


def write_pdfs(
    site_dir: Path, jobs: list[PdfJob], executable: str | None, origin: str = NO_SITE_URL
) -> None:
    """Print each job's page of the site in `site_dir` to its PDF with Chromium (headless),
    read at `origin` + its address."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise _cannot(
            "Playwright is not installed, and it prints the PDFs", f"{INSTALL}; {OFF}"
        ) from None
    try:
        with served(site_dir) as base, sync_playwright() as pw:
            browser = _launch(pw, executable, Error)
            page = _printer(browser, base, origin)
            for job in jobs:
                _print(page, origin, site_dir, job)
            page.context.unroute_all(behavior="ignoreErrors")  # a late request, e.g. an icon
            browser.close()
    except Error as exc:
        raise _cannot(
            f"Chromium could not print the PDFs: {_first_line(exc)}",
            f"run the build again; if it fails the same way, {OFF}",
        ) from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _launch(pw, executable: str | None, error: type[Exception]):
    try:
        return pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except error as exc:
        which = executable or "Playwright's Chromium"
        raise _cannot(
            f"Chromium ({which}) could not be started: {_first_line(exc)}", f"{INSTALL}; {OFF}"
        ) from None


def _printer(browser, base: str, origin: str):
    """A tab that reads the site as of its build day (no script), at `origin`, from the
    local server at `base`, and asks nothing of anyone else."""

    def answer(route) -> None:
        url = route.request.url
        if not url.startswith(origin):
            route.abort()
        else:
            route.fulfill(response=route.fetch(url=base + url[len(origin) :]))

    context = browser.new_context(java_script_enabled=False)
    context.route("**/*", answer)
    return context.new_page()


def _print(page, origin: str, site_dir: Path, job: PdfJob) -> None:
    response = page.goto(origin + job.url, wait_until="load")
    if response is None or response.status != 200:
        raise _cannot(
            f"the page {job.url} was not built (HTTP {response and response.status}), so "
            f"{job.output} cannot be printed",
            "report this as a bug in Redline, with the build's output",
        )
    page.pdf(
        path=str(site_dir / job.output),
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=job.footer,
        print_background=True,
        **PAPER,
    )
