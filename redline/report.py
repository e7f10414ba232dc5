"""What `redline check` and `redline status` print: text, GitHub annotations, Markdown, JSON.

Pure functions from findings and the model to text; the command line decides where it goes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .diff import diff_documents, format_markdown
from .findings import ERROR, WARNING, Finding, errors
from .model import Project, Version
from .rules import Deadline, amendments_under_review, deadline, is_pending, policy_of
from .timeline import Status, timeline


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


def files_of(project: Project, v: Version) -> list[str]:
    """The version's file paths, in the site's language order (default language first)."""
    return [v.files[lang].path for lang in project.languages if lang in v.files]


def changed_deadlines(project: Project) -> list[Deadline]:
    return [deadline(project, v) for v in amendments_under_review(project)]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _days(n: int) -> str:
    return _plural(n, "day")


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
        counts.append(_plural(len(result.errors), "error"))
    if result.warnings:
        counts.append(_plural(len(result.warnings), "warning"))
    verdict = "blocked: " + ", ".join(counts) if result.errors else "passed"
    if not result.errors and result.warnings:
        verdict += " with " + ", ".join(counts)
    return f"redline check {verdict} ({context})"


def describe(d: Deadline, today: date, pr_mode: bool) -> str:
    """One line about a new or changed version: class, notice, earliest date, merge-by."""
    v = d.version
    head = f"{v.policy} {v.slug} (version {v.number})"
    if v.number == 1 or v.imported:
        what = "the policy's first version" if v.number == 1 else "an imported version"
        return f"{head}: {what}, no notice period applies"
    cls = f"{v.change} change" if v.change else "change class not set yet (counted as material)"
    parts = [
        f"{head}: {cls}, needs {_days(d.notice)}' notice",
        f"earliest lawful effective date if merged today {d.earliest.isoformat()}",
    ]
    left = (d.merge_by - today).days
    if left >= 0:
        parts.append(
            f"{'merge' if pr_mode else 'publish'} by {d.merge_by.isoformat()} "
            f"({_days(left)} left) to keep {v.slug}"
        )
    else:
        parts.append(f"too late for {v.slug}: it had to be published by {d.merge_by.isoformat()}")
    return "; ".join(parts)


def text_report(result: CheckResult) -> str:
    lines = [headline(result), ""]
    for f in result.findings:  # already sorted: errors first
        lines.append(f.format())
        lines.append("")
    if result.changed:
        lines.append("New or changed versions:")
        for d in result.changed:
            lines.append("  " + describe(d, result.today, bool(result.base)))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------------------------------
# GitHub Actions


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_prefix(root: Path) -> str:
    """The site's folder relative to the git working tree ('' at the top), for annotations."""
    root = root.resolve()
    for parent in (root, *root.parents):
        if (parent / ".git").exists():
            rel = root.relative_to(parent).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def annotation(f: Finding, prefix: str = "") -> str:
    kind = "error" if f.severity == ERROR else "warning"
    props = [f"file={_escape_property(prefix + f.path)}"]
    if f.line:
        props.append(f"line={f.line}")
    props.append(f"title={_escape_property(f'Redline {f.title}')}")
    message = f"{f.message}\nfix: {f.fix}"
    return f"::{kind} {','.join(props)}::{_escape_data(message)}"


def github_report(result: CheckResult) -> str:
    prefix = repo_prefix(result.project.settings.root) if result.project else ""
    lines = [annotation(f, prefix) for f in result.findings]
    for d in result.changed:
        v = d.version
        title = _escape_property(f"Redline: {v.policy} {v.slug}")
        lines.append(
            f"::notice file={_escape_property(prefix + v.main.path)},title={title}::"
            + _escape_data(describe(d, result.today, bool(result.base)))
        )
    return "\n".join(lines + ["", text_report(result)])


