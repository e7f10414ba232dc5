"""A diff as HTML: the before/after comparison table, and the standalone fragment.

The comparison table (신구대조표) has one row per changed section: its old text with the
deletions, its new text with the insertions, each with one block of context. The standalone
fragment (`redline diff --format html`) is that table followed by the whole redline.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Literal

from . import escape, inline
from .model import (
    TABLE_KINDS,
    Block,
    BlockDiff,
    BlockKind,
    BlockStatus,
    DocumentDiff,
    Op,
    SectionDiff,
)
from .render_tables import ALL_OPS, cells, fit, run_end, table_groups, table_layout
from .tokens import tokenize

_OLD_SIDE = frozenset({"equal", "delete"})
_NEW_SIDE = frozenset({"equal", "insert"})
_ELIDED = '<p class="redline-elided">…</p>'
# What can start syntax `inline.marks` reads: emphasis, links, autolinks, `>`, `!!!`.
_SYNTAX = re.compile(r"[*_\[<>!]")
Side = Literal["old", "new"]
# The runs each column of the comparison shows.
_SHOWN: dict[Side, frozenset[str]] = {"old": _OLD_SIDE, "new": _NEW_SIDE}


def render_comparison_html(
    diff: DocumentDiff,
    *,
    old_label: str,
    new_label: str,
    section_label: str,
    material_sections: Collection[str],
    material_label: str,
    added_label: str,
    deleted_label: str,
    preamble_label: str = "—",
) -> str:
    """Before/after comparison table (신구대조표): one row per section listed as changed.

    Each column quotes its own version: its words, list markers and heading numbers. Where a
    version has nothing (a section or block only in the other), its cell says so:
    `added_label` in the old column (`<신설>`), `deleted_label` in the new one (`<삭제>`).
    A changed section listed in `material_sections`, or inside one that is, is marked with
    `material_label` (`DocumentDiff.material_ids`). Rows carry
    `id="redline-compare-<section id>"` so a list of sections can link to them.
    """
    material = diff.material_ids(material_sections)
    rows: list[str] = []
    for s in diff.listed_sections():
        title = s.title or preamble_label
        mark = (
            f' <strong class="redline-material">{escape.html(material_label)}</strong>'
            if s.id in material
            else ""
        )
        classes = " ".join(f"redline-{kind}" for kind in s.kinds)
        rows.append(
            f'<tr id="redline-compare-{escape.html_attr(s.id)}" class="{classes}">'
            f'<th scope="row">{escape.html(title)}{mark}</th>'
            f'<td class="redline-old">{_html_cell(s, "old", added_label)}</td>'
            f'<td class="redline-new">{_html_cell(s, "new", deleted_label)}</td></tr>'
        )
    return (
        '<table class="redline-compare">\n<thead><tr>'
        f'<th scope="col">{escape.html(section_label)}</th>'
        f'<th scope="col">{escape.html(old_label)}</th>'
        f'<th scope="col">{escape.html(new_label)}</th>'
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
    )


def format_html(
    diff: DocumentDiff,
    *,
    material_sections: Collection[str] = (),
    old_label: str = "Before",
    new_label: str = "After",
) -> str:
    """A standalone HTML fragment for `redline diff --format html`: table, then full redline.
    Its words are English; the site's pages use `render_comparison_html` in their language."""
    table = render_comparison_html(
        diff,
        old_label=old_label,
        new_label=new_label,
        section_label="Section",
        material_sections=material_sections,
        material_label="material",
        added_label="<New>",
        deleted_label="<Deleted>",
    )
    return (
        '<div class="redline-diff">\n'
        + table
        + '<div class="redline-text">\n'
        + _html_redline(diff)
        + "\n</div>\n</div>\n"
    )


# --------------------------------------------------------------------------------------
# Inline runs and blocks


def _html_runs(ops: Iterable[Op], show: frozenset[str], block: Block | None = None) -> str:
    """Escaped inline HTML of the runs in `show`, as the page shows them: emphasis as
    <em>/<strong>, a link as its words with its address after them, an autolink without its
    angle brackets, a quotation's `>` and an admonition's `!!!` left out (`inline.marks`).

    Elements are opened and closed inside each <ins>/<del> run, so they always nest.
    """
    shown = [(op, text) for op, text in ops if op in show]
    if not any(_SYNTAX.search(text) for _, text in shown):
        return _html_plain_runs(shown)
    pair_side = _OLD_SIDE if "insert" not in show else _NEW_SIDE
    tokens = [(op, t) for op, text in shown for t in tokenize(text)]
    # Both versions in one text (the whole redline): only emphasis both have is shown as such.
    emphasis = frozenset({"equal"}) if "insert" in show and "delete" in show else None
    found = inline.marks(tokens, block, pair_side, emphasis)
    written = inline.runs(tokens, found, lambda _, text: escape.shown_html(text), _syntax)
    return "".join(_run(op, body) for op, body in written)


