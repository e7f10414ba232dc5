"""The whole site as of one day: every generated page in every language, and the notices.

Data flows one way: model -> timelines -> pages. Nothing here knows about MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .locale import day, language_name, subject, t
from .model import Project
from .pages import (
    Context,
    Page,
    archive_page,
    changes_page,
    changes_source,
    home_page,
    policy_page,
    shown_version,
    version_page,
)
from .timeline import Entry, Timeline, timeline
from .urls import Urls
from .workers import Deferred, default_workers, map_jobs, usable_cpus


@dataclass(frozen=True)
class BarLine:
    """One line of the site-wide announcement bar (not `publication.Announcement`, the day a
    text went public)."""

    text: str
    link_text: str
    url: str  # relative to the site root, pointing at the notice itself
    label: str  # the bar's name for screen readers
    at: str  # the instant the amendment takes effect (ISO 8601)
    later_text: str  # what the line says from then on


@dataclass
class Site:
    day: date
    pages: list[Page] = field(default_factory=list)
    announcements: dict[str, list[BarLine]] = field(default_factory=dict)
    timelines: dict[str, Timeline] = field(default_factory=dict)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> policy -> title
    prevails: dict[str, str] = field(default_factory=dict)  # lang -> "the original prevails"
    pending: PendingPages | None = None  # comparison pages still being computed (defer=True)


def timelines(project: Project, day_: date) -> dict[str, Timeline]:
    return {pid: timeline(policy, day_) for pid, policy in project.policies.items()}


ChangesJob = tuple[Context, Timeline, Entry]

# What a deferred page's file holds until MkDocs asks for its text.
PENDING_TEXT = "<!-- Redline: this comparison page is generated while the site builds. -->\n"


class PendingPages:
    """Comparison pages that forked workers compute while MkDocs builds every other page;
    `text` hands each out when MkDocs reads it."""

    def __init__(self, jobs: list[ChangesJob], workers: int) -> None:
        sources = [changes_source(*job) for job in jobs]
        self._deferred = Deferred(changes_page, jobs, lambda page: page.src, sources, workers)
        self.sources = self._deferred.keys

    def __contains__(self, src: str) -> bool:
        return src in self._deferred

    def text(self, src: str) -> str:
        return self._deferred.get(src).text

    def close(self) -> None:
        self._deferred.close()


def announcement_bar(ctx: Context, visible: list[Timeline]) -> list[BarLine]:
    """One line per announced amendment, linking to its notice on the policy's page."""
    lang, bar = ctx.lang, []
    for tl in visible:
        current = tl.in_force.version if tl.in_force else None
        for entry in tl.upcoming:
            title = (current or entry.version).title(lang)
            values = {"subject": subject(lang, title), "date": day(lang, entry.effective)}
            url = ctx.urls.notice(tl.policy.id, entry.version.slug)
            bar.append(
                BarLine(
                    t(lang, "announce_bar", **values),
                    t(lang, "announce_more"),
                    url,
                    t(lang, "announce_label"),
                    ctx.instant(entry.effective),
                    t(lang, "announce_bar_after", **values),
                )
            )
    return bar


def _language(site: Site, ctx: Context, home: str | None, site_name: str) -> list[ChangesJob]:
    """One language's pages into `site` (comparison pages as empty slots), and their jobs."""
    visible = [tl for tl in site.timelines.values() if tl.entries]
    jobs = []
    for tl in visible:
        for entry in tl.entries:
            site.pages.append(version_page(ctx, tl, entry))
            if tl.previous(entry):
                jobs.append((ctx, tl, entry))
                site.pages.append(Page(changes_source(ctx, tl, entry), ""))  # filled later
        site.pages.append(policy_page(ctx, tl))
        site.pages.append(archive_page(ctx, tl))
    site.pages.append(home_page(ctx, visible, home, site_name))
    site.titles[ctx.lang] = {tl.policy.id: shown_version(tl).title(ctx.lang) for tl in visible}
    site.announcements[ctx.lang] = announcement_bar(ctx, visible)
    return jobs


def prevailing(project: Project) -> dict[str, str]:
    """For each translation, the sentence that the default language's text prevails (the
    setting `prevailing_language_notice: false` leaves it out)."""
    settings = project.settings
    if not settings.prevailing_notice:
        return {}
    original = settings.default_language
    return {
        lang: t(lang, "prevails", original=language_name(lang, original))
        for lang in settings.languages
        if lang != original
    }


def build_site(
    project: Project,
    day_: date,
    home_sources: dict[str, str | None],
    site_name: str = "",
    workers: int | None = None,
    defer: bool = False,
) -> Site:
    """`workers`: processes for the comparison pages; by default one per CPU on large sites.
    `defer`: when there are workers, leave the comparison pages to `site.pending` (their
    files hold PENDING_TEXT), so that a caller can build other pages meanwhile."""
    site = Site(day_, timelines=timelines(project, day_), prevails=prevailing(project))
    settings = project.settings
    jobs: list[ChangesJob] = []
    for lang in settings.languages:
        urls = Urls(lang, settings.default_language)
        ctx = Context(lang, urls, settings.adopted, settings.timezone, settings.pdf)
        jobs += _language(site, ctx, home_sources.get(lang), site_name)
    slots = {page.src: k for k, page in enumerate(site.pages) if not page.text}
    workers = default_workers(len(jobs)) if workers is None else workers
    if defer and workers > 1:
        for src, k in slots.items():
            site.pages[k] = Page(src, PENDING_TEXT)
        # One CPU stays with the caller, who builds the other pages meanwhile.
        site.pending = PendingPages(jobs, max(1, min(workers, usable_cpus() - 1)))
        return site
    for page in map_jobs(changes_page, jobs, workers):
        site.pages[slots[page.src]] = page
    return site
