"""The model: policies and their versions, joined with their git history.

Built once per run from files + git, then read by the rules, the timeline and the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .config import Settings, load_settings
from .findings import Finding
from .history import History, read_history
from .sources import VersionFile, load_sources


@dataclass(frozen=True)
class Version:
    policy: str
    effective: date
    number: int
    files: dict[str, VersionFile]  # by language
    announced: date
    imported: bool
    default_language: str

    @property
    def main(self) -> VersionFile:
        """The authoritative text (default language), or any language if it is missing."""
        return self.files.get(self.default_language) or next(iter(self.files.values()))

    @property
    def change(self) -> str | None:
        return self.main.change

    @property
    def is_material(self) -> bool:
        return self.change == "material"

    def file(self, lang: str) -> VersionFile:
        return self.files.get(lang) or self.main

    def title(self, lang: str) -> str:
        return self.file(lang).title

    def reason(self, lang: str) -> str | None:
        return self.file(lang).reason or self.main.reason

    @property
    def slug(self) -> str:
        return self.effective.isoformat()


@dataclass(frozen=True)
class Policy:
    id: str
    versions: tuple[Version, ...]  # oldest first
    material_sections: tuple[str, ...] = ()

    def previous(self, version: Version) -> Version | None:
        i = version.number - 1
        return self.versions[i - 1] if i > 0 else None

    def next(self, version: Version) -> Version | None:
        i = version.number
        return self.versions[i] if i < len(self.versions) else None

    def version(self, slug: str) -> Version | None:
        return next((v for v in self.versions if v.slug == slug), None)


@dataclass
class Project:
    settings: Settings
    history: History
    policies: dict[str, Policy]
    findings: list[Finding] = field(default_factory=list)  # from loading: R4/R5
    policy_dirs: list[str] = field(default_factory=list)

    @property
    def today(self) -> date:
        return self.history.today

    @property
    def languages(self) -> tuple[str, ...]:
        return self.settings.languages


def build_policies(
    settings: Settings, files: list[VersionFile], history: History
) -> dict[str, Policy]:
    grouped: dict[str, dict[date, dict[str, VersionFile]]] = {}
    for f in files:
        grouped.setdefault(f.policy, {}).setdefault(f.effective, {})[f.lang] = f
    policies: dict[str, Policy] = {}
    for pid, by_date in sorted(grouped.items()):
        versions = []
        for number, (effective, langs) in enumerate(sorted(by_date.items()), start=1):
            announced = max(history.announced(f.path) for f in langs.values())
            imported = settings.adopted is not None and effective < settings.adopted
            versions.append(
                Version(
                    pid, effective, number, langs, announced, imported, settings.default_language
                )
            )
        policies[pid] = Policy(pid, tuple(versions), settings.policy(pid).material_sections)
    return policies


def load_project(settings: Settings, today: date, base: str | None = None) -> Project:
    """Files + git -> model. Raises CannotRun when there is no usable history (R6)."""
    history = read_history(
        settings.root, settings.docs_dir, settings.timezone, today, base, settings.branch
    )
    sources = load_sources(settings)
    policies = build_policies(settings, sources.files, history)
    return Project(settings, history, policies, sources.findings, sources.policy_dirs)


def load(config_file: Path, today: date, base: str | None = None) -> Project:
    return load_project(load_settings(config_file), today, base)
