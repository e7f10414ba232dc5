"""The published ledger: what the live site says was announced, and when.

A commit's date is whatever the committer's clock said, and a merged amendment is public only
once a deploy succeeds. So the site's own `versions.json` is the ledger: for every version it
records each distinct text (the SHA-256 of every language file) and the first day it was
live. Every build reads the ledger that is live now and carries every earlier announcement
forward; a text the ledger does not hold is announced on the build day. A deploy that fails
never goes live, so its announcements are made again, later, by the next one.

SOURCE is a URL or a file of a `versions.json`, `site` for the live site's own
(`site_url` + `versions.json`), or `none` for a site never published. A live `versions.json`
written before the ledger existed (no `announcements`) gives its `announced` days and
SHA-256s as the starting record. A ledger that cannot be read stops the run (exit 2): a
deploy without it would re-date every notice.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .dates import parse_day
from .findings import CannotRun, Finding
from .layout import POLICY_ID
from .site_config import locale_pattern

SCHEMA_VERSION = 1
FETCH_TIMEOUT = 30  # seconds without an answer
DEADLINE = 120  # seconds for a whole answer
MAX_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Receipt:
    """An RFC 3161 time-stamp over an announcement record, published with the site."""

    path: str  # the receipt file, relative to the site root
    authority: str  # the time-stamping authority's address
    time: str  # the time the authority vouches for (ISO 8601, UTC)
    token: str  # the authority's response (DER), base64
    record: Mapping[str, Any] = field(default_factory=dict)  # what the token stamps


@dataclass(frozen=True)
class Announcement:
    """A text of a version going public: every language's SHA-256 (None when only the day is
    known: git history before the ledger), and its receipt if one was obtained."""

    day: date
    texts: Mapping[str, str] | None = None
    receipt: Receipt | None = None


@dataclass(frozen=True)
class Recorded:
    """One version as the ledger records it."""

    policy: str
    effective: date
    announcements: tuple[Announcement, ...]
    paths: Mapping[str, str] = field(default_factory=dict)  # language -> file
    withdrawn: date | None = None  # the day it was withdrawn before it took effect


@dataclass(frozen=True)
class Ledger:
    source: str  # where it was read from, as the user named it
    generated_for: date | None = None
    versions: Mapping[tuple[str, date], Recorded] = field(default_factory=dict)
    site_url: str = ""  # the site that published it ("" when it does not say)

    def get(self, policy: str, effective: date) -> Recorded | None:
        return self.versions.get((policy, effective))


def _stop(source: str, message: str, fix: str) -> CannotRun:
    return CannotRun(Finding("ledger", source, message, fix))


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) address: a ledger or a receipt is never
    read from the machine's files or an FTP server because a server said so."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913
        if not newurl.lower().startswith(("http://", "https://")):
            raise OSError(f"it redirects to {newurl[:200]!r}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnly)


def download(request: urllib.request.Request | str) -> bytes:
    """The body at an http(s) address, for the ledger, a receipt or a time-stamp; OSError
    saying why not. A server may not crash the run (a broken answer), exhaust memory
    (more than MAX_BYTES) or hold it forever: the socket's timeout is per read, so a server
    sending a byte at a time would never time out; the whole exchange runs in a thread that
    is given DEADLINE seconds in all."""
    outcome: list[bytes | OSError] = []
    worker = threading.Thread(target=lambda: outcome.append(_exchange(request)), daemon=True)
    worker.start()
    worker.join(DEADLINE)
    if not outcome:
        raise OSError(f"the answer took more than {DEADLINE} seconds")
    if isinstance(outcome[0], OSError):
        raise outcome[0]
    return outcome[0]


def _exchange(request: urllib.request.Request | str) -> bytes | OSError:
    """The body, or the OSError saying why not (returned: it crosses a thread)."""
    try:
        with _OPENER.open(request, timeout=FETCH_TIMEOUT) as response:
            return _body(response)
    except urllib.error.HTTPError as exc:
        return OSError(f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        return OSError(f"{getattr(exc, 'reason', None) or exc or type(exc).__name__}")


def _body(response: Any) -> bytes:
    """Read at most MAX_BYTES, a chunk at a time."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > MAX_BYTES:
            raise OSError(f"the answer is larger than {MAX_BYTES:,} bytes")
        chunks.append(chunk)
    if getattr(response, "length", None):  # bytes announced but never sent
        raise OSError(f"the answer was cut short ({size} bytes of {size + response.length})")
    return b"".join(chunks)


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "redline"})
    try:
        return download(request)
    except OSError as exc:
        raise _stop(
            url,
            f"the published ledger could not be read: {exc}",
            "check the address and the network, then run again; for a site never published "
            "yet pass `--published none` (REDLINE_PUBLISHED=none)",
        ) from None


