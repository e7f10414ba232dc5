"""The model: policies and their versions, joined with their git history.

Built once per run from files + git, then read by the rules, the timeline and the pages.
Every fact about a version that more than one reader needs is a property here (its class,
whether it is exempt from notice, whether it is part of the change under review, when it
was announced), so that no reader works it out again with its own defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from . import publication
from .config import Settings, settings_at
from .findings import Finding
from .history import History, read_history
from .inventory import load_inventory
from .layout import home_file_name
from .ledger import Announcement, Ledger, Recorded
from .sources import VersionFile


class ChangeClass(StrEnum):
    """What kind of version this is, as every page, record and report names it."""

    FIRST = "first"  # a policy's first version: nothing to give notice of
    MINOR = "minor"
    MATERIAL = "material"
    UNSET = "unset"  # `change:` missing or empty: R5 blocks it; held to the longer notice


@dataclass(frozen=True)
class Version:
    policy: str
    effective: date
    number: int
    files: dict[str, VersionFile]  # by language
    default_language: str
    imported: bool  # effective before `adopted`: history that predates Redline
    announcements: tuple[Announcement, ...]  # oldest first; the last is the current text's
    pending: bool  # part of the change under review (pull request or working tree)
    was_published: bool  # some text of it is on the published branch

    @property
    def announced(self) -> date:
        """The day its current text became public (today while it is not yet)."""
        return self.announcements[-1].day

    @property
    def notice_date(self) -> date | None:
        """The day users were given notice: the current text's announcement; for imported
        history, only what its front matter says (`announced:`), never the day the file was
        added to the repository (None: unknown)."""
        return self.main.notice_date if self.imported else self.announced

    @property
    def approval(self) -> tuple[str, date | None] | None:
        """Who approved the text, and when (the authoritative file's `approved_by`/`_on`)."""
        return (self.main.approved_by, self.main.approved_on) if self.main.approved_by else None

    @property
    def first_announced(self) -> date:
        """The day any text of it first became public: retroactivity is judged from it."""
        return self.announcements[0].day

    @property
    def main(self) -> VersionFile:
        """The authoritative text (default language), or any language if it is missing."""
        return self.files.get(self.default_language) or next(iter(self.files.values()))

    @property
    def change(self) -> str | None:
        """`change:` as the authoritative text writes it (None when missing)."""
        return self.main.change

    @property
    def change_class(self) -> ChangeClass:
        if self.number == 1:
            return ChangeClass.FIRST
        return ChangeClass(self.change) if self.change else ChangeClass.UNSET

    @property
    def notice_class(self) -> str:
        """The class whose notice period applies: an unclassified amendment is held to the
        longer one (material) until it says otherwise."""
        return "minor" if self.change_class == ChangeClass.MINOR else "material"

    @property
    def exempt(self) -> bool:
        """No notice period applies: the first version has nothing to give notice of, and
        imported versions predate Redline."""
        return self.number == 1 or self.imported

    @property
    def paths(self) -> list[str]:
        """Its files, the authoritative one first."""
        return [f.path for f in sorted(self.files.values(), key=lambda f: f is not self.main)]

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
    disk: dict[str, str] = field(default_factory=dict)  # path -> git blob: policy files, links
    assets: list[str] = field(default_factory=list)  # docs-relative files published as they are
    ledger: Ledger | None = None  # the published ledger, when the run was given one
    homes: dict[str, str] = field(default_factory=dict)  # the home pages: path -> text

    def recorded_only(self) -> list[Recorded]:
        """Versions the ledger holds that the repository no longer has: withdrawn before
        they took effect, or (R3) removed after."""
        if self.ledger is None:
            return []
        present = {(v.policy, v.effective) for v in self.versions}
        return [r for key, r in sorted(self.ledger.versions.items()) if key not in present]

    def withdrawn(self) -> list[Recorded]:
        """Announced versions removed before they took effect, each with the day it was
        withdrawn (today for one this run first finds gone). The public was told of them, so
        the ledger and the feed keep them on record, whether or not their policy remains."""
        return [
            replace(r, withdrawn=r.withdrawn or self.today)
            for r in self.recorded_only()
            if r.withdrawn is not None or r.effective > self.today
        ]

    @property
    def today(self) -> date:
        return self.history.today

    @property
    def languages(self) -> tuple[str, ...]:
        return self.settings.languages

    @property
    def versions(self) -> list[Version]:
        return [v for policy in self.policies.values() for v in policy.versions]

    def home_pages(self) -> dict[str, str | None]:
        """The editor's home page of each language (`index.md`, `index.<lang>.md`) as the gate
        read it, into which the policy list goes; a language without its own file shares the
        default language's."""
        s = self.settings
        default = s.default_language
        texts = {
            lang: self.homes.get(s.rel(s.docs_dir / home_file_name(lang, default)))
            for lang in s.languages
        }
        return {lang: texts[lang] if texts[lang] is not None else texts[default] for lang in texts}

    def is_open(self, version: Version) -> bool:
        """Whether the version's text is still being decided: not yet in force, or changed
        by the change under review. Versions in force are frozen (R3) and were judged when
        they were announced."""
        return version.effective > self.today or version.pending

    def pending_versions(self) -> list[Version]:
        """Versions with any file new or changed in the change under review."""
        return [v for v in self.versions if v.pending]

    def amendments_under_review(self) -> list[Version]:
        """What the change under review proposes: pending versions not yet in force.

        A pending edit of a version that is already in force is not a proposal but a change
        to frozen history, which R3 reports; it gets no deadline.
        """
        return [
            v for v in self.pending_versions() if v.effective > self.today or not v.was_published
        ]


def _version(
    settings: Settings,
    history: History,
    ledger: Ledger | None,
    number: int,
    langs: dict[str, VersionFile],
    after: date | None = None,
) -> Version:
    files = list(langs.values())
    effective, policy = files[0].effective, files[0].policy
    pending = any(f.path in history.pending for f in files)
    if ledger is None:
        announcements = publication.from_git(files, history, pending)
    else:
        recorded = ledger.get(policy, effective)
        restated = _withdrawn_before(ledger, policy, after, effective, history.today)
        announcements = publication.from_ledger(files, recorded, history.today, pending or restated)
    return Version(
        policy=policy,
        effective=effective,
        number=number,
        files=langs,
        default_language=settings.default_language,
        imported=settings.adopted is not None and effective < settings.adopted,
        announcements=announcements,
        pending=pending,
        was_published=any(history.first_published(f.path) is not None for f in files),
    )


def _withdrawn_before(
    ledger: Ledger, policy: str, after: date | None, effective: date, today: date
) -> bool:
    """Whether this run withdraws an announced version between the previous version on disk
    (`after`) and this one. This version's comparison then changes (it now brings in what
    the withdrawn one said, and takes its number), which its notice never showed: it is
    announced again today, as R3 refuses to insert a version before an announced one. Only
    the version right after the gap is touched; no version on disk lies between the two."""
    return any(
        r.policy == policy
        and r.withdrawn is None
        and today < r.effective < effective
        and (after is None or after < r.effective)
        for r in ledger.versions.values()
    )


def build_policies(
    settings: Settings, files: list[VersionFile], history: History, ledger: Ledger | None = None
) -> dict[str, Policy]:
    grouped: dict[str, dict[date, dict[str, VersionFile]]] = {}
    for f in files:
        grouped.setdefault(f.policy, {}).setdefault(f.effective, {})[f.lang] = f
    policies: dict[str, Policy] = {}
    for pid, by_date in sorted(grouped.items()):
        days = sorted(by_date)
        versions = tuple(
            _version(
                settings,
                history,
                ledger,
                number,
                by_date[day],
                days[number - 2] if number > 1 else None,
            )
            for number, day in enumerate(days, start=1)
        )
        policies[pid] = Policy(pid, versions, settings.policy(pid).material_sections)
    return policies


def load_project(
    settings: Settings, today: date, base: str | None = None, ledger: Ledger | None = None
) -> Project:
    """Files + git (+ the published ledger) -> model. Raises CannotRun when there is no
    usable history (R6).

    With `base` (pull-request mode) the versions are judged by the settings on `base`. With
    a `ledger`, announcements are the ledger's (git's commit dates are only an estimate)."""
    if base:
        settings = settings_at(settings, base)
    history = read_history(
        settings.root, settings.docs_dir, settings.timezone, today, base, settings.branch
    )
    inventory = load_inventory(settings)
    policies = build_policies(settings, inventory.files, history, ledger)
    return Project(
        settings,
        history,
        policies,
        inventory.findings,
        inventory.policy_dirs,
        inventory.disk,
        inventory.assets,
        ledger,
        inventory.homes,
    )
