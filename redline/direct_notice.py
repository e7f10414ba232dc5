"""The direct notice of an amendment: what to send each user (email, in-app message).

A notice on the website is not always enough: for a material change (new personal data,
purposes, recipients, overseas transfer, retention) users expect to be told individually,
before the effective date, with how to object. `notices` builds one `Notice` per language
from the model: the subject, the effective date, what changes (the version's `summary`, or
else the sections its diff changes, the material ones marked), why, the links to the
comparison page and the new text, and what the user may do before the effective date. The
wording follows the version's class. Rendering (text, HTML, email) is
`direct_notice_formats`'s; nothing here sends or writes anything.

Policy text (titles, reasons, summaries, section titles) is shown, never obeyed: every
control character in it is made visible here, so no format carries it raw.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Settings
from .dates import plus_days
from .diff import DocumentDiff, diff_documents
from .findings import CannotRun, Finding
from .locale import day, subject, t
from .model import ChangeClass, Policy, Project, Version
from .pages import section_items
from .urls import Urls, absolute
from .visible import visible, visible_line


@dataclass(frozen=True)
class Item:
    """One line of a list: a change, or a link (`label: text`, `text` pointing to `href`)."""

    text: str
    label: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Block:
    """A part of the notice: an optional heading, paragraphs, then a list."""

    heading: str | None
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    alert: bool = False  # the draft warning: shown so that nobody misses it


@dataclass(frozen=True)
class Notice:
    lang: str
    subject: str  # one line, ready for a Subject: header
    blocks: tuple[Block, ...]
    draft: bool  # not announced yet: the notice says so at its top


def notices(project: Project, policy: Policy, version: Version, langs: list[str]) -> list[Notice]:
    """The notice of `version` in each of `langs`; CannotRun when there is nothing to notify."""
    _refuse(project, policy, version)
    return [build_notice(project, policy, version, lang) for lang in langs]


def is_draft(project: Project, version: Version) -> bool:
    """Not public yet: part of the change under review, or announced after the run's day."""
    return version.pending or version.announced > project.today


def _refuse(project: Project, policy: Policy, version: Version) -> None:
    """Stop (exit 2) where a notice would mislead: naming the file, the problem, the fix."""
    path, what = version.main.path, f"version {version.number} of `{policy.id}`"
    if version.change_class == ChangeClass.FIRST:
        later = ", ".join(v.slug for v in policy.versions[1:])
        start = f"start an amendment with `redline new {policy.id} --effective YYYY-MM-DD`"
        fix = f"name one of its amendments: {later}" if later else start
        raise _stop(path, f"{what} is its first version: it amends nothing", fix)
    if version.change_class == ChangeClass.UNSET:
        raise _stop(
            path,
            f"{what} does not say whether it is a minor or a material amendment, and the "
            "notice's wording depends on it",
            "write `change: minor` or `change: material` in every language",
            version.main.line_of("change"),
        )
    if version.effective <= project.today:
        raise _stop(
            path,
            f"{what} took effect on {version.slug}: a notice now cannot give users the time to "
            "object before it",
            f"notices go out before the effective date; to see this one as it was due, run "
            f"with `--today` set to a day before {version.slug}",
        )
    _require_site_url(project.settings)


def _require_site_url(settings: Settings) -> None:
    """A notice's links leave the site: they need its address."""
    if not settings.site_url:
        raise CannotRun(
            Finding(
                "config",
                settings.config_file.name,
                "mkdocs.yml has no site_url, so the notice cannot link to the new text",
                "write the site's address, e.g. `site_url: https://policies.example.com/`",
            )
        )


def _stop(path: str, message: str, fix: str, line: int | None = None) -> CannotRun:
    return CannotRun(Finding("usage", path, message, fix, line))