def _syntax(mark: inline.Mark, token: str) -> str:
    """The HTML of a piece of syntax the page does not show as written (`inline.marks`)."""
    if mark == inline.ADDRESS:  # the address a link goes to: a change of it must show
        return f' <span class="redline-address">({escape.html(token[2:-1].strip())})</span>'
    if mark == inline.KIND:
        return f'<span class="redline-admonition-kind">{escape.html(token)}</span> '
    return ""


def _html_plain_runs(ops: Sequence[Op]) -> str:
    """_html_runs of runs without Markdown syntax to read: no need to tokenize."""
    return "".join(
        _run(op, escape.shown_html("".join(text for _, text in run)))
        for op, run in groupby(ops, key=itemgetter(0))
    )


def _run(op: str, body: str) -> str:
    """A run's escaped body as shown: as is when equal, else marked (nothing when empty)."""
    if op == "equal":
        return body
    return escape.marked(op, body) if body else ""


def _html_block(block: Block, body: str) -> str:
    """A block's rendered runs (`body`) with the structure `block` writes them in."""
    kind = block.kind
    if kind == BlockKind.HEADING:
        return f'<p class="redline-heading"><strong>{body}</strong></p>'
    if kind == BlockKind.LIST_ITEM:
        marker = block.marker if block.marker[:1].isdigit() else "•"
        return (
            f'<p class="redline-item redline-depth-{block.level}">'
            f'<span class="redline-marker">{escape.html(marker)}</span> {body}</p>'
        )
    if kind in TABLE_KINDS:
        return f'<p class="redline-row">{body}</p>'
    if block.text.startswith(">"):  # a quotation, its `>` left out as on the page
        return f"<blockquote><p>{body}</p></blockquote>"
    if inline.admonition_line(block.text, block.source):
        return f'<p class="redline-admonition">{body}</p>'
    return f"<p>{body}</p>"


def _html_cells(bd: BlockDiff, show: frozenset[str] = ALL_OPS) -> list[str]:
    return cells(bd, lambda ops: _html_runs(ops, show), pipe="|", show=show)


def _tr(row: Iterable[str], tag: str = "td", attrs: str = "") -> str:
    return "<tr>" + "".join(f"<{tag}{attrs}>{c}</{tag}>" for c in row) + "</tr>"


# --------------------------------------------------------------------------------------
# The comparison table's cells


def _html_cell(section: SectionDiff, side: Side, absent: str) -> str:
    """One side of a section in the comparison: its changed blocks, with context.

    Blocks are written as this side's version has them. Where the other side has blocks this
    one lacks, one `absent` marker stands at their place (a row of its table for table rows);
    a section this side lacks is the marker alone.
    """
    marker = _absent(absent)
    if section.side(side) is None:
        return marker
    entries = _context(section.blocks)
    parts: list[str] = []
    k = 0
    while k < len(entries):
        end = _table_run_end(entries, k)
        part = _html_entries(entries[k:end], side, absent)
        if not (part == marker and parts and parts[-1] == marker):
            parts.append(part)
        k = end
    return "".join(parts)


def _html_entries(run: Sequence[BlockDiff | None], side: Side, absent: str) -> str:
    """An elision, a block or a table run of the comparison as `side` shows it."""
    first = run[0]
    if first is None:
        return _ELIDED
    if all(bd is None or bd.side(side) is None for bd in run):
        return _absent(absent)
    if first.kind in TABLE_KINDS:
        return _html_subtable(run, side, absent)
    block = first.side(side)
    assert block is not None
    return _html_block(block, _html_runs(first.ops, _SHOWN[side], block))


def _absent(label: str) -> str:
    """What a column shows where its version has nothing: `<신설>`, `<삭제>`."""
    return f'<p class="redline-absent">{escape.html(label)}</p>'


