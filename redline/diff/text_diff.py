"""The token diff of two normalised texts (`diff_texts`): what changed inside one block.

Tokens are aligned after their common prefix and suffix are cut off (`align.py`); a replaced
run of tokens is refined so that only a changed Korean particle or ending is marked
(`korean.py`). A paragraph too long to align token by token is aligned sentence by sentence
first, and similar sentences are then diffed word by word.
"""

from __future__ import annotations

from collections.abc import Sequence

from .align import BLOCK_LIMIT, PAIR_THRESHOLD, TOKEN_LIMIT, common_ends, opcodes
from .korean import refine_replace
from .model import Op, coalesce
from .tokens import cached_tokens, is_space, tokenize

_SENTENCE_END = frozenset({".", "!", "?", ";", "。", "|"})


def diff_texts(a: str, b: str) -> tuple[Op, ...]:
    """Token diff of two normalised texts, as coalesced runs."""
    if a == b:
        return (("equal", a),) if a else ()
    ta, tb = cached_tokens(a), cached_tokens(b)
    n, m = len(ta), len(tb)
    p, s = common_ends(ta, tb)
    ma, mb = ta[p : n - s], tb[p : m - s]
    ops: list[Op] = [("equal", "".join(ta[:p]))]
    if not ma or not mb:
        ops.append(("delete", "".join(ma)))
        ops.append(("insert", "".join(mb)))
    else:
        ops.extend(_diff_middle(ma, mb))
    ops.append(("equal", "".join(ta[n - s :])))
    return _slide_pipes(coalesce(ops))


def _diff_middle(ta: Sequence[str], tb: Sequence[str]) -> list[Op]:
    out: list[Op] = []
    for tag, i1, i2, j1, j2 in opcodes(ta, tb, TOKEN_LIMIT, is_space):
        if tag != "replace":
            out.extend(_unrefined(tag, ta[i1:i2], tb[j1:j2]))
        elif (i2 - i1) + (j2 - j1) <= TOKEN_LIMIT:
            out.extend(refine_replace(ta[i1:i2], tb[j1:j2]))
        else:
            out.extend(_diff_sentences(ta[i1:i2], tb[j1:j2]))
    return out


def _unrefined(tag: str, xa: Sequence[str], xb: Sequence[str]) -> list[Op]:
    """The runs of an equal, deleted or inserted stretch (one of xa, xb is empty unless equal)."""
    if tag == "equal":
        return [("equal", "".join(xa))]
    return [("delete", "".join(xa)), ("insert", "".join(xb))]


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
    for tag, i1, i2, j1, j2 in opcodes(sa, sb, BLOCK_LIMIT):
        if tag != "replace":
            out.extend(_unrefined(tag, sa[i1:i2], sb[j1:j2]))
        else:
            out.extend(_pair_sentences(sa[i1:i2], sb[j1:j2]))
    return out


def _pair_sentences(ra: Sequence[str], rb: Sequence[str]) -> list[Op]:
    """Similar sentences of a replaced run paired in order, as blocks are paired."""
    wa = [frozenset(tokenize(x)) - {" "} for x in ra]
    wb = [frozenset(tokenize(y)) - {" "} for y in rb]
    out: list[Op] = []
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
    return bool(x and y) and 2 * len(x & y) >= PAIR_THRESHOLD * (len(x) + len(y))


def _diff_small(x: str, y: str) -> list[Op]:
    ta, tb = tokenize(x), tokenize(y)
    if len(ta) + len(tb) > TOKEN_LIMIT:
        return [("delete", x), ("insert", y)]
    return _diff_middle(ta, tb)


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
