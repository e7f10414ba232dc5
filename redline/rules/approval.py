"""R8 approval recorded: with `extra.redline.require_approval`, every version still being
decided says who approved its text and when (front matter `approved_by`, `approved_on`, in
the authoritative language), approved no later than it was announced."""

from __future__ import annotations

from ..findings import Finding
from ..model import Project, Version
from .common import fmt


def _problem(project: Project, v: Version) -> str | None:
    approval = v.approval
    if approval is None or approval[1] is None:
        return "the version does not say who approved it and when"
    on = approval[1]
    if on > project.today:
        return f"`approved_on: {fmt(on)}` is in the future"
    if on > v.announced and not v.pending:
        return f"it was approved on {fmt(on)}, after it was announced on {fmt(v.announced)}"
    return None


def r8_approval(project: Project) -> list[Finding]:
    if not project.settings.require_approval:
        return []
    out = []
    for v in project.versions:
        if v.imported or not project.is_open(v):
            continue  # imported history predates the rule; versions in force are frozen (R3)
        problem = _problem(project, v)
        if problem:
            out.append(
                Finding(
                    "R8",
                    v.main.path,
                    problem + " (this site requires an approval record)",
                    "add `approved_by:` (who approved it, e.g. 개인정보 보호책임자 홍길동) and "
                    "`approved_on: YYYY-MM-DD` (the day of the approval, before it is announced)",
                    v.main.key_lines.get("approved_by", 2),
                )
            )
    return out
