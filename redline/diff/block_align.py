"""The blocks of two matched sections aligned: which block became which, and its token diff.

Blocks are aligned on their normalised text (`align.py`); in a replaced stretch, blocks of the
same family (headings, table rows, separators, text) that share enough words are paired and
diffed token by token (`text_diff.py`), and the others are deleted or inserted whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from .align import BLOCK_LIMIT, PAIR_THRESHOLD, common_ends, opcodes
from .model import TABLE_KINDS, Block, BlockDiff, BlockKind, Section
from .text_diff import diff_texts
from .tokens import word_set

_DP_LIMIT = 400  # replaced-hunk size (old blocks x new blocks) paired optimally; above, greedily


def diff_section_blocks(a: Section, b: Section) -> list[BlockDiff]:
    """The block diffs of a section of the old document matched with one of the new."""
    if [x.text for x in a.blocks] == [y.text for y in b.blocks]:
        return [_same(x, y) for x, y in zip(a.blocks, b.blocks, strict=True)]
    ha = a.blocks and a.blocks[0].kind == BlockKind.HEADING
    hb = b.blocks and b.blocks[0].kind == BlockKind.HEADING
    if ha and hb:
        # Matched sections: their titles are paired whatever the text, so a renumbered
        # heading is a word change, never a deleted and an inserted heading.
        return [_pair(a.blocks[0], b.blocks[0]), *_align_blocks(a.blocks[1:], b.blocks[1:])]
    return _align_blocks(a.blocks, b.blocks)


def deleted(a: Block) -> BlockDiff:
    """A block of the old document that the new one does not have."""
    return BlockDiff(a, None, (("delete", a.text),) if a.text else ())


def inserted(b: Block) -> BlockDiff:
    """A block of the new document that the old one did not have."""
    return BlockDiff(None, b, (("insert", b.text),) if b.text else ())


def _same(a: Block, b: Block) -> BlockDiff:
    return BlockDiff(a, b, (("equal", a.text),) if a.text else ())


def _pair(a: Block, b: Block) -> BlockDiff:
    return BlockDiff(a, b, diff_texts(a.text, b.text))


def _unpaired(xa: Sequence[Block], xb: Sequence[Block]) -> list[BlockDiff]:
    return [*(deleted(x) for x in xa), *(inserted(y) for y in xb)]


def _align_blocks(a: Sequence[Block], b: Sequence[Block]) -> list[BlockDiff]:
    keys_a, keys_b = [x.text for x in a], [y.text for y in b]
    n, m = len(a), len(b)
    p, s = common_ends(keys_a, keys_b)
    out = [_same(a[k], b[k]) for k in range(p)]
    ma, mb = a[p : n - s], b[p : m - s]
    for tag, i1, i2, j1, j2 in opcodes(keys_a[p : n - s], keys_b[p : m - s], BLOCK_LIMIT):
        if tag == "equal":
            out.extend(_same(x, y) for x, y in zip(ma[i1:i2], mb[j1:j2], strict=True))
        elif tag == "replace":
            out.extend(_pair_replaced(ma[i1:i2], mb[j1:j2]))
        else:
            out.extend(_unpaired(ma[i1:i2], mb[j1:j2]))
    out.extend(_same(a[k], b[k - n + m]) for k in range(n - s, n))
    return out


def _family(kind: BlockKind) -> str:
    if kind == BlockKind.TABLE_SEPARATOR:
        return "separator"
    if kind in TABLE_KINDS:
        return "row"
    if kind == BlockKind.HEADING:
        return "heading"
    return "text"


def _similarity(a: Block, b: Block) -> float:
    if _family(a.kind) != _family(b.kind):
        return 0.0
    if a.kind == BlockKind.TABLE_SEPARATOR or a.text == b.text:
        return 1.0
    wa, wb = word_set(a.text), word_set(b.text)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def _pair_replaced(xa: Sequence[Block], xb: Sequence[Block]) -> list[BlockDiff]:
    """Pair similar blocks of a replaced hunk, keeping order; the rest are deleted/inserted."""
    n, m = len(xa), len(xb)
    pairs = _best_pairs(xa, xb) if n * m <= _DP_LIMIT else _greedy_pairs(xa, xb)
    out: list[BlockDiff] = []
    pi = pj = 0
    for i, j in [*pairs, (n, m)]:
        out.extend(_unpaired(xa[pi:i], xb[pj:j]))
        if i < n and j < m:
            out.append(_pair(xa[i], xb[j]))
        pi, pj = i + 1, j + 1
    return out


def _best_pairs(xa: Sequence[Block], xb: Sequence[Block]) -> list[tuple[int, int]]:
    """The pairs in order whose similarities add up to the most (dynamic programming)."""
    n, m = len(xa), len(xb)
    sim = [[_similarity(x, y) for y in xb] for x in xa]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = score[i], score[i + 1]
        for j in range(m - 1, -1, -1):
            best = max(below[j], row[j + 1])
            s = sim[i][j]
            if s >= PAIR_THRESHOLD:
                best = max(best, s + below[j + 1])
            row[j] = best
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= PAIR_THRESHOLD and score[i][j] == s + score[i + 1][j + 1]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif score[i + 1][j] >= score[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _greedy_pairs(xa: Sequence[Block], xb: Sequence[Block]) -> list[tuple[int, int]]:
    """Pairs in order, each block paired with the first similar one (large hunks)."""
    n, m = len(xa), len(xb)
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if _similarity(xa[i], xb[j]) >= PAIR_THRESHOLD:
            pairs.append((i, j))
            i += 1
            j += 1
        elif i + 1 < n and _similarity(xa[i + 1], xb[j]) >= PAIR_THRESHOLD:
            i += 1
        else:
            j += 1
    return pairs
