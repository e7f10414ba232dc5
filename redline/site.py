"""The whole site as of one day: every generated page in every language, and the notices.

Data flows one way: model -> timelines -> pages. Nothing here knows about MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .locale import day, subject, t
from .model import Project
from .pages import Context, Page, archive_page, changes_page, home_page, policy_page, version_page
from .timeline import Timeline, timeline
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


def build_site(
    project: Project, day_: date, home_sources: dict[str, str | None], site_name: str = ""
) -> Site:
    site = Site(day_, timelines=timelines(project, day_))
    settings = project.settings
    for lang in settings.languages:
        ctx = Context(lang, Urls(lang, settings.default_language), settings.adopted)
        visible = [tl for tl in site.timelines.values() if tl.entries]
        for tl in visible:
            for entry in tl.entries:
                site.pages.append(version_page(ctx, tl, entry))
                if tl.previous(entry):
                    site.pages.append(changes_page(ctx, tl, entry))
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
    return site