def build_notice(project: Project, policy: Policy, version: Version, lang: str) -> Notice:
    words = _words(project, version, lang)
    material = version.change_class == ChangeClass.MATERIAL
    kind = "material" if material else "minor"
    draft = is_draft(project, version)
    opening = ("direct_greeting", "direct_lead", f"direct_{kind}_impact")
    after = (
        ("direct_material_action", "direct_material_silence")
        if material
        else ("direct_minor_applies",)
    )
    blocks = [
        *([Block(None, (t(lang, "direct_draft"),), alert=True)] if draft else []),
        Block(None, tuple(t(lang, key, **words) for key in opening)),
        *_changes(policy, version, lang),
        *_reason(version, lang),
        Block(t(lang, "direct_effective"), (words["date"],)),
        Block(t(lang, f"direct_{kind}_heading"), tuple(t(lang, key, **words) for key in after)),
        _links(project, version, lang, kind),
        Block(None, (t(lang, "direct_closing"), t(lang, "direct_signature", **words))),
    ]
    line = t(lang, "direct_subject", **words)
    if draft:
        line = f"{t(lang, 'direct_draft_mark')} {line}"
    return Notice(lang, visible_line(line), tuple(blocks), draft)


def _words(project: Project, version: Version, lang: str) -> dict[str, str]:
    """What the sentences of one notice are filled with."""
    settings = project.settings
    title = visible(version.title(lang))
    return {
        "site": visible(settings.site.site_names.get(lang, "")),
        "title": title,
        "subject": subject(lang, title),
        "date": day(lang, version.effective),
        "until": day(lang, plus_days(version.effective, -1)),
        "where": t(lang, "direct_where_contact" if settings.contact else "direct_where_page"),
    }


def _changes(policy: Policy, version: Version, lang: str) -> list[Block]:
    """The version's summary with the material sections it touches, or else every section
    its diff changes, the material ones marked."""
    previous = policy.previous(version)
    assert previous is not None  # _refuse: never the first version
    diff = diff_documents(previous.file(lang).body, version.file(lang).body)
    material_ids = diff.material_ids(policy.material_sections)
    summary = version.file(lang).summary
    if not summary:
        return [Block(t(lang, "direct_sections"), items=_section_lines(lang, diff, material_ids))]
    blocks = [Block(t(lang, "notice_summary"), items=tuple(Item(visible(s)) for s in summary))]
    listed = material_ids & set(policy.material_sections)
    titles = [visible(s.title) for s in diff.sections if s.id in listed]
    if titles:
        line = t(lang, "direct_material_sections", sections=", ".join(titles))
        blocks.append(Block(None, (line,)))
    return blocks


def _section_lines(lang: str, diff: DocumentDiff, material_ids: set[str]) -> tuple[Item, ...]:
    changed = diff.listed_sections()
    if not changed:
        return (Item(t(lang, "changes_none")),)
    return tuple(
        Item(visible(f"{s['label']} ({', '.join(filter(None, [s['kinds'], s['material']]))})"))
        for s in section_items(lang, changed, material_ids)
    )


def _reason(version: Version, lang: str) -> list[Block]:
    reason = version.reason(lang)
    return [Block(t(lang, "notice_reason"), (visible(reason),))] if reason else []


def _links(project: Project, version: Version, lang: str, kind: str) -> Block:
    """The comparison page, the new text, and where to object (the contact setting, else the
    policy's page), as absolute addresses."""
    settings = project.settings
    urls = Urls(lang, settings.default_language)
    pid, slug = version.policy, version.slug
    changes = absolute(settings.site_url, urls.changes(pid, slug))
    text = absolute(settings.site_url, urls.version(pid, slug))
    contact = settings.contact or absolute(settings.site_url, urls.policy(pid))
    items = (
        Item(changes, t(lang, "link_changes"), changes),
        Item(text, t(lang, "link_new_text"), text),
        Item(visible(contact), t(lang, f"direct_contact_{kind}"), contact_href(contact)),
    )
    return Block(t(lang, "direct_links"), items=items)


def contact_href(contact: str) -> str:
    """A web address as it is; an email address as a mailto: link."""
    return contact if contact.startswith(("http://", "https://")) else f"mailto:{contact}"
