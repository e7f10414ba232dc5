"""Two sequences aligned at a cost near linear in their length, whatever they hold.

Blocks and tokens are aligned with difflib.SequenceMatcher (autojunk off; whitespace tokens
are junk so they never anchor a match) after the common prefix and suffix are cut off.
SequenceMatcher costs O(n x matches) on long inputs with many repeated items, so inputs longer
than a bound are first cut at patience anchors (items that occur exactly once on each side,
kept in the same order on both sides, as in patience diff); long paragraphs are then cut at
sentences (`text_diff.py`), and a stretch still too long and without anchor is one deletion
and one insertion. Sections are matched through dictionaries and a longest increasing
subsequence (`sections.py`). So no input makes the diff quadratic.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

TOKEN_LIMIT = 1200  # tokens of both sides that SequenceMatcher is given at once, at most
BLOCK_LIMIT = 400  # blocks (or sentences) of both sides that SequenceMatcher is given at once
PAIR_THRESHOLD = 0.4  # word-set Dice similarity above which replaced items are word-diffed
_MAX_DEPTH = 12  # cuts at anchors inside cuts at anchors, at most

Opcode = tuple[str, int, int, int, int]


def common_ends(a: Sequence[object], b: Sequence[object]) -> tuple[int, int]:
    """(p, s): `a` and `b` share their first p items and, after those, their last s items."""
    return _common_ends(a, 0, len(a), b, 0, len(b))


def _common_ends(
    a: Sequence[object], alo: int, ahi: int, b: Sequence[object], blo: int, bhi: int
) -> tuple[int, int]:
    p = 0
    while alo + p < ahi and blo + p < bhi and a[alo + p] == b[blo + p]:
        p += 1
    s = 0
    while ahi - s > alo + p and bhi - s > blo + p and a[ahi - 1 - s] == b[bhi - 1 - s]:
        s += 1
    return p, s


def lis(values: Sequence[int]) -> set[int]:
    """Positions of a longest strictly increasing subsequence of `values` (O(n log n))."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(values)
    for k, v in enumerate(values):
        at = bisect.bisect_left(tails, v)
        if at == len(tails):
            tails.append(v)
            tails_at.append(k)
        else:
            tails[at] = v
            tails_at[at] = k
        prev[k] = tails_at[at - 1] if at else -1
    out: set[int] = set()
    k = tails_at[-1] if tails_at else -1
    while k >= 0:
        out.add(k)
        k = prev[k]
    return out


def opcodes(
    a: Sequence[str],
    b: Sequence[str],
    limit: int,
    isjunk: Callable[[str], bool] | None = None,
) -> list[Opcode]:
    """SequenceMatcher opcodes (autojunk off), with near-linear cost on long inputs.

    Stretches longer than `limit` (both sides together) are cut at anchors first; one left
    without anchor is a single "replace".
    """
    aligner = _Aligner(a, b, limit, isjunk)
    aligner.align(0, len(a), 0, len(b), 0)
    merged: list[Opcode] = []
    for op in aligner.out:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] and op[0] in ("equal", "delete", "insert"):
            t, i1, _, j1, _ = merged[-1]
            merged[-1] = (t, i1, op[2], j1, op[4])
        else:
            merged.append(op)
    return merged


class _Aligner:
    """The opcodes of a[alo:ahi] against b[blo:bhi], appended to `out` in order."""

    def __init__(
        self,
        a: Sequence[str],
        b: Sequence[str],
        limit: int,
        isjunk: Callable[[str], bool] | None,
    ) -> None:
        self.a, self.b, self.limit, self.isjunk = a, b, limit, isjunk
        self.out: list[Opcode] = []

    def align(self, alo: int, ahi: int, blo: int, bhi: int, depth: int) -> None:
        p, s = _common_ends(self.a, alo, ahi, self.b, blo, bhi)
        self.out.append(("equal", alo, alo + p, blo, blo + p))
        alo, blo, ahi, bhi = alo + p, blo + p, ahi - s, bhi - s
        if alo == ahi or blo == bhi:
            self.out.append(("delete", alo, ahi, blo, blo))
            self.out.append(("insert", ahi, ahi, blo, bhi))
        elif (ahi - alo) + (bhi - blo) <= self.limit:
            sm = SequenceMatcher(self.isjunk, self.a[alo:ahi], self.b[blo:bhi], autojunk=False)
            for tag, i1, i2, j1, j2 in sm.get_opcodes():
                self.out.append((tag, alo + i1, alo + i2, blo + j1, blo + j2))
        else:
            anchors = self.anchors(alo, ahi, blo, bhi) if depth < _MAX_DEPTH else []
            if not anchors:
                self.out.append(("replace", alo, ahi, blo, bhi))
            else:
                i0, j0 = alo, blo
                for i, j in anchors:
                    self.align(i0, i, j0, j, depth + 1)
                    self.out.append(("equal", i, i + 1, j, j + 1))
                    i0, j0 = i + 1, j + 1
                self.align(i0, ahi, j0, bhi, depth + 1)
        self.out.append(("equal", ahi, ahi + s, bhi, bhi + s))

    def anchors(self, alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
        """Items unique on both sides, as a longest run in the same order on both sides."""
        a, b, isjunk = self.a, self.b, self.isjunk
        count: dict[str, int] = {}
        for x in a[alo:ahi]:
            count[x] = count.get(x, 0) + 1
        where: dict[str, int] = {}
        for j in range(blo, bhi):
            y = b[j]
            if count.get(y) == 1:
                where[y] = -1 if y in where else j
        pairs = [
            (i, where[a[i]])
            for i in range(alo, ahi)
            if where.get(a[i], -1) >= 0 and not (isjunk and isjunk(a[i]))
        ]
        keep = lis([j for _, j in pairs])
        return [pairs[k] for k in sorted(keep)]
