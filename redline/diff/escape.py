"""Policy text written into an output: escaped, with its changes marked.

Every piece of policy text is escaped in every output: a `<script>` written in a policy is
shown as text, never run, and control characters (invalid in HTML, able to drive a terminal)
are shown as their pictures. Insertions are `<ins>` and deletions `<del>` (plain elements; the
site's CSS adds words before/after them so the difference does not rely on colour).
"""

from __future__ import annotations

import re

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
_SHOWN_SPECIAL_RE = re.compile(r"[\\`<]")
# `<br>` as html() escapes it: the one element of the gate's allowlist that is a line break.
_BR = re.compile(r"&lt;br\s*/?&gt;", re.I)


def line_breaks(escaped: str) -> str:
    """Escaped text with each `<br>` the policy wrote made a line break again: the page
    breaks the line there (the gate allows `<br>`, common in table cells), so a comparison
    or redline that printed "<br>" would not quote the text as its version shows it. `<br>`
    is void and takes no attribute here, so it nests anywhere, inside <ins> or <del> too."""
    return _BR.sub("<br>", escaped) if "&lt;" in escaped else escaped


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
            out.append(line_breaks("".join(plain)))
            plain = []
            fence = len(token) - len(token.lstrip("`"))
            out.append("<code>" + html(token[fence:-fence].strip()) + "</code>")
        elif token[0] == "\\" and len(token) == 2 and token[1] in _UNESCAPED:
            plain.append(html(token[1]))
        else:
            plain.append(html(token))
    out.append(line_breaks("".join(plain)))
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
        return line_breaks(html(text))
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
    return line_breaks("".join(out))


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
