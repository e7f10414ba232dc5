"""Korean words in a replaced run: only a changed particle or ending is marked.

Korean is agglutinative: an eojeol (어절, a whitespace-delimited word) is a stem with
particles and endings attached, and amendments often change only the particle
(개인정보를 → 개인정보의) or the ending (수집합니다 → 수집하고). Three options were weighed:

* whole eojeol: 개인정보를 → 개인정보의 marks the whole word, hiding that only the particle
  changed;
* one syllable per token: the diff becomes confetti (보유 → 보관 shows 보 as unchanged, and
  SequenceMatcher happily matches stray common syllables such as 의 or 을 across unrelated
  words);
* splitting particles off with a dictionary: without a morphological analyser it mis-splits
  words that merely end in a particle-like syllable (민주주의, 보호제도), and the stdlib has
  none.

Chosen: the Hangul run (eojeol without punctuation) is the token the sequences are aligned
on (`tokens.py`), and a replaced pair of Hangul words is refined afterwards by their common
prefix, only when that prefix is a real stem: at least two syllables and at least half the
shorter word, or any prefix when both remainders are known particles/endings (법에 → 법의). So
개인정보를 → 개인정보의 shows 개인정보<del>를</del><ins>의</ins>, 수집합니다 → 수집하고 shows
수집<del>합니다</del><ins>하고</ins>, but 보유 → 보관 and 수집 → 수탁 stay whole-word changes.
A replaced run of several words is refined word by word when both sides have the same shape
(회사는 정보주체의 → 회사가 정보주체로부터), otherwise only at its ends.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Op
from .tokens import HANGUL, is_word

_HANGUL_RE = re.compile(rf"[{HANGUL}]+")

# Particles (조사) and the commonest verbal endings: used only to confirm that two Hangul words
# differ in their particle, never to split a word that did not change.
_PARTICLE_WORDS = (
    "은 는 이 가 을 를 의 에 에서 에게 께 께서 한테 으로 로 으로서 로서 으로써 로써 와 과 도 만 까지 부터 보다 처럼 이나 나 이며 며 "
    "이고 고 이라 라 이란 란 등 에는 에서는 으로는 로는 에도 과의 와의 만을 까지의 부터의 이라도 라도 한 하는 하여 하고 해 된 되는 된다 "
    "한다 합니다 하며 "
)
_PARTICLES = frozenset(_PARTICLE_WORDS.split()) | {""}


def _is_hangul(token: str) -> bool:
    return _HANGUL_RE.fullmatch(token) is not None


def _prefix_refinable(x: str, y: str) -> int:
    """Length of the common stem worth showing as unchanged in two Hangul words, else 0."""
    if not (_is_hangul(x) and _is_hangul(y)):
        return 0
    p = 0
    limit = min(len(x), len(y))
    while p < limit and x[p] == y[p]:
        p += 1
    if p == 0:
        return 0
    if p >= 2 and 2 * p >= limit:
        return p
    if x[p:] in _PARTICLES and y[p:] in _PARTICLES:
        return p
    return 0


def _refine_word(x: str, y: str) -> list[Op]:
    """One token of the old run against its counterpart in the new run."""
    if x == y:
        return [("equal", x)]
    p = _prefix_refinable(x, y)
    if p:
        return [("equal", x[:p]), ("delete", x[p:]), ("insert", y[p:])]
    return [("delete", x), ("insert", y)]


def _word_by_word(xa: Sequence[str], xb: Sequence[str]) -> list[Op] | None:
    """Runs of the same shape (words where words are) refined word by word, else None."""
    if len(xa) != len(xb):
        return None
    differing = refinable = 0
    for x, y in zip(xa, xb, strict=True):
        if x == y:
            continue
        if not (is_word(x) and is_word(y)):
            return None
        differing += 1
        if _prefix_refinable(x, y):
            refinable += 1
    # a rewritten phrase reads better as one deletion and one insertion
    if differing > 1 and 2 * refinable < differing:
        return None
    return [op for x, y in zip(xa, xb, strict=True) for op in _refine_word(x, y)]


def refine_replace(xa: Sequence[str], xb: Sequence[str]) -> list[Op]:
    """Refine a replaced token run so that only changed particles/endings are marked.

    Runs of the same shape are refined word by word; otherwise only the words at either end
    are peeled off while they share a stem, and the middle is one deletion and one insertion.
    """
    parallel = _word_by_word(xa, xb)
    if parallel is not None:
        return parallel
    head: list[Op] = []
    tail: list[Op] = []
    i, j, ea, eb = 0, 0, len(xa), len(xb)
    while i < ea and j < eb and (xa[i] == xb[j] or _prefix_refinable(xa[i], xb[j])):
        head.extend(_refine_word(xa[i], xb[j]))
        i += 1
        j += 1
    while (
        ea > i
        and eb > j
        and (xa[ea - 1] == xb[eb - 1] or _prefix_refinable(xa[ea - 1], xb[eb - 1]))
    ):
        tail[:0] = _refine_word(xa[ea - 1], xb[eb - 1])
        ea -= 1
        eb -= 1
    return [*head, ("delete", "".join(xa[i:ea])), ("insert", "".join(xb[j:eb])), *tail]
