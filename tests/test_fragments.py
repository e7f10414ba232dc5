"""Each fragment of generated pages and feed entries, rendered alone with hostile text.

Policy text (titles, reasons, summaries, section titles) is untrusted: it may change the
words of a page, never its markup. Every macro of templates/fragments.html is rendered here
with text that would inject markup if it were not escaped, and the result is parsed with
a real HTML parser to check that no element or attribute came from the text.
"""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from redline.blocked import blocked_page
from redline.findings import WARNING, Finding
from redline.fragments import Html, fragment, md_text

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "q" \'s'


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


CASES = {
    "links": dict(items=[("../a/", EVIL), ("../b/", "ok")]),
    "badge": dict(cls="minor", label=EVIL, imported_label=EVIL),
    "meta_line": dict(parts=[EVIL, "2"], badge_html=Html('<span class="redline-badge">b</span>')),
    "status_banner": dict(status="announced", text=EVIL, link=("../x/", EVIL)),
    "links_line": dict(items=[("../a/", EVIL)]),
    "reason": dict(label="Reason", text=EVIL),
    "summary": dict(label="Main changes", lines=[EVIL, EVIL]),
    "notice_open": dict(
        ident="n", level=2, title=EVIL, lead=EVIL, badge_html=Html("<span>b</span>")
    ),
    "paragraph": dict(text=EVIL, cls="redline-note"),
    "archive_row": dict(
        status="in-force",
        since="2024-03-01",
        until="",
        heading="Version 1",
        href="../2024-03-01/",
        state=EVIL,
        period=EVIL,
        announced=[EVIL, "1 May"],
        badge_html=Html("<span>b</span>"),
        approval=EVIL,
        reason=EVIL,
        items=[("../a/", EVIL)],
        labels={
            "col_effective": EVIL,
            "col_announced": "a",
            "col_class": "c",
            "col_approval": "p",
            "col_reason": "r",
            "col_links": "l",
        },
    ),
    "lookup": dict(label=EVIL, first="2024-03-01", found=EVIL, nothing=EVIL),
    "archive_table": dict(columns=[EVIL], rows=[Html("<tr><td>r</td></tr>")]),
    "amendment_nav": dict(label=EVIL, previous=("../p/", EVIL), next=("../n/", EVIL)),
    "section_list": dict(items=[{"id": "x", "label": EVIL, "kinds": EVIL, "material": EVIL}]),
    "home_open": dict(ident="h", href="p/", title=EVIL),
    "facts_with_link": dict(facts=EVIL, link=("a/", EVIL)),
    "feed_content": dict(meta=EVIL, parts=[Html("<p>why</p>")], items=[("u", EVIL)]),
    "print_tools": dict(label=EVIL, pdf=("x.pdf", EVIL)),
    "pdf_footer": dict(
        lang="ko", identity=[EVIL, "2"], lines=[EVIL], page_label=EVIL, margin="1cm"
    ),
    "quoted": dict(parts=[(False, EVIL), (True, EVIL)]),
    "findings": dict(
        items=[
            {
                "severity": "error",
                "severity_label": EVIL,
                "rule": EVIL,
                "location": EVIL,
                "message": [(False, EVIL), (True, EVIL)],
                "fix": [(True, EVIL)],
            }
        ],
        labels={"rule": EVIL, "file": "f", "problem": "p", "fix": "x"},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fragment_escapes_text_and_keeps_fragments(name):
    html = fragment(name, **CASES[name])
    parsed = Tags(html)
    names = [tag for tag, _ in parsed.tags]
    assert "script" not in names and "img" not in names, html
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs), html
    # The text shows exactly as written: escaped, not dropped.
    assert EVIL in parsed.text, html
    # Fragments passed in as Html stay markup (they are not escaped a second time).
    for value in CASES[name].values():
        if isinstance(value, Html):
            assert value in html


def test_fragments_are_one_line_each_as_raw_html_blocks_need():
    # Python-Markdown ends a raw HTML block at a blank line: no fragment may contain one.
    for name, values in CASES.items():
        assert "\n\n" not in fragment(name, **values), name


def test_an_empty_amendment_nav_side_is_left_out():
    html = fragment("amendment_nav", label="S", next=("../n/", "next"))
    assert html.count("<a ") == 1 and " · " not in html


@pytest.mark.parametrize(
    "title",
    [
        "Privacy {: onmouseover=alert(1) }",
        "개인정보 처리방침 {#x .y onclick=alert(1)}",
        "<b onclick=x>bold</b> *em* [link](javascript:alert(1)) `code` # hash",
    ],
)
def test_md_text_shows_a_title_exactly_and_adds_no_attribute(title):
    html = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"]).convert(
        f"# {md_text(title)}\n"
    )
    parsed = Tags(html)
    assert [tag for tag, _ in parsed.tags] == ["h1"]
    assert set(parsed.tags[0][1]) <= {"id"}, html
    assert parsed.text == " ".join(title.split())


def test_the_pdf_footer_numbers_pages_where_the_words_say_and_nowhere_else():
    """Chromium fills every element of class pageNumber or totalPages (and title, url, date)
    in a footer: a title that names one must stay text."""
    title = '<span class="pageNumber"></span> <span class="title"></span>'
    html = fragment(
        "pdf_footer",
        lang="en",
        identity=[title],
        lines=["x"],
        page_label="Page {page} of {total}",
        margin="1cm",
    )
    parsed = Tags(html)
    classes = [attrs.get("class") for _, attrs in parsed.tags if attrs.get("class")]
    assert classes == ["pageNumber", "totalPages"], html
    assert title in parsed.text and "Page  of " in parsed.text


def test_the_print_button_is_hidden_until_the_script_shows_it():
    html = fragment("print_tools", label="Print")
    (p, button) = Tags(html).tags
    assert button == (
        "button",
        {"type": "button", "class": "md-button redline-print", "hidden": None},
    )
    assert "<a " not in html  # no PDF, no link


def test_the_page_of_a_refused_site_shows_hostile_findings_as_text_on_their_lines():
    """File names and messages quote what the editor wrote: a blank line must not end the
    raw HTML block (the rest would be read as Markdown), and nothing becomes markup."""
    name = f"policies/privacy/2024-06-01{EVIL}.md"
    hostile = f"{EVIL}\n\n[link](javascript:alert(3)) `{EVIL}` {{: onclick=x}}"
    findings = [
        Finding("R5", name, hostile, f"rename `{name}`", 3),
        Finding("R4", name, "warned", "fix it", severity=WARNING),
    ]
    body = blocked_page("en", findings).split("---\n", 2)[2]  # MkDocs reads the front matter
    html = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"]).convert(body)
    parsed = Tags(html)
    assert {tag for tag, _ in parsed.tags} <= {
        "h1",
        "p",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "span",
        "code",
    }
    assert not any(k.startswith("on") or k == "href" for _, attrs in parsed.tags for k in attrs)
    assert f"{name}:3" in parsed.text and "␤␤[link](javascript:alert(3))" in parsed.text
    assert parsed.text.index("R5 valid input") < parsed.text.index("R4 complete translations")
    assert [attrs.get("class") for tag, attrs in parsed.tags if tag == "li"] == [
        "redline-finding redline-finding--error",
        "redline-finding redline-finding--warning",
    ]