def _table_run_end(entries: Sequence[BlockDiff | None], k: int) -> int:
    """The end of the table run starting at `k` (its rows, and the elisions between two of
    its rows); k + 1 when the entry at `k` is no table block."""

    def kind(j: int) -> BlockKind | None:
        bd = entries[j] if j < len(entries) else None
        return None if bd is None else bd.kind

    end = k + 1
    if kind(k) not in TABLE_KINDS:
        return end
    while end < len(entries) and (
        kind(end) in TABLE_KINDS or (entries[end] is None and kind(end + 1) == BlockKind.TABLE_ROW)
    ):
        end += 1
    return end


def _context(blocks: Sequence[BlockDiff]) -> list[BlockDiff | None]:
    """Changed blocks with one block of context each side; None where blocks are elided.

    A changed table row also keeps its table's header row, which names the columns.
    """
    visible = [b for b in blocks if b.kind != BlockKind.TABLE_SEPARATOR]
    changed = [k for k, b in enumerate(visible) if b.status != BlockStatus.EQUAL]
    show: set[int] = set()
    for k in changed:
        show.update(d for d in (k - 1, k, k + 1) if 0 <= d < len(visible))
        if visible[k].kind == BlockKind.TABLE_ROW:
            h = k
            while h > 0 and visible[h].kind == BlockKind.TABLE_ROW:
                h -= 1
            if visible[h].kind == BlockKind.TABLE_HEADER:
                show.add(h)
    if not changed and visible:
        show.add(0)  # moved only: the heading says which section
    out: list[BlockDiff | None] = []
    prev = -1
    for k in sorted(show):
        if k > prev + 1:
            out.append(None)
        out.append(visible[k])
        prev = k
    if visible and prev < len(visible) - 1:
        out.append(None)
    return out


def _html_subtable(entries: Sequence[BlockDiff | None], side: Side, absent: str) -> str:
    """One side's table rows in the comparison, as a small table of their own in a box that
    scrolls when the table is wider than its column (its words are never broken).

    Rows only in the other version are one `absent` row at their place.
    """
    show = _SHOWN[side]
    rows: list[tuple[str, list[str] | None]] = []
    for bd in entries:
        if bd is None:
            rows.append(("elided", None))
        elif bd.side(side) is None:
            if not rows or rows[-1][0] != "absent":
                rows.append(("absent", None))
        else:
            kind = "header" if bd.kind == BlockKind.TABLE_HEADER else "row"
            rows.append((kind, _html_cells(bd, show)))
    ncols = max([len(c) for _, c in rows if c is not None] or [1])
    head: list[str] = []
    body: list[str] = []
    for kind, row in rows:
        if row is None:
            cls, text = ("redline-elided", "…") if kind == "elided" else ("redline-absent", absent)
            body.append(f'<tr><td colspan="{ncols}" class="{cls}">{escape.html(text)}</td></tr>')
        elif kind == "header" and not body:
            head.append(_tr(fit(row, ncols), "th", ' scope="col"'))
        else:
            body.append(_tr(fit(row, ncols)))
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    tbody = f"<tbody>{''.join(body)}</tbody>" if body else ""
    table = f'<table class="redline-subtable">{thead}{tbody}</table>'
    return f'<div class="redline-scroll">{table}</div>'


# --------------------------------------------------------------------------------------
# The whole redline


def _html_redline(diff: DocumentDiff) -> str:
    parts: list[str] = []
    for section in diff.sections:
        blocks = section.blocks
        k = 0
        while k < len(blocks):
            bd = blocks[k]
            if bd.kind in TABLE_KINDS:
                end = run_end(blocks, TABLE_KINDS, k)
                parts.append(_html_table(blocks[k:end]))
                k = end
                continue
            if bd.kind == BlockKind.HEADING:
                level = min(6, max(1, bd.block.level))
                parts.append(f"<h{level}>{_html_runs(bd.ops, ALL_OPS)}</h{level}>")
            elif bd.ops:
                parts.append(_html_block(bd.block, _html_runs(bd.ops, ALL_OPS, bd.block)))
            k += 1
    return "\n".join(parts)


def _html_table(run: Sequence[BlockDiff]) -> str:
    out: list[str] = []
    for group in table_groups(run):
        header, body, _, _ = table_layout(group, _html_cells)
        head = _tr(header, "th", ' scope="col"')
        rows = "".join(_tr(r) for r in body)
        out.append(f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>")
    return "\n".join(out)
