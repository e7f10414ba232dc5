"""The Markdown of every page Redline generates, for one language as of one day.

Pure functions from the model to text: MkDocs renders the result like any page. Everything
taken from a policy that lands inside HTML is escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from .dates import midnight
from .diff import diff_documents, render_comparison_html, render_redline_markdown
from .diff.headings import atx_heading
from .fragments import Html, fragment, md_text
from .locale import day, days_left, subject, t
from .model import Version
from .timeline import Entry, Status, Timeline
from .urls import Urls, notice_id, relative

HOME_MARKER = "<!-- redline:policies -->"


@dataclass(frozen=True)
class Page:
    src: str  # path relative to the (staged) docs_dir, i18n suffix included
    text: str


@dataclass(frozen=True)
class Context:
    """What every page of one language needs to know."""

    lang: str
    urls: Urls
    adopted: date | None = None
    timezone: ZoneInfo = ZoneInfo("UTC")
    pdf: bool = False  # the site publishes a PDF of every version (urls.pdf)

    def instant(self, day: date) -> str:
        """When a version effective on `day` goes into force (ISO 8601, with the offset)."""
        return midnight(day, self.timezone).isoformat()


def switching(ctx: Context, tl: Timeline, entry: Entry, render, inline: bool = False) -> Html:
    """`render(tl, entry)` as of the build day, and, when the entry's status changes before
    the next build can run, its later state, which the page's script shows from that instant
    (without the script the page still reads as of its build day)."""
    now = render(tl, entry)
    change = tl.next_change(entry)
    if change is None:
        return now
    later_tl = tl.on(change)
    later = render(later_tl, later_tl.entry_of(entry.version))
    return fragment("switch", at=ctx.instant(change), now=now, later=later, inline=inline)


def front_matter(title: str, **extra: object) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in extra.items()]
    return "\n".join(lines) + "\n---\n\n"


def class_label(lang: str, version: Version) -> str:
    """The version's class in words: 제정 / 일반 개정 / 중요 개정, First version / Minor / ..."""
    return t(lang, f"{version.change_class.value}_badge")


def badge(lang: str, version: Version) -> Html:
    imported = t(lang, "imported_badge") if version.imported else None
    label = class_label(lang, version)
    return fragment("badge", cls=version.change_class.value, label=label, imported_label=imported)


def announcement_words(lang: str, version: Version) -> list[str]:
    """When users were given notice, as the archive and the version page say it: the
    original notice and each re-announcement after a correction (which restarted the
    notice period); for imported history the known notice date or that it is unknown."""
    if version.imported:
        known = version.notice_date
        return [day(lang, known) if known else t(lang, "notice_unknown")]
    days = [a.day for a in version.announcements]
    if len(days) == 1:
        return [day(lang, days[0])]
    first, *again = days
    return [t(lang, "announced_first", date=day(lang, first))] + [
        t(lang, "announced_again", date=day(lang, d)) for d in again
    ]


def approval_words(lang: str, version: Version) -> str | None:
    if version.approval is None:
        return None
    by, on = version.approval
    return t(lang, "approved_line", by=by, date=day(lang, on) if on else "?")


def meta_line(ctx: Context, version: Version) -> Html:
    announced = announcement_words(ctx.lang, version)
    notice = t(ctx.lang, "announced_on", date=", ".join(announced))
    if version.imported and version.notice_date is None:
        notice = announced[0]
    parts = [
        t(ctx.lang, "version_n", n=version.number),
        t(ctx.lang, "effective_on", date=day(ctx.lang, version.effective)),
        notice,
        *filter(None, [approval_words(ctx.lang, version)]),
    ]
    return fragment("meta_line", parts=parts, badge_html=badge(ctx.lang, version))


