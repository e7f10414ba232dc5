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
one containing `<`, `&`, an image, an admonition (its type becomes a class), an attribute
list other than a heading's `{#id}` (on any other line it gives an id to a paragraph), or a link to anything but an ordinary address. Nearly
every policy takes the fast path.
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
_HEADING_ID = re.compile(r"^#{1,6}[^\n]*\{#[^\s{}#]+\}[ \t]*$", re.M)
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


def may_hold_markup(text: str) -> bool:
    if "<!--" in text:
        text = _PLAIN_COMMENT.sub("", text)
    if "<" in text or "&" in text or "![" in text or "!!!" in text:
        return True
    if "{" in text and text.count("{") != len(_HEADING_ID.findall(text)):
        return True
    if "](" in text and _ODD_LINK.search(text):
        return True
    return "]:" in text and _ODD_REFERENCE.search(text) is not None


def render(text: str) -> str:
    import markdown  # only texts that could hold markup are rendered

    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


class _Check(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str]] = []  # (what, the markup as written)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = self.get_starttag_text() or f"<{tag}>"
        if tag not in TEXT | BLOCKS | TABLES | HEADINGS:
            self.problems.append((f"the element `<{tag}>`", written))
            return
        for name, value in attrs:
            problem = _attribute_problem(tag, name, value or "")
            if problem:
                self.problems.append((problem, written))

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
    html = render(text)
    odd = [("a comment that browsers end early", m.group()) for m in ODD_COMMENT.finditer(html)]
    check = _Check()
    check.feed(html)
    check.close()
    return odd + check.problems
