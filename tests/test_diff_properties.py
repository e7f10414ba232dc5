"""Property tests: the diff is exact, whitespace is not a change, renderings stay valid HTML.

Documents are generated as structures (sections with ids, paragraphs, nested list items,
tables) from Korean and English words, including Markdown and HTML metacharacters, then
edited at random (words, blocks, sections, moves) and written out as Markdown.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.diff import (
    BlockStatus,
    diff_documents,
    format_html,
    format_markdown,
    format_text,
    normalized_text,
    parse_document,
    render_comparison_html,
    render_redline_markdown,
    tokenize,
)

# REDLINE_DIFF_EXAMPLES=5000 for a longer hunt; 200 keeps the suite fast.
EXAMPLES = int(os.environ.get("REDLINE_DIFF_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KOREAN = [
    "개인정보를",
    "개인정보의",
    "회사는",
    "회사가",
    "정보주체의",
    "동의를",
    "수집합니다",
    "수집하고",
    "보유",
    "보관",
    "기간은",
    "3개월",
    "1년",
    "제3자에게",
    "위탁",
    "「개인정보",
    "보호법」",
    "제28조의8",
    "(주)카카오",
    "토스페이먼츠(주)",
    "파기합니다.",
    "및",
    "등",
]
ENGLISH = [
    "the",
    "Company",
    "processes",
    "personal",
    "information",
    "for",
    "12",
    "months,",
    "1,000",
    "users'",
    "don't",
    "2025-03-01",
    "law.",
    "(optional)",
]
TRICKY = [
    "<script>alert(1)</script>",
    "a&b",
    "**굵게**",
    "*강조*",
    "`코드`",
    "`a|b`",
    "[링크](https://example.kr/a_b)",
    "\\*",
    "x|y",
    "snake_case",
    "https://pipc.go.kr",
    "<br>",
    "{#fake}",
    "~~",
]
WORDS = KOREAN + ENGLISH + TRICKY
# Cells must not contain a bare pipe (it would be a new cell); the rest is fair game.
CELL_WORDS = [w for w in WORDS if "|" not in w or w.startswith("`")]

word = st.sampled_from(WORDS)
words = st.lists(word, min_size=1, max_size=12)
cell = st.lists(st.sampled_from(CELL_WORDS), min_size=0, max_size=4)


@st.composite
def paragraph(draw):
    return ["p", draw(words)]


@st.composite
def list_item(draw):
    return [
        "li",
        draw(st.sampled_from([0, 2, 4])),
        draw(st.sampled_from(["-", "*", "1."])),
        draw(words),
    ]


@st.composite
def table(draw):
    ncols = draw(st.integers(2, 4))
    rows = draw(st.lists(st.lists(cell, min_size=ncols, max_size=ncols), min_size=1, max_size=4))
    return ["table", rows]


block = st.one_of(paragraph(), paragraph(), list_item(), list_item(), table())
IDS = ["purposes", "collected-items", "retention", "entrustment", "overseas-transfer", "rights"]


@st.composite
def section(draw, used: set[str]):
    free = [i for i in IDS if i not in used]
    sid = draw(st.one_of(st.none(), st.sampled_from(free))) if free else None
    if sid:
        used.add(sid)
    title = draw(st.lists(word.filter(lambda w: not w.startswith("{")), min_size=1, max_size=4))
    level = draw(st.integers(1, 4))
    return [sid, level, title, draw(st.lists(block, max_size=5))]


@st.composite
def document(draw):
    used: set[str] = set()
    preamble = draw(st.lists(block, max_size=2))
    sections = [draw(section(used)) for _ in range(draw(st.integers(0, 5)))]
    return [preamble, sections]


def render(doc, *, wrap: list[bool] | None = None, crlf: bool = False) -> str:
    """Write a document structure as Markdown (optionally re-wrapped / with CRLF)."""
    preamble, sections = doc
    lines: list[str] = []
    wraps = iter(wrap or [])

    def text(ws: list[str]) -> str:
        out = ws[0]
        for w in ws[1:]:
            # A line that starts with `<` may open a raw HTML block on the page, so breaking
            # a line there is a change of the page, not a re-wrap.
            wrapped = next(wraps, False) and not w.startswith("<")
            out += ("\n" if wrapped else " ") + w
        return out

    def blocks(bs):
        prev = None
        for b in bs:
            if b[0] == "p":
                lines.extend(["", text(b[1]), ""])
            elif b[0] == "li":
                if prev != "li":
                    lines.append("")
                indent = " " * b[1] if prev == "li" else ""
                lines.append(f"{indent}{b[2]} {text(b[3])}")
            else:
                rows = b[1]
                ncols = len(rows[0])
                lines.append("")
                lines.append("| " + " | ".join(f"H{k}" for k in range(ncols)) + " |")
                lines.append("|" + "---|" * ncols)
                for row in rows:
                    lines.append("| " + " | ".join(" ".join(c) for c in row) + " |")
                lines.append("")
            prev = b[0]

    blocks(preamble)
    for sid, level, title, bs in sections:
        head = "#" * level + " " + " ".join(title) + (f" {{#{sid}}}" if sid else "")
        lines.extend(["", head, ""])
        blocks(bs)
    out = "\n".join(lines) + "\n"
    return out.replace("\n", "\r\n") if crlf else out


@st.composite
def edited(draw):
    """An old document and a new one made from it by random edits."""
    import copy

    old = draw(document())
    new = copy.deepcopy(old)
    preamble, sections = new
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(
            st.sampled_from(
                ["word", "word", "word", "block+", "block-", "sec+", "sec-", "move", "title"]
            )
        )
        containers = [preamble] + [s[3] for s in sections]
        target = containers[draw(st.integers(0, len(containers) - 1))]
        if kind == "word" and target:
            b = target[draw(st.integers(0, len(target) - 1))]
            ws = b[1] if b[0] == "p" else b[3] if b[0] == "li" else None
            if b[0] == "table":
                row = b[1][draw(st.integers(0, len(b[1]) - 1))]
                ws = row[draw(st.integers(0, len(row) - 1))]
            action = draw(st.sampled_from(["ins", "del", "rep"]))
            at = draw(st.integers(0, max(0, len(ws) - 1)))
            if action == "ins" or not ws:
                ws.insert(at, draw(st.sampled_from(CELL_WORDS)))
            elif action == "del" and len(ws) > 1:
                del ws[at]
            else:
                ws[at] = draw(st.sampled_from(CELL_WORDS))
        elif kind == "block+":
            target.insert(draw(st.integers(0, len(target))), draw(block))
        elif kind == "block-" and target:
            del target[draw(st.integers(0, len(target) - 1))]
        elif kind == "sec+":
            used = {s[0] for s in sections if s[0]}
            sections.insert(draw(st.integers(0, len(sections))), draw(section(used)))
        elif kind == "sec-" and sections:
            del sections[draw(st.integers(0, len(sections) - 1))]
        elif kind == "move" and len(sections) > 1:
            s = sections.pop(draw(st.integers(0, len(sections) - 1)))
            sections.insert(draw(st.integers(0, len(sections))), s)
        elif kind == "title" and sections:
            s = sections[draw(st.integers(0, len(sections) - 1))]
            s[2][0] = draw(st.sampled_from(["1.", "2.", "3.", "제4조"]))
    return render(old), render(new)


def joined(ops, keep: str) -> str:
    return "".join(t for op, t in ops if op in ("equal", keep))


@SETTINGS
@given(edited())
def test_exactness(pair):
    old, new = pair
    diff = diff_documents(old, new)
    # the whole diff, walked by hand: old order gives the old text, new order the new
    assert joined(diff.iter_ops("old"), "delete") == normalized_text(old)
    assert joined(diff.iter_ops("new"), "insert") == normalized_text(new)
    assert diff.old_text() == normalized_text(old)
    assert diff.new_text() == normalized_text(new)
    for s in diff.sections:
        for b in s.blocks:
            if b.old is not None:
                assert joined(b.ops, "delete") == b.old.text
            if b.new is not None:
                assert joined(b.ops, "insert") == b.new.text
    # "no change" means "same normalised text in the same order"; the converse holds too,
    # except where a heading became a paragraph (or back): its words are the same, but a
    # section ends or begins there, which a reader sees (hypothesis found `# a` -> `a`);
    # and where a heading's `{#id}` changed: the words are the same, but the section is
    # another (its anchor, and whether it is material, go with the id; hypothesis found
    # `# x {#purposes}` -> `# x {#collected-items}`).
    if diff.is_empty:
        assert normalized_text(old) == normalized_text(new)
    same_headings = [(s.id, b.text) for s in parse_document(old) for b in s.blocks[:1] if s.id] == [
        (s.id, b.text) for s in parse_document(new) for b in s.blocks[:1] if s.id
    ]
    if normalized_text(old) == normalized_text(new) and same_headings:
        assert diff.is_empty or any(s.moved for s in diff.sections)
    if normalized_text(old) != normalized_text(new):
        assert diff.changed_section_ids()


@SETTINGS
@given(document(), st.lists(st.booleans(), max_size=80), st.booleans())
def test_rewrap_and_crlf_are_not_changes(doc, wrap, crlf):
    plain = render(doc)
    again = render(doc, wrap=wrap, crlf=crlf)
    diff = diff_documents(plain, again)
    assert diff.is_empty, [
        (b.old and b.old.text, b.new and b.new.text)
        for s in diff.sections
        for b in s.blocks
        if b.status != BlockStatus.EQUAL
    ]


@SETTINGS
@given(st.text(max_size=200))
def test_tokenize_round_trip(text):
    assert "".join(tokenize(text)) == text


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_exactness_on_arbitrary_text(old, new):
    diff = diff_documents(old, new)
    assert diff.old_text() == normalized_text(old)
    assert diff.new_text() == normalized_text(new)


# --------------------------------------------------------------------------------------
# Renderings are valid HTML whatever the edit

VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr", "area", "base", "source"}
BLOCK = {"p", "div", "ul", "ol", "li", "table", "tr", "td", "th", "thead", "tbody"}
BLOCK |= {"h1", "h2", "h3", "h4", "h5", "h6", "section", "pre", "blockquote"}


class NestingChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
        if tag in ("script", "style", "iframe"):
            self.errors.append(f"<{tag}> element in output")
        if tag in BLOCK and any(t in ("ins", "del", "strong", "em") for t in self.stack):
            self.errors.append(f"<{tag}> inside inline {self.stack}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def check_html(html: str) -> NestingChecker:
    checker = NestingChecker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, (checker.errors, html)
    assert not checker.stack, checker.stack
    return checker


MD = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "admonition", "toc"])


@SETTINGS
@given(edited())
def test_renderings_are_valid_html(pair):
    old, new = pair
    diff = diff_documents(old, new)
    MD.reset()
    page = MD.convert(
        '<div class="redline-text" markdown="1">\n\n' + render_redline_markdown(diff) + "\n\n</div>"
    )
    checker = check_html(page)
    MD.reset()
    own = NestingChecker()
    own.feed(MD.convert(new))
    own_ids = own.ids
    if len(own_ids) == len(set(own_ids)):  # the policy itself may repeat an {#id}
        assert len(checker.ids) == len(set(checker.ids)), checker.ids
    # the markdown of a diff with nothing deleted renders the new text's words, in order
    table = render_comparison_html(
        diff,
        old_label="이전",
        new_label="이후",
        section_label="조항",
        material_sections={"retention"},
        material_label="중요",
        added_label="<신설>",
        deleted_label="<삭제>",
    )
    check_html(table)
    check_html(format_html(diff))
    # GitHub summary: escaped text, no raw tags other than the renderer's own (ins/del, and
    # em/strong for emphasis the page shows), every one of them closed where it opens
    summary = format_markdown(diff, {"retention"})
    assert not re.search(r"<(?!/?(ins|del|em|strong)>)", summary), summary
    check_html(markdown.markdown(summary))
    text = format_text(diff, color=False)
    # a section whose only change is its number is listed nowhere (hypothesis: `# 12` -> `# 1.`)
    assert text.startswith("=== ") if diff.listed_sections() else text == ""