def _banner(ctx: Context, tl: Timeline, entry: Entry, here: str) -> Html:
    lang, v = ctx.lang, entry.version
    link = None
    if entry.status == Status.IN_FORCE:
        text = t(lang, "status_in_force", date=day(lang, v.effective))
    else:
        if entry.status == Status.SUPERSEDED:
            start, end = day(lang, v.effective), day(lang, entry.until)
            text = t(lang, "status_superseded", start=start, end=end)
        else:
            text = t(lang, "status_announced", date=day(lang, v.effective))
        target = ctx.urls.policy(v.policy) if tl.in_force else ctx.urls.archive(v.policy)
        if tl.in_force and here == target:  # the policy's page still shows this version
            target = ctx.urls.version(v.policy, tl.in_force.version.slug)
        label = t(lang, "see_in_force") if tl.in_force else t(lang, "link_archive")
        link = (relative(here, target), label)
    return fragment("status_banner", status=entry.status.value, text=text, link=link)


def status_banner(ctx: Context, tl: Timeline, entry: Entry, here: str) -> Html:
    return switching(ctx, tl, entry, lambda tl, e: _banner(ctx, tl, e, here))


def links_line(ctx: Context, tl: Timeline, entry: Entry, here: str) -> Html:
    pid = entry.version.policy
    links = [(ctx.urls.archive(pid), t(ctx.lang, "link_archive"))]
    if tl.previous(entry):
        links.append((ctx.urls.changes(pid, entry.version.slug), t(ctx.lang, "link_what_changed")))
    return fragment("links_line", items=[(relative(here, u), label) for u, label in links])


def reason_and_summary(lang: str, version: Version) -> list[Html]:
    """Why the version changes and what it changes, as HTML paragraphs (notices, feeds)."""
    out = []
    reason = version.reason(lang)
    if reason:
        out.append(fragment("reason", label=t(lang, "notice_reason"), text=reason))
    summary = version.file(lang).summary
    if summary:
        out.append(fragment("summary", label=t(lang, "notice_summary"), lines=summary))
    return out


def notice(ctx: Context, tl: Timeline, entry: Entry, here: str, heading_level: int = 2) -> str:
    """The amendment notice: effective date, days left, reason, summary, links."""
    lang, v = ctx.lang, entry.version
    current = tl.in_force.version if tl.in_force else v
    values = {"subject": subject(lang, current.title(lang)), "date": day(lang, v.effective)}
    lead = t(lang, "notice_lead", days_left=days_left(lang, tl.days_left(entry)), **values)
    after = t(lang, "notice_lead_after", **values)
    lead = fragment("switch", at=ctx.instant(v.effective), now=lead, later=after, inline=True)
    title = f"{t(lang, 'notice_title')}: {v.title(lang)}"
    ident = notice_id(v.policy, v.slug)
    parts = [
        fragment(
            "notice_open",
            ident=ident,
            level=heading_level,
            title=title,
            lead=lead,
            badge_html=badge(lang, v),
        )
    ]
    parts += reason_and_summary(lang, v)
    links = []
    if tl.previous(entry):
        links.append((ctx.urls.changes(v.policy, v.slug), t(lang, "link_changes")))
    links.append((ctx.urls.version(v.policy, v.slug), t(lang, "link_new_text")))
    items = [(relative(here, u), label) for u, label in links]
    parts += [fragment("paragraph", text=fragment("links", items=items)), "</section>"]
    return "\n".join(parts)


def heading_and_body(title: str, body: str) -> tuple[str, str]:
    """The page's H1 and the rest: a policy that starts with its own H1 keeps it. An H1 as
    the gate's parser and Python-Markdown read it (`#제목` needs no space), so that the
    page's title is the heading the gate left out of its sections."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    heading = atx_heading(first)
    if heading is not None and heading[0] == 1:
        return first + "\n\n", rest.lstrip("\n")
    return f"# {md_text(title)}\n\n", body


def print_tools(ctx: Context, version: Version, here: str) -> Html:
    """The print button and, when the site publishes PDFs, the link to the version's PDF."""
    pdf = None
    if ctx.pdf:
        pdf = (relative(here, ctx.urls.pdf(version.policy, version.slug)), t(ctx.lang, "pdf_link"))
    return fragment("print_tools", label=t(ctx.lang, "print_button"), pdf=pdf)


