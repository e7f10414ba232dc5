"""What a preview shows instead of the site while the gate refuses it.

An editor previews with `mkdocs serve`; when the gate refuses the site (an error finding, or
input it cannot read at all), the preview does not stop or go blank: every address shows
one page listing every finding as the terminal does (file and line, rule, problem, fix),
and the preview turns back into the site when the files are fixed. Each language has its
home page, and the page for an address that does not exist (NOT_FOUND), which is what the
other addresses show while the site is refused. Findings quote file names and policy text:
they are text on the page, never markup, and shown on one line each.

When MkDocs cannot even read its configuration (a YAML mistake saved in mkdocs.yml), no hook
runs and MkDocs' own server leaves every request hanging until the file is fixed; the
adapter then shows `unbuildable_page`, a whole document, at every address instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Finding, errors
from .fragments import Html, fragment, md_text, template
from .locale import t
from .pages import Page, front_matter
from .urls import Urls
from .visible import visible, visible_line

NOT_FOUND = "404"  # the page a server shows for an address that does not exist


@dataclass(frozen=True)
class BlockedSite:
    pages: list[Page]
    not_found: frozenset[str]  # the sources of the pages shown at any address


def quoted(text: str) -> list[tuple[bool, str]]:
    """A finding's text in parts, the `backquoted` ones (file names, commands) as code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backquote: all text
        return [(False, text)]
    return [(k % 2 == 1, part) for k, part in enumerate(parts) if part]


def finding_list(lang: str, findings: list[Finding]) -> Html:
    """Every finding, errors first, with its words in `lang`."""
    items = [
        {
            "severity": f.severity,
            "severity_label": t(lang, f"sum_{f.severity}"),
            "rule": visible_line(f.title),
            "location": visible_line(f.location),
            "message": quoted(visible_line(f.message)),
            "fix": quoted(visible_line(f.fix)),
        }
        for f in sorted(findings, key=Finding.sort_key)
    ]
    labels = {key: t(lang, f"sum_{key}") for key in ("rule", "file", "problem", "fix")}
    return fragment("findings", items=items, labels=labels)


def blocked_page(lang: str, findings: list[Finding]) -> str:
    title = t(lang, "blocked_title")
    lead = fragment("paragraph", text=t(lang, "blocked_lead", count=len(errors(findings))))
    text = front_matter(title, hide=["navigation", "toc"], search={"exclude": True})
    return text + f"# {md_text(title)}\n\n{lead}\n\n{finding_list(lang, findings)}\n"


def blocked_site(languages: tuple[str, ...], findings: list[Finding]) -> BlockedSite:
    """The home page and the NOT_FOUND page of every language, each listing `findings`."""
    pages = []
    for lang in languages:
        urls = Urls(lang, languages[0])
        text = blocked_page(lang, findings)
        pages += [Page(urls.source("index"), text), Page(urls.source(NOT_FOUND), text)]
    not_found = frozenset(Urls(lang, languages[0]).source(NOT_FOUND) for lang in languages)
    return BlockedSite(pages, not_found)


def unbuildable_page(lang: str, error: str) -> str:
    """The whole HTML document shown at every address while MkDocs itself cannot build the
    site (mkdocs.yml unreadable, a plugin failing): no theme and no gate ran, so it stands
    alone and says what MkDocs said."""
    return template("unbuildable.html").render(
        lang=lang,
        title=t(lang, "unbuildable_title"),
        lead=t(lang, "unbuildable_lead"),
        error=visible(error.strip()),
    )
