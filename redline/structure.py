"""A version's sections as its page shows them: every heading has an id of its own.

Sections are matched by heading id when versions are compared, and materiality is decided
by id, so the ids are the frame every rule hangs on. Three ways to fool it were found and
are refused here (R5):

- a second heading with an id already used, placed before the real one, kept the old text
  "unchanged" while the real section changed under a derived id;
- a heading without an id was matched by its title or position, which an amendment can
  change at will;
- a heading the page does not show (in an HTML comment, raw HTML, a code block) or a
  heading the parser did not see (in a blockquote or a list item, an `<h2>` written in a
  paragraph or a table, a title underlined with `---` or `===`, a `## ...` line in a
  table's block, which the page shows as a cell) made the gate and the page
  disagree about which sections exist.

The first two are read from the parse the diff uses (`parse_document`). For the third, a
text that has any of those constructs is rendered with Python-Markdown and its headings
(their ids, in order) must be the parser's; any other text cannot hold them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .diff import Section, parse_document
from .diff.headings import attrs_id
from .markup import TooDeep, render

# Constructs where Python-Markdown and the diff's line parser could see different headings
# (besides raw HTML anywhere): indented `#`, quotes, fences, `#` in list items, and a line of
# `=` or `-` under a title (a setext heading; alone, a rule).
_ELSEWHERE = re.compile(
    r"(?m)^(?:[ \t]+#|[ \t]*>|[ \t]*(?:```|~~~)|[ \t]*(?:[-*+]|\d+[.)])[ \t]+#|[ \t]*[=-]+[ \t]*$)"
)


@dataclass(frozen=True)
class HeadingProblem:
    line: int  # in the body, 1-based
    message: str
    fix: str


def suggested_id(title: str, taken: set[str], index: int) -> str:
    """An id for a heading: its Latin words in lower case, else `section-N`."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    words = [w for w in words if not w.isdigit()]
    base = "-".join(words[:4]) or f"section-{index}"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _written_id(section: Section) -> str | None:
    return attrs_id(section.blocks[0].attrs) if section.blocks else None


def _is_page_title(sections: tuple[Section, ...], section: Section) -> bool:
    """The policy's own `# Title` on its first line: the page's title, not a section."""
    return section.index == 1 and section.level == 1 and not sections[0].blocks


def id_problems(sections: tuple[Section, ...]) -> list[HeadingProblem]:
    taken = {i for s in sections if (i := _written_id(s))}
    first_line: dict[str, int] = {}
    out = []
    for s in sections[1:]:
        heading = s.blocks[0]
        ident = _written_id(s)
        if ident and ident in first_line:
            out.append(
                HeadingProblem(
                    heading.line,
                    f"the heading `{heading.text}` repeats the id `{ident}` of the heading "
                    f"at line {first_line[ident]}: sections are matched by id, so only one "
                    "may have it",
                    f"give it an id of its own, e.g. `{{#{suggested_id(s.title, taken, s.index)}}}`",
                )
            )
        elif ident:
            first_line[ident] = heading.line
        elif not _is_page_title(sections, s):
            out.append(
                HeadingProblem(
                    heading.line,
                    f"the heading `{heading.text}` has no id: sections are matched by id, "
                    "the same in every version and language",
                    f"end the heading with an id, e.g. `{{#{suggested_id(s.title, taken, s.index)}}}` "
                    "(the same id as this section in the other versions and languages)",
                )
            )
    return out


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.ids.append(dict(attrs).get("id"))


def shown_ids(text: str) -> list[str | None]:
    """The ids of the headings the page shows, in order (Python-Markdown's rendering)."""
    parser = _Headings()
    parser.feed(render(text))
    return parser.ids


# A table's rule line (`--- | ---`, `|:--|`): Python-Markdown reads tables before headings,
# so every line of the block it stands in, a `## ...` line too, is a row of cells.
_TABLE_RULE = re.compile(r"^[ \t]*[|:-]*-[|: \t-]*$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _heading_in_a_table(text: str) -> bool:
    """Whether a block holding a table's rule line also has a line starting with `#`: a
    cell on the page, a section to the gate."""
    if "|" not in text or "-" not in text:
        return False
    for block in _BLANK_LINE.split(text):
        lines = block.split("\n")
        if any("|" in ln and _TABLE_RULE.match(ln) for ln in lines) and any(
            ln.startswith("#") for ln in lines
        ):
            return True
    return False


# A heading's `{#id}` read alike by the parser and attr_list. Anything else in the braces,
# or a second pair, may not be: attr_list takes the last `#id` (or `id=`), decodes `&...;`
# and `\\` escapes, and reads only the last pair as an attribute list.
_PLAIN_HEADING = re.compile(r"#{1,6}[^{}\n]*\{#[^\s{}#&\\]+\}[ \t]*")


def _unusual_heading_id(text: str) -> bool:
    """Whether a heading line has braces, `&` or `\\` other than in one plain `{#id}`."""
    return any(
        line.startswith("#")
        and any(c in line for c in "{}&\\")
        and not _PLAIN_HEADING.fullmatch(line)
        for line in text.split("\n")
    )


def may_hide_headings(text: str) -> bool:
    """Whether the text has a construct where the page and the parser could see different
    headings (raw HTML or comments anywhere, code fences, quotes, indented `#`, headings in
    lists or tables, underlined titles, an attribute list other than one `{#id}`)."""
    return (
        "<" in text
        or _ELSEWHERE.search(text) is not None
        or _heading_in_a_table(text)
        or _unusual_heading_id(text)
    )


def section_ids(text: str) -> list[str | None]:
    """The ids of the text's section headings as the gate reads them, in order (the
    policy's own title heading excluded)."""
    sections = parse_document(text)
    return [_written_id(s) for s in sections[1:] if not _is_page_title(sections, s)]


def visibility_problems(text: str, sections: tuple[Section, ...]) -> list[HeadingProblem]:
    if not may_hide_headings(text):
        return []
    # The policy's own `# Title` on the first line is the page's first heading too, with an
    # id of toc's making (never one a heading took): compared on neither side (it was, and
    # refused a real policy). With braces it may set an id, and is compared.
    titled = (
        len(sections) > 1
        and _is_page_title(sections, sections[1])
        and "{" not in sections[1].blocks[0].text + sections[1].blocks[0].attrs
    )
    compared = sections[2:] if titled else sections[1:]
    read = [_written_id(s) for s in compared]
    try:
        shown = shown_ids(text)[1:] if titled else shown_ids(text)
    except TooDeep:
        return []  # the markup check refuses the text: no page can be built of it
    if read == shown:
        return []
    k = next(
        (k for k, (a, b) in enumerate(zip(read, shown, strict=False)) if a != b),
        min(len(read), len(shown)),
    )
    line = compared[k].blocks[0].line if k < len(compared) else 1
    return [
        HeadingProblem(
            line,
            "the page shows different sections from the ones Redline compares (headings "
            f"with ids {', '.join(map(str, shown)) or 'none'} on the page, "
            f"{', '.join(map(str, read)) or 'none'} in the text): a heading is hidden in "
            "an HTML comment, raw HTML or a code block, or written inside a list, quote or table",
            "write every section heading on a line of its own, starting with `#`, outside "
            "comments, HTML, code blocks, lists, quotes and tables",
        )
    ]


def heading_problems(text: str) -> list[HeadingProblem]:
    """What is wrong with a version's sections, as its page shows them."""
    sections = parse_document(text)
    return id_problems(sections) or visibility_problems(text, sections)
