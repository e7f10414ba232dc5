"""Raw HTML and comments in a policy, found exactly where Python-Markdown finds them.

Sections are matched by the ids of their headings, so a heading the reader never sees must
not count as one. A heading inside an HTML comment (`<!-- ## 1. 처리 목적 {#purposes} -->`)
or inside a raw HTML block (`<div>...</div>`) is not a heading on the page: Python-Markdown
stashes such blocks away before it looks for headings. Rather than imitate that (a comment
that closes on a heading line, `--> ## 1. ...`, turns the rest of the line into a
paragraph), the parser asks Python-Markdown's own preprocessors which lines are raw HTML.

Only a text with a line starting with `<` can hold a raw HTML block, so every other text
(nearly every policy) skips this step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

MAY_HOLD_HTML = re.compile(r"(?m)^[ \t]*<")
_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")


@cache
def _markdown():
    import markdown  # only a text with raw HTML needs it

    return markdown.Markdown()


@dataclass(frozen=True)
class RawBlock:
    """A raw HTML block as the page holds it: a comment shows nothing."""

    source: str

    @property
    def is_comment(self) -> bool:
        return self.source.lstrip().startswith("<!--")


def normalize(text: str) -> str:
    """Python-Markdown's whitespace normalisation, which keeps the number of lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    return re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(4))


def _line_numbers(source: str, lines: list[str], blocks: dict[str, RawBlock]) -> list[int]:
    """The line of `source` each preprocessed line comes from (its first line for a block)."""
    numbers, pos = [], 0
    for line in lines:
        placeholder = _PLACEHOLDER.search(line)
        piece = blocks[placeholder.group(0)].source if placeholder else line
        found = source.find(piece, pos) if piece else -1
        start = found if found >= 0 else pos
        numbers.append(source.count("\n", 0, start) + 1)
        if found >= 0:
            pos = found + len(piece)
    return numbers


def preprocess(text: str) -> tuple[list[str], dict[str, RawBlock], list[int]]:
    """The lines Python-Markdown's block parser sees: every raw HTML block replaced by a
    placeholder line; what each placeholder stands for; each line's number in `text`."""
    if not MAY_HOLD_HTML.search(text):
        lines = text.split("\n")
        return lines, {}, list(range(1, len(lines) + 1))
    md = _markdown()
    md.reset()
    lines = text.split("\n")
    for name in ("normalize_whitespace", "html_block"):
        lines = md.preprocessors[name].run(lines)
    stash = md.htmlStash.rawHtmlBlocks
    blocks = {
        m.group(0): RawBlock(str(stash[int(m.group(1))]))
        for line in lines
        for m in _PLACEHOLDER.finditer(line)
    }
    return lines, blocks, _line_numbers(text, lines, blocks)


def placeholder_in(line: str) -> re.Match[str] | None:
    return _PLACEHOLDER.search(line)
