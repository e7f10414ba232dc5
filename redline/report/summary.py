"""The pull request's job summary, for the legal team who reviews it: in the site's default
language, the verdict, the findings table, then each changed version's facts and its
before/after comparison (the same table as the site's comparison page) in every language,
each language folded (`<details>`), the authoritative one open.

GitHub renders the summary as Markdown with a safe subset of HTML (tables, <details>,
<del>/<ins>); every piece of policy text in it is escaped by the renderers.
"""

from __future__ import annotations

from ..diff import diff_documents
from ..findings import ERROR
from ..locale import day, language_name, t
from ..model import Project, Version
from ..notice import Deadline
from ..pages import comparison_table
from ..visible import visible
from .result import CheckResult, files_of, merge_by


def _cell(text: str) -> str:
    """Text for a Markdown table cell or list item: no HTML or Markdown from the policy, and
    its control characters shown (a bidi override would reorder what the reviewer reads)."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for mark in "[]!|":
        text = text.replace(mark, "\\" + mark)
    return text.replace("\r", "").replace("\n", "<br>")


def _headline(lang: str, result: CheckResult) -> str:
    icon = "✅" if result.exit_code == 0 else "❌"
    verdict = (
        t(lang, "sum_passed")
        if not result.errors
        else t(lang, "sum_blocked", errors=len(result.errors))
    )
    key = "sum_context" if result.base else "sum_context_branch"
    context = t(lang, key, date=day(lang, result.today), base=result.base or result.branch or "-")
    return f"# {icon} {verdict} ({context})"


def _findings_table(lang: str, result: CheckResult) -> list[str]:
    if not result.findings:
        return []
    head = [t(lang, k) for k in ("sum_rule", "sum_file", "sum_problem", "sum_fix")]
    out = [f"| | {' | '.join(head)} |", "|---|---|---|---|---|"]
    for f in result.findings:
        mark = (
            f"❌ {t(lang, 'sum_error')}" if f.severity == ERROR else f"⚠️ {t(lang, 'sum_warning')}"
        )
        out.append(
            f"| {mark} | {_cell(f.title)} | `{_cell(f.location)}` | {_cell(f.message)} | {_cell(f.fix)} |"
        )
    return out + [""]


def _facts(lang: str, result: CheckResult, d: Deadline) -> list[str]:
    v = d.version
    if v.exempt:
        return [
            f"- {t(lang, 'sum_class')}: {t(lang, 'sum_exempt_first' if v.number == 1 else 'sum_exempt_imported')}"
        ]
    left, merge_day = merge_by(d, result.today)
    merge = (
        t(lang, "sum_merge_by_left", date=merge_day, days=left)
        if left >= 0
        else t(lang, "sum_merge_by_passed", date=merge_day)
    )
    return [
        f"- {t(lang, 'sum_class')}: **{t(lang, f'{v.change_class.value}_badge')}**, "
        f"{t(lang, 'sum_needs', days=d.notice)}",
        f"- {t(lang, 'notice_reason')}: {_cell(v.reason(lang) or '-')}",
        f"- {t(lang, 'sum_earliest')}: {d.earliest.isoformat()}",
        f"- {t(lang, 'sum_merge_by')}: **{merge}**",
    ]


def _languages(project: Project, lang: str, v: Version, previous: Version) -> list[str]:
    """Each language's comparison, folded; the default language first and open."""
    policy = project.policies[v.policy]
    out = []
    for other in project.languages:
        if other not in v.files or other not in previous.files:
            continue
        diff = diff_documents(previous.files[other].body, v.files[other].body)
        count = len(diff.listed_sections())
        table = (
            comparison_table(other, diff, previous, v, policy.material_sections) if count else ""
        )
        label = t(lang, "sum_language", language=language_name(lang, other), count=count)
        opened = " open" if other == project.settings.default_language else ""
        body = table or t(lang, "sum_no_change")
        out += [f"<details{opened}><summary>{label}</summary>", "", body, "", "</details>", ""]
    return out


def _version_section(project: Project, result: CheckResult, d: Deadline) -> list[str]:
    lang, v = project.settings.default_language, d.version
    policy = project.policies[v.policy]
    head = t(lang, "sum_version", policy=v.title(lang), n=v.number, date=day(lang, v.effective))
    out = [f"## {_cell(head)}", "", *_facts(lang, result, d)]
    out += [f"- {t(lang, 'sum_files')}: {', '.join(f'`{p}`' for p in files_of(project, v))}", ""]
    previous = policy.previous(v)
    if previous is None:
        return out + [t(lang, "sum_first"), ""]
    compare = t(lang, "sum_compare", n=previous.number, date=day(lang, previous.effective))
    return out + [f"### {compare}", "", *_languages(project, lang, v, previous)]


def markdown_report(result: CheckResult) -> str:
    """The job summary: verdict, findings table, then each changed version and its changes."""
    project = result.project
    lang = project.settings.default_language if project else "en"
    out = [_headline(lang, result), "", *_findings_table(lang, result)]
    if project is not None:
        for d in result.changed:
            out += _version_section(project, result, d)
    return "\n".join(out)