def _raw(source: str, site_url: str) -> tuple[str, bytes]:
    if source == "site":
        if not site_url:
            raise _stop(source, "`site` needs the site's address", "set `site_url` in mkdocs.yml")
        source = site_url.rstrip("/") + "/versions.json"
    if source.startswith(("http://", "https://")):
        return source, _fetch(source)
    try:
        return source, Path(source).read_bytes()
    except OSError as exc:
        raise _stop(
            source, f"the published ledger could not be read: {exc.strerror}", "check the path"
        ) from None


def read_ledger(source: str, site_url: str = "", today: date | None = None) -> Ledger:
    """The ledger live at SOURCE for the site at `site_url` as of `today`; CannotRun (exit 2)
    when it cannot be read or understood, or cannot count notice for this site that day."""
    if source == "none":
        return Ledger("none")
    ledger = _parsed(source, site_url)
    _refuse_other_site(ledger, site_url)
    _refuse_earlier_day(ledger, today)
    return ledger


def _refuse_other_site(ledger: Ledger, site_url: str) -> None:
    """Another site's announcements (a staging site, a sister site) were not made to this
    site's readers: counting them would give notice nobody here could see."""
    if not (ledger.site_url and site_url):
        return
    if ledger.site_url.rstrip("/").casefold() != site_url.rstrip("/").casefold():
        raise _stop(
            ledger.source,
            f"the published ledger is the one of {ledger.site_url!r}, not of this site "
            f"({site_url!r}): its announcements were not made to this site's readers",
            "point at this site's own versions.json (`--published site`); if the site moved, "
            "publish once with `--published none` to start a new ledger",
        )


def _refuse_earlier_day(ledger: Ledger, today: date | None) -> None:
    """A run dated before the deploy that is live now would announce texts on a day that
    has already passed without them: back-dating."""
    if today is None or ledger.generated_for is None or today >= ledger.generated_for:
        return
    raise _stop(
        ledger.source,
        f"the published ledger was written for {ledger.generated_for.isoformat()}, after the "
        f"day of this run ({today.isoformat()}): what it announces would be dated before the "
        "deploy that is live now",
        "run as of today (unset --today and REDLINE_TODAY)",
    )


def _parsed(source: str, site_url: str) -> Ledger:
    """The ledger at SOURCE, read and parsed."""
    where, raw = _raw(source, site_url)
    try:
        document = load_json(raw)
    except ValueError as exc:
        raise _stop(
            where,
            f"the published ledger is not JSON ({exc})",
            "point at the site's versions.json, e.g. https://policies.example.com/versions.json",
        ) from None
    try:
        return parse_ledger(where, document)
    except ValueError as exc:
        raise _stop(
            where,
            f"the published ledger is not a Redline versions.json (schema {SCHEMA_VERSION}): {exc}",
            "point at the site's versions.json; if the site moved, publish once with "
            "`--published none` to start a new ledger",
        ) from None


def load_json(raw: bytes) -> Any:
    """UTF-8 JSON as Python data; ValueError for anything else, also for nesting too deep or
    a number too long for Python to read. A key given twice is refused: one reader (a person,
    a browser) would see the first value and the gate the last. NaN and Infinity are not
    JSON."""
    try:
        return json.loads(
            raw.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_not_json
        )
    except RecursionError:
        raise ValueError("it is nested too deeply") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {twice!r} is given twice in one object")
    return out


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


def _day(value: Any) -> date:
    day = parse_day(value)
    if day is None:
        raise ValueError(f"{value!r} is not a date")
    return day


RECEIPT_PATH = re.compile(r"receipts/[a-z0-9][a-z0-9_-]*/\d{4}-\d{2}-\d{2}/[\w.-]+\.json")


SHA256 = re.compile(r"[0-9a-f]{64}")
FILE_PATH = re.compile(r"(?!.*(?:^|/)\.\.?(?:/|$))[\w.-]+(?:/[\w.-]+)*")


def _language(lang: Any) -> str:
    """A language code as the site configuration writes one: the ledger's keys reach pages,
    feeds and the terminal."""
    if not isinstance(lang, str) or not locale_pattern().fullmatch(lang):
        raise ValueError(f"{lang!r} is not a language code")
    return lang


