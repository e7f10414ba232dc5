"""The Atom feed (RFC 4287) of announced amendments, one per language at its root.

One entry per version published through this repository, newest announcement first, then
one per announcement withdrawn before it took effect (kept, saying so: readers keep entries).
Imported history (effective before `adopted`) is left out: its "announcement" is only the
day it was added to the repository, and announcing a 2024 amendment in 2026 would mislead
subscribers. The feed is a function of the model as of the build day and nothing else (no
clock, no build time), so two builds of the same commit on the same day write the same bytes.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit
from uuid import NAMESPACE_URL, uuid5

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator

from .dates import midnight
from .fragments import fragment
from .ledger import Recorded
from .locale import day, t
from .model import Project, Version
from .pages import class_label, reason_and_summary
from .site import Site
from .timeline import Entry, Timeline
from .urls import Urls, absolute

ATOM = "application/atom+xml"
HTML = "text/html"


def _host(site_url: str) -> str:
    return (urlsplit(site_url).hostname or "").lower()


def entry_id(site_url: str, site_name: str, version: Version | Recorded, lang: str) -> str:
    """An id that never changes for this version in this language (while the host stays).

    A `tag:` URI (RFC 4151) dated by the effective date, which is part of the version's
    identity (its file name) and never changes; the announcement date may (an edit before
    the effective date restarts the notice) and the entry must stay the same entry then.
    Without a site_url, a name-based UUID of the site name stands in for the host.
    """
    slug = version.effective.isoformat()
    specific = f"{version.policy}/{slug}/{lang}"
    host = _host(site_url)
    if host:
        return f"tag:{host},{slug}:{specific}"
    return f"urn:uuid:{uuid5(NAMESPACE_URL, f'redline:{site_name}:{specific}')}"


def feed_id(site_url: str, site_name: str, lang: str, feed_path: str) -> str:
    """The feed's own address when the site has one, else a name-based UUID."""
    if _host(site_url):
        return absolute(site_url, feed_path)
    return f"urn:uuid:{uuid5(NAMESPACE_URL, f'redline:{site_name}:feed/{lang}')}"


def feed_entries(project: Project, site: Site) -> list[tuple[Timeline, Entry]]:
    """Every published version announced through this repository, newest announcement first.

    Ties (one commit announcing several versions) go to the later effective date, then the
    policy id, so the order never depends on dictionary order.
    """
    items = [
        (tl, entry)
        for _, tl in sorted(site.timelines.items())
        for entry in tl.entries
        if not entry.version.imported
    ]
    items.sort(
        key=lambda item: (item[1].version.announced, item[1].effective, item[1].version.policy),
        reverse=True,
    )
    return items


def _entry_content(lang: str, entry: Entry, text_url: str, changes_url: str | None) -> str:
    v = entry.version
    meta = " · ".join(
        [
            class_label(lang, v),
            t(lang, "effective_on", date=day(lang, v.effective)),
            t(lang, "announced_on", date=day(lang, v.announced)),
        ]
    )
    links = [(changes_url, t(lang, "link_changes"))] if changes_url else []
    links.append((text_url, t(lang, "feed_link_text")))
    return fragment("feed_content", meta=meta, parts=reason_and_summary(lang, v), items=links)


def _entry_summary(lang: str, entry: Entry) -> str:
    v = entry.version
    parts = [class_label(lang, v), t(lang, "effective_on", date=day(lang, v.effective))]
    reason = v.file(lang).reason
    if reason:
        parts.append(f"{t(lang, 'notice_reason')}: {reason}")
    return " · ".join(parts)


class _LinkAttributes(BaseEntryExtension):
    """Puts back the attributes feedgen 1.0.0 drops from an entry's links.

    feedgen 1.0.0 writes only `href` for `<entry><link>` (lkiesow/python-feedgen#135: the
    loop variable is shadowed), so every link would read as `rel="alternate"` and an entry
    with two links would break RFC 4287 4.1.1. The extension hook runs on the finished
    entry element and sets them again; harmless once feedgen is fixed.
    """

    def __init__(self) -> None:
        self.by_href: dict[str, dict[str, str]] = {}

    def extend_atom(self, entry):
        for element in entry.iterfind("link"):
            for key, value in self.by_href.get(element.get("href"), {}).items():
                element.set(key, value)
        return entry


def _entry_link(fe, href: str, **attributes: str) -> None:
    fe.link(href=href, **attributes)
    fe.redline_links.by_href[href] = attributes