def _cell(text: str) -> str:
    """Text for a Markdown table cell or list item: no HTML from the policy, no line breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def markdown_report(result: CheckResult) -> str:
    """The job summary: verdict, findings table, then each changed version and its redline."""
    icon = "✅" if result.exit_code == 0 else "❌"
    out = [f"# {icon} {headline(result)}", ""]
    if result.findings:
        out += ["| | Rule | File | Problem | Fix |", "|---|---|---|---|---|"]
        for f in result.findings:
            mark = "❌ error" if f.severity == ERROR else "⚠️ warning"
            out.append(
                f"| {mark} | {_cell(f.title)} | `{_cell(f.location)}` | {_cell(f.message)} | {_cell(f.fix)} |"
            )
        out.append("")
    if result.project is None:
        return "\n".join(out)
    for d in result.changed:
        v = d.version
        policy = result.project.policies[v.policy]
        out.append(f"## {v.policy}: version {v.number}, effective {v.slug}")
        out.append("")
        if v.number == 1 or v.imported:
            what = "the policy's first version" if v.number == 1 else "an imported version"
            out.append(f"- Class: {what}, no notice period applies")
        else:
            cls = v.change or "not set yet (counted as material)"
            out.append(f"- Class: **{cls}**, needs {_days(d.notice)}' notice")
            out.append(f"- Reason: {_cell(v.main.reason or '(missing)')}")
            out.append(
                f"- Earliest lawful effective date if merged today: {d.earliest.isoformat()}"
            )
            left = (d.merge_by - result.today).days
            merge = (
                f"**{d.merge_by.isoformat()}** ({_days(left)} left)"
                if left >= 0
                else f"{d.merge_by.isoformat()} (passed: move the effective date)"
            )
            out.append(f"- Merge by: {merge}")
        out.append(f"- Files: {', '.join(f'`{p}`' for p in files_of(result.project, v))}")
        out.append("")
        previous = policy.previous(v)
        if previous is None:
            out += ["The first version of this policy: nothing to compare with.", ""]
            continue
        diff = diff_documents(previous.main.body, v.main.body)
        out.append(f"Changes from version {previous.number} ({previous.slug}):")
        out.append("")
        out.append(
            format_markdown(diff, material_sections=policy.material_sections).strip()
            or "_No change in the text._"
        )
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# JSON


def finding_json(f: Finding) -> dict:
    return {
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity,
        "file": f.path,
        "line": f.line,
        "message": f.message,
        "fix": f.fix,
    }


def version_json(d: Deadline, project: Project) -> dict:
    v = d.version
    return {
        "policy": v.policy,
        "version": v.number,
        "effective": v.slug,
        "change": v.change,
        "reason": v.main.reason,
        "announced": v.announced.isoformat(),
        "pending": is_pending(project, v),
        "notice_days": d.notice,
        "earliest_lawful": d.earliest.isoformat(),
        "merge_by": d.merge_by.isoformat(),
        "lawful": d.lawful,
        "files": files_of(project, v),
    }


def json_report(result: CheckResult) -> str:
    data = {
        "ok": result.exit_code == 0,
        "exit_code": result.exit_code,
        "today": result.today.isoformat(),
        "base": result.base,
        "published_ref": result.branch,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "findings": [finding_json(f) for f in result.findings],
        "changed_versions": [version_json(d, result.project) for d in result.changed]
        if result.project
        else [],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------
# redline status


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def _status_row(project: Project, v: Version, state: str) -> list[str]:
    announced = "today, not merged" if is_pending(project, v) else v.announced.isoformat()
    cls = "first" if v.number == 1 else (v.change or "?")
    if v.imported:
        cls += ", imported"
    return [str(v.number), v.slug, announced, cls, state]


def status_report(project: Project, findings: list[Finding]) -> str:
    today = project.today
    out = [
        f"Policies as of {today.isoformat()} ({project.settings.rel(project.settings.docs_dir)}/)",
        "",
    ]
    by_policy: dict[str | None, list[Finding]] = {}
    for f in findings:
        by_policy.setdefault(policy_of(project, f.path), []).append(f)
    ids = sorted(set(project.policies) | set(project.policy_dirs))
    for pid in ids:
        policy = project.policies.get(pid)
        title = policy.versions[-1].main.title if policy and policy.versions else ""
        out.append(f"{pid}: {title}".rstrip(": "))
        rows = [["VERSION", "EFFECTIVE", "ANNOUNCED", "CLASS", "STATUS"]]
        if policy:
            tl = timeline(policy, today)
            superseded = [e for e in tl.entries if e.status == Status.SUPERSEDED]
            for e in tl.entries:
                if e.status == Status.SUPERSEDED:
                    continue
                v = e.version
                if e.status == Status.IN_FORCE:
                    state = "in force"
                elif is_pending(project, v):
                    state = f"draft: takes effect in {_days(tl.days_left(e))} if merged today"
                else:
                    state = f"announced: takes effect in {_days(tl.days_left(e))}"
                rows.append(_status_row(project, v, state))
            if len(rows) == 1:
                rows.append(["-", "-", "-", "-", "nothing in force yet"])
            out += _table(rows)
            if superseded:
                out.append(
                    f"  ({_plural(len(superseded), 'earlier version')}: "
                    f"redline in-force {pid} DATE, or the archive page)"
                )
        else:
            out.append("  no readable versions")
        problems = by_policy.pop(pid, [])
        blocking = errors(problems)
        if not problems:
            out.append("  gate: ok")
        else:
            out.append(
                f"  gate: {'BLOCKED, ' + _plural(len(blocking), 'error') if blocking else 'ok'}"
                + (
                    f", {_plural(len(problems) - len(blocking), 'warning')}"
                    if len(problems) > len(blocking)
                    else ""
                )
            )
            for f in problems:
                out += ["    " + line for line in f.format().splitlines()]
        out.append("")
    rest = [f for fs in by_policy.values() for f in fs]
    if rest:
        out.append("Other problems:")
        for f in rest:
            out += ["    " + line for line in f.format().splitlines()]
        out.append("")
    if not ids:
        out.append("No policies yet: create policies/<policy>/<YYYY-MM-DD>.md")
    return "\n".join(out).rstrip() + "\n"