def version_page(ctx: Context, tl: Timeline, entry: Entry) -> Page:
    v = entry.version
    here = ctx.urls.version(v.policy, v.slug)
    title = v.title(ctx.lang)
    heading, body = heading_and_body(title, v.file(ctx.lang).body)
    text = front_matter(f"{title} ({t(ctx.lang, 'version_n', n=v.number)})")
    text += heading
    text += meta_line(ctx, v) + "\n\n"
    text += status_banner(ctx, tl, entry, here) + "\n\n"
    text += links_line(ctx, tl, entry, here) + "\n\n"
    text += print_tools(ctx, v, here) + "\n\n"
    text += body
    return Page(ctx.urls.source(f"{v.policy}/{v.slug}"), text)


def shown_version(tl: Timeline) -> Version:
    """The version a policy's page shows, and by whose title the site names the policy
    (home page, navigation): the one in force, else the first announced."""
    return (tl.in_force or tl.upcoming[0]).version


def policy_page(ctx: Context, tl: Timeline) -> Page:
    """`/<policy>/`: the version in force, with the notice of any announced amendment."""
    pid = tl.policy.id
    here = ctx.urls.policy(pid)
    current, shown = tl.in_force, shown_version(tl)
    title = shown.title(ctx.lang)
    heading, body = heading_and_body(title, shown.file(ctx.lang).body)
    text = front_matter(title) + heading
    notices = "\n\n".join(notice(ctx, tl, e, here) for e in tl.upcoming)
    if current is None:
        text += f"{fragment('paragraph', text=t(ctx.lang, 'no_version_in_force'))}\n\n{notices}\n"
        return Page(ctx.urls.source(f"{pid}/index"), text)
    text += meta_line(ctx, current.version) + "\n\n"
    text += status_banner(ctx, tl, current, here) + "\n\n"
    if notices:
        text += notices + "\n\n"
    text += links_line(ctx, tl, current, here) + "\n\n"
    text += print_tools(ctx, current.version, here) + "\n\n"
    text += body
    return Page(ctx.urls.source(f"{pid}/index"), text)


COLUMNS = ["col_version", "col_effective", "col_announced", "col_class", "col_reason", "col_links"]


def _archive_row(ctx: Context, tl: Timeline, entry: Entry, here: str, approvals: bool) -> Html:
    lang, v, pid = ctx.lang, entry.version, tl.policy.id
    start = day(lang, v.effective)
    period = (
        t(lang, "until", start=start, end=day(lang, entry.until))
        if entry.until
        else t(lang, "from_on", start=start)
    )
    links = [(ctx.urls.version(pid, v.slug), t(lang, "link_text"))]
    if tl.previous(entry):
        links.append((ctx.urls.changes(pid, v.slug), t(lang, "link_changes_short")))
    state = switching(ctx, tl, entry, lambda tl, e: _state(lang, e), inline=True)
    return fragment(
        "archive_row",
        status=entry.status.value,
        since=v.slug,
        until=entry.until.isoformat() if entry.until else "",
        heading=t(lang, "version_n", n=v.number),
        href=relative(here, ctx.urls.version(pid, v.slug)),
        state=state,
        period=period,
        announced=announcement_words(lang, v),
        badge_html=badge(lang, v),
        approval=(approval_words(lang, v) or "—") if approvals else None,
        reason=v.reason(lang) or "",
        items=[(relative(here, u), label) for u, label in links],
        labels={c: t(lang, c) for c in [*COLUMNS, "col_approval"]},
    )


def _state(lang: str, entry: Entry) -> str:
    return {
        Status.IN_FORCE: t(lang, "home_in_force"),
        Status.ANNOUNCED: t(lang, "home_upcoming"),
    }.get(entry.status, "")


