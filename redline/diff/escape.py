"""Policy text written into an output: escaped, with its changes marked.

Every piece of policy text is escaped in every output: a `<script>` written in a policy is
shown as text, never run, and control characters (invalid in HTML, able to drive a terminal)
are shown as their pictures. Insertions are `<ins>` and deletions `<del>` (plain elements; the
site's CSS adds words before/after them so the difference does not rely on colour).
"""

from __future__ import annotations

import re
from html import unescape

from ..visible import visible
from .tokens import tokenize

_TAG = {"insert": "ins", "delete": "del"}

# Characters that could open an emphasis, a code span or a link inside <ins>/<del>.
_MD_SPECIAL = frozenset("\\`*_[]")
# Text without these is escaped as a whole (most runs are plain words).
_MD_SPECIAL_RE = re.compile(r"[\\`*_\[\]]")
_MD_TOKEN_START_RE = re.compile(r"[\\`\]]")  # code spans, escapes, link targets

# GitHub-flavoured Markdown: every ASCII punctuation mark may be backslash-escaped.
_GFM_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~")
_BACKTICKS = re.compile("`+")


def html(text: str) -> str:
    """HTML-escape text content (&, <, >); control characters become visible pictures."""
    return visible(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


# What Python-Markdown (with the tables extension) unescapes: `\\|` shows "|", `\\<` stays.
_UNESCAPED = frozenset("\\`*_{}[]()>#+-.!|")
_SHOWN_SPECIAL_RE = re.compile(r"[\\`<&]")
# `<br>` as html() escapes it: the one element of the gate's allowlist that is a line break.
_BR = re.compile(r"&lt;br\s*/?&gt;", re.I)
# A phrasing element of the gate's allowlist, written without attributes, as html() escapes it.
_PHRASING = re.compile(r"&lt;(/?)(u|sup|sub|b|i|s|em|strong|mark|small)&gt;", re.I)
# A character reference as html() escapes it; Python-Markdown keeps those ending in ";".
_REFERENCE = re.compile(r"&amp;(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def as_shown(escaped: str, *, markdown: bool = False) -> str:
    """Escaped policy text with what the page makes of two bits of markup put back.

    A `<br>` the policy wrote becomes a line break again: the gate allows it (Korean tables
    use it in cells) and the page breaks the line there; it is void and takes no attribute
    here, so it nests anywhere, inside <ins> or <del> too. A character reference
    (`&middot;`, `&nbsp;`, left by word processors) becomes its character, itself escaped
    and made visible, so `&#60;b&#62;` stays text and `&#x202E;` shows as a code point;
    for Python-Markdown (`markdown`) ASCII punctuation stays a reference, since `&#91;` is
    no link on the page and must not become one in the redline.
    Otherwise the comparison and the redline would not quote the text as its page shows it.
    """
    if "&" not in escaped:
        return escaped
    decode = _markdown_reference if markdown else _reference
    return _REFERENCE.sub(decode, _inline_tags(_BR.sub("<br>", escaped)))


def _inline_tags(escaped: str) -> str:
    """Each `<u>…</u>` (or `<sup>`, `<b>`…, without attributes) closed in the same piece of
    text made an element again; one opened or closed elsewhere stays text, so that the
    elements nest inside the <ins>/<del> around the piece."""
    if "&lt;" not in escaped:
        return escaped
    open_tags: list[re.Match[str]] = []
    paired: list[tuple[int, int, str]] = []
    for match in _PHRASING.finditer(escaped):
        name = match.group(2).lower()
        if not match.group(1):
            open_tags.append(match)
        elif open_tags and open_tags[-1].group(2).lower() == name:
            start = open_tags.pop()
            paired += [(start.start(), start.end(), f"<{name}>"), (*match.span(), f"</{name}>")]
        else:
            open_tags.clear()  # a stray end tag: nothing opened before it may pair across it
    out: list[str] = []
    pos = 0
    for start, end, tag in sorted(paired):  # joined once: a long text has many tags
        out += [escaped[pos:start], tag]
        pos = end
    out.append(escaped[pos:])
    return "".join(out)


def _referenced(match: re.Match[str]) -> str | None:
    """The characters a reference stands for; None for a name HTML does not know."""
    written = f"&{match.group(1)};"
    characters = unescape(written)
    return None if characters == written else characters


def _reference(match: re.Match[str]) -> str:
    characters = _referenced(match)
    return match.group(0) if characters is None else html(characters)


def _markdown_reference(match: re.Match[str]) -> str:
    characters = _referenced(match)
    if characters is None:
        return match.group(0)
    return "".join(
        f"&#{ord(c)};" if c.isascii() and not c.isalnum() and not c.isspace() else html(c)
        for c in characters
    )


def shown_html(text: str) -> str:
    """HTML of inline policy text as its page shows it: a backslash escape as the character it
    escapes, a code span as <code> and `<br>` as a line break, as Python-Markdown renders
    them, so that the comparison quotes each version as the reader sees it (a pipe in a
    table cell has to be written `\\|`: the comparison must not show the backslash).
    Everything else is escaped; the content of a code span is never read as a tag."""
    if not _SHOWN_SPECIAL_RE.search(text):
        return html(text)
    out: list[str] = []
    plain: list[str] = []
    for token in tokenize(text):
        if token[0] == "`" and len(token) > 1:  # `tokenize` keeps a code span whole
            out.append(as_shown("".join(plain)))
            plain = []
            fence = len(token) - len(token.lstrip("`"))
            out.append("<code>" + html(token[fence:-fence].strip()) + "</code>")
        elif token[0] == "\\" and len(token) == 2 and token[1] in _UNESCAPED:
            plain.append(html(token[1]))
        else:
            plain.append(html(token))
    out.append(as_shown("".join(plain)))
    return "".join(out)


def html_attr(text: str) -> str:
    """HTML-escape an attribute value written between double quotes."""
    return html(text).replace('"', "&quot;")


def marked(op: str, body: str) -> str:
    """A changed run's (escaped) body in its element: <ins> for an insertion, <del> else."""
    return f"<{_TAG[op]}>{body}</{_TAG[op]}>"


def markdown(text: str, *, escape_markdown: bool) -> str:
    """Policy text for Python-Markdown: HTML-escaped, Markdown syntax kept unless told to
    escape it (code spans, escapes written in the policy and link targets stay whole)."""
    if not (_MD_SPECIAL_RE if escape_markdown else _MD_TOKEN_START_RE).search(text):
        return as_shown(html(text), markdown=True)
    out: list[str] = []
    for token in tokenize(text):
        first = token[0]
        if first == "`" and len(token) > 1:
            out.append(visible(token))  # a whole code span: Markdown escapes its content
        elif first == "\\" and len(token) == 2:
            # An escape written in the policy; "<", ">" and "&" are made literal by escaping.
            out.append(html(token[1]) if token[1] in "<>&" else token)
        elif first == "]" and len(token) > 1:  # a link target "](url)"
            target = visible(token.replace("<", "&lt;").replace(">", "&gt;"))
            out.append("\\" + target if escape_markdown else target)
        elif escape_markdown and token in _MD_SPECIAL:
            out.append("\\" + token)
        else:
            out.append(html(token))
    return as_shown("".join(out), markdown=True)


def code(text: str) -> str:
    """Policy text as a Markdown code span, whatever backticks it holds: fenced by a longer
    run of them (with a space inside where it starts or ends with one, which CommonMark and
    Python-Markdown strip), so that nothing after a backtick in it is read as markup."""
    text = visible(text)
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def gfm(text: str) -> str:
    """Policy text for GitHub-flavoured Markdown: every Markdown punctuation mark escaped."""
    text = visible(text)
    return "".join(html(c) if c in "<>&" else ("\\" + c if c in _GFM_SPECIAL else c) for c in text)
