"""Rendering a `DocumentDiff` for readers: site pages, terminals, CI summaries.

Every piece of policy text is escaped in every output: a `<script>` written in a policy is
shown as text, never run. Insertions are `<ins>` and deletions `<del>` (plain elements; the
site's CSS adds words before/after them so the difference does not rely on colour).

The Markdown redline is rendered by Python-Markdown (attr_list, tables, md_in_html), so it
is written to stay valid whatever the edit: an `<ins>`/`<del>` never crosses a block or a
table cell, Markdown punctuation inside a partly changed block is backslash-escaped so an
emphasis or link can never open inside `<ins>` and close outside it, table rows always have
the column count of their table, and a heading id appears once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from .diff import (
    TABLE_KINDS,
    Block,
    BlockDiff,
    BlockKind,
    BlockStatus,
    DocumentDiff,
    Op,
    SectionDiff,
    Status,
    split_cells,
    tokenize,
)

__all__ = [
    "format_html",
    "format_markdown",
    "format_text",
    "render_comparison_html",
    "render_redline_markdown",
]

_TAG = {"insert": "ins", "delete": "del"}
_ALL_OPS = frozenset({"equal", "insert", "delete"})
_OLD_SIDE = frozenset({"equal", "delete"})
_NEW_SIDE = frozenset({"equal", "insert"})


# Control characters are invalid in HTML and can drive a terminal: show their pictures.
_CONTROLS = {c: 0x2400 + c for c in range(32) if chr(c) not in "\t\n\r"}
_CONTROLS.update({0x7F: 0x2421, **{c: 0xFFFD for c in range(0x80, 0xA0)}})


_CONTROL_RE = re.compile("[" + "".join(map(chr, _CONTROLS)) + "]")


def _visible(text: str) -> str:
    # str.translate looks up every character; the scan alone is ten times faster.
    return text.translate(_CONTROLS) if _CONTROL_RE.search(text) else text


def _esc(text: str) -> str:
    """HTML-escape text content (&, <, >); control characters become visible pictures."""
    return _visible(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


# --------------------------------------------------------------------------------------
# Markdown redline (rendered by MkDocs)

# Characters that could open an emphasis, a code span or a link inside <ins>/<del>.
_MD_SPECIAL = frozenset("\\`*_[]")
# Text without these is escaped as a whole (most runs are plain words).
_MD_SPECIAL_RE = re.compile(r"[\\`*_\[\]]")
_MD_TOKEN_START_RE = re.compile(r"[\\`\]]")  # code spans, escapes, link targets


def _md_text(text: str, *, escape_markdown: bool) -> str:
    """Policy text for Markdown: HTML-escaped, Markdown syntax kept unless told to escape it."""
    if not (_MD_SPECIAL_RE if escape_markdown else _MD_TOKEN_START_RE).search(text):
        return _esc(text)
    out: list[str] = []
    for token in tokenize(text):
        first = token[0]
        if first == "`" and len(token) > 1:
            out.append(_visible(token))  # a whole code span: Markdown escapes its content
        elif first == "\\" and len(token) == 2:
            # An escape written in the policy; "<", ">" and "&" are made literal by escaping.
            out.append(_esc(token[1]) if token[1] in "<>&" else token)
        elif first == "]" and len(token) > 1:  # a link target "](url)"
            target = _visible(token.replace("<", "&lt;").replace(">", "&gt;"))
            out.append("\\" + target if escape_markdown else target)
        elif escape_markdown and token in _MD_SPECIAL:
            out.append("\\" + token)
        else:
            out.append(_esc(token))
    return "".join(out)


def _md_runs(ops: Iterable[Op], whole: bool) -> str:
    """Inline Markdown of a block's runs. In a partly changed block, changed runs are escaped.

    Deleted text never carries an attribute list (`{#id}`, `{: .class}`): the id belongs to
    the new text, and would otherwise appear twice.
    """
    parts: list[str] = []
    for op, text in ops:
        if op == "equal":
            parts.append(_md_text(text, escape_markdown=False))
        else:
            body = _md_text(text, escape_markdown=not whole)
            if op == "delete":
                body = re.sub(r"(?<!\\)\{", r"\\{", body)
            parts.append(f"<{_TAG[op]}>{body}</{_TAG[op]}>")
    return "".join(parts)


def _md_inline(bd: BlockDiff) -> str:
    whole = bd.status in (BlockStatus.INSERTED, BlockStatus.DELETED)
    return _md_runs(bd.ops, whole)


_TOC_LABEL_UNSAFE = str.maketrans({'"': "”", "{": "", "}": "", "<": "‹", ">": "›", "\\": ""})
_ATTRS_RE = re.compile(r"^\{:?\s*(.*?)\s*\}$")
_ID_RE = re.compile(r"(?:^|\s)#([^\s#{}]+)")


def _attrs_without_id(attrs: str) -> str:
    m = _ATTRS_RE.match(attrs)
    if not m:
        return ""
    inner = _ID_RE.sub(" ", m.group(1)).strip()
    return "{" + inner + "}" if inner else ""


def _attr_id(attrs: str) -> str | None:
    m = _ATTRS_RE.match(attrs)
    if not m:
        return None
    idm = _ID_RE.search(m.group(1))
    return idm.group(1) if idm else None


def _md_heading(bd: BlockDiff, new_ids: set[str], used: set[str]) -> str:
    block = bd.block
    attrs = block.attrs
    hid = _attr_id(attrs)
    if hid is not None:
        # A deleted heading keeps its id only if no heading of the new text carries it.
        taken = hid in used or (bd.new is None and hid in new_ids)
        if taken:
            attrs = _attrs_without_id(attrs)
        else:
            used.add(hid)
    line = "#" * max(1, block.level) + " " + _md_inline(bd)
    # The table of contents shows the heading as it reads after the change ("10. …"),
    # not the deleted and inserted words run together ("910. …").
    if all(op == "equal" for op, _ in bd.ops):
        return line + (" " + attrs if attrs else "")
    shown = "insert" if bd.new is not None else "delete"
    label = "".join(text for op, text in bd.ops if op in ("equal", shown)).strip()
    label = label.translate(_TOC_LABEL_UNSAFE)
    toc = f'data-toc-label="{label}"'
    m = _ATTRS_RE.match(attrs)
    attrs = "{" + (m.group(1) + " " if m and m.group(1) else "") + toc + "}"
    return line + " " + attrs


def _cells(bd: BlockDiff, *, markdown: bool, show: frozenset[str] = _ALL_OPS) -> list[str]:
    """A table row's cells, each rendered with its own <ins>/<del> (never across a pipe).

    Only runs in `show` are rendered. The pipes of the side shown are the structure; when
    both sides are shown, the new row's: a deleted pipe is then shown struck, not as a
    boundary, so the text of a deleted column joins its neighbour.
    """
    whole = bd.status in (BlockStatus.INSERTED, BlockStatus.DELETED)
    structural = show - {"delete"} if "insert" in show else show
    cells: list[list[Op]] = [[]]
    for op, text in bd.ops:
        if op not in show:
            continue
        for token in tokenize(text):
            if token != "|":
                cells[-1].append((op, token))
            elif whole or op in structural:
                cells.append([])
            else:
                cells[-1].append((op, "\\|" if markdown else "|"))
    if cells and not "".join(t for _, t in cells[0]).strip():
        cells = cells[1:]
    if cells and not "".join(t for _, t in cells[-1]).strip():
        cells = cells[:-1]
    out: list[str] = []
    for cell in cells:
        merged: list[Op] = []
        for op, token in cell:
            if merged and merged[-1][0] == op:
                merged[-1] = (op, merged[-1][1] + token)
            else:
                merged.append((op, token))
        # trim the outer spaces of the cell, which are layout, not text
        if merged:
            merged[0] = (merged[0][0], merged[0][1].lstrip())
            merged[-1] = (merged[-1][0], merged[-1][1].rstrip())
        merged = [(op, t) for op, t in merged if t]
        out.append(_md_runs(merged, whole) if markdown else _html_runs(merged, show))
    return out


def _fit(cells: list[str], ncols: int) -> list[str]:
    """Exactly `ncols` cells: Python-Markdown silently drops extra cells, so merge them."""
    if len(cells) > ncols:
        cells = [*cells[: ncols - 1], " ".join(c for c in cells[ncols - 1 :] if c)]
    return cells + [""] * (ncols - len(cells))


def _table_groups(run: Sequence[BlockDiff]) -> list[list[BlockDiff]]:
    """Split consecutive table blocks into tables: a header after a separator starts one."""
    groups: list[list[BlockDiff]] = []
    has_sep = True
    for bd in run:
        kind = bd.kind
        if not groups or (kind == BlockKind.TABLE_HEADER and has_sep):
            groups.append([])
            has_sep = False
        groups[-1].append(bd)
        if kind == BlockKind.TABLE_SEPARATOR:
            has_sep = True
    return groups


def _table_layout(
    group: Sequence[BlockDiff], *, markdown: bool
) -> tuple[list[str], list[list[str]], Block | None, int]:
    """(header cells, body rows, separator block shown, column count) of one table."""
    seps = [bd for bd in group if bd.kind == BlockKind.TABLE_SEPARATOR]
    sep: Block | None = next((bd.new for bd in seps if bd.new is not None), None)
    if sep is None and seps:
        sep = seps[0].old
    first = next((k for k, bd in enumerate(group) if bd.kind == BlockKind.TABLE_SEPARATOR), 0)
    head_rows = [_cells(bd, markdown=markdown) for bd in group[:first]]
    body_rows = [
        _cells(bd, markdown=markdown)
        for bd in group[first:]
        if bd.kind != BlockKind.TABLE_SEPARATOR
    ]
    if sep is not None:
        ncols = len(split_cells(sep.source))
    else:
        ncols = max([len(r) for r in head_rows + body_rows] or [1])
    header = [""] * ncols
    for row in head_rows:  # several candidate headers (old and new): merged cell by cell
        header = [h + c for h, c in zip(header, _fit(row, ncols), strict=True)]
    return header, [_fit(r, ncols) for r in body_rows], sep, ncols


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(run: Sequence[BlockDiff], *, indent: bool) -> str:
    tables: list[str] = []
    for group in _table_groups(run):
        prefix = group[0].block.prefix if indent else ""
        header, body, sep, ncols = _table_layout(group, markdown=True)
        sep_line = sep.source.strip() if sep is not None else "|" + "---|" * ncols
        lines = [_md_row(header), sep_line, *(_md_row(r) for r in body)]
        tables.append("\n".join(prefix + line for line in lines))
    return "\n\n".join(tables)


def _runs(blocks: Sequence[BlockDiff], kinds: frozenset[BlockKind], start: int) -> int:
    end = start
    while end < len(blocks) and blocks[end].kind in kinds:
        end += 1
    return end


_ITEM_KINDS = frozenset({BlockKind.LIST_ITEM})


def render_redline_markdown(diff: DocumentDiff) -> str:
    """The whole new document as Markdown, with <ins>/<del> inline, deletions where they were."""
    new_ids: set[str] = set()
    for s in diff.sections:
        if s.new is not None:
            for b in s.new.blocks[:1]:
                hid = _attr_id(b.attrs) if b.kind == BlockKind.HEADING else None
                if hid:
                    new_ids.add(hid)
    used: set[str] = set()
    chunks: list[str] = []
    # An indent is kept only right after a list: elsewhere 4 spaces would make a code block
    # (a deleted paragraph of a list item can land after a paragraph of the new text).
    in_list = False
    for section in diff.sections:
        blocks = section.blocks
        k = 0
        while k < len(blocks):
            bd = blocks[k]
            kind = bd.kind
            if kind in TABLE_KINDS:
                end = _runs(blocks, TABLE_KINDS, k)
                indented = in_list and bool(bd.block.prefix)
                chunks.append(_md_table(blocks[k:end], indent=indented))
                in_list = indented
                k = end
                continue
            if kind == BlockKind.LIST_ITEM:
                end = _runs(blocks, _ITEM_KINDS, k)
                chunks.append("\n".join(b.block.prefix + _md_inline(b) for b in blocks[k:end]))
                in_list = True
                k = end
                continue
            if kind == BlockKind.HEADING:
                chunks.append(_md_heading(bd, new_ids, used))
                in_list = False
            elif bd.ops:
                indented = in_list and bool(bd.block.prefix)
                chunks.append((bd.block.prefix if indented else "") + _md_inline(bd))
                in_list = indented
            k += 1
    return "\n\n".join(chunks) + "\n" if chunks else ""


# --------------------------------------------------------------------------------------
# HTML (comparison table, standalone fragment)


def _html_runs(ops: Iterable[Op], show: frozenset[str]) -> str:
    """Escaped inline HTML of the runs in `show`; balanced `**bold**` becomes <strong>.

    <strong> is opened and closed inside each <ins>/<del> run, so elements always nest.
    """
    shown = [(op, text) for op, text in ops if op in show]
    if not any("*" in text for _, text in shown):
        return _html_plain_runs(shown)
    bold_side = _OLD_SIDE if "insert" not in show else _NEW_SIDE
    tokens = [(op, t) for op, text in shown for t in tokenize(text)]
    pairs: set[int] = set()  # index of the first "*" of each "**" delimiter
    k = 0
    while k + 1 < len(tokens):
        (op1, t1), (op2, t2) = tokens[k], tokens[k + 1]
        if t1 == t2 == "*" and op1 == op2 and op1 in bold_side:
            pairs.add(k)
            k += 2
        else:
            k += 1
    if len(pairs) % 2:
        pairs = set()  # unbalanced: show the asterisks as written
    out: list[str] = []
    bold = False
    k = 0
    while k < len(tokens):
        op = tokens[k][0]
        piece = ["<strong>"] if bold else []
        while k < len(tokens) and tokens[k][0] == op:
            if k in pairs:
                bold = not bold
                piece.append("<strong>" if bold else "</strong>")
                k += 2
            else:
                piece.append(_esc(tokens[k][1]))
                k += 1
        if bold:
            piece.append("</strong>")
        body = "".join(piece).replace("<strong></strong>", "")
        if op == "equal":
            out.append(body)
        elif body:
            out.append(f"<{_TAG[op]}>{body}</{_TAG[op]}>")
    return "".join(out)


def _html_plain_runs(ops: Sequence[Op]) -> str:
    """_html_runs of runs without any "*": no bold to pair, so no need to tokenize."""
    out: list[str] = []
    k = 0
    while k < len(ops):
        op = ops[k][0]
        end = k + 1
        while end < len(ops) and ops[end][0] == op:
            end += 1
        body = _esc("".join(text for _, text in ops[k:end]))
        if op == "equal":
            out.append(body)
        elif body:
            out.append(f"<{_TAG[op]}>{body}</{_TAG[op]}>")
        k = end
    return "".join(out)


def _html_block(bd: BlockDiff, show: frozenset[str]) -> str:
    block = bd.block
    kind = block.kind
    body = _html_runs(bd.ops, show)
    if kind == BlockKind.HEADING:
        return f'<p class="redline-heading"><strong>{body}</strong></p>'
    if kind == BlockKind.LIST_ITEM:
        marker = block.marker if block.marker[:1].isdigit() else "•"
        return (
            f'<p class="redline-item redline-depth-{block.level}">'
            f'<span class="redline-marker">{_esc(marker)}</span> {body}</p>'
        )
    if kind in TABLE_KINDS:
        return f'<p class="redline-row">{body}</p>'
    return f"<p>{body}</p>"


_ELIDED = '<p class="redline-elided">…</p>'


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


def _html_subtable(entries: Sequence[BlockDiff | None], show: frozenset[str]) -> str:
    """Table rows of one side of the comparison, as a small table of their own."""
    rows: list[tuple[bool, list[str] | None]] = []
    for bd in entries:
        if bd is None:
            rows.append((False, None))
        else:
            rows.append((bd.kind == BlockKind.TABLE_HEADER, _cells(bd, markdown=False, show=show)))
    ncols = max([len(c) for _, c in rows if c is not None] or [1])
    head: list[str] = []
    body: list[str] = []
    for is_header, cells in rows:
        if cells is None:
            body.append(f'<tr><td colspan="{ncols}" class="redline-elided">…</td></tr>')
        elif is_header and not body:
            ths = "".join(f'<th scope="col">{c}</th>' for c in _fit(cells, ncols))
            head.append(f"<tr>{ths}</tr>")
        else:
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in _fit(cells, ncols)) + "</tr>")
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    tbody = f"<tbody>{''.join(body)}</tbody>" if body else ""
    return f'<table class="redline-subtable">{thead}{tbody}</table>'


def _html_cell(section: SectionDiff, side: str) -> str:
    show = _OLD_SIDE if side == "old" else _NEW_SIDE
    skip = BlockStatus.INSERTED if side == "old" else BlockStatus.DELETED
    if (side == "old" and section.old is None) or (side == "new" and section.new is None):
        return ""
    entries = [bd for bd in _context(section.blocks) if bd is None or bd.status != skip]
    kinds = [None if bd is None else bd.kind for bd in entries]
    parts: list[str] = []
    k = 0
    while k < len(entries):
        bd = entries[k]
        if bd is None or bd.kind not in TABLE_KINDS:
            parts.append(_ELIDED if bd is None else _html_block(bd, show))
            k += 1
            continue
        # a table run: table rows, and the elisions that sit between two of its rows
        end = k + 1
        while end < len(entries) and (
            kinds[end] in TABLE_KINDS
            or (kinds[end] is None and kinds[end + 1 : end + 2] == [BlockKind.TABLE_ROW])
        ):
            end += 1
        parts.append(_html_subtable(entries[k:end], show))
        k = end
    return "".join(parts)


def render_comparison_html(
    diff: DocumentDiff,
    *,
    old_label: str,
    new_label: str,
    section_label: str,
    material_ids: set[str],
    material_label: str,
    preamble_label: str = "—",
) -> str:
    """Before/after comparison table (신구대조표): one row per changed section.

    Rows carry `id="redline-compare-<section id>"` so a list of sections can link to them.
    """
    rows: list[str] = []
    for s in diff.sections:
        if not s.is_changed:
            continue
        title = s.title or preamble_label
        mark = (
            f' <strong class="redline-material">{_esc(material_label)}</strong>'
            if s.id in material_ids
            else ""
        )
        classes = f"redline-{s.status}" + (" redline-moved" if s.moved else "")
        rows.append(
            f'<tr id="redline-compare-{_esc_attr(s.id)}" class="{classes}">'
            f'<th scope="row">{_esc(title)}{mark}</th>'
            f'<td class="redline-old">{_html_cell(s, "old")}</td>'
            f'<td class="redline-new">{_html_cell(s, "new")}</td></tr>'
        )
    return (
        '<table class="redline-compare">\n<thead><tr>'
        f'<th scope="col">{_esc(section_label)}</th>'
        f'<th scope="col">{_esc(old_label)}</th>'
        f'<th scope="col">{_esc(new_label)}</th>'
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
    )


def _html_table(run: Sequence[BlockDiff]) -> str:
    out: list[str] = []
    for group in _table_groups(run):
        header, body, _, _ = _table_layout(group, markdown=False)
        head = "".join(f'<th scope="col">{c}</th>' for c in header)
        rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return "\n".join(out)


def _html_redline(diff: DocumentDiff) -> str:
    parts: list[str] = []
    for section in diff.sections:
        blocks = section.blocks
        k = 0
        while k < len(blocks):
            bd = blocks[k]
            if bd.kind in TABLE_KINDS:
                end = _runs(blocks, TABLE_KINDS, k)
                parts.append(_html_table(blocks[k:end]))
                k = end
                continue
            if bd.kind == BlockKind.HEADING:
                level = min(6, max(1, bd.block.level))
                parts.append(f"<h{level}>{_html_runs(bd.ops, _ALL_OPS)}</h{level}>")
            elif bd.ops:
                parts.append(_html_block(bd, _ALL_OPS))
            k += 1
    return "\n".join(parts)


def format_html(
    diff: DocumentDiff,
    *,
    material_ids: set[str] | None = None,
    old_label: str = "Before",
    new_label: str = "After",
    section_label: str = "Section",
    material_label: str = "material",
) -> str:
    """A standalone HTML fragment for `redline diff --format html`: table, then full redline."""
    table = render_comparison_html(
        diff,
        old_label=old_label,
        new_label=new_label,
        section_label=section_label,
        material_ids=material_ids or set(),
        material_label=material_label,
    )
    return (
        '<div class="redline-diff">\n'
        + table
        + '<div class="redline-text">\n'
        + _html_redline(diff)
        + "\n</div>\n</div>\n"
    )


# --------------------------------------------------------------------------------------
# Terminal and GitHub job summary

_RED_STRIKE = "\x1b[9;31m"
_GREEN_UNDERLINE = "\x1b[4;32m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def _kinds(s: SectionDiff) -> str:
    words = [] if s.status == Status.UNCHANGED else [str(s.status)]
    if s.moved:
        words.append("moved")
    return ", ".join(words)


def _display_prefix(block: Block) -> str:
    if block.kind == BlockKind.HEADING:
        return "#" * max(1, block.level) + " "
    return block.prefix


def _changed_blocks(section: SectionDiff) -> Iterator[BlockDiff]:
    """The blocks a terminal or a job summary lists: changed ones, separator rows aside."""
    for bd in section.blocks:
        if bd.status != BlockStatus.EQUAL and bd.kind != BlockKind.TABLE_SEPARATOR:
            yield bd


def format_text(diff: DocumentDiff, *, color: bool) -> str:
    """The changes for a terminal: wdiff-style [-deleted-] {+inserted+}, or ANSI colours."""
    out: list[str] = []
    for s in diff.changed_sections():
        ident = f" {{#{s.id}}}" if s.id else ""
        head = _visible(f"=== {s.title or '(preamble)'}{ident} ({_kinds(s)}) ===")
        out.append(f"{_BOLD}{head}{_RESET}" if color else head)
        lines = []
        for bd in _changed_blocks(s):
            parts = []
            for op, text in bd.ops:
                text = _visible(text)
                if op == "equal":
                    parts.append(text)
                elif color:
                    style = _RED_STRIKE if op == "delete" else _GREEN_UNDERLINE
                    parts.append(f"{style}{text}{_RESET}")
                else:
                    parts.append(f"[-{text}-]" if op == "delete" else f"{{+{text}+}}")
            lines.append(_visible(_display_prefix(bd.block)) + "".join(parts))
        if not lines:
            lines.append("(moved; text unchanged)")
        out.extend(lines)
        out.append("")
    return "\n".join(out)


# GitHub-flavoured Markdown: every ASCII punctuation mark may be backslash-escaped.
_GFM_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~")


def _gfm(text: str) -> str:
    text = _visible(text)
    return "".join(_esc(c) if c in "<>&" else ("\\" + c if c in _GFM_SPECIAL else c) for c in text)


def format_markdown(diff: DocumentDiff, material_ids: set[str] | None = None) -> str:
    """The changes for a GitHub job summary: a ### heading per changed section, then its
    changed blocks with <del>/<ins>; all policy text escaped, material sections flagged."""
    material_ids = material_ids or set()
    out: list[str] = []
    for s in diff.changed_sections():
        mark = " (material)" if s.id in material_ids else ""
        out.append(f"### {_gfm(s.title or '(preamble)')}{mark}")
        out.append("")
        ident = f"`{s.id}` · " if s.id else ""
        out.append(f"{ident}_{_kinds(s)}_")
        out.append("")
        lines = []
        for bd in _changed_blocks(s):
            parts = []
            for op, text in bd.ops:
                body = _gfm(text)
                parts.append(body if op == "equal" else f"<{_TAG[op]}>{body}</{_TAG[op]}>")
            shown = "Heading:" if bd.kind == BlockKind.HEADING else bd.block.prefix.strip()
            prefix = _gfm(shown)
            lines.append("- " + (prefix + " " if prefix else "") + "".join(parts))
        if not lines:
            lines.append("- moved; text unchanged")
        out.extend(lines)
        out.append("")
    return "\n".join(out)
