"""What several rules say the same way: dates, days, the rename fix, the `adopted` hint."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..layout import split_docs_path
from ..model import Project, Version


def fmt(day: date) -> str:
    return day.isoformat()


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def pending_versions(project: Project) -> list[Version]:
    return project.pending_versions()


def policy_of(project: Project, path: str) -> str | None:
    """The policy folder a path (as findings name it) belongs to, if any."""
    parts = split_docs_path(path, project.settings.docs_rel)
    if parts is None:
        return None
    return parts[0] if len(parts) > 1 or parts[0] in project.policy_dirs else None


def rename_fix(version: Version, day: date) -> str:
    names = ", ".join(f"`{Path(p).name}`" for p in version.paths)
    return f"rename {names} to {fmt(day)} or later"


def adopted_hint(project: Project, version: Version) -> str:
    """For a version already in force that fails R1/R2: it may be history that predates the
    rules, which `adopted` exempts."""
    if version.effective > project.today or version.pending:
        return ""
    return (
        "; it is already in force and frozen (R3), so if it predates these rules "
        f"set `extra.redline.adopted` to a date after {fmt(version.effective)}"
    )
