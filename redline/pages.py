"""The Markdown of every page Redline generates, for one language as of one day.

Pure functions from the model to text: MkDocs renders the result like any page. Everything
taken from a policy that lands inside HTML is escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from html import escape

from .diff import diff_documents, render_comparison_html, render_redline_markdown
from .locale import day, days_left, subject, t
from .model import Version
from .timeline import Entry, Status, Timeline
from .urls import Urls, relative

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


def front_matter(title: str, **extra: object) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in extra.items()]
    return "\n".join(lines) + "\n---\n\n"


def badge(lang: str, version: Version) -> str:
    key = "first_badge" if version.number == 1 else f"{version.change or 'minor'}_badge"
    cls = "first" if version.number == 1 else version.change or "minor"
    out = f'<span class="redline-badge redline-badge--{cls}">{escape(t(lang, key))}</span>'
    if version.imported:
        out += f' <span class="redline-badge redline-badge--imported">{escape(t(lang, "imported_badge"))}</span>'
    return out


def meta_line(ctx: Context, version: Version) -> str:
    parts = [
        t(ctx.lang, "version_n", n=version.number),
        t(ctx.lang, "effective_on", date=day(ctx.lang, version.effective)),
        t(ctx.lang, "announced_on", date=day(ctx.lang, version.announced)),
    ]
    spans = " · ".join(f"<span>{escape(p)}</span>" for p in parts)
    return f'<p class="redline-meta">{spans} {badge(ctx.lang, version)}</p>'


def status_banner(ctx: Context, tl: Timeline, entry: Entry, here: str) -> str:
    lang, v = ctx.lang, entry.version
    if entry.status == Status.IN_FORCE:
        text = t(lang, "status_in_force", date=day(lang, v.effective))
        link = ""
    else:
        if entry.status == Status.SUPERSEDED:
            text = t(
                lang, "status_superseded", start=day(lang, v.effective), end=day(lang, entry.until)
            )
        else:
            text = t(lang, "status_announced", date=day(lang, v.effective))
        target = ctx.urls.policy(v.policy) if tl.in_force else ctx.urls.archive(v.policy)
        label = t(lang, "see_in_force") if tl.in_force else t(lang, "link_archive")
        link = f' <a href="{relative(here, target)}">{escape(label)}</a>'
    return (
        f'<div class="redline-status redline-status--{entry.status.value}" role="status">'
        f"<p>{escape(text)}{link}</p></div>"
    )


def links_line(ctx: Context, tl: Timeline, entry: Entry, here: str) -> str:
    pid = entry.version.policy
    links = [(ctx.urls.archive(pid), t(ctx.lang, "link_archive"))]
    if tl.previous(entry):
        links.append((ctx.urls.changes(pid, entry.version.slug), t(ctx.lang, "link_what_changed")))
    html = " · ".join(f'<a href="{relative(here, u)}">{escape(label)}</a>' for u, label in links)
    return f'<p class="redline-links">{html}</p>'


def reason_and_summary(lang: str, version: Version) -> list[str]:
    """Why the version changes and what it changes, as HTML paragraphs (notices, feeds)."""
    out = []
    reason = version.reason(lang)
    if reason:
        out.append(f"<p><strong>{escape(t(lang, 'notice_reason'))}:</strong> {escape(reason)}</p>")
    summary = version.file(lang).summary
    if summary:
        items = "".join(f"<li>{escape(line)}</li>" for line in summary)
        out.append(f"<p><strong>{escape(t(lang, 'notice_summary'))}:</strong></p><ul>{items}</ul>")
    return out


def notice(ctx: Context, tl: Timeline, entry: Entry, here: str, heading_level: int = 2) -> str:
    """The amendment notice: effective date, days left, reason, summary, links."""
    lang, v = ctx.lang, entry.version
    current = tl.in_force.version if tl.in_force else v
    ident = f"redline-notice-{v.policy}-{v.slug}"
    lead = t(
        lang,
        "notice_lead",
        subject=subject(lang, current.title(lang)),
        date=day(lang, v.effective),
        days_left=days_left(lang, tl.days_left(entry)),
    )
    parts = [
        f'<section class="admonition warning redline-notice" aria-labelledby="{ident}">',
        f'<h{heading_level} class="admonition-title" id="{ident}">{escape(t(lang, "notice_title"))}: '
        f"{escape(v.title(lang))}</h{heading_level}>",
        f"<p>{escape(lead)} {badge(lang, v)}</p>",
    ]
    parts += reason_and_summary(lang, v)
    links = []
    if tl.previous(entry):
        links.append((ctx.urls.changes(v.policy, v.slug), t(lang, "link_changes")))
    links.append((ctx.urls.version(v.policy, v.slug), t(lang, "link_new_text")))
    parts.append(
        "<p>"
        + " · ".join(f'<a href="{relative(here, u)}">{escape(label)}</a>' for u, label in links)
        + "</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


def heading_and_body(title: str, body: str) -> tuple[str, str]:
    """The page's H1 and the rest: a policy that starts with its own H1 keeps it."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("# "):
        return first + "\n\n", rest.lstrip("\n")
    return f"# {escape(title)}\n\n", body


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
    text += body
    return Page(ctx.urls.source(f"{v.policy}/{v.slug}"), text)


