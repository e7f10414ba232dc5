"""When each version's texts became public: its announcements, from the ledger or from git.

One function per source, so that every reader (R1's notice, R3, the timeline, the archive,
versions.json, the feeds) asks the model for `Version.announcements` and never works the
days out again:

- with the published ledger: the ledger's announcements, and the current text announced on
  the build day if the ledger does not hold it as the last one (or the version is part of
  the change under review, or was withdrawn);
- without it, the estimate from git: each day a commit on the published branch changed one
  of the version's files, and today for what is not on that branch yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .history import History
from .ledger import Announcement, Recorded
from .sources import VersionFile


def texts_of(files: Iterable[VersionFile]) -> dict[str, str]:
    """The SHA-256 of every language's file: the identity of one text of a version."""
    return {f.lang: f.sha256 for f in sorted(files, key=lambda f: f.lang)}


def from_git(files: list[VersionFile], history: History, pending: bool) -> tuple[Announcement, ...]:
    days = sorted(
        {c.day for f in files for c in history.changes.get(f.path, ()) if c.blob is not None}
    )
    if pending or not days:
        days = [d for d in days if d < history.today] + [history.today]
    texts = texts_of(files)
    return tuple(Announcement(d, texts if d == days[-1] else None) for d in days)


def from_ledger(
    files: list[VersionFile], recorded: Recorded | None, today: date, pending: bool
) -> tuple[Announcement, ...]:
    texts = texts_of(files)
    earlier = recorded.announcements if recorded else ()
    if (
        earlier
        and earlier[-1].texts == texts
        and not pending
        and recorded
        and not recorded.withdrawn
    ):
        return earlier
    return (*earlier, Announcement(today, texts))
