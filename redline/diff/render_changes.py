"""The changes listed section by section, for a terminal and as GitHub-flavoured Markdown.

Both list each section `DocumentDiff.listed_sections` names (title, id, what happened to
it), then its changed blocks one a line; a section that only moved says so. Only the writing
differs: wdiff markers or ANSI colours in a terminal (`format_text`), escaped GitHub Markdown
with <del>/<ins> to paste into a pull request or an issue (`format_markdown`); both are
`redline diff`'s (the job summary shows the comparison table, `render_html`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator

from . import escape, inline
from .model import (
    Block,
    BlockDiff,
    BlockKind,
    BlockStatus,
    DocumentDiff,
    SectionDiff,
)
from .tokens import tokenize

_RED_STRIKE = "\x1b[9;31m"
_GREEN_UNDERLINE = "\x1b[4;32m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"
# What can start syntax `inline.marks` reads; only the new text's, and emphasis both have.
_SYNTAX = re.compile(r"[*_\[<>!]")
_NEW_SIDE = frozenset({"equal", "insert"})
_EQUAL = frozenset({"equal"})


def format_text(diff: DocumentDiff, *, color: bool) -> str:
    """The changes for a terminal: wdiff-style [-deleted-] {+inserted+}, or ANSI colours."""

    def head(s: SectionDiff) -> list[str]:
        ident = f" {{#{s.id}}}" if s.id else ""
        text = escape.visible(f"=== {s.title or '(preamble)'}{ident} ({_kinds(s)}) ===")
        return [f"{_BOLD}{text}{_RESET}" if color else text]

    def line(bd: BlockDiff) -> str:
        runs = (_terminal_run(op, escape.visible(text), color) for op, text in bd.ops)
        return escape.visible(_display_prefix(bd.block)) + "".join(runs)

    return _listing(diff, head, line, "(moved; text unchanged)")


def format_markdown(diff: DocumentDiff, material_sections: Collection[str] = ()) -> str:
    """`redline diff --format markdown`: a ### heading per changed section, then its
    changed blocks with <del>/<ins>; all policy text escaped. A changed section listed in
    `material_sections`, or inside one that is, is flagged "(material)"."""
    material = diff.material_ids(material_sections)

    def head(s: SectionDiff) -> list[str]:
        mark = " (material)" if s.id in material else ""
        ident = f"{escape.code(s.id)} · " if s.id else ""
        return [f"### {escape.gfm(s.title or '(preamble)')}{mark}", "", f"{ident}_{_kinds(s)}_", ""]

    def line(bd: BlockDiff) -> str:
        runs = (body if op == "equal" else escape.marked(op, body) for op, body in _gfm_runs(bd))
        shown = "Heading:" if bd.kind == BlockKind.HEADING else bd.block.prefix.strip()
        prefix = escape.gfm(shown)
        return "- " + (prefix + " " if prefix else "") + "".join(runs)

    return _listing(diff, head, line, "- moved; text unchanged")


def _gfm_runs(bd: BlockDiff) -> list[tuple[str, str]]:
    """A block's runs as GitHub Markdown, read as the page reads them (`inline.marks`):
    emphasis both versions have as <em>/<strong>, a link as its words with its address
    after them, no autolink brackets, quotation `>` or `!!!`; the rest escaped text."""
    if not any(_SYNTAX.search(text) for _, text in bd.ops):
        return [(op, escape.gfm(text)) for op, text in bd.ops]
    tokens = [(op, t) for op, text in bd.ops for t in tokenize(text)]
    found = inline.marks(tokens, bd.block, _NEW_SIDE, _EQUAL)
    return [
        (op, body)
        for op, body in inline.runs(tokens, found, lambda _, text: escape.gfm(text), _gfm_syntax)
        if body or op == "equal"
    ]


def _gfm_syntax(mark: inline.Mark, token: str) -> str:
    """A link's address after its words, an admonition's type as a word; nothing else."""
    if mark == inline.ADDRESS:
        return f" ({escape.gfm(token[2:-1].strip())})"
    return escape.gfm(token) + " " if mark == inline.KIND else ""


def _listing(
    diff: DocumentDiff,
    head: Callable[[SectionDiff], list[str]],
    line: Callable[[BlockDiff], str],
    moved: str,
) -> str:
    """Each listed section's `head` lines, then a `line` per changed block (or `moved`)."""
    out: list[str] = []
    for s in diff.listed_sections():
        out.extend(head(s))
        out.extend([line(bd) for bd in _changed_blocks(s)] or [moved])
        out.append("")
    return "\n".join(out)


def _changed_blocks(section: SectionDiff) -> Iterator[BlockDiff]:
    """The blocks a listing shows: changed ones, separator rows aside."""
    for bd in section.blocks:
        if bd.status != BlockStatus.EQUAL and bd.kind != BlockKind.TABLE_SEPARATOR:
            yield bd


def _kinds(s: SectionDiff) -> str:
    return ", ".join(s.kinds)


def _display_prefix(block: Block) -> str:
    if block.kind == BlockKind.HEADING:
        return "#" * max(1, block.level) + " "
    return block.prefix


def _terminal_run(op: str, text: str, color: bool) -> str:
    if op == "equal":
        return text
    if color:
        style = _RED_STRIKE if op == "delete" else _GREEN_UNDERLINE
        return f"{style}{text}{_RESET}"
    return f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"
