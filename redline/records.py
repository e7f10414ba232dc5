"""Machine-readable records written next to the site: the feeds, `versions.json` (which is
also the published ledger), and the receipts of announcements.

`versions.json` lists every published version of every policy in every language, with
dates, status, class and the SHA-256 of each file's bytes (so a consent record can name
exactly the text a user accepted), and for each version every announcement: each distinct
text and the first day it was live, with its receipt when one was obtained. Versions
withdrawn before they took effect stay on record under `withdrawn`. Without a time-stamping
authority the records are a function of the model as of the build day and nothing else, so
two builds of the same commit on the same day write the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from . import receipts
from .feed import feed_xml
from .ledger import Announcement, Receipt, Recorded
from .model import ChangeClass, Project, Version
from .site import Site
from .timeline import Entry, Timeline
from .urls import Urls, absolute

SCHEMA_VERSION = 1

# Asks a time-stamping authority for a receipt: (record, where it is published) -> Receipt.
Stamp = Callable[[Mapping[str, Any], str], Receipt]


def write_records(
    project: Project,
    site: Site,
    site_dir: Path,
    site_url: str,
    site_names: Mapping[str, str] | None = None,
    stamp: Stamp | None = None,
) -> None:
    """Write every language's `feed.xml`, the site's `versions.json` and every receipt.

    `site_names` (language -> the site's name in it) defaults to the site's configuration:
    `site_name`, overridden per language by the i18n plugin's `site_name`. With `stamp`, every
    text announced by this build gets a receipt.
    """
    settings = project.settings
    if site_names is None:
        site_names = settings.site.site_names
    for lang in settings.languages:
        target = site_dir / Urls(lang, settings.default_language).feed()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(feed_xml(project, site, lang, site_url, site_names.get(lang, "")))
    site_dir.mkdir(parents=True, exist_ok=True)
    document = versions_document(project, site, site_url, stamp)
    (site_dir / "versions.json").write_text(dumps(document), encoding="utf-8", newline="\n")
    for receipt in all_receipts(document):
        target = site_dir / receipt["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(receipts.receipt_file(receipt), encoding="utf-8", newline="\n")


def dumps(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# --- announcements --------------------------------------------------------------------------


def _files(v: Version | Recorded, texts: Mapping[str, str]) -> dict[str, dict[str, str]]:
    paths = {lang: f.path for lang, f in v.files.items()} if isinstance(v, Version) else v.paths
    return {lang: {"path": paths.get(lang, ""), "sha256": sha} for lang, sha in texts.items()}


def stamped(
    v: Version | Recorded, a: Announcement, day: date, site_url: str, stamp: Stamp | None
) -> Announcement:
    """`a`, with a receipt if this build announced it and an authority is at hand."""
    if stamp is None or a.receipt is not None or a.texts is None or a.day != day:
        return a
    files = _files(v, a.texts)
    record = receipts.record(site_url, v.policy, v.effective, a.day, files)
    return replace(
        a, receipt=stamp(record, receipts.receipt_path(v.policy, v.effective, a.day, files))
    )


def announcement_json(a: Announcement) -> dict[str, Any]:
    receipt = None
    if a.receipt is not None:
        r = a.receipt
        receipt = {
            "path": r.path,
            "authority": r.authority,
            "time": r.time,
            "token": r.token,
            "record": r.record,
        }
    return {
        "day": a.day.isoformat(),
        "texts": dict(a.texts) if a.texts else None,
        "receipt": receipt,
    }


def all_receipts(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        a["receipt"]
        for policy in document["policies"]
        for v in [*policy["versions"], *policy.get("withdrawn", [])]
        for a in v.get("announcements", [])
        if a.get("receipt")
    ]


# --- versions.json ------------------------------------------------------------------------


def _languages(project: Project, tl: Timeline, entry: Entry, site_url: str) -> dict[str, Any]:
    settings, v = project.settings, entry.version
    languages = {}
    for lang in settings.languages:
        f = v.files.get(lang)
        if f is None:
            continue  # R4 blocks the build before this; never describe a file that is not there
        urls = Urls(lang, settings.default_language)
        languages[lang] = {
            "title": f.title,
            "reason": f.reason,
            "summary": list(f.summary),
            "url": absolute(site_url, urls.version(v.policy, v.slug)),
            "changes_url": (
                absolute(site_url, urls.changes(v.policy, v.slug)) if tl.previous(entry) else None
            ),
            "path": f.path,
            "sha256": f.sha256,
        }
    return languages


def version_record(
    project: Project, tl: Timeline, entry: Entry, site_url: str, stamp: Stamp | None = None
) -> dict[str, object]:
    v, day = entry.version, tl.day
    announcements = [stamped(v, a, day, site_url, stamp) for a in v.announcements]
    return {
        "number": v.number,
        "effective": v.effective.isoformat(),
        "effective_until": entry.until.isoformat() if entry.until else None,
        "announced": v.announced.isoformat(),
        "announcements": [announcement_json(a) for a in announcements],
        "notice_date": v.notice_date.isoformat() if v.notice_date else None,
        "approval": _approval(v),
        "status": entry.status.value,
        "change": v.change if v.change_class != ChangeClass.FIRST else None,
        "imported": v.imported,
        "languages": _languages(project, tl, entry, site_url),
    }


def _approval(v: Version) -> dict[str, str | None] | None:
    if v.approval is None:
        return None
    by, on = v.approval
    return {"by": by, "on": on.isoformat() if on else None}


def withdrawn_record(project: Project, r: Recorded) -> dict[str, object]:
    """A version the ledger holds that was removed before it took effect: it stays on record."""
    last = next((a for a in reversed(r.announcements) if a.texts), None)
    return {
        "effective": r.effective.isoformat(),
        "status": "withdrawn",
        "withdrawn": (r.withdrawn or project.today).isoformat(),
        "announcements": [announcement_json(a) for a in r.announcements],
        "languages": _files(r, last.texts) if last else {},
    }


def _withdrawn(project: Project) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for r in project.withdrawn():
        out.setdefault(r.policy, []).append(withdrawn_record(project, r))
    return out


def versions_document(
    project: Project, site: Site, site_url: str, stamp: Stamp | None = None
) -> dict[str, object]:
    settings = project.settings
    # A policy the repository no longer has at all keeps its withdrawn announcements too:
    # the public was told of them, and the ledger is the only record of that.
    withdrawn = _withdrawn(project)
    policies = []
    for pid in sorted({*site.timelines, *withdrawn}):
        tl = site.timelines.get(pid)
        entries = tl.entries if tl else []
        if not entries and pid not in withdrawn:
            continue  # nothing published yet: the policy does not exist for the public
        record: dict[str, object] = {
            "id": pid,
            "in_force": tl.in_force.version.number if tl and tl.in_force else None,
            "versions": [version_record(project, tl, e, site_url, stamp) for e in entries],
        }
        if pid in withdrawn:
            record["withdrawn"] = withdrawn[pid]
        policies.append(record)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_for": site.day.isoformat(),
        "site_url": site_url,
        "timezone": settings.timezone.key,
        "languages": list(settings.languages),
        "default_language": settings.default_language,
        "announcements_from": "ledger" if project.ledger is not None else "git",
        "policies": policies,
    }


def versions_json(project: Project, site: Site, site_url: str) -> str:
    return dumps(versions_document(project, site, site_url))
