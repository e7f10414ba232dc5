"""Two versions of a policy diffed section by section (`diff_documents`).

Why section-aware: a policy is amended section by section, materiality is decided by section
id (`## 보유 기간 {#retention}`), and a notice must show users, per section, exactly what
changes. So the diff first pairs sections by heading id (a renumbered heading is a one-word
change of its title, a section that changed place is `moved`, not deleted and re-added), then
aligns the blocks of each section pair (paragraphs, list items, table rows: `block_align.py`),
then diffs each edited block token by token (`text_diff.py`). Each level is diffed
independently, which keeps the cost near linear in the size of the documents even when every
paragraph is edited: sections are matched through dictionaries and a longest increasing
subsequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from .align import lis
from .block_align import deleted, diff_section_blocks, inserted
from .blocks import parse_document
from .model import BlockStatus, DocumentDiff, Section, SectionDiff, SectionStatus
from .tokens import word_set


def diff_documents(old: str, new: str) -> DocumentDiff:
    """Diff two versions of a policy body (front matter already removed)."""
    a = parse_document(old)
    b = parse_document(new)
    pairs = _Matcher(a, b).match()
    in_order = set(_kept_in_order(pairs))
    old_to_new = {o: j for j, o in pairs.items()}

    # A deleted section goes after the nearest earlier old section that kept its place.
    after: dict[int, list[SectionDiff]] = {}
    anchor = 0
    for o in a:
        j = old_to_new.get(o.index)
        if j is None:
            after.setdefault(anchor, []).append(_section_diff(o, None, False))
        elif j in in_order:
            anchor = j
    sections: list[SectionDiff] = []
    for s in b:
        o_index = pairs.get(s.index)
        o_section = a[o_index] if o_index is not None else None
        sections.append(_section_diff(o_section, s, s.index not in in_order))
        sections.extend(after.get(s.index, ()))
    return DocumentDiff(tuple(sections))


def _kept_in_order(pairs: dict[int, int]) -> list[int]:
    """New indices of a largest set of pairs in the same order on both sides, ascending."""
    order = sorted(pairs)
    return [order[k] for k in sorted(lis([pairs[j] for j in order]))]


def _section_diff(o: Section | None, n: Section | None, moved: bool) -> SectionDiff:
    if o is None:
        assert n is not None
        blocks = tuple(inserted(b) for b in n.blocks)
        return SectionDiff(n.id, None, n.title, SectionStatus.ADDED, False, blocks, None, n)
    if n is None:
        blocks = tuple(deleted(b) for b in o.blocks)
        return SectionDiff(o.id, o.title, None, SectionStatus.DELETED, False, blocks, o, None)
    blocks = tuple(diff_section_blocks(o, n))
    changed = any(b.status != BlockStatus.EQUAL for b in blocks)
    sid = n.id if n.explicit or not o.explicit else o.id
    status = SectionStatus.CHANGED if changed else SectionStatus.UNCHANGED
    return SectionDiff(sid, o.title, n.title, status, moved, blocks, o, n)


class _Matcher:
    """Sections of the new document paired with sections of the old: by id, then (for
    headings without id) by title, then by position."""

    def __init__(self, old: Sequence[Section], new: Sequence[Section]) -> None:
        self.old, self.new = old, new
        self.pairs: dict[int, int] = {}  # new index -> old index
        self.used: set[int] = set()  # old indices paired

    def match(self) -> dict[int, int]:
        self.by_id()
        self.by_title()
        self.by_position()
        return self.pairs

    def pair(self, n: int, o: int) -> None:
        self.pairs[n] = o
        self.used.add(o)

    def allowed(self, o: Section, s: Section) -> bool:
        """Whether `o` is free to pair with `s` (two different explicit ids never pair)."""
        return o.index not in self.used and not (o.explicit and s.explicit)

    def by_id(self) -> None:
        old_by_id = {s.id: s.index for s in self.old if s.explicit}
        for s in self.new:
            if s.explicit and s.id in old_by_id:
                self.pair(s.index, old_by_id[s.id])

    def by_title(self) -> None:
        by_title: dict[str, list[Section]] = {}
        for o in self.old:
            if o.index not in self.used:
                by_title.setdefault(o.title, []).append(o)
        for s in self.new:
            if s.index in self.pairs:
                continue
            for o in by_title.get(s.title, ()):
                if self.allowed(o, s):
                    self.pair(s.index, o.index)
                    break

    def by_position(self) -> None:
        """Inside each gap between sections matched in order, pair the leftovers that look
        alike (a heading without id whose title was reworded)."""
        old, new = self.old, self.new
        anchors = [(-1, -1)] + [(self.pairs[j], j) for j in _kept_in_order(self.pairs)]
        anchors.append((len(old), len(new)))
        for (o1, n1), (o2, n2) in zip(anchors, anchors[1:], strict=False):
            olds = [o for o in old[o1 + 1 : o2] if o.index not in self.used]
            news = [s for s in new[n1 + 1 : n2] if s.index not in self.pairs]
            k = 0
            for s in news:
                for t in range(k, min(k + 4, len(olds))):
                    o = olds[t]
                    if self.allowed(o, s) and o.level == s.level and _similar(o, s):
                        self.pair(s.index, o.index)
                        k = t + 1
                        break


def _similar(a: Section, b: Section) -> bool:
    """Titles or bodies alike enough for two sections without id to be one section."""
    title = SequenceMatcher(None, a.title, b.title, autojunk=False).ratio()
    wa: set[str] = set()
    wb: set[str] = set()
    for x in a.blocks[1:]:
        wa |= word_set(x.text)
    for y in b.blocks[1:]:
        wb |= word_set(y.text)
    body = 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0
    return max(title, body) >= 0.5