def build_feed(
    project: Project, site: Site, lang: str, site_url: str, site_name: str
) -> FeedGenerator:
    settings = project.settings
    tz = settings.timezone
    urls = Urls(lang, settings.default_language)
    entries = feed_entries(project, site)

    fg = FeedGenerator()
    fg.register_extension("redline_links", BaseExtension, _LinkAttributes, atom=True, rss=False)
    fg.id(feed_id(site_url, site_name, lang, urls.feed()))
    fg.title(t(lang, "feed_title", site=site_name or t(lang, "policies")))
    fg.subtitle(t(lang, "feed_subtitle"))
    fg.author({"name": site_name or _host(site_url) or t(lang, "policies")})
    fg.language(lang)
    fg.link(href=absolute(site_url, urls.home()), rel="alternate", type=HTML, hreflang=lang)
    fg.link(href=absolute(site_url, urls.feed()), rel="self", type=ATOM)
    fg.updated(midnight(_feed_updated(project, site, entries), tz))

    for tl, entry in entries:
        v = entry.version
        text_url = absolute(site_url, urls.version(v.policy, v.slug))
        changes_url = (
            absolute(site_url, urls.changes(v.policy, v.slug)) if tl.previous(entry) else None
        )
        key = "feed_entry_first" if v.number == 1 else "feed_entry"
        fe = fg.add_entry(order="append")
        fe.id(entry_id(site_url, site_name, v, lang))
        fe.title(t(lang, key, title=v.title(lang), date=day(lang, v.effective)))
        fe.published(midnight(v.announced, tz))
        # The announcement is the day the current text went public (the ledger's, or git's
        # estimate), so it is also the last significant update: a correction before the
        # effective date moves both.
        fe.updated(midnight(v.announced, tz))
        _entry_link(fe, changes_url or text_url, rel="alternate", type=HTML, hreflang=lang)
        if changes_url:
            _entry_link(fe, text_url, rel="related", type=HTML, hreflang=lang)
        fe.summary(_entry_summary(lang, entry))
        fe.content(_entry_content(lang, entry, text_url, changes_url), type="html")
        fe.category(term=v.policy, label=v.title(lang))
        fe.category(term=v.change_class.value, label=class_label(lang, v))
    for r in project.withdrawn():
        _withdrawn_entry(fg.add_entry(order="append"), project, site, r, lang, site_url, site_name)
    return fg


def _withdrawn_entry(
    fe, project: Project, site: Site, r: Recorded, lang: str, site_url: str, site_name: str
) -> None:
    """The entry of an announcement withdrawn before it took effect: kept under its id.

    Feed readers keep every entry they have fetched, so an entry that simply vanished would
    leave subscribers believing the change still comes. It stays, published on its first
    announcement, updated on the day it was withdrawn, and says so. It links to the policy's
    archive, or to the home page when the whole policy is gone.
    """
    tz = project.settings.timezone
    urls = Urls(lang, project.settings.default_language)
    withdrawn = r.withdrawn or project.today  # Project.withdrawn always gives the day
    announced = r.announcements[0].day if r.announcements else withdrawn
    tl = site.timelines.get(r.policy)
    title = tl.entries[-1].version.title(lang) if tl and tl.entries else r.policy
    link = urls.archive(r.policy) if tl and tl.entries else urls.home()
    dates = {
        "date": day(lang, r.effective),
        "announced": day(lang, announced),
        "withdrawn": day(lang, withdrawn),
    }
    fe.id(entry_id(site_url, site_name, r, lang))
    fe.title(t(lang, "feed_entry_withdrawn", title=title, date=dates["date"]))
    fe.published(midnight(announced, tz))
    fe.updated(midnight(withdrawn, tz))
    _entry_link(fe, absolute(site_url, link), rel="alternate", type=HTML, hreflang=lang)
    fe.summary(t(lang, "feed_withdrawn", **dates))
    fe.category(term=r.policy, label=title)


def _feed_updated(project: Project, site: Site, entries: list[tuple[Timeline, Entry]]) -> date:
    """The newest entry's announcement or withdrawal; without entries, the newest published
    version's announcement, else the day."""
    withdrawn = [r.withdrawn for r in project.withdrawn() if r.withdrawn is not None]
    if entries or withdrawn:
        return max([entry.version.announced for _, entry in entries] + withdrawn)
    announced = [e.version.announced for tl in site.timelines.values() for e in tl.entries]
    return max(announced, default=site.day)


def feed_xml(project: Project, site: Site, lang: str, site_url: str, site_name: str) -> bytes:
    return build_feed(project, site, lang, site_url, site_name).atom_str(pretty=True)
