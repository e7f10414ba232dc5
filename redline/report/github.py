"""`redline check --format github`: workflow-command annotations, then the text report.

GitHub's runner obeys any line of a job's output that starts with `::` (`::add-mask::`,
`::stop-commands::`, `::error ...`), and policy text, front-matter keys and file names reach
this output. So: every value in an annotation is escaped as GitHub documents (`%`, CR, LF,
and in properties `:` and `,`) with its control characters made visible, and everything
after the annotations is printed between `::stop-commands::<token>` and `::<token>::` with a
token nobody can guess, so that no line of it is obeyed.
"""

from __future__ import annotations

import secrets

from ..findings import ERROR, Finding
from ..visible import visible
from .result import CheckResult, describe
from .text import text_report


def _escape_data(text: str) -> str:
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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


def inert(text: str, token: str | None = None) -> str:
    """`text` printed so that the runner obeys none of its lines."""
    token = token or secrets.token_hex(16)
    return f"::stop-commands::{token}\n{text.rstrip(chr(10))}\n::{token}::\n"


def github_report(result: CheckResult) -> str:
    """Annotations on the files (paths from the top of the repository), then the text."""
    prefix = result.project.history.site_prefix if result.project else ""
    lines = [annotation(f, prefix) for f in result.findings]
    for d in result.changed:
        v = d.version
        title = _escape_property(f"Redline: {v.policy} {v.slug}")
        lines.append(
            f"::notice file={_escape_property(prefix + v.main.path)},title={title}::"
            + _escape_data(describe(d, result.today, bool(result.base)))
        )
    if result.project is None:
        return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n" + inert(text_report(result))
