"""`redline check`'s text for a terminal: the headline, every finding, then each change."""

from __future__ import annotations

from .result import CheckResult, announcement_source, describe, headline


def text_report(result: CheckResult) -> str:
    source = announcement_source(result)
    lines = [headline(result), *([source] if source else []), ""]
    for f in result.findings:  # already sorted: errors first
        lines.append(f.format())
        lines.append("")
    if result.changed:
        lines.append("New or changed versions:")
        for d in result.changed:
            lines.append("  " + describe(d, result.today, bool(result.base)))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
