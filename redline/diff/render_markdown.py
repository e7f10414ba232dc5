"""The whole new document as Markdown with <ins>/<del> inline: the changes page's redline.

The Markdown redline is rendered by Python-Markdown (attr_list, tables, md_in_html), so it
is written to stay valid whatever the edit: an `<ins>`/`<del>` never crosses a block or a
table cell, Markdown punctuation inside a partly changed block is backslash-escaped so an
emphasis or link can never open inside `<ins>` and close outside it, table rows always have
the column count of their table, and a heading id appears once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from . import escape, inline
from .headings import attrs_body, attrs_id
from .model import TABLE_KINDS, BlockDiff, BlockKind, DocumentDiff, Op
from .render_tables import cells, is_whole, run_end, table_groups, table_layout
from .tokens import tokenize

_TOC_LABEL_UNSAFE = str.maketrans({'"': "”", "{": "", "}": "", "<": "‹", ">": "›", "\\": ""})
_ITEM_KINDS = frozenset({BlockKind.LIST_ITEM})
_NEW_SIDE = frozenset({"equal", "insert"})
_EQUAL = frozenset({"equal"})
# What can start syntax `inline.marks` reads: emphasis, links, autolinks, a quotation's `>`.
_SYNTAX = re.compile(r"[*_\[<>]")


def render_redline_markdown(diff: DocumentDiff) -> str:
    """The whole new document as Markdown, with <ins>/<del> inline, deletions where they were."""
    writer = _Redline(_new_heading_ids(diff))
    for section in diff.sections:
        k = 0
        while k < len(section.blocks):
            k = writer.write(section.blocks, k)
    return "\n\n".join(writer.chunks) + "\n" if writer.chunks else ""


def _new_heading_ids(diff: DocumentDiff) -> set[str]:
    """The ids the headings of the new text carry."""
    new_ids: set[str] = set()
    for s in diff.sections:
        if s.new is not None:
            for b in s.new.blocks[:1]:
                hid = attrs_id(b.attrs) if b.kind == BlockKind.HEADING else None
                if hid:
                    new_ids.add(hid)
    return new_ids


class _Redline:
    """Markdown chunks (blocks, lists, tables) written one after another."""

    def __init__(self, new_ids: set[str]) -> None:
        self.new_ids = new_ids
        self.used: set[str] = set()  # heading ids written so far
        self.chunks: list[str] = []
        # An indent is kept only right after a list: elsewhere 4 spaces would make a code
        # block (a deleted paragraph of a list item can land after a paragraph of the new text).
        self.in_list = False

    def write(self, blocks: Sequence[BlockDiff], k: int) -> int:
        """Write the block at `k`, with the rest of its table or list; the index after them."""
        bd = blocks[k]
        if bd.kind in TABLE_KINDS:
            end = run_end(blocks, TABLE_KINDS, k)
            self.in_list = self.in_list and bool(bd.block.prefix)
            self.chunks.append(_md_table(blocks[k:end], indent=self.in_list))
            return end
        if bd.kind == BlockKind.LIST_ITEM:
            end = run_end(blocks, _ITEM_KINDS, k)
            self.chunks.append("\n".join(b.block.prefix + _md_inline(b) for b in blocks[k:end]))
            self.in_list = True
            return end
        if bd.kind == BlockKind.HEADING:
            self.chunks.append(_md_heading(bd, self.new_ids, self.used))
            self.in_list = False
        elif bd.ops:
            self.in_list = self.in_list and bool(bd.block.prefix)
            self.chunks.append((bd.block.prefix if self.in_list else "") + _md_inline(bd))
        return k + 1


def _md_runs(ops: Iterable[Op], whole: bool) -> str:
    """Inline Markdown of a block's runs. In a partly changed block, changed runs are escaped.

    Emphasis, links and autolinks are written as the page reads them (`inline.marks`, the
    new text's): emphasis both versions have as <em>/<strong> reopened inside each
    <ins>/<del>, so it can never open inside one and close outside (an added `**` shows as
    inserted asterisks: the change stays visible); a link as its words with its address after them (a
    changed address is a visible change); an autolink as its address. A quotation's `>`
    kept by both versions stays Markdown: the page shows a quotation.
    Deleted text never carries an attribute list (`{#id}`, `{: .class}`): the id belongs to
    the new text, and would otherwise appear twice.
    """
    ops = list(ops)
    if all(op == "equal" for op, _ in ops) or not any(_SYNTAX.search(t) for _, t in ops):
        return "".join(_md_run(op, _md_text(op, text, whole)) for op, text in ops)
    tokens = [(op, t) for op, text in ops for t in tokenize(text)]
    found = inline.marks(tokens, None, _NEW_SIDE, _EQUAL)
    quote = _quotation(tokens)
    written = inline.runs(tokens[quote:], _found_after(found, quote), _text(whole), _md_syntax)
    return ("> " if quote else "") + "".join(_md_run(op, body) for op, body in written)


def _found_after(found: dict[int, inline.Mark], skip: int) -> dict[int, inline.Mark]:
    """The marks of the tokens after the first `skip` ones, renumbered from 0."""
    return {k - skip: mark for k, mark in found.items() if k >= skip} if skip else found


def _text(whole: bool) -> Callable[[str, str], str]:
    """`_md_text` for the runs of one block (whole: inserted or deleted whole)."""
    return lambda op, text: _md_text(op, text, whole)


def _md_syntax(mark: inline.Mark, token: str) -> str:
    """The Markdown of a piece of syntax `inline.marks` read: a link's address after its
    words (escaped text in the renderer's span); nothing for the rest."""
    if mark == inline.ADDRESS:
        address = escape.markdown(token[2:-1].strip(), escape_markdown=True)
        return f' <span class="redline-address">({address})</span>'
    return ""


def _md_run(op: str, body: str) -> str:
    """A run's Markdown as shown: as is when equal, else marked (nothing when empty)."""
    if op == "equal":
        return body
    return escape.marked(op, body) if body else ""


def _quotation(tokens: list[Op]) -> int:
    """How many tokens a quotation's `>` (with its space) takes at the start, when both
    versions have it (0 else: an added or removed `>` shows as a changed character)."""
    if len(tokens) > 1 and tokens[0] == ("equal", ">"):
        return 2 if tokens[1][0] == "equal" and tokens[1][1].isspace() else 1
    return 0


def _md_text(op: str, text: str, whole: bool) -> str:
    """A run's text as Markdown: escaped when changed in a partly changed block."""
    if op == "equal":
        return escape.markdown(text, escape_markdown=False)
    body = escape.markdown(text, escape_markdown=not whole)
    return re.sub(r"(?<!\\)\{", r"\\{", body) if op == "delete" else body


def _md_inline(bd: BlockDiff) -> str:
    return _md_runs(bd.ops, is_whole(bd))


def _md_heading(bd: BlockDiff, new_ids: set[str], used: set[str]) -> str:
    """The heading as the redline shows it: with its id (once in the page) and nothing else
    of its attribute list, which is policy text and could carry attributes (`onclick=`)."""
    block = bd.block
    hid = attrs_id(block.attrs)
    attrs = ""
    # A deleted heading keeps its id only if no heading of the new text carries it.
    if hid is not None and not (hid in used or (bd.new is None and hid in new_ids)):
        used.add(hid)
        attrs = "{#" + hid + "}"
    line = "#" * max(1, block.level) + " " + _md_inline(bd)
    # The table of contents shows the heading as it reads after the change ("10. …"),
    # not the deleted and inserted words run together ("910. …").
    if all(op == "equal" for op, _ in bd.ops):
        return line + (" " + attrs if attrs else "")
    shown = "insert" if bd.new is not None else "delete"
    label = "".join(text for op, text in bd.ops if op in ("equal", shown)).strip()
    label = label.translate(_TOC_LABEL_UNSAFE)
    body = attrs_body(attrs)
    return line + " {" + (body + " " if body else "") + f'data-toc-label="{label}"' + "}"


def _md_cells(bd: BlockDiff) -> list[str]:
    whole = is_whole(bd)
    return cells(bd, lambda ops: _md_runs(ops, whole), pipe="\\|")


def _md_row(row: Sequence[str]) -> str:
    return "| " + " | ".join(row) + " |"


def _md_table(run: Sequence[BlockDiff], *, indent: bool) -> str:
    tables: list[str] = []
    for group in table_groups(run):
        prefix = group[0].block.prefix if indent else ""
        header, body, sep, ncols = table_layout(group, _md_cells)
        sep_line = sep.source.strip() if sep is not None else "|" + "---|" * ncols
        lines = [_md_row(header), sep_line, *(_md_row(r) for r in body)]
        tables.append("\n".join(prefix + line for line in lines))
    return "\n\n".join(tables)
