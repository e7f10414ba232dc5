"""The site's address scheme (the README's *Addresses*), as paths relative to the site root.

The default language lives at the root and every other language under `<lang>/`; pages use
directory URLs, so every address ends with a slash.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class Urls:
    lang: str
    default_language: str

    @property
    def prefix(self) -> str:
        return "" if self.lang == self.default_language else f"{self.lang}/"

    def home(self) -> str:
        return self.prefix

    def policy(self, pid: str) -> str:
        return f"{self.prefix}{pid}/"

    def version(self, pid: str, slug: str) -> str:
        return f"{self.prefix}{pid}/{slug}/"

    def changes(self, pid: str, slug: str) -> str:
        return f"{self.prefix}{pid}/changes/{slug}/"

    def archive(self, pid: str) -> str:
        return f"{self.prefix}{pid}/archive/"

    def notice(self, pid: str, slug: str) -> str:
        """The notice of an announced amendment, on its policy's page."""
        return f"{self.policy(pid)}#{notice_id(pid, slug)}"

    def pdf(self, pid: str, slug: str) -> str:
        """The PDF of a version, next to its page: `<policy>/<date>/<policy>-<date>.pdf`."""
        return f"{self.version(pid, slug)}{pid}-{slug}.pdf"

    def feed(self) -> str:
        return f"{self.prefix}feed.xml"

    def source(self, stem: str) -> str:
        """The Markdown file (relative to docs_dir) that produces a page, i18n suffix included."""
        suffix = "" if self.lang == self.default_language else f".{self.lang}"
        return f"{stem}{suffix}.md"


def notice_id(pid: str, slug: str) -> str:
    """The HTML id of an amendment's notice (on the policy page and the home page)."""
    return f"redline-notice-{pid}-{slug}"


def relative(from_page: str, to: str) -> str:
    """A link from one page's address to another's, as MkDocs would write it."""
    target = to.rstrip("/") or "."
    rel = posixpath.relpath(target, from_page.rstrip("/") or ".")
    if posixpath.splitext(to)[1]:  # a file (feed.xml, a PDF), not a page
        return rel
    return "./" if rel == "." else rel + "/"


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path if site_url else "/" + path
