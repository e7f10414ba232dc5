"""Where things live in the docs folder: policy folders, version file names, home pages.

    policies/                  docs_dir
      index.md, index.en.md    the home page in each language (the policy list goes in it)
      privacy/                 a policy: its id is the folder name
        2025-03-01.md          a version in the default language, named by its effective date
        2025-03-01.en.md       the same version in another language

This module is the one owner of that naming: every other module asks it how a version file
is named, which policy a path belongs to, and what a file name says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import parse_day

# `\Z`, not `$`: `$` also matches before a final line break, and `2024-03-01.md\n` is
# another file than `2024-03-01.md` (one MkDocs copies as it is).
POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
VERSION_NAME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:\.(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?))?\.md\Z"
)
DATE_LIKE = re.compile(r"^\d{4}-?\d{1,2}-?\d{1,2}")
RESERVED = frozenset({"index", "archive", "changes"})  # pages Redline generates in a policy
# Folders the site already uses at its root (Redline's receipts, Material's assets and search
# index): no policy may take their address, nor a language code's.
SITE_FOLDERS = frozenset({"receipts", "assets", "search"})
HOME = "index"


@dataclass(frozen=True)
class VersionName:
    """What a version file's name says."""

    date_text: str
    effective: date | None  # None when the name's date does not exist (2025-02-30)
    lang: str | None  # the language suffix, None when there is none (the default language)


def parse_version_name(name: str) -> VersionName | None:
    """`2025-03-01.md` / `2025-03-01.en.md`, else None."""
    m = VERSION_NAME.match(name)
    if not m:
        return None
    return VersionName(m["date"], parse_day(m["date"]), m["lang"])


def suffix(lang: str, default_language: str) -> str:
    """The i18n suffix of a file in `lang`: none for the default language."""
    return "" if lang == default_language else f".{lang}"


def version_file_name(effective: date | str, lang: str, default_language: str) -> str:
    day = effective if isinstance(effective, str) else effective.isoformat()
    return f"{day}{suffix(lang, default_language)}.md"


def home_file_name(lang: str, default_language: str) -> str:
    return f"{HOME}{suffix(lang, default_language)}.md"


def docs_prefix(docs_rel: str) -> str:
    """docs_dir relative to the site root with a trailing slash ('' if it is the root)."""
    rel = docs_rel.strip("/")
    return "" if rel in ("", ".") else rel + "/"


def split_docs_path(path: str, docs_rel: str) -> tuple[str, ...] | None:
    """A repository path's parts below docs_dir, or None when it is not under docs_dir."""
    prefix = docs_prefix(docs_rel)
    if not path.startswith(prefix):
        return None
    return tuple(path[len(prefix) :].split("/"))


def version_path_parts(path: str, docs_rel: str) -> tuple[str, VersionName] | None:
    """(policy id, name) when `path` is named like a version file directly in a policy folder."""
    parts = split_docs_path(path, docs_rel)
    if parts is None or len(parts) != 2:
        return None
    name = parse_version_name(parts[1])
    return (parts[0], name) if name else None