def archive_page(ctx: Context, tl: Timeline) -> Page:
    lang, pid = ctx.lang, tl.policy.id
    here = ctx.urls.archive(pid)
    title = t(lang, "archive_title", title=tl.entries[-1].version.title(lang))
    approvals = any(e.version.approval for e in tl.entries)
    cols = [*COLUMNS[:4], *(["col_approval"] if approvals else []), *COLUMNS[4:]]
    rows = [_archive_row(ctx, tl, entry, here, approvals) for entry in reversed(tl.entries)]
    table = fragment("archive_table", columns=[t(lang, c) for c in cols], rows=rows)
    intro = fragment("paragraph", text=t(lang, "archive_intro"))
    lookup = fragment(
        "lookup",
        label=t(lang, "lookup_label"),
        first=tl.entries[0].version.slug,
        found=t(lang, "lookup_result", date="{date}", version="{version}", period="{period}"),
        nothing=t(lang, "lookup_none", date="{date}"),
    )
    text = front_matter(title, hide=["navigation", "toc"])
    text += f"# {md_text(title)}\n\n{intro}\n\n{lookup}\n\n{table}\n"
    if ctx.adopted and any(e.version.imported for e in tl.entries):
        note = t(lang, "imported_note", date=day(lang, ctx.adopted))
        text += f"\n{fragment('paragraph', text=note, cls='redline-note')}\n"
    return Page(ctx.urls.source(f"{pid}/archive"), text)


def amendment_nav(ctx: Context, tl: Timeline, entry: Entry, here: str) -> str:
    previous = next_ = None
    prev = tl.previous(entry)
    if prev and tl.previous(prev):
        url = ctx.urls.changes(tl.policy.id, prev.version.slug)
        label = f"← {t(ctx.lang, 'previous_amendment')}: {day(ctx.lang, prev.effective)}"
        previous = (relative(here, url), label)
    nxt = tl.next(entry)
    if nxt:
        url = ctx.urls.changes(tl.policy.id, nxt.version.slug)
        next_ = (
            relative(here, url),
            f"{t(ctx.lang, 'next_amendment')}: {day(ctx.lang, nxt.effective)} →",
        )
    if not (previous or next_):
        return ""
    label = t(ctx.lang, "changes_sections")
    return fragment("amendment_nav", label=label, previous=previous, next=next_)


def changes_source(ctx: Context, tl: Timeline, entry: Entry) -> str:
    return ctx.urls.source(f"{tl.policy.id}/changes/{entry.version.slug}")


def _changes_intro(ctx: Context, tl: Timeline, entry: Entry, here: str) -> list[str]:
    lang, new, pid = ctx.lang, entry.version, tl.policy.id
    old = tl.previous(entry).version  # type: ignore[union-attr]
    intro = t(
        lang,
        "changes_intro",
        old=old.number,
        old_date=day(lang, old.effective),
        new=new.number,
        new_date=day(lang, new.effective),
    )
    links = [
        (ctx.urls.version(pid, old.slug), t(lang, "version_n", n=old.number)),
        (ctx.urls.version(pid, new.slug), t(lang, "version_n", n=new.number)),
        (ctx.urls.archive(pid), t(lang, "link_archive")),
    ]
    items = [(relative(here, u), label) for u, label in links]
    parts = [f"{fragment('paragraph', text=intro)}\n\n{fragment('links_line', items=items)}"]
    parts += reason_and_summary(lang, new)
    nav = amendment_nav(ctx, tl, entry, here)
    return parts + ([nav] if nav else [])


def section_items(lang: str, changed: list, material_ids: set[str]) -> list[dict]:
    items = []
    for s in changed:
        kinds = [t(lang, kind) for kind in s.kinds]
        items.append(
            {
                "id": s.id,
                "label": s.new_title or s.old_title or t(lang, "preamble"),
                "kinds": ", ".join(kinds),
                "material": t(lang, "material_section") if s.id in material_ids else None,
            }
        )
    return items


def comparison_table(lang: str, diff, old: Version, new: Version, material_sections) -> str:
    """The before/after comparison (신구대조표) of two versions, with its words in `lang`:
    the changes page and the pull request's summary show the same table."""
    return render_comparison_html(
        diff,
        old_label=f"{t(lang, 'col_before')} ({t(lang, 'version_n', n=old.number)})",
        new_label=f"{t(lang, 'col_after')} ({t(lang, 'version_n', n=new.number)})",
        section_label=t(lang, "col_section"),
        material_sections=material_sections,
        material_label=t(lang, "material_section"),
        added_label=t(lang, "cell_added"),
        deleted_label=t(lang, "cell_deleted"),
        preamble_label=t(lang, "preamble"),
    )


