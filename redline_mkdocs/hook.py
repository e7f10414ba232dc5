"""MkDocs adapter for the Redline engine: gate, stage, and feed the templates.

All logic lives in the engine (`redline`); this module only maps MkDocs events to it, and
puts Redline's templates and assets (`redline_mkdocs/theme`) on the theme's search path,
after the site's own `custom_dir` (which therefore wins) and before the theme's. i18n
rebuilds the site once per language in its own post_build, reusing this config, so the
expensive work happens once per top-level build; what it produced is kept on one `Build`
object, replaced by the next top-level build (`mkdocs serve` rebuilds, re-reading
mkdocs.yml each time). While serving, a site the gate refuses is replaced by the page of its
findings (`redline.blocked`) at every address, until the editor's fix makes the next rebuild
pass; `mkdocs build` fails on it.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from redline import dates
from redline.blocked import NOT_FOUND, blocked_site, unbuildable_page
from redline.config import settings_from
from redline.findings import ERROR, CannotRun, Finding, errors, format_all
from redline.ledger import read_ledger
from redline.model import Project, load_project
from redline.pages import Page
from redline.pdf import publish_pdfs
from redline.receipts import obtain
from redline.records import write_records
from redline.rules import check
from redline.site import Site, build_site
from redline.site_config import SiteConfig, extension_names
from redline.staging import stage, staging_root
from redline.structure import may_hide_headings, section_ids
from redline.urls import Urls
from redline_mkdocs import THEME

log = get_plugin_logger("redline")


@dataclass
class Build:
    """What one top-level build produced, read by the later events of every language."""

    config_file: str
    staging: Path  # the docs folder MkDocs reads: the editor's files + generated pages
    source: Path  # the editor's docs folder
    languages: tuple[str, ...]
    # None when the gate refused the site and this (served) build shows why instead.
    project: Project | None = None
    site: Site | None = None
    # Version pages whose text could hide headings from the parser: the section ids the
    # gate read, which the rendered page must show (checked in on_page_content).
    expected_sections: dict[str, list[str | None]] = field(default_factory=dict)
    # The refused site's pages for any address (MkDocs serves 404.html for a missing one).
    not_found: frozenset[str] = frozenset()

    def close(self) -> None:
        if self.site is not None and self.site.pending is not None:
            self.site.pending.close()
            self.site.pending = None


_build: Build | None = None
_serving = False  # `mkdocs serve`: a refused site shows its findings instead of stopping


class Refused(PluginError):
    """The gate refused the site: the build's message, and the findings behind it."""

    def __init__(self, headline: str, findings: list[Finding]) -> None:
        super().__init__(f"{headline}\n{format_all(errors(findings))}")
        self.findings = findings


