"""Changed table rows laid out as tables, for the Markdown and the HTML renderers.

A row's cells each carry their own <ins>/<del>, never one across a pipe; a table always has
the column count of its separator row, since Python-Markdown silently drops extra cells.
Each renderer finds its tables as runs of table blocks (`run_end`) and gives the cell
renderer: escaped Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .blocks import split_cells
from .model import Block, BlockDiff, BlockKind, BlockStatus, Op, coalesce
from .tokens import tokenize

ALL_OPS = frozenset({"equal", "insert", "delete"})

RunsRenderer = Callable[[list[Op]], str]  # a cell's runs (outer spaces trimmed) as inline text


def is_whole(bd: BlockDiff) -> bool:
    """Whether the block is only on one side (inserted or deleted whole)."""
    return bd.status in (BlockStatus.INSERTED, BlockStatus.DELETED)


def run_end(blocks: Sequence[BlockDiff], kinds: frozenset[BlockKind], start: int) -> int:
    """The end of the run of blocks of `kinds` that starts at `start`."""
    end = start
    while end < len(blocks) and blocks[end].kind in kinds:
        end += 1
    return end


def cells(
    bd: BlockDiff, render: RunsRenderer, *, pipe: str, show: frozenset[str] = ALL_OPS
) -> list[str]:
    """A table row's cells, each rendered with its own <ins>/<del> (never across a pipe).

    Only runs in `show` are rendered. The pipes of the side shown are the structure; when
    both sides are shown, the new row's: a deleted pipe is then shown struck (as `pipe`), not
    as a boundary, so the text of a deleted column joins its neighbour.
    """
    whole = is_whole(bd)
    structural = show - {"delete"} if "insert" in show else show
    split: list[list[Op]] = [[]]
    for op, text in bd.ops:
        if op not in show:
            continue
        for token in tokenize(text):
            if token != "|":
                split[-1].append((op, token))
            elif whole or op in structural:
                split.append([])
            else:
                split[-1].append((op, pipe))
    if split and not "".join(t for _, t in split[0]).strip():
        split = split[1:]
    if split and not "".join(t for _, t in split[-1]).strip():
        split = split[:-1]
    return [render(_merged(cell)) for cell in split]


def _merged(cell: Sequence[Op]) -> list[Op]:
    """A cell's token runs joined by kind, the outer spaces (layout, not text) trimmed."""
    merged = list(coalesce(cell))
    if merged:
        merged[0] = (merged[0][0], merged[0][1].lstrip())
        merged[-1] = (merged[-1][0], merged[-1][1].rstrip())
    return [(op, t) for op, t in merged if t]


def fit(row: list[str], ncols: int) -> list[str]:
    """Exactly `ncols` cells: Python-Markdown silently drops extra cells, so merge them."""
    if len(row) > ncols:
        row = [*row[: ncols - 1], " ".join(c for c in row[ncols - 1 :] if c)]
    return row + [""] * (ncols - len(row))


def table_groups(run: Sequence[BlockDiff]) -> list[list[BlockDiff]]:
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


def table_layout(
    group: Sequence[BlockDiff], row_cells: Callable[[BlockDiff], list[str]]
) -> tuple[list[str], list[list[str]], Block | None, int]:
    """(header cells, body rows, separator block shown, column count) of one table."""
    seps = [bd for bd in group if bd.kind == BlockKind.TABLE_SEPARATOR]
    sep: Block | None = next((bd.new for bd in seps if bd.new is not None), None)
    if sep is None and seps:
        sep = seps[0].old
    first = next((k for k, bd in enumerate(group) if bd.kind == BlockKind.TABLE_SEPARATOR), 0)
    head_rows = [row_cells(bd) for bd in group[:first]]
    body_rows = [row_cells(bd) for bd in group[first:] if bd.kind != BlockKind.TABLE_SEPARATOR]
    if sep is not None:
        ncols = len(split_cells(sep.source))
    else:
        ncols = max([len(r) for r in head_rows + body_rows] or [1])
    header = [""] * ncols
    for row in head_rows:  # several candidate headers (old and new): merged cell by cell
        header = [h + c for h, c in zip(header, fit(row, ncols), strict=True)]
    return header, [fit(r, ncols) for r in body_rows], sep, ncols
