"""Version files: their bytes read as text, front matter and body; home pages as MkDocs reads
them.

Parsing never stops at the first mistake: every problem becomes an R5 finding with the file
and line, and the file is left out of the model, so one command reports them all. Which
files are version files is `inventory`'s to say.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .config import CHANGE_CLASSES
from .dates import parse_day
from .findings import WARNING, Finding

PLACEHOLDER = "TODO"  # what `redline new` writes where the editor must decide
UTF8_BOM = b"\xef\xbb\xbf"
# C0 and C1 controls but tab and line breaks, DEL, and the bidirectional overrides that can
# make text read differently from how it is stored ("Trojan Source").
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BAD_DAY = re.compile(r":\s*(\d{4}-\d{2}-\d{2})\b")
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# The safe loader uses ruamel's C extension when installed: 10x faster than round-trip
# parsing, which matters with hundreds of versions. Key lines come from TOP_KEY.
_YAML = YAML(typ="safe")


@dataclass(frozen=True)
class VersionFile:
    """One language of one version, as read from disk."""

    path: str  # relative to the repository root, with slashes
    policy: str
    effective: date
    lang: str
    title: str
    change: str | None
    reason: str | None
    summary: tuple[str, ...]
    body: str  # LF line endings, no BOM, no front matter
    body_line: int  # line number of the body's first line in the file
    sha256: str  # of the file's bytes, exactly as committed
    blob: str  # git's object id for the same bytes, to compare with history
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    notice_date: date | None = None  # `announced:`, the known notice day of imported history
    approved_by: str | None = None  # who approved the text (e.g. the privacy officer)
    approved_on: date | None = None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def git_blob(raw: bytes) -> str:
    """The id git gives these bytes (`git hash-object`), without running git."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def _finding(rel: str, message: str, fix: str, line: int | None = None, **kw: Any) -> Finding:
    return Finding("R5", rel, message, fix, line, **kw)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(YAML text or None, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        return None, text, 1
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], flags=re.M)
    if not end:
        return "", "", 0  # an opening fence with no closing one
    yaml_text = text[4 : 4 + end.start()]
    rest = text[4 + end.end() :]
    if rest.startswith("\n"):
        rest = rest[1:]
    body_line = yaml_text.count("\n") + 3
    return yaml_text, rest, body_line


