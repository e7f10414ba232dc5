"""The whole site as of one day: every generated page in every language, and the notices.

Data flows one way: model -> timelines -> pages. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from dataclasses import dataclass, field
from datetime import date

from .locale import day, subject, t
from .model import Project
from .pages import Context, Page, archive_page, changes_page, home_page, policy_page, version_page
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


def timelines(project: Project, day_: date) -> dict[str, Timeline]:
    return {pid: timeline(policy, day_) for pid, policy in project.policies.items()}


ChangesJob = tuple[Context, Timeline, Entry]

# Below this many comparison pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 48
_jobs: list[ChangesJob] = []  # set just before forking: the workers inherit it


def _changes_job(k: int) -> Page:
    return changes_page(*_jobs[k])


def default_workers(jobs: int) -> int:
    """Worker processes for `jobs` comparison pages: one per CPU this process may use, on
    Linux only (fork; other platforms start workers too slowly to gain)."""
    if jobs < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, 8, jobs // (PARALLEL_FROM // 2)))


def changes_pages(jobs: list[ChangesJob], workers: int) -> list[Page]:
    """The comparison pages, the bulk of a large site's work (two diffs and two renderings
    each), computed by forked workers when there is more than one."""
    global _jobs
    if workers <= 1:
        return [changes_page(*job) for job in jobs]
    _jobs = jobs
    gc.freeze()  # keep the workers' garbage collector off the pages they share with us
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, len(jobs) // (workers * 8))
            return pool.map(_changes_job, range(len(jobs)), chunksize=chunk)
    finally:
        gc.unfreeze()
        _jobs = []


def build_site(
    project: Project,
    day_: date,
    home_sources: dict[str, str | None],
    site_name: str = "",
    workers: int | None = None,
) -> Site:
    """`workers`: processes for the comparison pages; by default one per CPU on large sites."""
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
    pages = changes_pages(jobs, default_workers(len(jobs)) if workers is None else workers)
    for slot, page in zip(slots, pages, strict=True):
        site.pages[slot] = page
    return site