def policy_page(ctx: Context, tl: Timeline) -> Page:
    """`/<policy>/`: the version in force, with the notice of any announced amendment."""
    pid = tl.policy.id
    here = ctx.urls.policy(pid)
    current = tl.in_force
    shown = current or tl.upcoming[0]
    title = shown.version.title(ctx.lang)
    heading, body = heading_and_body(title, shown.version.file(ctx.lang).body)
    text = front_matter(title) + heading
    notices = "\n\n".join(notice(ctx, tl, e, here) for e in tl.upcoming)
    if current is None:
        text += f"<p>{escape(t(ctx.lang, 'no_version_in_force'))}</p>\n\n{notices}\n"
        return Page(ctx.urls.source(f"{pid}/index"), text)
    text += meta_line(ctx, current.version) + "\n\n"
    text += status_banner(ctx, tl, current, here) + "\n\n"
    if notices:
        text += notices + "\n\n"
    text += links_line(ctx, tl, current, here) + "\n\n"
    text += body
    return Page(ctx.urls.source(f"{pid}/index"), text)


def archive_page(ctx: Context, tl: Timeline) -> Page:
    lang, pid = ctx.lang, tl.policy.id
    here = ctx.urls.archive(pid)
    latest = tl.entries[-1].version
    title = t(lang, "archive_title", title=latest.title(lang))
    cols = ["col_version", "col_effective", "col_announced", "col_class", "col_reason", "col_links"]
    head = "".join(f'<th scope="col">{escape(t(lang, c))}</th>' for c in cols)
    rows = []
    for entry in reversed(tl.entries):
        v = entry.version
        period = (
            t(lang, "until", start=day(lang, v.effective), end=day(lang, entry.until))
            if entry.until
            else t(lang, "from_on", start=day(lang, v.effective))
        )
        links = [(ctx.urls.version(pid, v.slug), t(lang, "link_text"))]
        if tl.previous(entry):
            links.append((ctx.urls.changes(pid, v.slug), t(lang, "link_changes_short")))
        link_html = " · ".join(
            f'<a href="{relative(here, u)}">{escape(label)}</a>' for u, label in links
        )
        status = {
            Status.IN_FORCE: t(lang, "home_in_force"),
            Status.ANNOUNCED: t(lang, "home_upcoming"),
        }.get(entry.status, "")
        status_html = f'<br><span class="redline-state">{escape(status)}</span>' if status else ""
        rows.append(
            f'<tr class="redline-row--{entry.status.value}">'
            f'<th scope="row">{escape(t(lang, "version_n", n=v.number))}{status_html}</th>'
            f"<td>{escape(period)}</td>"
            f"<td>{escape(day(lang, v.announced))}</td>"
            f"<td>{badge(lang, v)}</td>"
            f"<td>{escape(v.reason(lang) or '')}</td>"
            f"<td>{link_html}</td></tr>"
        )
    table = (
        f'<div class="redline-table"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    text = (
        front_matter(title)
        + f"# {escape(title)}\n\n<p>{escape(t(lang, 'archive_intro'))}</p>\n\n{table}\n"
    )
    if ctx.adopted and any(e.version.imported for e in tl.entries):
        note = t(lang, "imported_note", date=day(lang, ctx.adopted))
        text += f'\n<p class="redline-note">{escape(note)}</p>\n'
    return Page(ctx.urls.source(f"{pid}/archive"), text)