def _sha256(value: Any) -> str:
    if not isinstance(value, str) or not SHA256.fullmatch(value):
        raise ValueError(f"{value!r} is not a SHA-256")
    return value


def _path(value: Any) -> str:
    """A file of the repository as Redline records it: relative, inside, no markup."""
    if not isinstance(value, str) or not FILE_PATH.fullmatch(value):
        raise ValueError(f"{value!r} is not a file of the repository")
    return value


def _texts(value: Any) -> dict[str, str] | None:
    """An announcement's texts: language -> SHA-256 (None: only the day is known)."""
    if not value:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"an announcement's texts {value!r} are not SHA-256s by language")
    return {_language(lang): _sha256(sha) for lang, sha in value.items()}


def _receipt(data: Any) -> Receipt | None:
    if not data:
        return None
    if not RECEIPT_PATH.fullmatch(str(data["path"])):
        raise ValueError(f"a receipt's address {data['path']!r} is not one Redline writes")
    return Receipt(
        str(data["path"]),
        str(data["authority"]),
        str(data["time"]),
        str(data["token"]),
        dict(data["record"]),
    )


def _announcements(version: Mapping) -> tuple[Announcement, ...]:
    """The version's announcements; for a versions.json from before the ledger, its
    `announced` day with the texts it lists (the starting record)."""
    if "announcements" in version:
        return tuple(
            Announcement(
                _day(a["day"]),
                _texts(a.get("texts")),
                _receipt(a.get("receipt")),
            )
            for a in version["announcements"]
        )
    texts = {_language(lang): _sha256(f["sha256"]) for lang, f in version["languages"].items()}
    return (Announcement(_day(version["announced"]), texts),)


def _in_order(announcements: tuple[Announcement, ...], written: date) -> None:
    """Each deploy adds its announcements after the earlier ones, on the day it was built:
    a day earlier than the one before it, or after the ledger was written, was not."""
    days = [a.day for a in announcements]
    if days != sorted(days) or (days and days[-1] > written):
        raise ValueError(
            f"announcement days {', '.join(d.isoformat() for d in days)} are not in order "
            f"or are after the ledger's day {written.isoformat()}"
        )


def _receipts_in_place(
    policy: str, effective: date, announcements: tuple[Announcement, ...]
) -> None:
    """Each build rewrites every receipt at its path: a receipt filed under another version
    or day would overwrite that announcement's own receipt file."""
    for a in announcements:
        place = f"receipts/{policy}/{effective.isoformat()}/{a.day.isoformat()}-"
        if a.receipt and not a.receipt.path.startswith(place):
            raise ValueError(f"the receipt {a.receipt.path!r} is not filed under {place}")


def _recorded(policy: str, version: Mapping, written: date) -> Recorded:
    paths = {
        _language(lang): _path(f["path"]) for lang, f in (version.get("languages") or {}).items()
    }
    withdrawn = version.get("withdrawn")
    effective = _day(version["effective"])
    announcements = _announcements(version)
    _in_order(announcements, written)
    _receipts_in_place(policy, effective, announcements)
    return Recorded(
        policy,
        effective,
        announcements,
        paths,
        _day(withdrawn) if withdrawn else None,
    )


def parse_ledger(where: str, document: Any) -> Ledger:
    """The ledger in a versions.json document (read from `where`); ValueError saying what
    is not as Redline writes it."""
    try:
        return _ledger(where, document)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(str(exc)) from None


def _ledger(where: str, document: Mapping) -> Ledger:
    if document.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"schema_version is {document.get('schema_version')!r}")
    written = _day(document["generated_for"])
    versions: dict[tuple[str, date], Recorded] = {}
    for policy in document["policies"]:
        pid = policy["id"]
        if not isinstance(pid, str) or not POLICY_ID.match(pid):
            raise ValueError(f"{pid!r} is not a policy id")
        for version in [*policy["versions"], *policy.get("withdrawn", [])]:
            recorded = _recorded(pid, version, written)
            if (pid, recorded.effective) in versions:  # only one record may count
                raise ValueError(f"version {recorded.effective} of {pid} is recorded twice")
            versions[(pid, recorded.effective)] = recorded
    site = document.get("site_url") or ""
    if not isinstance(site, str):
        raise ValueError(f"site_url {site!r} is not an address")
    return Ledger(where, written, versions, site)
