"""`redline verify`: check every receipt a site publishes, from its address or a built folder.

For each announcement with a receipt in the site's `versions.json`, the receipt file it names
must hold the same record, the token in it must be signed by a certificate chain to the
authority's root certificate (`--ca`) and cover exactly that record, and the record must be
that announcement (its policy, version, day and the SHA-256 of every language), the token's
time on that day (a deploy is stamped while it runs); and, run
inside the site's repository, every file the record names must have had exactly that SHA-256
(now, or in some commit of its history).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from . import gitcmd, receipts
from .findings import CannotRun, Finding
from .ledger import (
    Announcement,
    Ledger,
    Receipt,
    Recorded,
    download,
    load_json,
    parse_ledger,
)


@dataclass(frozen=True)
class Outcome:
    policy: str
    effective: str
    announced: str
    languages: tuple[str, ...]
    proof: str | None  # "no later than TIME by AUTHORITY" when it verifies
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(source: str, rel: str) -> bytes:
    if source.startswith(("http://", "https://")):
        url = source.rstrip("/") + "/" + rel
        try:
            return download(url)
        except OSError as exc:
            raise OSError(f"{url}: {exc}") from None
    return (Path(source) / rel).read_bytes()


def site_ledger(source: str) -> Ledger:
    """The site's versions.json, read as the ledger is read."""
    try:
        return parse_ledger(source, load_json(_read(source, "versions.json")))
    except (OSError, ValueError) as exc:
        raise CannotRun(
            Finding(
                "usage",
                source,
                f"no Redline versions.json could be read there ({exc})",
                "give the site's address (https://...) or the folder of a built site",
            )
        ) from None


def site_receipts(ledger: Ledger) -> list[tuple[Recorded, Announcement, Receipt]]:
    """Every announcement with a receipt in the ledger, with its version."""
    return [
        (r, a, a.receipt) for r in ledger.versions.values() for a in r.announcements if a.receipt
    ]


def _blobs(repo: gitcmd.Repo, path: str) -> set[str]:
    out = repo.run("log", "--all", "--format=", "--raw", "--no-abbrev", "--", path)
    return {line.split()[3] for line in out.splitlines() if line.startswith(":")} - {"0" * 40}


def file_matches(root: Path, path: str, sha256: str, current_only: bool) -> bool:
    """Whether the file has exactly these bytes (the current text of a version), or had them
    in a commit of its history (a text corrected before it took effect)."""
    current = root / path
    if current.is_file() and hashlib.sha256(current.read_bytes()).hexdigest() == sha256:
        return True
    if current_only:
        return False
    try:
        repo = gitcmd.open_repo(root)
        rel = (root / path).resolve().relative_to(repo.top).as_posix()
        blobs = _blobs(repo, rel)
    except (gitcmd.NotARepository, gitcmd.GitError, ValueError):
        return False
    return any(
        hashlib.sha256(repo.run("cat-file", "blob", b, binary=True)).hexdigest() == sha256
        for b in blobs
    )


def _check(
    source: str,
    roots: list,
    repo_root: Path | None,
    recorded: Recorded,
    announcement: Announcement,
    receipt: Receipt,
) -> tuple[str | None, list[str]]:
    current = announcement is recorded.announcements[-1]
    problems: list[str] = []
    try:
        published = load_json(_read(source, receipt.path))
    except (OSError, ValueError) as exc:
        return None, [f"the receipt {receipt.path} cannot be read ({exc})"]
    if not isinstance(published, dict):
        return None, [f"the receipt {receipt.path} is not a receipt"]
    if published.get("record") != receipt.record or published.get("token") != receipt.token:
        problems.append(f"the receipt {receipt.path} differs from versions.json's record of it")
    try:
        checked = receipts.verify(published, roots)
    except ValueError as exc:
        return None, [*problems, str(exc)]
    problems += _record_problems(checked.record, recorded, announcement)
    problems += _time_problems(checked.time, announcement.day)
    for path, sha256 in _stamped_files(checked.record).values():
        if repo_root is not None and not file_matches(repo_root, path, sha256, current):
            when = "does not have" if current else "never had"
            problems.append(f"{path} {when} the SHA-256 the receipt names")
    return f"proven to exist no later than {checked.time} by {checked.authority}", problems


