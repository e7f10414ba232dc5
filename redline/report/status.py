"""`redline status`: per policy, the version in force, announced versions and drafts with the
days left, and whatever the gate would block."""

from __future__ import annotations

from ..findings import Finding, errors
from ..model import Policy, Project, Version
from ..rules import policy_of
from ..timeline import Entry, Status, Timeline, timeline
from .result import days, plural


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def _status_row(project: Project, v: Version, state: str) -> list[str]:
    announced = "today, not merged" if v.pending else v.announced.isoformat()
    cls = v.change_class.value
    if v.imported:
        cls += ", imported"
    return [str(v.number), v.slug, announced, cls, state]


def _state(tl: Timeline, e: Entry) -> str:
    if e.status == Status.IN_FORCE:
        return "in force"
    if e.version.pending:
        return f"draft: takes effect in {days(tl.days_left(e))} if merged today"
    return f"announced: takes effect in {days(tl.days_left(e))}"


def _versions(project: Project, policy: Policy) -> list[str]:
    """The versions that still matter (in force, announced, drafts) as a table."""
    tl = timeline(policy, project.today)
    rows = [["VERSION", "EFFECTIVE", "ANNOUNCED", "CLASS", "STATUS"]]
    current = [e for e in tl.entries if e.status != Status.SUPERSEDED]
    rows += [_status_row(project, e.version, _state(tl, e)) for e in current]
    if len(rows) == 1:
        rows.append(["-", "-", "-", "-", "nothing in force yet"])
    out = _table(rows)
    superseded = len(tl.entries) - len(current)
    if superseded:
        out.append(
            f"  ({plural(superseded, 'earlier version')}: "
            f"redline in-force {policy.id} DATE, or the archive page)"
        )
    return out


def _findings(problems: list[Finding]) -> list[str]:
    return ["    " + line for f in problems for line in f.format().splitlines()]


def _gate(problems: list[Finding]) -> list[str]:
    if not problems:
        return ["  gate: ok"]
    blocking = len(errors(problems))
    line = f"  gate: {'BLOCKED, ' + plural(blocking, 'error') if blocking else 'ok'}"
    if len(problems) > blocking:
        line += f", {plural(len(problems) - blocking, 'warning')}"
    return [line, *_findings(problems)]


def status_report(project: Project, findings: list[Finding]) -> str:
    out = [f"Policies as of {project.today.isoformat()} ({project.settings.docs_rel}/)", ""]
    by_policy: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_policy.setdefault(policy_of(project, f.path), []).append(f)
    ids = sorted(set(project.policies) | set(project.policy_dirs))
    for pid in ids:
        policy = project.policies.get(pid)
        title = policy.versions[-1].main.title if policy and policy.versions else ""
        out.append(f"{pid}: {title}".rstrip(": "))
        out += _versions(project, policy) if policy else ["  no readable versions"]
        out += _gate(by_policy.pop(pid, [])) + [""]
    rest = [f for fs in by_policy.values() for f in fs]
    if rest:
        out += ["Other problems:", *_findings(rest), ""]
    if not ids:
        out.append("No policies yet: create policies/<policy>/<YYYY-MM-DD>.md")
    return "\n".join(out).rstrip() + "\n"