def _guarded(event):
    """An unexpected exception in Redline ends the build with one message, not a traceback
    (REDLINE_DEBUG=1 shows the traceback)."""

    @functools.wraps(event)
    def run(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except PluginError:
            raise
        except Exception as exc:
            if os.environ.get("REDLINE_DEBUG"):
                raise
            raise PluginError(
                f"Redline stopped the build on an internal error ({type(exc).__name__}: {exc}); "
                "please report it with REDLINE_DEBUG=1 for details"
            ) from None

    return run


def site_config(config) -> SiteConfig:
    """What MkDocs resolved (INHERIT, !ENV, i18n) in the engine's terms."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        lang = config.theme.get("language") or "en"
        languages, names = (lang,), {lang: config.site_name}
    else:
        langs = sorted(i18n.config.languages, key=lambda lang: not lang.default)
        languages = tuple(lang.locale for lang in langs if lang.build)
        names = {lang.locale: lang.site_name or config.site_name for lang in langs}
    return SiteConfig(
        config_file=Path(config.config_file_path),
        docs_dir=Path(config.docs_dir),
        languages=languages,
        site_names=names,
        site_url=config.site_url or "",
        redline=config.extra.get("redline"),
        use_directory_urls=config.use_directory_urls,
        text=Path(config.config_file_path).read_text(encoding="utf-8", errors="replace"),
        markdown_extensions=extension_names(config.markdown_extensions),
    )


def _staging_dir(config, pages: list[Page]) -> Path:
    """One folder per site and process, chosen once: `mkdocs serve` rebuilds into it. Made
    by mkdtemp (a new name, only ours to enter), never a name worked out from the config's
    path and the pid: in /tmp or /dev/shm anyone could plant a folder there first, to take
    the pages through a link in it, or to stop the build."""
    if _build is not None and _build.config_file == config.config_file_path:
        return _build.staging
    size = sum(len(page.text) for page in pages) * 3  # UTF-8: at most 3 bytes a character
    return Path(tempfile.mkdtemp(prefix="redline-", dir=staging_root(size))) / "docs"


def _with_templates(config) -> None:
    """Redline's templates and assets on the theme's search path, once per build."""
    dirs = config.theme.dirs
    if str(THEME) in dirs:
        return
    at = 1 if config.theme.custom_dir and dirs and dirs[0] == config.theme.custom_dir else 0
    dirs.insert(at, str(THEME))


def _gate(config) -> Project:
    """The model as of the build day, or stop the build with every finding."""
    if not config.use_directory_urls:
        raise PluginError(
            f"{Path(config.config_file_path).name}: Redline's permanent addresses "
            "(/<policy>/<date>/) need `use_directory_urls: true`; remove the setting or set it to true"
        )
    try:
        settings = settings_from(site_config(config))
        source = os.environ.get("REDLINE_PUBLISHED")
        today = dates.today(settings.timezone)
        ledger = read_ledger(source, settings.site_url, today) if source else None
        project = load_project(settings, today, ledger=ledger)
    except CannotRun as exc:
        raise Refused("Redline cannot build this site:", [exc.finding]) from None
    findings = check(project)
    blocking = errors(findings)
    for finding in findings:
        if finding.severity != ERROR:
            log.info(finding.format())
    if blocking:
        headline = f"Redline blocked the build as of {project.today.isoformat()}"
        raise Refused(f"{headline}: {len(blocking)} problem(s)", findings)
    return project


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


@_guarded
def on_config(config):
    global _build
    if _build is not None and _build.staging == Path(config.docs_dir):
        return config  # i18n's build of another language: already staged
    if _build is not None:
        _build.close()  # a `mkdocs serve` rebuild that started before the last one finished
    _with_templates(config)
    try:
        _build = _staged_site(config, _gate(config))
    except Refused as refused:
        if not _serving:
            raise
        _build = _staged_refusal(config, refused)
    config.docs_dir = str(_build.staging)
    return config


def _staged_site(config, project: Project) -> Build:
    source = Path(config.docs_dir)
    # On a large site the comparison pages are computed by forked workers while MkDocs
    # builds the other pages; on_page_read_source hands them over.
    homes = project.home_pages()  # as the gate read them, not read again
    site = build_site(project, project.today, homes, config.site_name, defer=True)
    staging = _staging_dir(config, site.pages)
    stage(source, staging, site.pages, project.assets)
    log.info(
        f"as of {project.today.isoformat()}: {len(site.pages)} generated pages"
        + (f", {len(site.pending.sources)} of them computed meanwhile" if site.pending else "")
    )
    site.pages.clear()  # on disk now; MkDocs holds its own copy of each while it builds
    build = Build(config.config_file_path, staging, source, project.languages, project, site)
    build.expected_sections = sections_to_verify(project)
    return build


def _staged_refusal(config, refused: Refused) -> Build:
    """While serving, the refused site's findings in place of the site, at every address."""
    log.warning(f"{refused}\nThe preview shows these findings until they are fixed.")
    languages = site_config(config).languages
    blocked = blocked_site(languages, refused.findings)
    source = Path(config.docs_dir)
    staging = _staging_dir(config, blocked.pages)
    stage(source, staging, blocked.pages, [])
    config.nav = None  # the site's own navigation would name pages this build does not have
    # Each language's build writes the theme's static templates to the site's root: the
    # theme's 404.html would overwrite the refused site's (_not_found_pages).
    config.theme.static_templates.discard("404.html")
    return Build(config.config_file_path, staging, source, languages, not_found=blocked.not_found)


def sections_to_verify(project: Project) -> dict[str, list[str | None]]:
    out = {}
    for version in project.versions:
        for lang, f in version.files.items():
            if may_hide_headings(f.body):
                urls = Urls(lang, project.settings.default_language)
                out[urls.source(f"{version.policy}/{version.slug}")] = section_ids(f.body)
    return out


def _toc_ids(items) -> list[str | None]:
    return [i for item in items for i in (item.id, *_toc_ids(item.children))]


@_guarded
def on_page_markdown(markdown, page, config, files):
    """Front matter is text (a home page's is the editor's, a generated page's holds policy
    titles), but MkDocs takes it as HTML and its themes print it unescaped (`<title>`,
    `<meta>`, the header, the navigation, Material's `author` and redirect `location`): hand
    every value to the theme escaped, as MkDocs' own titles taken from a heading are. (A home
    page's `template`, which would drop the site's template and its notices, is R5's.)"""
    page.meta.update({key: _as_text(value) for key, value in page.meta.items()})
    return markdown


def _as_text(value):
    """A front-matter value with every string in it escaped for HTML."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    return value


@_guarded
def on_page_content(html, page, config, files):
    """What the gate compared is what the page shows: the rendered page of a version whose
    text could hide headings must show exactly the sections the gate read."""
    expected = _build.expected_sections.get(page.file.src_uri)
    if expected is None:
        return html
    shown = _toc_ids(page.toc)[1:]  # the page's title first
    if shown != expected:
        raise PluginError(
            f"Redline: the page of {page.file.src_uri} shows sections {shown}, but the gate "
            f"compared {expected}; write every section heading as `## Title {{#id}}` on a "
            "line of its own, outside HTML, comments, code, lists and quotes"
        )
    return html


@_guarded
def on_page_read_source(page, config):
    pending = _build.site and _build.site.pending
    if pending is None or page.file.abs_src_path is None:
        return None
    try:
        src = Path(page.file.abs_src_path).relative_to(_build.staging).as_posix()
    except ValueError:
        return None  # not a staged file
    return pending.text(src) if src in pending else None


@_guarded
def on_files(files, config):
    """Only each policy's page goes into the navigation; version, archive and changes pages stay out."""
    if _build.project is None:
        return _not_found_pages(files)
    policies = set(_build.project.policy_dirs)
    for file in files:
        parts = file.src_uri.split("/")
        if len(parts) > 1 and parts[0] in policies and not parts[-1].startswith("index."):
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def _not_found_pages(files):
    """A refused site's page for any address: out of the navigation, and built as `404.html`
    (not `404/index.html`), which `mkdocs serve` shows for an address that does not exist."""
    for file in list(files):
        if file.src_uri in _build.not_found:
            files.remove(file)
            inclusion = InclusionLevel.NOT_IN_NAV
            files.append(
                File(file.src_path, file.src_dir, file.dest_dir, False, inclusion=inclusion)
            )
    return files


def _current_language(config) -> str:
    i18n = config.plugins.get("i18n")
    return (i18n and i18n.current_language) or _build.languages[0]


@_guarded
def on_nav(nav, config, files):
    """Name each policy's navigation section after the policy, not its folder."""
    if _build.site is None:
        return nav
    titles = _build.site.titles.get(_current_language(config), {})
    for item in nav.items:
        if item.is_section:
            for child in item.children:
                pid = child.file.src_uri.split("/")[0] if child.is_page else None
                if pid in titles:
                    item.title = escape(titles[pid])  # themes print it unescaped
    return nav


@_guarded
def on_page_context(context, page, config, nav):
    if page.file.src_uri in _build.not_found:
        _served_anywhere(context, page, config)
    if _build.site is None:
        return context
    languages = _build.languages
    lang = getattr(page.file, "locale", None) or languages[0]
    context["redline_announcements"] = _build.site.announcements.get(lang, [])
    context["redline_feed"] = Urls(lang, languages[0]).feed()
    in_policy = page.file.src_uri.split("/")[0] in _build.project.policy_dirs
    context["redline_prevails"] = _build.site.prevails.get(lang) if in_policy else None
    return context


def _served_anywhere(context, page, config) -> None:
    """A page served at any address (as MkDocs' own 404 template is): its relative links
    resolve from where it was built (`<base>`, in main.html), and Material's scripts start
    from the site's root."""
    here = urljoin(urlsplit(config.site_url or "/").path, page.url)
    context["redline_base"] = here
    context["base_url"] = urljoin(here, context["base_url"])


def on_serve(server, config, builder):
    """Watch the editor's folder, not the staged copy we rewrite on every build."""
    server.unwatch(str(_build.staging))
    server.watch(str(_build.source))
    _reloading_not_found(server)
    _showing_build_errors(server, Path(config.site_dir), _build.languages[0])
    return server


def _showing_build_errors(server, site_dir: Path, lang: str) -> None:
    """A rebuild MkDocs cannot even start (mkdocs.yml unreadable, so no hook runs) or that
    fails outside the gate would leave the editor's tab hanging ("the server will appear
    stuck"): show the error at every address instead, with what MkDocs logged about it (a
    configuration error's details are only logged), and let the live reload bring the site
    back once the fix is saved."""
    rebuild = server.builder

    def builder():
        logged = _ErrorsLogged()
        logging.getLogger("mkdocs").addHandler(logged)
        try:
            rebuild()
        except Exception as exc:  # noqa: BLE001 - any failure is shown, as MkDocs logs it
            error = "\n".join([*logged.messages, str(exc) or type(exc).__name__])
            log.error(f"the site could not be built; the preview shows why:\n{exc}")
            shutil.rmtree(site_dir, ignore_errors=True)
            site_dir.mkdir(parents=True, exist_ok=True)
            page = unbuildable_page(lang, error)
            (site_dir / f"{NOT_FOUND}.html").write_text(page, encoding="utf-8")
        finally:
            logging.getLogger("mkdocs").removeHandler(logged)

    server.builder = builder


class _ErrorsLogged(logging.Handler):
    """The errors MkDocs logs during one rebuild."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _reloading_not_found(server) -> None:
    """MkDocs adds its live-reload script to the pages it serves, but not to the page for a
    missing address, which is what a tab left on any page shows while the site is refused:
    add it there too, so that the tab turns back into the site once the fix is saved."""
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is None:
        return  # another MkDocs: that page does not reload by itself
    not_found = server.error_handler

    def error_page(code):
        content = not_found(code)
        return content if content is None else inject(content, server._visible_epoch)

    server.error_handler = error_page


@event_priority(-110)
@_guarded
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return
    project = _build.project
    if project is None:
        return  # a refused site, only previewed: nothing is published
    try:
        write_records(
            project,
            _build.site,
            Path(config.site_dir),
            config.site_url or "",
            stamp=_stamp(project),
        )
    except CannotRun as exc:
        raise PluginError(f"Redline could not publish the receipts:\n{exc}") from None
    finally:
        _build.close()
    if project.settings.pdf:
        _pdfs(project, Path(config.site_dir))


def _pdfs(project: Project, site_dir: Path) -> None:
    """A PDF of every version, printed by Chromium from the pages just built."""
    started = time.monotonic()
    try:
        count = publish_pdfs(project, _build.site, site_dir)
    except CannotRun as exc:
        raise PluginError(f"Redline could not print the PDFs of the versions:\n{exc}") from None
    log.info(f"printed {count} PDFs in {time.monotonic() - started:.1f} s")


def _stamp(project: Project):
    """Receipts are obtained when publishing (with the live ledger) from the configured
    time-stamping authority; never from a preview or `mkdocs serve`."""
    url, ca = project.settings.timestamping_url, project.settings.timestamping_ca
    if project.ledger is None or url is None:
        return None
    return lambda record, path: obtain(url, record, path, ca)


def on_build_error(error):
    if _build is not None:
        _build.close()


def on_shutdown():
    global _build
    if _build is not None:
        _build.close()
        shutil.rmtree(_build.staging.parent, ignore_errors=True)
        _build = None