def heading(text: str, ident: str, level: int = 2) -> str:
    """A Markdown heading of Redline's own, with its id, showing `text` exactly."""
    return f"{'#' * level} {md_text(text)} {{#{ident}}}\n"


def changes_page(ctx: Context, tl: Timeline, entry: Entry) -> Page:
    """`/<policy>/changes/<date>/`: what the amendment changed, section by section and in full."""
    lang, new = ctx.lang, entry.version
    old = tl.previous(entry).version  # type: ignore[union-attr]
    here = ctx.urls.changes(tl.policy.id, new.slug)
    diff = diff_documents(old.file(lang).body, new.file(lang).body)
    material_ids = diff.material_ids(tl.policy.material_sections)
    title = t(lang, "changes_title", title=new.title(lang), date=day(lang, new.effective))
    parts = [front_matter(title, search={"exclude": True}), f"# {md_text(title)}\n"]
    parts += [meta_line(ctx, new), status_banner(ctx, tl, entry, here)]
    parts += _changes_intro(ctx, tl, entry, here)
    parts.append(heading(t(lang, "changes_sections"), "redline-sections"))
    changed = diff.listed_sections()
    if not changed:
        parts.append(fragment("paragraph", text=t(lang, "changes_none")))
    else:
        parts.append(fragment("section_list", items=section_items(lang, changed, material_ids)))
        parts.append(heading(t(lang, "changes_compare"), "redline-compare"))
        parts.append(comparison_table(lang, diff, old, new, tl.policy.material_sections))
    parts.append(heading(t(lang, "changes_full"), "redline-full"))
    parts.append(fragment("paragraph", text=t(lang, "legend"), cls="redline-legend"))
    parts.append(
        f'<div class="redline-text" markdown="1">\n\n{render_redline_markdown(diff)}\n\n</div>'
    )
    return Page(changes_source(ctx, tl, entry), "\n\n".join(parts) + "\n")


def home_section(ctx: Context, tl: Timeline) -> str:
    lang, pid = ctx.lang, tl.policy.id
    here = ctx.urls.home()
    current = tl.in_force
    href = relative(here, ctx.urls.policy(pid))
    title = shown_version(tl).title(lang)
    out = [fragment("home_open", ident=f"redline-home-{pid}", href=href, title=title)]
    if current:
        v = current.version
        facts = (
            f"{t(lang, 'home_in_force')}: {t(lang, 'version_n', n=v.number)} · "
            f"{t(lang, 'in_force_since', date=day(lang, v.effective))}"
        )
        link = (relative(here, ctx.urls.archive(pid)), t(lang, "link_archive"))
        out.append(fragment("facts_with_link", facts=facts, link=link))
    else:
        out.append(fragment("paragraph", text=t(lang, "no_version_in_force")))
    for entry in tl.upcoming:
        out.append(notice(ctx, tl, entry, here, heading_level=3))
    out.append("</section>")
    return "\n".join(out)


def home_page(ctx: Context, timelines: list[Timeline], source: str | None, site_name: str) -> Page:
    """The home page: the editor's own text with the policy list where the marker stands."""
    listing = "\n\n".join(home_section(ctx, tl) for tl in timelines if tl.entries)
    listing = f'<div class="redline-policies">\n{listing}\n</div>' if listing else ""
    if source is None:
        name = site_name or t(ctx.lang, "policies")
        source = front_matter(name) + f"# {md_text(name)}\n\n{HOME_MARKER}\n"
    if HOME_MARKER in source:
        text = source.replace(HOME_MARKER, f"\n{listing}\n", 1)
    else:
        text = source.rstrip("\n") + f"\n\n{listing}\n"
    return Page(ctx.urls.source("index"), text)