def amendment_nav(ctx: Context, tl: Timeline, entry: Entry, here: str) -> str:
    links = []
    prev = tl.previous(entry)
    if prev and tl.previous(prev):
        url = ctx.urls.changes(tl.policy.id, prev.version.slug)
        label = f"← {t(ctx.lang, 'previous_amendment')}: {day(ctx.lang, prev.effective)}"
        links.append(f'<a href="{relative(here, url)}" rel="prev">{escape(label)}</a>')
    nxt = tl.next(entry)
    if nxt:
        url = ctx.urls.changes(tl.policy.id, nxt.version.slug)
        label = f"{t(ctx.lang, 'next_amendment')}: {day(ctx.lang, nxt.effective)} →"
        links.append(f'<a href="{relative(here, url)}" rel="next">{escape(label)}</a>')
    if not links:
        return ""
    return (
        f'<nav class="redline-amendments" aria-label="{escape(t(ctx.lang, "changes_sections"))}">'
        + " · ".join(links)
        + "</nav>"
    )


def changes_source(ctx: Context, tl: Timeline, entry: Entry) -> str:
    return ctx.urls.source(f"{tl.policy.id}/changes/{entry.version.slug}")


def changes_page(ctx: Context, tl: Timeline, entry: Entry) -> Page:
    """`/<policy>/changes/<date>/`: what the amendment changed, section by section and in full."""
    lang, v = ctx.lang, entry.version
    prev = tl.previous(entry)
    assert prev is not None
    pid = tl.policy.id
    here = ctx.urls.changes(pid, v.slug)
    old, new = prev.version, v
    diff = diff_documents(old.file(lang).body, new.file(lang).body)
    material = set(tl.policy.material_sections)
    title = t(lang, "changes_title", title=new.title(lang), date=day(lang, new.effective))
    parts = [front_matter(title, search={"exclude": True}), f"# {escape(title)}\n"]
    parts.append(meta_line(ctx, new))
    parts.append(status_banner(ctx, tl, entry, here))
    intro = t(
        lang,
        "changes_intro",
        old=old.number,
        old_date=day(lang, old.effective),
        new=new.number,
        new_date=day(lang, new.effective),
    )
    links = (
        f'<a href="{relative(here, ctx.urls.version(pid, old.slug))}">{escape(t(lang, "version_n", n=old.number))}</a>',
        f'<a href="{relative(here, ctx.urls.version(pid, new.slug))}">{escape(t(lang, "version_n", n=new.number))}</a>',
        f'<a href="{relative(here, ctx.urls.archive(pid))}">{escape(t(lang, "link_archive"))}</a>',
    )
    parts.append(f'<p>{escape(intro)}</p>\n\n<p class="redline-links">{" · ".join(links)}</p>')
    parts += reason_and_summary(lang, new)
    nav = amendment_nav(ctx, tl, entry, here)
    if nav:
        parts.append(nav)
    parts.append(f"## {escape(t(lang, 'changes_sections'))} {{#redline-sections}}\n")
    changed = diff.changed_sections()
    ancestors = diff.ancestors()

    def is_material(section_id: str) -> bool:
        return bool(material & {section_id, *ancestors.get(section_id, ())})

    if not changed:
        parts.append(f"<p>{escape(t(lang, 'changes_none'))}</p>")
    else:
        items = []
        for s in changed:
            label = escape(s.new_title or s.old_title or t(lang, "preamble"))
            kinds = [t(lang, s.status)] if s.status in ("added", "deleted", "changed") else []
            if s.moved:
                kinds.append(t(lang, "moved"))
            mark = (
                f' <strong class="redline-material">{escape(t(lang, "material_section"))}</strong>'
                if is_material(s.id)
                else ""
            )
            items.append(
                f'<li><a href="#redline-compare-{escape(s.id)}">{label}</a> '
                f'<span class="redline-kind">({escape(", ".join(kinds))})</span>{mark}</li>'
            )
        parts.append(f'<ul class="redline-sections">{"".join(items)}</ul>')
        parts.append(f"## {escape(t(lang, 'changes_compare'))} {{#redline-compare}}\n")
        parts.append(
            render_comparison_html(
                diff,
                old_label=f"{t(lang, 'col_before')} ({t(lang, 'version_n', n=old.number)})",
                new_label=f"{t(lang, 'col_after')} ({t(lang, 'version_n', n=new.number)})",
                section_label=t(lang, "col_section"),
                material_sections=material,
                material_label=t(lang, "material_section"),
                preamble_label=t(lang, "preamble"),
            )
        )
    parts.append(f"## {escape(t(lang, 'changes_full'))} {{#redline-full}}\n")
    parts.append(f'<p class="redline-legend">{escape(t(lang, "legend"))}</p>')
    parts.append(
        f'<div class="redline-text" markdown="1">\n\n{render_redline_markdown(diff)}\n\n</div>'
    )
    return Page(changes_source(ctx, tl, entry), "\n\n".join(parts) + "\n")


