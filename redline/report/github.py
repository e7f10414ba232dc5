"""`redline check --format github`: workflow-command annotations, then the text report."""

from __future__ import annotations

from ..findings import ERROR, Finding
from .result import CheckResult, describe
from .text import text_report


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, prefix: str = "") -> str:
    kind = "error" if f.severity == ERROR else "warning"
    props = [f"file={_escape_property(prefix + f.path)}"]
    if f.line:
        props.append(f"line={f.line}")
    props.append(f"title={_escape_property(f'Redline {f.title}')}")
    message = f"{f.message}\nfix: {f.fix}"
    return f"::{kind} {','.join(props)}::{_escape_data(message)}"


def github_report(result: CheckResult) -> str:
    """Annotations on the files (paths from the top of the repository), then the text."""
    if result.project is None:
        return "\n".join(annotation(f) for f in result.findings) + "\n"
    prefix = result.project.history.site_prefix
    lines = [annotation(f, prefix) for f in result.findings]
    for d in result.changed:
        v = d.version
        title = _escape_property(f"Redline: {v.policy} {v.slug}")
        lines.append(
            f"::notice file={_escape_property(prefix + v.main.path)},title={title}::"
            + _escape_data(describe(d, result.today, bool(result.base)))
        )
    return "\n".join(lines + ["", text_report(result)])
