"""One run of the gate, and the sentences every output of it shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..findings import WARNING, Finding, errors
from ..model import ChangeClass, Project, Version
from ..notice import Deadline, deadline


@dataclass
class CheckResult:
    """One run of the gate: the findings and what the change under review introduces."""

    today: date
    findings: list[Finding]
    changed: list[Deadline] = field(default_factory=list)
    base: str | None = None  # pull-request mode
    branch: str | None = None  # what counted as published
    project: Project | None = None  # None when the check could not run

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def exit_code(self) -> int:
        if self.project is None:
            return 2
        return 1 if self.errors else 0


def changed_deadlines(project: Project) -> list[Deadline]:
    return [deadline(project, v) for v in project.amendments_under_review()]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def days(n: int) -> str:
    return plural(n, "day")


def files_of(project: Project, v: Version) -> list[str]:
    """The version's file paths, in the site's language order (default language first)."""
    return [v.files[lang].path for lang in project.languages if lang in v.files]


def exemption(v: Version) -> str | None:
    """Why no notice period applies to the version, or None when one does."""
    if not v.exempt:
        return None
    what = "the policy's first version" if v.number == 1 else "an imported version"
    return f"{what}, no notice period applies"


def class_name(v: Version) -> str:
    """`minor`, `material`, or what an unclassified amendment is held to."""
    if v.change_class == ChangeClass.UNSET:
        return "not set yet (counted as material)"
    return v.change_class.value


def merge_by(d: Deadline, today: date) -> tuple[int, str]:
    """Days left to announce (negative once passed) and the day."""
    return (d.merge_by - today).days, d.merge_by.isoformat()


def headline(result: CheckResult) -> str:
    where = (
        f"pull request against {result.base}"
        if result.base
        else f"as published on {result.branch or 'no branch yet'}"
    )
    context = f"as of {result.today.isoformat()}, {where}"
    if result.project is None:
        return f"redline check could not run ({context})"
    counts = []
    if result.errors:
        counts.append(plural(len(result.errors), "error"))
    if result.warnings:
        counts.append(plural(len(result.warnings), "warning"))
    verdict = "blocked: " + ", ".join(counts) if result.errors else "passed"
    if not result.errors and result.warnings:
        verdict += " with " + ", ".join(counts)
    return f"redline check {verdict} ({context})"


def announcement_source(result: CheckResult) -> str | None:
    """Where the announcement days came from, in one line."""
    project = result.project
    if project is None:
        return None
    if project.ledger is None:
        return (
            f"Announcement days: commit dates on {result.branch or 'no branch'} (an estimate; "
            "with --published the live site's ledger decides)"
        )
    ledger = project.ledger
    when = f", written for {ledger.generated_for.isoformat()}" if ledger.generated_for else ""
    return f"Announcement days: the published ledger ({ledger.source}{when})"


def describe(d: Deadline, today: date, pr_mode: bool) -> str:
    """One line about a new or changed version: class, notice, earliest date, merge-by."""
    v = d.version
    head = f"{v.policy} {v.slug} (version {v.number})"
    exempt = exemption(v)
    if exempt:
        return f"{head}: {exempt}"
    cls = f"{v.change} change" if v.change else "change class not set yet (counted as material)"
    parts = [
        f"{head}: {cls}, needs {days(d.notice)}' notice",
        f"earliest lawful effective date if merged today {d.earliest.isoformat()}",
    ]
    left, day = merge_by(d, today)
    if left >= 0:
        verb = "merge" if pr_mode else "publish"
        parts.append(f"{verb} by {day} ({days(left)} left) to keep {v.slug}")
    else:
        parts.append(f"too late for {v.slug}: it had to be published by {day}")
    return "; ".join(parts)
