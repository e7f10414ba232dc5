"""The pull request's job summary: verdict, findings table, each changed version's redline."""

from __future__ import annotations

from ..diff import diff_documents, format_markdown
from ..findings import ERROR
from ..model import Project
from ..notice import Deadline
from .result import CheckResult, class_name, days, exemption, files_of, headline, merge_by


def _cell(text: str) -> str:
    """Text for a Markdown table cell or list item: no HTML from the policy, no line breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _findings_table(result: CheckResult) -> list[str]:
    if not result.findings:
        return []
    out = ["| | Rule | File | Problem | Fix |", "|---|---|---|---|---|"]
    for f in result.findings:
        mark = "❌ error" if f.severity == ERROR else "⚠️ warning"
        out.append(
            f"| {mark} | {_cell(f.title)} | `{_cell(f.location)}` | {_cell(f.message)} | {_cell(f.fix)} |"
        )
    return out + [""]


def _facts(result: CheckResult, d: Deadline) -> list[str]:
    v = d.version
    exempt = exemption(v)
    if exempt:
        return [f"- Class: {exempt}"]
    left, day = merge_by(d, result.today)
    merge = (
        f"**{day}** ({days(left)} left)"
        if left >= 0
        else f"{day} (passed: move the effective date)"
    )
    return [
        f"- Class: **{class_name(v)}**, needs {days(d.notice)}' notice",
        f"- Reason: {_cell(v.main.reason or '(missing)')}",
        f"- Earliest lawful effective date if merged today: {d.earliest.isoformat()}",
        f"- Merge by: {merge}",
    ]


def _version_section(project: Project, result: CheckResult, d: Deadline) -> list[str]:
    v = d.version
    policy = project.policies[v.policy]
    out = [f"## {v.policy}: version {v.number}, effective {v.slug}", ""]
    out += _facts(result, d)
    out += [f"- Files: {', '.join(f'`{p}`' for p in files_of(project, v))}", ""]
    previous = policy.previous(v)
    if previous is None:
        return out + ["The first version of this policy: nothing to compare with.", ""]
    diff = diff_documents(previous.main.body, v.main.body)
    redline = format_markdown(diff, policy.material_sections)
    out += [f"Changes from version {previous.number} ({previous.slug}):", ""]
    return out + [redline.strip() or "_No change in the text._", ""]


def markdown_report(result: CheckResult) -> str:
    """The job summary: verdict, findings table, then each changed version and its redline."""
    icon = "✅" if result.exit_code == 0 else "❌"
    out = [f"# {icon} {headline(result)}", "", *_findings_table(result)]
    if result.project is not None:
        for d in result.changed:
            out += _version_section(result.project, result, d)
    return "\n".join(out)