def _stamped_files(record: Any) -> dict[str, tuple[str, str]]:
    """Language -> (path, SHA-256) as the stamped record names them; malformed ones left out."""
    files = record.get("files") if isinstance(record, Mapping) else None
    if not isinstance(files, Mapping):
        return {}
    return {
        lang: (str(f.get("path")), str(f.get("sha256")))
        for lang, f in files.items()
        if isinstance(f, Mapping)
    }


def _time_problems(stamped: str, day: date) -> list[str]:
    """A deploy obtains its receipts while it runs, on the announcement day: a token from
    another time proves that the text existed then, not that it was announced that day (a
    ledger back-dated after the fact). The day is in the site's time zone, which may be up to
    14 hours from UTC, and a deploy may run past midnight: so the window runs from 14 hours
    before the day until 12 hours after the next one."""
    when = datetime.fromisoformat(stamped)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    midnight = datetime.combine(day, time(0), UTC)
    if timedelta(hours=-14) <= when - midnight < timedelta(days=2, hours=12):
        return []
    return [
        f"the time-stamp is from {stamped}, not on the announcement day {day.isoformat()}: "
        "it proves the text existed then, not that it was announced that day"
    ]


def _site_problems(site_url: str, record: Any) -> list[str]:
    """A receipt obtained by another site (a staging site) for the same texts the same day
    proves nothing about this site's readers."""
    if not (site_url and isinstance(record, Mapping)) or record.get("site_url") == site_url:
        return []
    return [f"the receipt is for another site ({record.get('site_url')!r})"]


def _record_problems(record: Any, recorded: Recorded, announcement: Announcement) -> list[str]:
    """Why the stamped record is not this announcement: another version, another day, or
    not exactly its texts (every language, each with its SHA-256)."""
    if not isinstance(record, Mapping):
        return ["the receipt stamps no announcement record"]
    problems = []
    version = (record.get("policy"), record.get("effective"))
    if version != (recorded.policy, recorded.effective.isoformat()):
        problems.append(f"the receipt is for another version ({' '.join(map(str, version))})")
    if record.get("announced") != announcement.day.isoformat():
        problems.append("the receipt is for another announcement day")
    stamped = {lang: sha256 for lang, (_, sha256) in _stamped_files(record).items()}
    texts = announcement.texts or {}
    for lang in sorted(set(stamped) | set(texts)):
        if lang not in stamped:
            problems.append(f"the receipt does not cover the {lang} text")
        elif stamped[lang] != texts.get(lang):
            problems.append(f"the receipt's {lang} text is not the one announced")
    return problems


def verify_site(source: str, ca: Path, repo_root: Path | None) -> list[Outcome]:
    """Every receipt of the site at `source`, checked against the roots in `ca`."""
    try:
        roots = receipts.load_roots(ca)
    except (OSError, ValueError) as exc:
        raise CannotRun(
            Finding(
                "usage",
                str(ca),
                f"no certificate could be read ({exc})",
                "give the authority's root certificate (PEM) with --ca",
            )
        ) from None
    out = []
    ledger = site_ledger(source)
    for recorded, announcement, receipt in site_receipts(ledger):
        proof, problems = _check(source, roots, repo_root, recorded, announcement, receipt)
        problems += _site_problems(ledger.site_url, receipt.record)
        out.append(
            Outcome(
                recorded.policy,
                recorded.effective.isoformat(),
                announcement.day.isoformat(),
                tuple(sorted(announcement.texts or {})),
                proof,
                tuple(problems),
            )
        )
    return out
