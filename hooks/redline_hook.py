"""MkDocs adapter for the Redline engine: gate, stage, and feed the templates.

All logic lives in the installed `redline` package; this module only maps MkDocs events to
it. i18n rebuilds the site once per language in its own post_build, reusing this config,
so the expensive work happens once per top-level build (see NOTES-mkdocs.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import InclusionLevel

from redline import clock
from redline.config import settings_from
from redline.findings import CannotRun, errors, format_all
from redline.model import load_project
from redline.records import write_records
from redline.rules import check
from redline.site import build_site
from redline.sources import home_sources
from redline.staging import stage, staging_root
from redline.urls import Urls

log = get_plugin_logger("redline")
_state: dict = {}


def _languages(config) -> tuple[list[str], dict[str, str]]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return [config.theme.get("language") or "en"], {}
    langs = sorted(i18n.config.languages, key=lambda lang: not lang.default)
    return [lang.locale for lang in langs if lang.build], {lang.locale: lang.name for lang in langs}


def _staging_dir(config, pages) -> Path:
    """One folder per site and process, chosen once: `mkdocs serve` rebuilds into it."""
    if "staging" in _state and _state.get("config_file") == config.config_file_path:
        return _state["staging"]
    key = hashlib.sha1(f"{config.config_file_path}:{os.getpid()}".encode()).hexdigest()[:12]
    size = sum(len(page.text) for page in pages) * 3  # UTF-8: at most 3 bytes a character
    return staging_root(size) / f"redline-{key}" / "docs"


def _close_pending() -> None:
    site = _state.get("site")
    if site is not None and site.pending is not None:
        site.pending.close()
        site.pending = None


def on_config(config):
    if _state.get("staging") == Path(config.docs_dir):
        return config  # i18n's build of another language: already staged
    _close_pending()  # a `mkdocs serve` rebuild that started before the last one finished
    if not config.use_directory_urls:
        raise PluginError(
            f"{Path(config.config_file_path).name}: Redline's permanent addresses "
            "(/<policy>/<date>/) need `use_directory_urls: true`; remove the setting or set it to true"
        )
    docs_dir = Path(config.docs_dir)
    languages, names = _languages(config)
    try:
        settings = settings_from(
            config.extra.get("redline"),
            root=Path(config.config_file_path).parent,
            docs_dir=docs_dir,
            config_file=Path(config.config_file_path),
            languages=languages,
            language_names=names,
            site_url=config.site_url or "",
        )
        today = clock.today(settings.timezone)
        project = load_project(settings, today)
    except CannotRun as exc:
        raise PluginError(f"Redline cannot build this site:\n{exc}") from None
    findings = check(project)
    for finding in findings:
        if finding not in errors(findings):
            log.info(finding.format())
    if errors(findings):
        raise PluginError(
            f"Redline blocked the build as of {today.isoformat()}: "
            f"{len(errors(findings))} problem(s)\n{format_all(errors(findings))}"
        )
    homes = home_sources(docs_dir, languages)
    # On a large site the comparison pages are computed by forked workers while MkDocs
    # builds the other pages; on_page_read_source hands them over.
    site = build_site(project, today, homes, config.site_name, defer=True)
    staging = _staging_dir(config, site.pages)
    stage(docs_dir, staging, site.pages, set(project.policy_dirs))
    log.info(
        f"as of {today.isoformat()}: {len(site.pages)} generated pages"
        + (f", {len(site.pending.sources)} of them computed meanwhile" if site.pending else "")
    )
    site.pages.clear()  # on disk now; MkDocs holds its own copy of each while it builds
    _state.update(
        languages=languages,
        staging=staging,
        config_file=config.config_file_path,
        source=docs_dir,
        site=site,
        project=project,
    )
    config.docs_dir = str(staging)
    return config


def on_page_read_source(page, config):
    pending = _state["site"].pending
    if pending is None or page.file.abs_src_path is None:
        return None
    try:
        src = Path(page.file.abs_src_path).relative_to(_state["staging"]).as_posix()
    except ValueError:
        return None  # not a staged file
    return pending.text(src) if src in pending else None


def on_files(files, config):
    """Only each policy's page goes into the navigation; version, archive and changes pages stay out."""
    policies = set(_state["project"].policy_dirs)
    for file in files:
        parts = file.src_uri.split("/")
        if len(parts) > 1 and parts[0] in policies and not parts[-1].startswith("index."):
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def _current_language(config) -> str:
    i18n = config.plugins.get("i18n")
    return (i18n and i18n.current_language) or _state["languages"][0]


def on_nav(nav, config, files):
    """Name each policy's navigation section after the policy, not its folder."""
    titles = _state["site"].titles.get(_current_language(config), {})
    for item in nav.items:
        if item.is_section:
            for child in item.children:
                pid = child.file.src_uri.split("/")[0] if child.is_page else None
                if pid in titles:
                    item.title = titles[pid]
    return nav


def on_page_context(context, page, config, nav):
    languages = _state["languages"]  # read once per build, not once per page
    lang = getattr(page.file, "locale", None) or languages[0]
    context["redline_announcements"] = _state["site"].announcements.get(lang, [])
    context["redline_feed"] = Urls(lang, languages[0]).feed()
    return context


def on_serve(server, config, builder):
    """Watch the editor's folder, not the staged copy we rewrite on every build."""
    server.unwatch(str(_state["staging"]))
    server.watch(str(_state["source"]))
    return server


@event_priority(-110)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return
    write_records(_state["project"], _state["site"], Path(config.site_dir), config.site_url or "")
    _close_pending()


def on_build_error(error):
    _close_pending()


def on_shutdown():
    _close_pending()
    staging = _state.pop("staging", None)
    if staging is not None:
        shutil.rmtree(staging.parent, ignore_errors=True)
