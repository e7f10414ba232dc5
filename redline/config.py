"""Redline's settings: `extra.redline` in mkdocs.yml plus the languages of the i18n plugin.

Read without MkDocs (the command line needs them too), so mkdocs.yml is parsed with
ruamel.yaml's round-trip loader, which tolerates MkDocs' custom tags (`!ENV`,
`!!python/name:`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .findings import CannotRun, Finding

DEFAULT_NOTICE_DAYS = {"minor": 7, "material": 30}
DEFAULT_TIMEZONE = "Asia/Seoul"
CHANGE_CLASSES = ("minor", "material")
POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class PolicySettings:
    id: str
    material_sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    root: Path
    docs_dir: Path
    config_file: Path
    timezone: ZoneInfo
    languages: tuple[str, ...]
    notice_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_NOTICE_DAYS))
    adopted: date | None = None
    policies: dict[str, PolicySettings] = field(default_factory=dict)
    branch: str | None = None
    site_url: str = ""
    language_names: dict[str, str] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def policy(self, policy_id: str) -> PolicySettings:
        return self.policies.get(policy_id) or PolicySettings(policy_id)

    def rel(self, path: Path) -> str:
        """A path as the user sees it: relative to the repository root, with slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def _config_error(config_file: Path, message: str, fix: str, line: int | None = None) -> CannotRun:
    return CannotRun(Finding("config", config_file.name, message, fix, line))


def _as_date(value: Any, config_file: Path, key: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _config_error(
            config_file, f"extra.redline.{key} is not a date: {value!r}", "write it as YYYY-MM-DD"
        ) from None


def i18n_languages(plugins: Any) -> tuple[list[str], dict[str, str]]:
    """Languages of the static-i18n plugin (default first) from mkdocs.yml's `plugins` list."""
    entries = plugins if isinstance(plugins, list) else [plugins] if plugins else []
    for entry in entries:
        if isinstance(entry, dict) and "i18n" in entry:
            langs = (entry["i18n"] or {}).get("languages") or []
            ordered = sorted(langs, key=lambda lang: not lang.get("default", False))
            codes = [str(lang["locale"]) for lang in ordered if lang.get("build", True)]
            names = {str(lang["locale"]): str(lang.get("name", lang["locale"])) for lang in langs}
            return codes, names
    return [], {}


def settings_from(
    redline: dict | None,
    *,
    root: Path,
    docs_dir: Path,
    config_file: Path,
    languages: list[str],
    language_names: dict[str, str] | None = None,
    site_url: str = "",
) -> Settings:
    """Validate `extra.redline`; configuration mistakes stop everything (exit 2)."""
    redline = dict(redline or {})
    known = {"timezone", "notice_days", "adopted", "policies", "branch"}
    unknown = sorted(set(redline) - known)
    if unknown:
        raise _config_error(
            config_file,
            f"unknown key(s) under extra.redline: {', '.join(unknown)}",
            f"remove them or check the spelling (known: {', '.join(sorted(known))})",
        )
    tz_name = str(redline.get("timezone") or DEFAULT_TIMEZONE)
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _config_error(
            config_file,
            f"extra.redline.timezone {tz_name!r} is not a known time zone",
            "use an IANA name such as Asia/Seoul or Europe/Berlin",
        ) from None
    notice = dict(DEFAULT_NOTICE_DAYS)
    for key, value in dict(redline.get("notice_days") or {}).items():
        if key not in CHANGE_CLASSES or not isinstance(value, int) or value < 0:
            raise _config_error(
                config_file,
                f"extra.redline.notice_days.{key}: {value!r} is not valid",
                "use the keys minor and material with whole numbers of days",
            )
        notice[key] = value
    policies: dict[str, PolicySettings] = {}
    for pid, options in dict(redline.get("policies") or {}).items():
        options = dict(options or {})
        sections = options.get("material_sections") or []
        if not isinstance(sections, list):
            raise _config_error(
                config_file,
                f"extra.redline.policies.{pid}.material_sections is not a list",
                "write it as a list of heading ids, e.g. [collected-items, retention]",
            )
        policies[str(pid)] = PolicySettings(str(pid), tuple(str(s) for s in sections))
    return Settings(
        root=root,
        docs_dir=docs_dir,
        config_file=config_file,
        timezone=tz,
        languages=tuple(languages) or ("en",),
        notice_days=notice,
        adopted=_as_date(redline.get("adopted"), config_file, "adopted"),
        policies=policies,
        branch=str(redline["branch"]) if redline.get("branch") else None,
        site_url=site_url or "",
        language_names=dict(language_names or {}),
    )


def load_settings(config_file: Path) -> Settings:
    """Settings from a mkdocs.yml file, for the command line."""
    config_file = config_file.resolve()
    if not config_file.is_file():
        raise CannotRun(
            Finding(
                "config",
                str(config_file),
                "no mkdocs.yml here",
                "run the command in the site's folder or pass --config-file PATH",
            )
        )
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8")) or {}
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _config_error(
            config_file,
            f"mkdocs.yml does not parse: {getattr(exc, 'problem', exc)}",
            "fix the YAML syntax at that line",
            mark.line + 1 if mark else None,
        ) from None
    root = config_file.parent
    docs_dir = (root / str(data.get("docs_dir", "docs"))).resolve()
    languages, names = i18n_languages(data.get("plugins"))
    if not languages:
        theme = data.get("theme")
        lang = theme.get("language") if isinstance(theme, dict) else None
        languages = [str(lang or "en")]
    extra = data.get("extra") or {}
    return settings_from(
        extra.get("redline"),
        root=root,
        docs_dir=docs_dir,
        config_file=config_file,
        languages=languages,
        language_names=names,
        site_url=str(data.get("site_url") or ""),
    )
