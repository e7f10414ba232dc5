"""Redline's settings: `extra.redline` of a site, validated, with what it needs of the site.

The command line gets the site from `site_config.read_site_config` (mkdocs.yml read without
MkDocs); the build gets it from what MkDocs resolved. Either way `settings_from` validates
`extra.redline` against the same schema, so both judge with the same settings. A mistake
stops everything (exit 2) naming the key and the fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import parse_day
from .findings import CannotRun, Finding
from .history import git_reader
from .site_config import SiteConfig, read_site_config, validate

DEFAULT_NOTICE_DAYS = {"minor": 7, "material": 30}
DEFAULT_TIMEZONE = "Asia/Seoul"
CHANGE_CLASSES = ("minor", "material")


@dataclass(frozen=True)
class PolicySettings:
    id: str
    material_sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    site: SiteConfig
    timezone: ZoneInfo
    notice_days: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_NOTICE_DAYS))
    adopted: date | None = None
    policies: Mapping[str, PolicySettings] = field(default_factory=dict)
    branch: str | None = None
    require_approval: bool = False  # every new version records who approved it (R8)
    prevailing_notice: bool = True  # translations say the default language's text prevails
    timestamping_url: str | None = None  # the RFC 3161 authority that stamps announcements
    timestamping_ca: Path | None = None  # its root certificate, to verify receipts
    contact: str | None = None  # where users object to an amendment (email or web address)
    pdf: bool = False  # publish a PDF of every version with the site

    @property
    def root(self) -> Path:
        return self.site.root

    @property
    def docs_dir(self) -> Path:
        return self.site.docs_dir

    @property
    def config_file(self) -> Path:
        return self.site.config_file

    @property
    def languages(self) -> tuple[str, ...]:
        return self.site.languages

    @property
    def default_language(self) -> str:
        return self.site.default_language

    @property
    def site_url(self) -> str:
        return self.site.site_url

    @property
    def docs_rel(self) -> str:
        """docs_dir as the user sees it, relative to the site's folder."""
        return self.rel(self.docs_dir)

    def policy(self, policy_id: str) -> PolicySettings:
        return self.policies.get(policy_id) or PolicySettings(policy_id)

    @cached_property
    def _root(self) -> str:
        return str(self.root.resolve()) + os.sep

    def rel(self, path: Path) -> str:
        """A path as the user sees it: relative to the site's folder, with slashes."""
        text = str(path)
        if not (path.is_absolute() and text.startswith(self._root)) or ".." in path.parts:
            text = str(path.resolve())
        if text.startswith(self._root):
            return Path(text[len(self._root) :]).as_posix()
        return "." if text + os.sep == self._root else path.as_posix()


def _stop(site: SiteConfig, message: str, fix: str, needle: str) -> CannotRun:
    return CannotRun(Finding("config", site.config_file.name, message, fix, site.line_of(needle)))


def _timezone(site: SiteConfig, name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _stop(
            site,
            f"extra.redline.timezone {name!r} is not a known time zone",
            "use an IANA name such as Asia/Seoul or Europe/Berlin",
            "timezone:",
        ) from None


NOT_IN_AN_ADDRESS = re.compile(r'[\s"<>\\^`{|}]')


def _site_url(site: SiteConfig) -> None:
    """Refuse a site_url holding a character no address holds: MkDocs' themes print it into
    every page unescaped (the canonical link), so `"><script>` there runs on every page.
    Checked here, where the command line and the build both pass."""
    bad = NOT_IN_AN_ADDRESS.search(site.site_url or "")
    if bad is None:
        return
    raise _stop(
        site,
        f"site_url {site.site_url!r} holds {bad.group()!r}, which no web address holds",
        "write the site's address, e.g. `site_url: https://policies.example.com/` "
        "(%-escape any other character)",
        "site_url:",
    )


def _timestamping(site: SiteConfig, raw: Mapping | None) -> dict:
    if not raw:
        return {}
    ca = raw.get("ca")
    return {
        "timestamping_url": str(raw["url"]),
        "timestamping_ca": (site.root / str(ca)).resolve() if ca else None,
    }


def _pdf(configured: object) -> bool:
    """`extra.redline.pdf`, unless $REDLINE_PDF says otherwise: 1 turns PDFs on, 0 off."""
    env = os.environ.get("REDLINE_PDF", "").strip()
    if not env:
        return bool(configured)
    if env not in ("0", "1"):
        raise CannotRun(
            Finding(
                "config",
                "REDLINE_PDF",
                f"REDLINE_PDF is {env!r}, neither 1 nor 0",
                "set REDLINE_PDF=1 to publish a PDF of every version, REDLINE_PDF=0 not to, "
                "or leave it unset to follow `extra.redline.pdf`",
            )
        )
    return env == "1"


def settings_from(site: SiteConfig) -> Settings:
    """Validate the site's `extra.redline`; configuration mistakes stop everything (exit 2)."""
    raw = site.redline
    validate(raw, "#/$defs/redline", "extra.redline", site.config_file, site.text)
    _site_url(site)
    raw = dict(raw or {})
    adopted = None
    if raw.get("adopted") is not None:
        adopted = parse_day(raw["adopted"])
        if adopted is None:
            raise _stop(
                site,
                f"extra.redline.adopted {raw['adopted']!r} is not a day that exists",
                "write a real day as YYYY-MM-DD",
                "adopted:",
            )
    policies = {
        str(pid): PolicySettings(
            str(pid), tuple(map(str, (opts or {}).get("material_sections") or ()))
        )
        for pid, opts in (raw.get("policies") or {}).items()
    }
    return Settings(
        site=site,
        timezone=_timezone(site, str(raw.get("timezone") or DEFAULT_TIMEZONE)),
        notice_days={**DEFAULT_NOTICE_DAYS, **(raw.get("notice_days") or {})},
        adopted=adopted,
        policies=policies,
        branch=str(raw["branch"]) if raw.get("branch") else None,
        require_approval=bool(raw.get("require_approval", False)),
        prevailing_notice=bool(raw.get("prevailing_language_notice", True)),
        contact=str(raw["contact"]) if raw.get("contact") else None,
        pdf=_pdf(raw.get("pdf")),
        **_timestamping(site, raw.get("timestamping")),
    )


def settings_at(settings: Settings, ref: str) -> Settings:
    """The settings as they are on `ref` (the branch a pull request is merged into), which
    judge the pull request: it cannot lower its own bar. The working tree's when `ref` has
    no configuration yet (the pull request creates the site)."""
    read = git_reader(settings.root, ref)
    if read(settings.config_file) is None:
        return settings
    return settings_from(read_site_config(settings.config_file, read))


def load_settings(config_file: Path) -> Settings:
    """Settings from a mkdocs.yml file, for the command line."""
    return settings_from(read_site_config(config_file))