def text_of(raw: bytes, rel: str, findings: list[Finding]) -> str | None:
    """A file's bytes as text (no BOM, LF line endings); None, with an R5 finding, when they
    are not UTF-8. Control characters are R5 findings too."""
    if raw.startswith(UTF8_BOM):
        findings.append(
            _finding(
                rel,
                "the file starts with a byte order mark (BOM); it was read without it",
                "save the file as UTF-8 without BOM",
                1,
                severity=WARNING,
            )
        )
        raw = raw[len(UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        findings.append(
            _finding(
                rel,
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at line {line})",
                "save the file as UTF-8 (in most editors: Save with encoding, UTF-8)",
                line,
            )
        )
        return None
    return _normalized(text, rel, findings)


def _normalized(text: str, rel: str, findings: list[Finding]) -> str:
    """LF line endings (CRLF is a warning) and no control character (an error)."""
    if "\r" in text:
        findings.append(
            _finding(
                rel,
                "the file has CRLF (Windows) line endings; they were read as LF",
                "save it with LF line endings, or add `*.md text eol=lf` to .gitattributes",
                1,
                severity=WARNING,
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        findings.append(
            _finding(
                rel,
                f"the file contains the invisible control character U+{ord(control.group()):04X} "
                f"at line {line}: it could change what a terminal or the page shows",
                "delete it (editors show it as a box or `^[`); a policy needs only text, tabs "
                "and line breaks",
                line,
            )
        )
    return text


def _parse_meta(
    yaml_text: str, rel: str, findings: list[Finding]
) -> tuple[dict, dict[str, int]] | None:
    try:
        data = _YAML.load(yaml_text)
    except (ValueError, TypeError, OverflowError):
        # YAML typed a date that does not exist (2026-02-30) and could not make it one.
        days = ((n + 2, _BAD_DAY.search(text)) for n, text in enumerate(yaml_text.splitlines()))
        line = next((n for n, m in days if m and parse_day(m.group(1)) is None), 2)
        findings.append(
            _finding(
                rel,
                "the front matter holds a date that does not exist",
                "write a day that exists as YYYY-MM-DD (quote other text that looks like a date)",
                line,
            )
        )
        return None
    except (MarkedYAMLError, YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and mark.line >= yaml_text.count("\n"):
            # Ran off the end (an unclosed bracket or quote): point at where it was opened.
            mark = getattr(exc, "context_mark", None) or mark
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and opened is not None and opened.line + 2 != line:
            problem += f" ({context} that starts at line {opened.line + 2})"
        findings.append(
            _finding(
                rel,
                f"the front matter is not valid YAML: {problem}",
                "fix the YAML at that line (quote values that contain a colon `:`)",
                line,
            )
        )
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        findings.append(
            _finding(
                rel,
                "the front matter is not a mapping of keys to values",
                "write `key: value` lines",
                2,
            )
        )
        return None
    lines = {
        m[1]: i + 2 for i, line in enumerate(yaml_text.splitlines()) if (m := TOP_KEY.match(line))
    }
    return dict(data), lines


# How MkDocs finds a page's meta-data (`mkdocs.utils.meta.get_data`): a YAML block between
# `---` lines (spaces may follow them) that is a mapping, else MultiMarkdown `key: value`
# lines before the first blank line. Only a home page reaches MkDocs as its editor wrote it.
_MKDOCS_YAML = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_MKDOCS_KEY = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):")
_MKDOCS_MORE = re.compile(r"^(?:[ ]{4}|\t)")


def mkdocs_page(text: str) -> tuple[dict | None, str]:
    """(meta-data, the Markdown MkDocs renders) of a page MkDocs reads as it is. The meta-data
    is None when the YAML block is not YAML to Redline (MkDocs would then render the block as
    text); MultiMarkdown meta-data lines stay in the Markdown, to be judged with it."""
    m = _MKDOCS_YAML.match(text)
    if m is None:
        return _multimarkdown_keys(text), text
    try:
        data = _YAML.load(m[1])
    except (YAMLError, ValueError, TypeError, OverflowError):
        return None, text
    return (data, text[m.end() :].lstrip("\n")) if isinstance(data, dict) else ({}, text)


def _multimarkdown_keys(text: str) -> dict:
    keys: dict = {}
    for line in text.split("\n"):
        if m := _MKDOCS_KEY.match(line):
            keys[m[1].lower()] = True
        elif not line.strip() or not (keys and _MKDOCS_MORE.match(line)):
            break
    return keys


def read_text(path: Path) -> str:
    """A Markdown file's text the way the loader reads it (no BOM, LF line endings)."""
    return path.read_bytes().removeprefix(UTF8_BOM).decode("utf-8", "replace").replace("\r\n", "\n")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _summary_problem(value: Any) -> str | None:
    """Why `summary` is not a list of lines, in words an editor can act on."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return "`summary` must be a list of lines"
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            return (
                f"line {n} of `summary` contains `: ` (a colon and a space), so YAML reads it "
                'as a key and a value, not as a line; quote the line: `- "...: ..."`'
            )
        if not isinstance(item, str):
            return f'line {n} of `summary` is not text; quote it: `- "..."`'
    return None


@dataclass(frozen=True)
class MetaKey:
    """A front-matter key: how to tell a good value, and what to say about a bad one."""

    problem: Callable[[Any], str | None]  # None when the value is fine
    fix: str
    required: bool = False


FRONT_MATTER: dict[str, MetaKey] = {
    "title": MetaKey(
        lambda v: None if _is_text(v) else "`title` is missing or empty",
        "add `title: ...` to the front matter",
        required=True,
    ),
    "change": MetaKey(
        lambda v: None if v in CHANGE_CLASSES else f"`change: {v}` is not a known class",
        "write `change: minor` or `change: material`",
    ),
    "reason": MetaKey(
        lambda v: None if _is_text(v) else "`reason` must be a sentence",
        "write why the policy changes, e.g. `reason: ...`",
    ),
    "summary": MetaKey(_summary_problem, "write it as a YAML list (`- ...`), one line per item"),
    "description": MetaKey(
        lambda v: None if isinstance(v, str) else "`description` must be text",
        "write one sentence, e.g. `description: ...`",
    ),
    "announced": MetaKey(
        lambda v: None if parse_day(v) else "`announced` is not a day that exists",
        "write the day users were given notice of this imported version, as YYYY-MM-DD",
    ),
    "approved_by": MetaKey(
        lambda v: None if _is_text(v) else "`approved_by` must say who approved the text",
        "write e.g. `approved_by: 개인정보 보호책임자 홍길동`",
    ),
    "approved_on": MetaKey(
        lambda v: None if parse_day(v) else "`approved_on` is not a day that exists",
        "write the day of the approval as YYYY-MM-DD",
    ),
}


def _meta_findings(meta: dict, lines: dict[str, int], rel: str) -> list[Finding]:
    out = []
    for key in sorted(set(meta) - set(FRONT_MATTER), key=str):  # YAML keys may be 1, null
        out.append(
            _finding(
                rel,
                f"unknown front matter key `{key}`",
                f"remove it or check the spelling (allowed: {', '.join(sorted(FRONT_MATTER))})",
                lines.get(key),
            )
        )
    for key, spec in FRONT_MATTER.items():
        if meta.get(key) is None and not spec.required:
            continue
        problem = spec.problem(meta.get(key))
        if problem:
            out.append(_finding(rel, problem, spec.fix, lines.get(key, 2)))
    return out


def _escaped_controls(meta: dict, lines: dict[str, int], rel: str) -> list[Finding]:
    """A control character written as a YAML escape (`"\\e[2J"`, `"\\u202e"`): not in the
    file's bytes, where `_normalized` looks, but in the text every page and output shows.
    Like a control character in the bytes, it blocks the gate but keeps the version: every
    output then shows it made visible (`visible.py`), and nothing else about the file is lost."""
    out: list[Finding] = []
    for key, value in meta.items():
        items = value if isinstance(value, list) else [value]
        found = next((m for v in items if isinstance(v, str) and (m := CONTROL.search(v))), None)
        if found:
            out.append(
                _finding(
                    rel,
                    f"`{key}` holds the invisible control character U+{ord(found.group()):04X} "
                    "(written as an escape): it could change what a terminal or the page shows",
                    "delete the escape; a title, reason or summary needs only text",
                    lines.get(key, 2),
                )
            )
    return out


def _front_matter(text: str, rel: str, findings: list[Finding]):
    """(meta, key lines, body, body line) of a version file, or None with R5 findings."""
    yaml_text, body, body_line = split_front_matter(text)
    if yaml_text is None:
        fix = "start the file with a `---` block holding at least `title:`"
        findings.append(_finding(rel, "the file has no front matter", fix, 1))
        return None
    if body_line == 0:
        fix = "end it with a line `---`"
        findings.append(_finding(rel, "the front matter is not closed", fix, 1))
        return None
    parsed = _parse_meta(yaml_text, rel, findings)
    if parsed is None:
        return None
    problems = _meta_findings(*parsed, rel)
    findings.extend(problems)
    if not problems and not CONTROL.search(yaml_text):  # one in the bytes is reported already
        findings.extend(_escaped_controls(*parsed, rel))
    return None if problems else (*parsed, body, body_line)


def read_version(
    rel: str, raw: bytes, blob: str, policy: str, effective: date, lang: str
) -> tuple[VersionFile | None, list[Finding]]:
    """The version file at `rel` (its bytes and their git blob, as the inventory read them)."""
    findings: list[Finding] = []
    text = text_of(raw, rel, findings)
    parsed = None if text is None else _front_matter(text, rel, findings)
    if parsed is None:
        return None, findings
    meta, lines, body, body_line = parsed
    summary = meta.get("summary") or []
    reason = meta.get("reason")
    version_file = VersionFile(
        path=rel,
        policy=policy,
        effective=effective,
        lang=lang,
        title=meta["title"].strip(),
        change=meta.get("change"),
        reason=reason.strip() if isinstance(reason, str) else None,
        summary=tuple([summary] if isinstance(summary, str) else summary),
        body=body,
        body_line=body_line,
        sha256=hashlib.sha256(raw).hexdigest(),
        blob=blob,
        key_lines=lines,
        notice_date=parse_day(meta.get("announced")),
        approved_by=meta["approved_by"].strip() if meta.get("approved_by") else None,
        approved_on=parse_day(meta.get("approved_on")),
    )
    return version_file, findings
