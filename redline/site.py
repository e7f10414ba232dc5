"""The whole site as of one day: every generated page in every language, and the notices.

Data flows one way: model -> timelines -> pages. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import sys
from dataclasses import dataclass, field
from datetime import date

from .locale import day, subject, t
from .model import Project
from .pages import (
    Context,
    Page,
    archive_page,
    changes_page,
    changes_source,
    home_page,
    policy_page,
    version_page,
)
from .timeline import Entry, Timeline, timeline
from .urls import Urls


@dataclass(frozen=True)
class Announcement:
    """One line of the site-wide announcement bar."""

    text: str
    link_text: str
    url: str  # relative to the site root, pointing at the notice itself
    label: str = ""  # the bar's name for screen readers


@dataclass
class Site:
    day: date
    pages: list[Page] = field(default_factory=list)
    announcements: dict[str, list[Announcement]] = field(default_factory=dict)
    timelines: dict[str, Timeline] = field(default_factory=dict)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> policy -> title
    pending: PendingPages | None = None  # comparison pages still being computed (defer=True)


def timelines(project: Project, day_: date) -> dict[str, Timeline]:
    return {pid: timeline(policy, day_) for pid, policy in project.policies.items()}


ChangesJob = tuple[Context, Timeline, Entry]

# Below this many comparison pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 48
_jobs: list[ChangesJob] = []  # set just before forking: the workers inherit it


def _changes_job(k: int) -> Page:
    return changes_page(*_jobs[k])


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers(jobs: int) -> int:
    """Worker processes for `jobs` comparison pages: REDLINE_WORKERS if set, else one per
    CPU this process may use, on Linux only (fork; elsewhere workers start too slowly)."""
    if os.environ.get("REDLINE_WORKERS", "").strip().isdigit():
        return max(1, int(os.environ["REDLINE_WORKERS"]))
    if jobs < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(usable_cpus(), 8, jobs // (PARALLEL_FROM // 2)))


def _fork_pool(jobs: list[ChangesJob], workers: int) -> multiprocessing.pool.Pool:
    global _jobs
    _jobs = jobs
    gc.freeze()  # keep the workers' garbage collector off the objects they share with us
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    finally:
        gc.unfreeze()
        _jobs = []  # the workers have their copy


def _chunk(jobs: list[ChangesJob], workers: int) -> int:
    return max(1, len(jobs) // (workers * 8))


def changes_pages(jobs: list[ChangesJob], workers: int) -> list[Page]:
    """The comparison pages, the bulk of a large site's work (two diffs and two renderings
    each), computed by forked workers when there is more than one."""
    if workers <= 1:
        return [changes_page(*job) for job in jobs]
    with _fork_pool(jobs, workers) as pool:
        return pool.map(_changes_job, range(len(jobs)), chunksize=_chunk(jobs, workers))


class PendingPages:
    """Comparison pages that forked workers compute while MkDocs builds every other page;
    `text` hands each out when MkDocs reads it, waiting only if it is not ready yet."""

    def __init__(self, jobs: list[ChangesJob], workers: int) -> None:
        self.sources = frozenset(changes_source(*job) for job in jobs)
        self._pool = _fork_pool(jobs, workers)
        self._results = self._pool.imap(
            _changes_job, range(len(jobs)), chunksize=_chunk(jobs, workers)
        )
        self._ready: dict[str, str] = {}

    def __contains__(self, src: str) -> bool:
        return src in self.sources

    def text(self, src: str) -> str:
        while src not in self._ready:
            page = next(self._results)  # in job order; a worker's exception is raised here
            self._ready[page.src] = page.text
        return self._ready[src]

    def close(self) -> None:
        self._pool.terminate()


# What a deferred page's file holds until MkDocs asks for its text.
PENDING_TEXT = "<!-- Redline: this comparison page is generated while the site builds. -->\n"


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
    site = Site(day_, timelines=timelines(project, day_))
    settings = project.settings
    jobs: list[ChangesJob] = []
    slots: list[int] = []  # where each comparison page goes in site.pages
    for lang in settings.languages:
        ctx = Context(lang, Urls(lang, settings.default_language), settings.adopted)
        visible = [tl for tl in site.timelines.values() if tl.entries]
        for tl in visible:
            for entry in tl.entries:
                site.pages.append(version_page(ctx, tl, entry))
                if tl.previous(entry):
                    jobs.append((ctx, tl, entry))
                    slots.append(len(site.pages))
                    site.pages.append(Page("", ""))  # filled below
            site.pages.append(policy_page(ctx, tl))
            site.pages.append(archive_page(ctx, tl))
        site.pages.append(home_page(ctx, visible, home_sources.get(lang), site_name))
        site.titles[lang] = {
            tl.policy.id: (tl.in_force or tl.upcoming[0]).version.title(lang) for tl in visible
        }
        bar = []
        for tl in visible:
            current = tl.in_force.version if tl.in_force else None
            for entry in tl.upcoming:
                title = (current or entry.version).title(lang)
                bar.append(
                    Announcement(
                        t(
                            lang,
                            "announce_bar",
                            subject=subject(lang, title),
                            date=day(lang, entry.effective),
                        ),
                        t(lang, "announce_more"),
                        f"{ctx.urls.policy(tl.policy.id)}#redline-notice-{tl.policy.id}-{entry.version.slug}",
                        t(lang, "announce_label"),
                    )
                )
        site.announcements[lang] = bar
    workers = default_workers(len(jobs)) if workers is None else workers
    if defer and workers > 1:
        for slot, job in zip(slots, jobs, strict=True):
            site.pages[slot] = Page(changes_source(*job), PENDING_TEXT)
        # One CPU stays with the caller, who builds the other pages meanwhile.
        site.pending = PendingPages(jobs, max(1, min(workers, usable_cpus() - 1)))
        return site
    for slot, page in zip(slots, changes_pages(jobs, workers), strict=True):
        site.pages[slot] = page
    return site
