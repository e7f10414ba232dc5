"""R1 notice window: every version but the first is announced at least notice_days[change]
before its effective date (7 days minor, 30 material by default)."""

from __future__ import annotations

from ..findings import Finding
from ..model import Project, Version
from ..notice import Deadline, deadline
from .common import adopted_hint, days, fmt, rename_fix


def _announced_when(project: Project, version: Version) -> str:
    when = (
        f"if announced today, {fmt(project.today)}"
        if version.pending
        else f"announced {fmt(version.announced)}"
    )
    first = version.first_announced
    if first < version.announced:
        when += (
            f"; its text was first announced on {fmt(first)} and then changed, and a changed "
            "text is a new announcement: the notice period starts again"
        )
    return when


def _merge_by_hint(project: Project, d: Deadline) -> str:
    version = d.version
    if not (project.history.base and version.pending):
        return ""
    if d.merge_by >= project.today:
        return f"; or merge by {fmt(d.merge_by)} to keep {fmt(version.effective)}"
    return (
        f"; keeping {fmt(version.effective)} needed the merge by "
        f"{fmt(d.merge_by)}, which has passed"
    )


def r1_notice_window(project: Project) -> list[Finding]:
    """R1: effective - announced >= notice_days[change], for every version but the first."""
    out = []
    for version in project.versions:
        if version.exempt or version.change is None or version.effective < version.announced:
            continue  # unclassified versions are R5's, retroactive ones R5's or R3's
        d = deadline(project, version)
        if d.lawful:
            continue
        fix = (
            f"the earliest lawful effective date is {fmt(d.earliest)}"
            f"{' if merged today' if version.pending else ''}: {rename_fix(version, d.earliest)}"
        )
        fix += adopted_hint(project, version) + _merge_by_hint(project, d)
        out.append(
            Finding(
                "R1",
                version.main.path,
                f"a {version.change} amendment needs {days(d.notice)}' notice, but "
                f"effective {fmt(version.effective)} it gets {days(d.given)} "
                f"({_announced_when(project, version)})",
                fix,
                version.main.line_of("change"),
            )
        )
    return out
