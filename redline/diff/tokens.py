"""The token: the unit that texts are aligned on, and that a change marks whole.

Latin text is split into words, numbers (`1,000`, `2025-03-01`, `3.5` stay whole), single
punctuation marks and whitespace runs (kept, so text is reconstructed exactly); inline code
spans, link targets `](…)`, URLs and backslash escapes are single tokens so a change can never
cut them in half. A Hangul run (an eojeol without its punctuation) is one token, and a CJK
ideograph or kana another; why Korean words are neither split further nor kept with their
punctuation, and how a replaced pair of them is refined afterwards, is told in `korean.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache

HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = rf"(?:(?![{HANGUL}{_CJK}])[^\W\d_])"
_TOKEN_RE = re.compile(
    r"``(?:[^`]|`(?!`))+?``"  # inline code spans: never cut in half
    r"|`[^`]+`"
    r"|\\."  # backslash escapes
    r"|\]\((?:[^()\s|]|\([^()\s|]*\))*(?:\s+\"[^\"]*\")?\)"  # link target "](url)"
    r"|https?://[^\s<>\[\]()|\"]*[^\s<>\[\]()|\"'.,;:!?]"
    r"|\s+"
    r"|\d+(?:[.,:/-]\d+)*"
    rf"|[{HANGUL}]+"
    rf"|[{_CJK}]"
    rf"|{_LETTER}+(?:['’]{_LETTER}+)*"
    r"|.",
    re.DOTALL,
)
_WORD_START_RE = re.compile(r"[^\W_]")


def tokenize(text: str) -> list[str]:
    """Split text into tokens; "".join(tokenize(t)) == t always holds."""
    return _TOKEN_RE.findall(text)


@lru_cache(maxsize=2048)
def cached_tokens(text: str) -> tuple[str, ...]:
    """`tokenize`, remembered: a block's text is tokenized to align it and to compare it."""
    return tuple(_TOKEN_RE.findall(text))


@lru_cache(maxsize=2048)
def word_set(text: str) -> frozenset[str]:
    """The distinct tokens of a text other than whitespace: what similarity is measured on."""
    return frozenset(t for t in cached_tokens(text) if not t.isspace())


def is_space(token: str) -> bool:
    return token.isspace()


def is_word(token: str) -> bool:
    """A token that starts with a letter or a digit (a word or a number, not punctuation)."""
    return bool(_WORD_START_RE.match(token))
