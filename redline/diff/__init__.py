"""Section-aware diff between two versions of a policy.

Why section-aware: a policy is amended section by section, materiality is decided by section
id (`## 보유 기간 {#retention}`), and a notice must show users, per section, exactly what
changes. So the diff first pairs sections by heading id (a renumbered heading is a one-word
change of its title, a section that changed place is `moved`, not deleted and re-added), then
aligns the blocks of each section pair (paragraphs, list items, table rows), then diffs each
edited block token by token. Each level is diffed independently, which keeps the cost near
linear in the size of the documents even when every paragraph is edited.

What counts as a change: the words. Whitespace inside a block (re-wrapping a paragraph,
CRLF against LF, trailing spaces) is not a change, and neither is Markdown structure alone:
heading level, list marker or numbering (Markdown renumbers ordered lists), indentation and
table column alignment. That structure is kept on each `Block` so the redline can be
rendered as the policy itself is.

The normalised text (`normalized_text`) is what the exactness guarantee is stated on: every
block's normalised text followed by "\n", in document order. A block's normalised text is
its inline Markdown with runs of whitespace collapsed to one space: a heading's text without
the `#` marks and the `{#id}`, a list item's text without its marker, a table row as
`| cell | cell |`, a separator row as `|---|---|`. Over a `DocumentDiff`, the equal and
deleted tokens give back the old document's normalised text exactly, and the equal and
inserted tokens the new one's (`DocumentDiff.iter_ops`).

Token unit. Latin text is split into words, numbers (`1,000`, `2025-03-01`, `3.5` stay
whole), single punctuation marks and whitespace runs (kept, so text is reconstructed
exactly); inline code spans, link targets `](…)`, URLs and backslash escapes are single
tokens so a change can never cut them in half. Korean is agglutinative:
an eojeol (어절, a whitespace-delimited word) is a stem with particles and endings attached,
and amendments often change only the particle (개인정보를 → 개인정보의) or the ending
(수집합니다 → 수집하고). Three options were weighed:

* whole eojeol: 개인정보를 → 개인정보의 marks the whole word, hiding that only the particle
  changed;
* one syllable per token: the diff becomes confetti (보유 → 보관 shows 보 as unchanged, and
  SequenceMatcher happily matches stray common syllables such as 의 or 을 across unrelated
  words);
* splitting particles off with a dictionary: without a morphological analyser it mis-splits
  words that merely end in a particle-like syllable (민주주의, 보호제도), and the stdlib has
  none.

Chosen: the Hangul run (eojeol without punctuation) is the token the sequences are aligned
on, and a replaced pair of Hangul words is refined afterwards by their common prefix, only
when that prefix is a real stem: at least two syllables and at least half the shorter word,
or any prefix when both remainders are known particles/endings (법에 → 법의). So
개인정보를 → 개인정보의 shows 개인정보<del>를</del><ins>의</ins>, 수집합니다 → 수집하고 shows
수집<del>합니다</del><ins>하고</ins>, but 보유 → 보관 and 수집 → 수탁 stay whole-word changes.
A replaced run of several words is refined word by word when both sides have the same shape
(회사는 정보주체의 → 회사가 정보주체로부터), otherwise only at its ends.

Cost. Sections are matched through dictionaries and a longest increasing subsequence; blocks
and tokens are aligned with difflib.SequenceMatcher (autojunk off; whitespace tokens are junk
so they never anchor a match) after the common prefix and suffix are cut off. Inputs longer
than a bound are first cut at patience anchors (items unique on both sides), long paragraphs
then at sentences; a stretch still too long and without anchor is one deletion and one
insertion. So no input makes the diff quadratic.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

__all__ = [
    "Block",
    "BlockDiff",
    "BlockKind",
    "BlockStatus",
    "DocumentDiff",
    "Op",
    "OpName",
    "Section",
    "SectionDiff",
    "Status",
    "TABLE_KINDS",
    "diff_documents",
    "diff_texts",
    "normalize_block_text",
    "normalized_text",
    "parse_document",
    "split_cells",
    "tokenize",
]

from .blocks import normalize_block_text, normalized_text, parse_document, split_cells
from .korean import refine_replace
from .model import (
    TABLE_KINDS,
    Block,
    BlockDiff,
    BlockKind,
    BlockStatus,
    DocumentDiff,
    Op,
    OpName,
    Section,
    SectionDiff,
    Status,
)
from .tokens import cached_tokens, is_space, tokenize, word_set

# --------------------------------------------------------------------------------------
# Token-level diff

# SequenceMatcher costs O(n x matches) on long inputs with many repeated items. Inputs longer
# than these limits are first cut at anchors (items that occur exactly once on each side, in
# order, as in patience diff); a stretch still too long with no anchor is replaced whole.
_TOKEN_LIMIT = 1200
_BLOCK_LIMIT = 400
_MAX_DEPTH = 12

Opcode = tuple[str, int, int, int, int]


def _opcodes(
    a: Sequence[str],
    b: Sequence[str],
    limit: int,
    isjunk: Callable[[str], bool] | None = None,
) -> list[Opcode]:
    """SequenceMatcher opcodes (autojunk off), with near-linear cost on long inputs."""
    out: list[Opcode] = []
    _opcodes_into(a, 0, len(a), b, 0, len(b), limit, isjunk, out, 0)
    merged: list[Opcode] = []
    for op in out:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] and op[0] in ("equal", "delete", "insert"):
            t, i1, _, j1, _ = merged[-1]
            merged[-1] = (t, i1, op[2], j1, op[4])
        else:
            merged.append(op)
    return merged


def _opcodes_into(
    a: Sequence[str],
    alo: int,
    ahi: int,
    b: Sequence[str],
    blo: int,
    bhi: int,
    limit: int,
    isjunk: Callable[[str], bool] | None,
    out: list[Opcode],
    depth: int,
) -> None:
    p = 0
    while alo + p < ahi and blo + p < bhi and a[alo + p] == b[blo + p]:
        p += 1
    out.append(("equal", alo, alo + p, blo, blo + p))
    alo, blo = alo + p, blo + p
    s = 0
    while ahi - s > alo and bhi - s > blo and a[ahi - 1 - s] == b[bhi - 1 - s]:
        s += 1
    ahi, bhi = ahi - s, bhi - s
    tail = ("equal", ahi, ahi + s, bhi, bhi + s)
    if alo == ahi or blo == bhi:
        out.append(("delete", alo, ahi, blo, blo))
        out.append(("insert", ahi, ahi, blo, bhi))
    elif (ahi - alo) + (bhi - blo) <= limit:
        sm = SequenceMatcher(isjunk, a[alo:ahi], b[blo:bhi], autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            out.append((tag, alo + i1, alo + i2, blo + j1, blo + j2))
    else:
        anchors = _anchors(a, alo, ahi, b, blo, bhi, isjunk) if depth < _MAX_DEPTH else []
        if not anchors:
            out.append(("replace", alo, ahi, blo, bhi))
        else:
            i0, j0 = alo, blo
            for i, j in anchors:
                _opcodes_into(a, i0, i, b, j0, j, limit, isjunk, out, depth + 1)
                out.append(("equal", i, i + 1, j, j + 1))
                i0, j0 = i + 1, j + 1
            _opcodes_into(a, i0, ahi, b, j0, bhi, limit, isjunk, out, depth + 1)
    out.append(tail)


def _anchors(
    a: Sequence[str],
    alo: int,
    ahi: int,
    b: Sequence[str],
    blo: int,
    bhi: int,
    isjunk: Callable[[str], bool] | None,
) -> list[tuple[int, int]]:
    """Items unique on both sides, as a longest run in the same order on both sides."""
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
    keep = _lis([j for _, j in pairs])
    return [pairs[k] for k in sorted(keep)]


def _coalesce(ops: Sequence[Op]) -> tuple[Op, ...]:
    out: list[Op] = []
    for op, text in ops:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return tuple(out)


def _diff_middle(ta: Sequence[str], tb: Sequence[str]) -> list[Op]:
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in _opcodes(ta, tb, _TOKEN_LIMIT, is_space):
        if tag == "equal":
            out.append(("equal", "".join(ta[i1:i2])))
        elif tag == "delete":
            out.append(("delete", "".join(ta[i1:i2])))
        elif tag == "insert":
            out.append(("insert", "".join(tb[j1:j2])))
        elif (i2 - i1) + (j2 - j1) <= _TOKEN_LIMIT:
            out.extend(refine_replace(ta[i1:i2], tb[j1:j2]))
        else:
            out.extend(_diff_sentences(ta[i1:i2], tb[j1:j2]))
    return out


_SENTENCE_END = frozenset({".", "!", "?", ";", "。", "|"})


def _sentences(tokens: Sequence[str]) -> list[str]:
    out: list[str] = []
    start = 0
    for k, token in enumerate(tokens):
        if token in _SENTENCE_END:
            out.append("".join(tokens[start : k + 1]))
            start = k + 1
    if start < len(tokens):
        out.append("".join(tokens[start:]))
    return out


def _diff_sentences(ta: Sequence[str], tb: Sequence[str]) -> list[Op]:
    """A long stretch without anchor words: align sentences, then words inside short runs."""
    sa, sb = _sentences(ta), _sentences(tb)
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in _opcodes(sa, sb, _BLOCK_LIMIT):
        xa, xb = "".join(sa[i1:i2]), "".join(sb[j1:j2])
        if tag == "equal":
            out.append(("equal", xa))
            continue
        if tag != "replace":
            out.append(("delete", xa))
            out.append(("insert", xb))
            continue
        # pair similar sentences in order, as blocks are paired
        ra, rb = sa[i1:i2], sb[j1:j2]
        wa = [frozenset(tokenize(x)) - {" "} for x in ra]
        wb = [frozenset(tokenize(y)) - {" "} for y in rb]

        i = j = 0
        while i < len(ra) or j < len(rb):
            if i < len(ra) and j < len(rb) and _similar_sets(wa[i], wb[j]):
                out.extend(_diff_small(ra[i], rb[j]))
                i, j = i + 1, j + 1
            elif i < len(ra) and (
                j >= len(rb) or (i + 1 < len(ra) and _similar_sets(wa[i + 1], wb[j]))
            ):
                out.append(("delete", ra[i]))
                i += 1
            elif j < len(rb) and (
                i >= len(ra) or (j + 1 < len(rb) and _similar_sets(wa[i], wb[j + 1]))
            ):
                out.append(("insert", rb[j]))
                j += 1
            else:
                out.append(("delete", ra[i]))
                out.append(("insert", rb[j]))
                i, j = i + 1, j + 1
    return out


def _similar_sets(x: frozenset[str], y: frozenset[str]) -> bool:
    return bool(x and y) and 2 * len(x & y) >= _PAIR_THRESHOLD * (len(x) + len(y))


def _diff_small(x: str, y: str) -> list[Op]:
    ta, tb = tokenize(x), tokenize(y)
    if len(ta) + len(tb) > _TOKEN_LIMIT:
        return [("delete", x), ("insert", y)]
    return _diff_middle(ta, tb)


def diff_texts(a: str, b: str) -> tuple[Op, ...]:
    """Token diff of two normalised texts, as coalesced runs."""
    if a == b:
        return (("equal", a),) if a else ()
    ta, tb = cached_tokens(a), cached_tokens(b)
    n, m = len(ta), len(tb)
    p = 0
    while p < n and p < m and ta[p] == tb[p]:
        p += 1
    s = 0
    while s < n - p and s < m - p and ta[n - 1 - s] == tb[m - 1 - s]:
        s += 1
    ma, mb = ta[p : n - s], tb[p : m - s]
    ops: list[Op] = [("equal", "".join(ta[:p]))]
    if not ma or not mb:
        ops.append(("delete", "".join(ma)))
        ops.append(("insert", "".join(mb)))
    else:
        ops.extend(_diff_middle(ma, mb))
    ops.append(("equal", "".join(ta[n - s :])))
    return _slide_pipes(_coalesce(ops))


def _slide_pipes(ops: tuple[Op, ...]) -> tuple[Op, ...]:
    """Start an inserted/deleted table column at its pipe: `a |[- b |-]` -> `a [-| b -]|`."""
    out = list(ops)
    if out and out[-1][0] != "equal":
        out.append(("equal", ""))
    for k in range(1, len(out) - 1):
        (p_op, p_text), (op, text), (n_op, n_text) = out[k - 1], out[k], out[k + 1]
        if (
            p_op == "equal"
            and n_op == "equal"
            and op != "equal"
            and text.endswith("|")
            and p_text.endswith("|")
            and not text.endswith("\\|")
            and not p_text.endswith("\\|")
        ):
            out[k - 1] = ("equal", p_text[:-1])
            out[k] = (op, "|" + text[:-1])
            out[k + 1] = ("equal", "|" + n_text)
    return tuple((op, t) for op, t in out if t)


# --------------------------------------------------------------------------------------
# Block alignment

_PAIR_THRESHOLD = 0.4  # word-set Dice similarity above which replaced blocks are word-diffed
_DP_LIMIT = 400  # replaced-hunk size (old blocks x new blocks) paired optimally; above, greedily


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


def _pair(a: Block, b: Block) -> BlockDiff:
    return BlockDiff(a, b, diff_texts(a.text, b.text))


def _deleted(a: Block) -> BlockDiff:
    return BlockDiff(a, None, (("delete", a.text),) if a.text else ())


def _inserted(b: Block) -> BlockDiff:
    return BlockDiff(None, b, (("insert", b.text),) if b.text else ())


def _pair_replaced(xa: Sequence[Block], xb: Sequence[Block]) -> list[BlockDiff]:
    """Pair similar blocks of a replaced hunk, keeping order; the rest are deleted/inserted."""
    n, m = len(xa), len(xb)
    pairs: list[tuple[int, int]] = []
    if n * m <= _DP_LIMIT:
        sim = [[_similarity(x, y) for y in xb] for x in xa]
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            row, below = score[i], score[i + 1]
            for j in range(m - 1, -1, -1):
                best = max(below[j], row[j + 1])
                s = sim[i][j]
                if s >= _PAIR_THRESHOLD:
                    best = max(best, s + below[j + 1])
                row[j] = best
        i = j = 0
        while i < n and j < m:
            s = sim[i][j]
            if s >= _PAIR_THRESHOLD and score[i][j] == s + score[i + 1][j + 1]:
                pairs.append((i, j))
                i += 1
                j += 1
            elif score[i + 1][j] >= score[i][j + 1]:
                i += 1
            else:
                j += 1
    else:
        i = j = 0
        while i < n and j < m:
            if _similarity(xa[i], xb[j]) >= _PAIR_THRESHOLD:
                pairs.append((i, j))
                i += 1
                j += 1
            elif i + 1 < n and _similarity(xa[i + 1], xb[j]) >= _PAIR_THRESHOLD:
                i += 1
            else:
                j += 1
    out: list[BlockDiff] = []
    pi = pj = 0
    for i, j in [*pairs, (n, m)]:
        out.extend(_deleted(x) for x in xa[pi:i])
        out.extend(_inserted(y) for y in xb[pj:j])
        if i < n and j < m:
            out.append(_pair(xa[i], xb[j]))
        pi, pj = i + 1, j + 1
    return out


def _align_blocks(a: Sequence[Block], b: Sequence[Block]) -> list[BlockDiff]:
    n, m = len(a), len(b)
    p = 0
    while p < n and p < m and a[p].text == b[p].text:
        p += 1
    s = 0
    while s < n - p and s < m - p and a[n - 1 - s].text == b[m - 1 - s].text:
        s += 1
    out = [BlockDiff(a[k], b[k], (("equal", a[k].text),) if a[k].text else ()) for k in range(p)]
    ma, mb = a[p : n - s], b[p : m - s]
    if ma and mb:
        keys_a, keys_b = [x.text for x in ma], [y.text for y in mb]
        for tag, i1, i2, j1, j2 in _opcodes(keys_a, keys_b, _BLOCK_LIMIT):
            if tag == "equal":
                for x, y in zip(ma[i1:i2], mb[j1:j2], strict=True):
                    out.append(BlockDiff(x, y, (("equal", x.text),) if x.text else ()))
            elif tag == "delete":
                out.extend(_deleted(x) for x in ma[i1:i2])
            elif tag == "insert":
                out.extend(_inserted(y) for y in mb[j1:j2])
            else:
                out.extend(_pair_replaced(ma[i1:i2], mb[j1:j2]))
    else:
        out.extend(_deleted(x) for x in ma)
        out.extend(_inserted(y) for y in mb)
    out.extend(
        BlockDiff(a[k], b[k - n + m], (("equal", a[k].text),) if a[k].text else ())
        for k in range(n - s, n)
    )
    return out


def _diff_sections(a: Section, b: Section) -> list[BlockDiff]:
    if [x.text for x in a.blocks] == [y.text for y in b.blocks]:
        return [
            BlockDiff(x, y, (("equal", x.text),) if x.text else ())
            for x, y in zip(a.blocks, b.blocks, strict=True)
        ]
    ha = a.blocks and a.blocks[0].kind == BlockKind.HEADING
    hb = b.blocks and b.blocks[0].kind == BlockKind.HEADING
    if ha and hb:
        # Matched sections: their titles are paired whatever the text, so a renumbered
        # heading is a word change, never a deleted and an inserted heading.
        return [_pair(a.blocks[0], b.blocks[0]), *_align_blocks(a.blocks[1:], b.blocks[1:])]
    return _align_blocks(a.blocks, b.blocks)


# --------------------------------------------------------------------------------------
# Section matching


def _lis(values: Sequence[int]) -> set[int]:
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


def _section_similarity(a: Section, b: Section) -> float:
    title = SequenceMatcher(None, a.title, b.title, autojunk=False).ratio()
    wa: set[str] = set()
    wb: set[str] = set()
    for x in a.blocks[1:]:
        wa |= word_set(x.text)
    for y in b.blocks[1:]:
        wb |= word_set(y.text)
    body = 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0
    return max(title, body)


def _match_sections(old: Sequence[Section], new: Sequence[Section]) -> dict[int, int]:
    """new index -> old index: by id, then (for headings without id) by title, by position."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    old_by_id = {s.id: s.index for s in old if s.explicit}
    for s in new:
        if s.explicit and s.id in old_by_id:
            pairs[s.index] = old_by_id[s.id]
            used.add(old_by_id[s.id])

    def allowed(o: Section, s: Section) -> bool:
        return o.index not in used and not (o.explicit and s.explicit)

    by_title: dict[str, list[Section]] = {}
    for o in old:
        if o.index not in used:
            by_title.setdefault(o.title, []).append(o)
    for s in new:
        if s.index in pairs:
            continue
        for o in by_title.get(s.title, ()):
            if allowed(o, s):
                pairs[s.index] = o.index
                used.add(o.index)
                break

    # Position: inside each gap between sections matched in order, pair the leftovers that
    # look alike (a heading without id whose title was reworded).
    order = sorted(pairs)
    keep = _lis([pairs[j] for j in order])
    anchors = [(-1, -1)] + [(pairs[order[k]], order[k]) for k in sorted(keep)]
    anchors.append((len(old), len(new)))
    for (o1, n1), (o2, n2) in zip(anchors, anchors[1:], strict=False):
        olds = [o for o in old[o1 + 1 : o2] if o.index not in used]
        news = [s for s in new[n1 + 1 : n2] if s.index not in pairs]
        k = 0
        for s in news:
            for t in range(k, min(k + 4, len(olds))):
                o = olds[t]
                if allowed(o, s) and o.level == s.level and _section_similarity(o, s) >= 0.5:
                    pairs[s.index] = o.index
                    used.add(o.index)
                    k = t + 1
                    break
    return pairs


def _section_diff(o: Section | None, n: Section | None, moved: bool) -> SectionDiff:
    if o is None:
        assert n is not None
        blocks = tuple(_inserted(b) for b in n.blocks)
        return SectionDiff(n.id, None, n.title, Status.ADDED, False, blocks, None, n)
    if n is None:
        blocks = tuple(_deleted(b) for b in o.blocks)
        return SectionDiff(o.id, o.title, None, Status.DELETED, False, blocks, o, None)
    blocks = tuple(_diff_sections(o, n))
    changed = any(b.status != BlockStatus.EQUAL for b in blocks)
    sid = n.id if n.explicit or not o.explicit else o.id
    status = Status.CHANGED if changed else Status.UNCHANGED
    return SectionDiff(sid, o.title, n.title, status, moved, blocks, o, n)


def diff_documents(old: str, new: str) -> DocumentDiff:
    """Diff two versions of a policy body (front matter already removed)."""
    a = parse_document(old)
    b = parse_document(new)
    pairs = _match_sections(a, b)
    order = sorted(pairs)
    in_order = {order[k] for k in _lis([pairs[j] for j in order])}
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
