"""A heading line read in one place: its level, its text, its attribute list and its id.

The block parser uses it to give sections their ids, and the renderers to keep a heading's id
once in a redline; so both always agree on what a heading's id is. An attribute list is the
Python-Markdown attr_list written at the end of a heading: `## 보유 기간 {#retention .note}`.
"""

from __future__ import annotations

import re

# As Python-Markdown reads them (not CommonMark): the `#`s start the line, no space needed
# after them; ` ## x` (indented) is a paragraph on the page, so it is one here too.
_ATX_RE = re.compile(r"^(#{1,6})(.*?)[ \t]*$")
_CLOSING_HASHES_RE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_TRAILING_ATTRS_RE = re.compile(r"(?:^|[ \t]+)\{:?[ \t]*[^{}\n]*?[ \t]*\}[ \t]*$")
_ATTRS_RE = re.compile(r"^\{:?\s*(.*?)\s*\}$")
_ID_RE = re.compile(r"(?:^|\s)#([^\s#{}]+)")


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, content) of an ATX heading line (`## 3. 보유 기간 {#retention}`), else None."""
    m = _ATX_RE.match(line)
    return (len(m.group(1)), m.group(2).strip()) if m else None


def split_heading(content: str) -> tuple[str, str]:
    """(text, attribute list) of a heading's content, both as written.

    The text loses its closing `#`s and the attribute list; the attribute list is "" when
    there is none, else as written from `{` to `}` (`{#retention}`, `{: #retention .note }`).
    """
    attrs = ""
    m = _TRAILING_ATTRS_RE.search(content)
    if m:
        attrs = content[m.start() :].strip()
        content = content[: m.start()]
    return _CLOSING_HASHES_RE.sub("", content), attrs


def attrs_body(attrs: str) -> str | None:
    """What an attribute list holds between its braces (`#retention .note`), else None."""
    m = _ATTRS_RE.match(attrs)
    return m.group(1) if m else None


def attrs_id(attrs: str) -> str | None:
    """The id an attribute list gives (`retention` for `{#retention}`), else None."""
    body = attrs_body(attrs)
    m = _ID_RE.search(body) if body is not None else None
    return m.group(1) if m else None
