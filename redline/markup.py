"""What a policy's text may put on its page: words, and the markup of a legal text.

Policy text is untrusted input: it may change the words of a page, never its behaviour. A
version's body is rendered with Python-Markdown and the extensions a Redline site enables,
as MkDocs will render it (no others: `abbr` would read `*[x]: <script>...` as a harmless
definition where the site shows raw HTML), and every element and attribute of the result
must be on the allowlist below: headings with an id, paragraphs, lists, tables (with
colspan/rowspan and column alignment), emphasis, `<u>`, `<br>`, `<sup>`, links to http(s),
mailto and tel addresses or within the site. Anything else (a script, an event handler,
`hidden`, `style`, `class`, an attribute list `{: onclick=... }`, a `javascript:` link,
even when written with character references) is refused by the gate (R5) with the element
and the fix. The rendered page is read with Python's html.parser; where it reads
differently from a browser's HTML tokenizer (comments ended by `<!-->`, `<!--->` or
`--!>`, CDATA sections, declarations, processing instructions), the construct is refused
rather than trusted.

Rendering costs ~5 ms a text, so only a text that could produce other markup is rendered:
one containing `<`, `&`, an image, an admonition (its type becomes a class), toc's `[TOC]`
marker (a `<div class="toc">`), an attribute list other than a heading's `{#id}` (on any
other line it gives an id to a paragraph), or a link to anything but an ordinary address.
Nearly every policy takes the fast path.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# `redline init`'s, and `fenced_code`, which MkDocs adds to every site's (with `toc` and
# `tables`): with attr_list a fence's `{ onclick=... }` is an attribute on the page.
EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc", "admonition", "fenced_code"]
TEXT = {
    "a",
    "abbr",
    "b",
    "br",
    "code",
    "em",
    "i",
    "mark",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "u",
}
BLOCKS = {"p", "ul", "ol", "li", "blockquote", "hr", "pre", "dl", "dt", "dd", "div"}
TABLES = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
HEADINGS = {f"h{n}" for n in range(1, 7)}
ATTRIBUTES = {
    **{h: {"id"} for h in HEADINGS},
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "style", "align", "scope"},
    "td": {"colspan", "rowspan", "style", "align"},
    "code": {"class"},  # a fence's language only, see LANGUAGE
    "div": {"class"},  # admonitions only, see CLASSES
    "p": {"class"},
}
CLASSES = {"admonition", "note", "warning", "info", "tip", "important", "admonition-title"}
LANGUAGE = re.compile(r"^language-[A-Za-z0-9_+-]+$")  # ```json: a fence's language, no more
STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")
SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|/|\./|\.\./|[^:/?#]*(?:[/?#]|$))", re.I)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
# What can make Python-Markdown write markup other than the allowlist's: raw HTML, a
# character reference, an attribute list that is not a heading's id, an unusual link. Plain
# `in` tests first: the regular expressions run only on texts that have the characters.
# Only on a heading's line: attr_list gives the same `{#id}` at the end of any other line
# to a paragraph, a word or a table cell (a decoy anchor above the real section).
_HEADING_ID = re.compile(r"#{1,6}[^\n{]*\{#[^\s{}#]+\}[ \t]*$")  # matched on one line
_ODD_LINK = re.compile(r"\]\(\s*(?!https?://|mailto:|tel:|#)[^)\s]*:")
_ODD_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*(?!https?://|mailto:|tel:)\S*:", re.M)
# An HTML comment as browsers read it, when nothing about it is unusual, on a line of its
# own: shows nothing, so a text whose only `<` open such comments (a home page's
# `<!-- redline:policies -->`) is not rendered. Elsewhere `<!--` may be no comment at all
# (in a code span: `` `<!--` <script>... --> ``), so what follows it must be read. A
# browser ends a comment at `<!-->`, `<!--->` and `--!>` (HTML's tokenizer), where
# Python's html.parser reads on to the next `-->`: those are refused (ODD_COMMENT).
_PLAIN_COMMENT = re.compile(r"^[ \t]*<!--(?!-?>)(?:(?!--!?>)[^\n])*-->[ \t]*$", re.M)
ODD_COMMENT = re.compile(r"<!---?>|--!>")


def _lines_with(text: str, char: str) -> list[str]:
    """The lines holding `char` (splitting is faster than a multi-line expression: ~4x)."""
    return [line for line in text.split("\n") if char in line]


def may_hold_markup(text: str) -> bool:
    if "<!--" in text:
        text = _PLAIN_COMMENT.sub("", text)
    if "<" in text or "&" in text or "![" in text or "!!!" in text or "[TOC]" in text:
        return True
    if "{" in text and not all(_HEADING_ID.match(line) for line in _lines_with(text, "{")):
        return True
    if "](" in text and _ODD_LINK.search(text):
        return True
    return "]:" in text and _ODD_REFERENCE.search(text) is not None


class TooDeep(ValueError):
    """Python-Markdown gave up on a text nested too deeply (see MAX_DEPTH)."""


def _convert(text: str):
    """(HTML, the parser that made it): the one place policy text is rendered for a check."""
    import markdown  # only texts that could hold markup are rendered

    parser = markdown.Markdown(extensions=EXTENSIONS)
    try:
        return parser.convert(text), parser
    except RecursionError:
        raise TooDeep from None


def render(text: str) -> str:
    return _convert(text)[0]


# Python-Markdown builds nested blocks by recursion and gives up (RecursionError, a traceback
# from `mkdocs build`) near 250 levels of list or admonition, or ~1000 `<div markdown>`; the
# build's own stack is deeper than the gate's. A legal text goes 4-8 levels deep
# (제N조 > ① > 1. > 가. > (1)); 32 leaves room on both sides.
MAX_DEPTH = 32
_INDENTED = re.compile(rf"^[ \t]{{{MAX_DEPTH},}}\S", re.M)  # a tab counts 4: measured below


def too_deep(text: str) -> int | None:
    """The line (1-based) of the first block indented more than MAX_DEPTH levels, or None."""
    if " " * MAX_DEPTH not in text and "\t" not in text:
        return None  # nearly every text: a plain search, ~20x faster than the expression
    for match in _INDENTED.finditer(text):
        indent = match.group()[:-1].expandtabs(4)
        if len(indent) > 4 * MAX_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return None


# How every link definition starts (Python-Markdown's ReferenceProcessor): a prefilter;
# whether it is one is Python-Markdown's to say (`[참고]: 설명` is none).
_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]]*\]:", re.M)


def link_definitions(text: str) -> list[tuple[str, int]]:
    """(label, line) of each link definition `[label]: address` Python-Markdown reads in
    `text`. Its address shows wherever `[words][label]` stands, in any section: a change
    of it changes a section whose own text did not change."""
    if not _DEFINITION.search(text):
        return []
    try:
        _, parser = _convert(text)
    except TooDeep:
        return []  # markup_problems refuses the text
    out = []
    for label in sorted(parser.references):
        written = re.compile(rf"^ {{0,3}}\[{re.escape(label)}\]:", re.M | re.I).search(text)
        if written:  # Python-Markdown lowercases labels; a written one is found as written
            out.append((written.group().strip()[:-1], text.count("\n", 0, written.start()) + 1))
    return out


# Elements without content, and those whose end tag HTML lets a text leave out (a table
# pasted as `<tr><td>a<td>b`): neither is "left open".
VOID = {"br", "hr", "wbr", "img"}
OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot"}


class _Check(HTMLParser):
    """The allowlist, and whole elements: an end tag that closes nothing the text opened
    closes the theme's own (`</div></article>` moves the rest of the page out of it), and an
    element left open swallows the theme's (a `<table>` takes in the footer)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str]] = []  # (what, the markup as written)
        self.open: list[tuple[str, str]] = []  # (tag, start tag as written)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or f"<{tag}>"
        if tag not in TEXT | BLOCKS | TABLES | HEADINGS:
            self.problems.append((f"the element `<{tag}>`", written))
        else:
            for name, value in attrs:
                problem = _attribute_problem(tag, name, value or "")
                if problem:
                    self.problems.append((problem, written))
        if tag not in VOID:  # a refused one too: its end tag is not a second problem
            self.open.append((tag, written))
        if len(self.open) == MAX_DEPTH + 1:
            self.problems.append((f"elements nested more than {MAX_DEPTH} levels deep", written))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # `<p/>` opens a `<p>` in HTML: only void ones end

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return  # `</br>` is a `<br>` to a browser
        tags = [t for t, _ in self.open]
        if tag not in tags:
            self.problems.append(
                (f"the end tag `</{tag}>` closes no element the text opened", f"</{tag}>")
            )
            return
        while self.open:
            inner, written = self.open.pop()
            if inner == tag:
                return
            if inner not in OPTIONAL_END:
                self.problems.append((f"`{written}` is left open inside `<{tag}>`", written))

    def close(self) -> None:
        super().close()
        self.problems += [(f"`{w}` is left open", w) for t, w in self.open if t not in OPTIONAL_END]
        self.open = []

    def handle_comment(self, data: str) -> None:
        pass  # a comment shows nothing

    def handle_decl(self, decl: str) -> None:
        self.problems.append(("a declaration", f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.problems.append(("a processing instruction", f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        # `<![CDATA[...]]>`: html.parser skips to `]]>`, a browser ends it at the first `>`.
        self.problems.append(("a CDATA section", f"<![{data}]]>"))


def _attribute_problem(tag: str, name: str, value: str) -> str | None:
    if name not in ATTRIBUTES.get(tag, set()):
        return f"the attribute `{name}` on `<{tag}>`"
    if name == "href" and not SAFE_URL.match(_URL_NOISE.sub("", value)):
        return f"the link address `{value}`"
    if name == "style" and not STYLE.match(value):
        return f"the style `{value}`"
    if name == "class" and tag == "code":
        return None if LANGUAGE.match(value) else f"the class `{value}` on `<code>`"
    if name == "class" and not set(value.split()) <= CLASSES:
        return f"the class `{value}` on `<{tag}>`"
    return None


def markup_problems(text: str) -> list[tuple[str, str]]:
    """What in the page `text` renders to is not allowed: (what, the markup as written)."""
    if not may_hold_markup(text):
        return []
    try:
        html = render(text)
    except TooDeep:  # `<div markdown>` a thousand deep: name the first element
        first = re.search(r"<[A-Za-z][A-Za-z0-9]*", text)
        nested = f"elements nested more than {MAX_DEPTH} levels deep"
        return [(nested, first.group() if first else "<")]
    odd = [("a comment that browsers end early", m.group()) for m in ODD_COMMENT.finditer(html)]
    check = _Check()
    check.feed(html)
    check.close()
    return odd + check.problems