def home_section(ctx: Context, tl: Timeline) -> str:
    lang, pid = ctx.lang, tl.policy.id
    here = ctx.urls.home()
    current = tl.in_force
    shown = (current or tl.upcoming[0]).version
    ident = f"redline-home-{pid}"
    out = [
        f'<section class="redline-policy" aria-labelledby="{ident}">',
        f'<h2 id="{ident}"><a href="{relative(here, ctx.urls.policy(pid))}">{escape(shown.title(lang))}</a></h2>',
    ]
    if current:
        v = current.version
        facts = (
            f"{t(lang, 'home_in_force')}: {t(lang, 'version_n', n=v.number)} · "
            f"{t(lang, 'in_force_since', date=day(lang, v.effective))}"
        )
        out.append(
            f"<p>{escape(facts)} · "
            f'<a href="{relative(here, ctx.urls.archive(pid))}">{escape(t(lang, "link_archive"))}</a></p>'
        )
    else:
        out.append(f"<p>{escape(t(lang, 'no_version_in_force'))}</p>")
    for entry in tl.upcoming:
        out.append(notice(ctx, tl, entry, here, heading_level=3))
    out.append("</section>")
    return "\n".join(out)


def home_page(ctx: Context, timelines: list[Timeline], source: str | None, site_name: str) -> Page:
    """The home page: the editor's own text with the policy list where the marker stands."""
    listing = "\n\n".join(home_section(ctx, tl) for tl in timelines if tl.entries)
    listing = f'<div class="redline-policies">\n{listing}\n</div>' if listing else ""
    if source is None:
        source = (
            front_matter(site_name or t(ctx.lang, "policies"))
            + f"# {escape(site_name or t(ctx.lang, 'policies'))}\n\n{HOME_MARKER}\n"
        )
    if HOME_MARKER in source:
        text = source.replace(HOME_MARKER, f"\n{listing}\n", 1)
    else:
        text = source.rstrip("\n") + f"\n\n{listing}\n"
    return Page(ctx.urls.source("index"), text)
