"""Renderings of a diff: the Markdown redline MkDocs renders, the comparison table (신구대조표),
terminal and GitHub summary output. All of them must show policy text as text."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from test_diff import POLICY

from redline.diff import (
    diff_documents,
    format_html,
    format_markdown,
    format_text,
    render_comparison_html,
    render_redline_markdown,
)

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "toc"]

SCRIPT_OLD = "## 보안 {#security}\n\n회사는 <script>alert(1)</script> 보안을 중시합니다.\n"
SCRIPT_NEW = (
    "## 보안 {#security}\n\n회사는 <script>alert(2)</script> 보안을 매우 중시합니다.\n\n"
    '- 항목 <img src=x onerror="alert(3)">\n\n'
    "| 수탁자 | 위탁 업무 |\n|---|---|\n| <script>x</script> | 발송 |\n"
)


def to_html(md: str) -> str:
    """Render as the changes page does: inside a md_in_html block."""
    return markdown.Markdown(extensions=EXTENSIONS).convert(
        f'<div class="redline-text" markdown="1">\n\n{md}\n\n</div>'
    )


def compare(diff, material=frozenset()):
    return render_comparison_html(
        diff,
        old_label="개정 전",
        new_label="개정 후",
        section_label="조항",
        material_sections=material,
        material_label="중요",
        added_label="<신설>",
        deleted_label="<삭제>",
    )


class Elements(HTMLParser):
    """Start tags with attributes, and text per innermost tag path."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.texts: list[tuple[tuple[str, ...], str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "img", "hr", "input", "meta"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data):
        self.texts.append((tuple(self.stack), data))

    def text_in(self, tag: str) -> list[str]:
        return [t for path, t in self.texts if path and path[-1] == tag]

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if a.get("id")]


# --------------------------------------------------------------------------------------
# The Markdown redline


def test_redline_markdown_renumbered_heading_keeps_level_and_id():
    new = POLICY.replace("## 3. 보유 기간 {#retention}", "## 4. 보유 기간 {#retention}")
    md = render_redline_markdown(diff_documents(POLICY, new))
    assert (
        '\n## <del>3</del><ins>4</ins>. 보유 기간 {#retention data-toc-label="4. 보유 기간"}\n'
        in md
    )
    html = to_html(md)
    assert '<h2 id="retention"><del>3</del><ins>4</ins>. 보유 기간' in html
    assert html.count('id="retention"') == 1


def test_redline_markdown_unchanged_document_is_the_policy():
    md = render_redline_markdown(diff_documents(POLICY, POLICY))
    assert "<ins>" not in md and "<del>" not in md
    # the same HTML as the policy itself, up to the line breaks inside paragraphs
    assert " ".join(to_html(md).split()) == " ".join(to_html(POLICY).split())


def test_redline_markdown_table_row_change_stays_a_table():
    new = POLICY.replace("발송 완료 후 30일", "발송 완료 후 90일")
    md = render_redline_markdown(diff_documents(POLICY, new))
    assert "| (주)카카오 | 알림톡 발송 | 발송 완료 후 <del>30</del><ins>90</ins>일 |" in md
    page = Elements(to_html(md))
    assert "90" in page.text_in("ins") and "30" in page.text_in("del")
    cells = [t for path, t in page.texts if "td" in path and "ins" in path]
    assert cells == ["90"]


def test_redline_markdown_column_removed_keeps_column_count():
    old = "| 수탁자 | 위탁 업무 | 보유 기간 |\n|---|---|---|\n| A사 | 결제 | 5년 |\n"
    new = "| 수탁자 | 위탁 업무 |\n|---|---|\n| A사 | 결제 |\n"
    md = render_redline_markdown(diff_documents(old, new))
    lines = md.strip().split("\n")
    assert lines[1] == "|---|---|"
    # every row has the two columns of the new table; the removed one is struck in the last
    assert all(re.sub(r"\\\|", "", line).count("|") == 3 for line in lines)
    html = to_html(md)
    assert html.count("<th>") == 2
    assert "<del>| 보유 기간</del>" in html
    assert "<del>| 5년</del>" in html


def test_redline_markdown_deleted_row_and_inserted_row():
    new = POLICY.replace(
        "| 토스페이먼츠(주) | 결제 처리 | 위탁 계약 종료 시까지 |\n",
        "",
    ).replace(
        "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |\n",
        "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |\n| NHN클라우드 | 데이터 보관 | 위탁 계약 종료 시까지 |\n",
    )
    md = render_redline_markdown(diff_documents(POLICY, new))
    assert (
        "| <del>토스페이먼츠(주)</del> | <del>결제 처리</del> | <del>위탁 계약 종료 시까지</del> |"
        in md
    )
    assert (
        "| <ins>NHN클라우드</ins> | <ins>데이터 보관</ins> | <ins>위탁 계약 종료 시까지</ins> |"
        in md
    )
    html = to_html(md)
    assert html.count("<table>") == 2  # still the two tables of the policy, no more


def test_redline_markdown_nested_list_keeps_markers_and_indentation():
    new = POLICY.replace("    - 일정 알림 발송\n", "    - 일정 알림 및 공지 발송\n")
    md = render_redline_markdown(diff_documents(POLICY, new))
    assert (
        "\n2. **서비스 제공**: 노트와 일정의 생성·저장, 기기 간 동기화\n    - 공유 노트의 공동 편집\n"
        in md
    )
    assert "\n    - 일정 알림 <ins>및 공지 </ins>발송\n" in md
    html = to_html(md)
    assert "<ol>" in html and re.search(r"<li>.*?<ul>\s*<li>공유 노트의 공동 편집</li>", html, re.S)


def test_redline_markdown_deleted_section_struck_through_at_its_place():
    start = POLICY.index("## 4. 처리 위탁")
    end = POLICY.index("## 5. 처리방침의 변경")
    md = render_redline_markdown(diff_documents(POLICY, POLICY[:start] + POLICY[end:]))
    assert '## <del>4. 처리 위탁</del> {#entrustment data-toc-label="4. 처리 위탁"}' in md
    assert md.index("{#retention") < md.index("{#entrustment") < md.index("{#changes")
    assert "<del>회사는 원활한 업무 처리를 위하여" in md
    html = to_html(md)
    assert '<h2 id="entrustment"><del>4. 처리 위탁</del>' in html


def test_redline_markdown_deleted_block_is_a_block_of_del():
    new = POLICY.replace("회사는 다음의 목적을 위하여 개인정보를 처리합니다.\n\n", "")
    md = render_redline_markdown(diff_documents(POLICY, new))
    assert "\n<del>회사는 다음의 목적을 위하여 개인정보를 처리합니다.</del>\n" in md
    assert "<p><del>회사는 다음의 목적을 위하여 개인정보를 처리합니다.</del></p>" in to_html(md)


def test_redline_markdown_emphasis_never_crosses_ins():
    old = "## 고지 {#notice}\n\n중요 사항을 알립니다.\n"
    new = "## 고지 {#notice}\n\n**중요** 사항을 알립니다.\n"
    md = render_redline_markdown(diff_documents(old, new))
    assert "<ins>\\*\\*</ins>중요<ins>\\*\\*</ins>" in md
    html = to_html(md)
    assert "<strong>" not in html
    Elements(html)  # well nested, or the parser's assertion fails
    # The whole redline of `--format html` too: an emphasis added shows as added asterisks.
    redline = format_html(diff_documents(old, new)).split('class="redline-text"')[1]
    assert "<ins>**</ins>중요<ins>**</ins>" in redline


def test_redline_markdown_heading_id_appears_once_when_id_is_reused():
    old = "## 보안 {#security}\n\n가\n"
    new = "## 보안 {#security}\n\n가\n\n## 보안 {#security}\n\n나\n"
    ids = Elements(to_html(render_redline_markdown(diff_documents(old, new)))).ids()
    assert ids.count("security") == 1


def test_redline_markdown_deleted_attr_list_does_not_duplicate_id():
    old = "## 안내 {#info}\n\n문의는 고객센터로 하십시오. {#contact}\n"
    new = "## 안내 {#info}\n\n문의는 개인정보 보호 담당 부서로 하십시오. {#contact}\n"
    html = to_html(render_redline_markdown(diff_documents(old, new)))
    assert Elements(html).ids().count("contact") <= 1


# --------------------------------------------------------------------------------------
# Escaping: a <script> in a policy is text in every rendering


def test_script_is_text_in_every_rendering():
    diff = diff_documents(SCRIPT_OLD, SCRIPT_NEW)
    md = render_redline_markdown(diff)
    assert "<script" not in md and "<img" not in md
    assert "&lt;script&gt;alert(" in md
    for html in (to_html(md), compare(diff), format_html(diff)):
        page = Elements(html)
        tags = {t for t, _ in page.tags}
        assert "script" not in tags and "img" not in tags
        assert any("<script>" in t for _, t in page.texts)
    summary = format_markdown(diff)
    assert "<script" not in summary and "&lt;script&gt;" in summary
    # the only tags in the summary are the diff's own
    assert set(re.findall(r"</?([a-z]+)", summary)) <= {"ins", "del"}


def test_a_backtick_in_a_section_id_does_not_end_its_code_span():
    old = "## 가 {#keep}\n\n본문\n"
    new = old + "\n## 나 {#x`<img/src=x/onerror=alert(1)>}\n\n추가\n"
    summary = format_markdown(diff_documents(old, new))
    assert "``x`<img/src=x/onerror=alert(1)>`` · _added_" in summary
    page = Elements(markdown.markdown(summary))
    assert "img" not in {t for t, _ in page.tags}


def test_control_characters_are_made_visible():
    diff = diff_documents("가\n", "가 \x1b[2J나\n")
    assert "\x1b" not in format_text(diff, color=False)
    assert "\x1b[2J" not in format_text(diff, color=True)
    assert "\x1b" not in compare(diff) and "\x1b" not in render_redline_markdown(diff)


# --------------------------------------------------------------------------------------
# The comparison table


def test_comparison_table_structure_and_cells():
    new = POLICY.replace("발송 완료 후 30일", "발송 완료 후 90일").replace(
        "## 3. 보유 기간 {#retention}", "## 4. 보유 기간 {#retention}"
    )
    diff = diff_documents(POLICY, new)
    html = compare(diff, material={"entrustment"})
    assert html.startswith('<table class="redline-compare">')
    page = Elements(html)
    cols = [t for path, t in page.texts if path[-2:] == ("tr", "th") and "thead" in path]
    assert cols[:3] == ["조항", "개정 전", "개정 후"]
    assert [a["scope"] for t, a in page.tags if t == "th" and "scope" in a][:3] == ["col"] * 3
    rows = [a["id"] for t, a in page.tags if t == "tr" and "id" in a]
    assert rows == ["redline-compare-entrustment"]  # retention was only renumbered
    # row headers: the section title, and the material marker only where asked
    assert '<th scope="row">4. 처리 위탁 <strong class="redline-material">중요</strong>' in html
    assert html.count("redline-material") == 1
    # the old cell shows deletions only, the new cell insertions only
    row = re.search(r'<tr id="redline-compare-entrustment".*?</tr>\n', html, re.S).group(0)
    before, after = row.split('<td class="redline-new">')
    assert "<del>30</del>" in before and "<ins>" not in before and "90" not in before
    assert "<ins>90</ins>" in after and "<del>" not in after and "30일" not in after
    # the changed row comes with its table's header (column names)
    assert '<th scope="col">수탁자</th>' in before and '<th scope="col">수탁자</th>' in after


def test_comparison_table_elides_far_unchanged_blocks():
    body = "".join(f"{k}번째 문단입니다.\n\n" for k in range(1, 9))
    old = "## 조항 {#article}\n\n" + body
    new = old.replace("5번째 문단입니다.", "5번째 문단을 고쳤습니다.")
    html = compare(diff_documents(old, new))
    assert "4번째" in html and "6번째" in html  # one block of context each side
    assert "2번째" not in html and "8번째" not in html
    assert html.count('<p class="redline-elided">…</p>') == 4  # before and after, both cells


def test_comparison_table_added_and_deleted_sections():
    start = POLICY.index("## 5. 처리방침의 변경")
    new = POLICY[:start] + "## 5. 국외 이전 {#overseas-transfer}\n\n국외로 이전하지 않습니다.\n"
    html = compare(diff_documents(POLICY, new))
    added = re.search(r'id="redline-compare-overseas-transfer".*?</tr>', html, re.S).group(0)
    # Where a version has nothing, its column says so (신구대조표: <신설>, <삭제>).
    assert '<td class="redline-old"><p class="redline-absent">&lt;신설&gt;</p></td>' in added
    assert "<ins>국외로 이전하지 않습니다.</ins>" in added
    deleted = re.search(r'id="redline-compare-changes".*?</tr>', html, re.S).group(0)
    assert '<td class="redline-new"><p class="redline-absent">&lt;삭제&gt;</p></td>' in deleted
    assert "<del>이 처리방침은" in deleted
    assert "5. 처리방침의 변경" in deleted  # deleted section titled by its old title


def test_comparison_table_bold_is_rendered_and_nests():
    new = POLICY.replace("1. **회원 가입 및 관리**", "1. **회원 가입·관리**")
    html = compare(diff_documents(POLICY, new))
    assert "**" not in html
    assert "<strong>회원 가입<del>" in html or "<strong>회원 가입</strong><del>" in html
    Elements(html)


def row_cells(html: str, sid: str) -> tuple[str, str]:
    """The before and after cells of a section's row of the comparison table."""
    row = re.search(rf'<tr id="redline-compare-{sid}".*?</tr>\n', html, re.S)
    assert row, f"no row for {sid}"
    before, after = row.group(0).split('<td class="redline-new">')
    return before.split('<td class="redline-old">')[1], after


def markers(cell: str) -> list[str]:
    return re.findall(r'<span class="redline-marker">([^<]*)</span>', cell)


def test_comparison_columns_quote_their_own_list_numbers():
    # A purpose inserted as item 2: the old item 2 is item 3 of the new version. Markdown
    # renumbers lists, so that is no change in the text, but each column shows its own number.
    new = POLICY.replace(
        "2. **서비스 제공**", "2. **요약 기능 제공**: 노트 요약\n3. **서비스 제공**"
    )
    before, after = row_cells(compare(diff_documents(POLICY, new)), "purposes")
    assert markers(before) == ["1.", "2."]  # 서비스 제공 is item 2 before
    assert markers(after) == ["1.", "2.", "3."]  # ... and item 3 after
    assert re.search(r'redline-marker">2\.</span> <strong>서비스 제공', before)
    assert re.search(r'redline-marker">3\.</span> <strong>서비스 제공', after)
    assert re.search(r'redline-marker">2\.</span> <ins><strong>요약 기능 제공', after)


def test_comparison_cells_show_escapes_and_code_spans_as_the_page_does():
    # A pipe inside a table cell must be written `\\|` (or inside a code span): the page shows
    # "|", and so must the 신구대조표, not the backslash nor the backticks of the source.
    old = (
        "## 제1조(정의) {#a}\n\n구분 \\| 항목, \\*별표\\*, `코드` 1\\. 그리고 \\< 끝\n\n"
        "| 수탁자 | 위탁 업무 |\n|---|---|\n| 가온 \\| 누리 | `발송|보관` |\n"
    )
    new = old.replace("끝", "끝남").replace("| 가온", "| 다온")
    before, after = row_cells(compare(diff_documents(old, new)), "a")
    for cell in (before, after):
        assert "구분 | 항목, *별표*, <code>코드</code> 1. 그리고 \\&lt; " in cell
        assert "<td><code>발송|보관</code></td>" in cell
        assert "`" not in cell
    assert "<td><del>가온</del> | 누리</td>" in before
    assert "<td><ins>다온</ins> | 누리</td>" in after


def test_a_line_break_written_br_breaks_the_line_in_the_comparison_and_the_redline():
    # `<br>` is on the gate's allowlist and common in the cells of a 신구대조표-style table: the
    # page breaks the line there, so the comparison and the redline must not print "<br>".
    old = (
        "## 제5조(위탁) {#a}\n\n위탁 내용은 다음과 같습니다.<br>변경 시 알립니다.\n\n"
        "1. **가온**<br>결제\n\n"
        "| 수탁자 | 위탁 업무 |\n|---|---|\n| 가온 | 결제 처리<br/>환불 처리 |\n"
    )
    new = old.replace("환불 처리", "환불 및 정산 처리").replace("알립니다", "공지합니다")
    diff = diff_documents(old, new)
    before, after = row_cells(compare(diff), "a")
    for cell in (before, after):
        assert "&lt;br" not in cell and "위탁 내용은 다음과 같습니다.<br>변경 시 " in cell
        assert "<strong>가온</strong><br>결제" in cell
    assert "<td>결제 처리<br>환불 처리</td>" in before
    assert "<td>결제 처리<br>환불 <ins>및 정산 </ins>처리</td>" in after
    page = to_html(render_redline_markdown(diff))
    assert "&lt;br" not in page and "다음과 같습니다.<br" in page and "결제 처리<br" in page
    assert "&lt;br" not in format_html(diff)


def test_character_references_show_their_character_in_the_comparison_and_the_redline():
    # Text converted from a word processor keeps `&nbsp;` or `&middot;`: the page shows the
    # character, so the comparison and the redline must too, never "&middot;" as words; a
    # reference to a control character or a tag stays as harmless as the character itself.
    old = "## 제1조 {#a}\n\n이름&middot;이메일&nbsp;주소 &#x202E;x &#60;b&#62; &copy 끝\n"
    new = old.replace("끝", "끝남")
    diff = diff_documents(old, new)
    before, after = row_cells(compare(diff), "a")
    page = to_html(render_redline_markdown(diff))
    for html in (before, after, page, format_html(diff)):
        assert "이름·이메일\u00a0주소 ⟨U+202E⟩x <b> &copy " in html_unescape(html), html
        assert "\u202e" not in html and "<b>" not in html
    # A reference to Markdown punctuation is no markup on the page, nor in the redline.
    old = "## 제1조 {#a}\n\n&#91;눌러&#93;(javascript:alert(1)) &#42;a&#42; &#96;c&#96; 끝\n"
    page = to_html(render_redline_markdown(diff_documents(old, old.replace("끝", "끝남"))))
    assert "<a" not in page and "<em>" not in page and "<code>" not in page
    assert "[눌러](javascript:alert(1)) *a* `c` " in html_unescape(page)


def test_underlined_and_superscript_words_are_shown_as_the_page_shows_them():
    # A Korean policy underlines what the law says must stand out (<u> is on the gate's
    # allowlist); the comparison and the redline show it underlined, not as "<u>". A tag left
    # unclosed in a run stays text, so elements always nest.
    old = "## 제2조 {#a}\n\n<u>제3자 제공</u>에 동의하지 않을 수 있습니다<sup>1</sup>. 끝\n"
    new = old.replace("끝", "<U>끝남</U> <u>열림")
    diff = diff_documents(old, new)
    before, after = row_cells(compare(diff), "a")
    page = to_html(render_redline_markdown(diff))
    for html in (before, after, page, format_html(diff)):
        assert "<u>제3자 제공</u>에 동의하지 않을 수 있습니다<sup>1</sup>." in html, html
        assert "&lt;u" not in html.replace("&lt;u&gt;열림", "")
    assert "<ins><u>끝남</u> &lt;u&gt;열림</ins>" in after
    Elements(compare(diff))


def test_comparison_columns_quote_their_own_heading_numbers():
    old = "## 6. 보유 기간 {#retention}\n\n가\n\n나\n\n다\n\n라\n\n1년 보관\n"
    new = old.replace("## 6.", "## 7.").replace("1년 보관", "2년 보관")
    before, after = row_cells(compare(diff_documents(old, new)), "retention")
    heading = re.compile(r'<p class="redline-heading"><strong>(.*?)</strong></p>')
    assert heading.search(before).group(1) == "<del>6</del>. 보유 기간"
    assert heading.search(after).group(1) == "<ins>7</ins>. 보유 기간"
    assert "7" not in before and "6" not in after


def test_comparison_marks_the_place_of_blocks_only_in_the_other_version():
    new = (
        POLICY.replace(
            "- 회원 정보: 회원 탈퇴 시까지\n",
            "- 회원 정보: 회원 탈퇴 시까지\n- 요약: 1년\n- 백업: 35일\n",
        )
        .replace("회사는 다음의 목적을 위하여 개인정보를 처리합니다.\n\n", "")
        .replace(
            "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |\n",
            "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |\n| Amazon Web Services, Inc. | 데이터 보관 | 위탁 계약 종료 시까지 |\n",
        )
    )
    html = compare(diff_documents(POLICY, new))
    new_mark = '<p class="redline-absent">&lt;신설&gt;</p>'
    gone_mark = '<p class="redline-absent">&lt;삭제&gt;</p>'
    # two inserted items: one marker in the old column, where they stand in the new one
    before, after = row_cells(html, "retention")
    assert before.count(new_mark) == 1 and new_mark not in after
    assert before.index("회원 탈퇴 시까지") < before.index(new_mark) < before.index("서비스 접속")
    assert "<ins>요약: 1년</ins>" in after and "<ins>백업: 35일</ins>" in after
    # a deleted paragraph: a marker in the new column, between the heading and the list
    before, after = row_cells(html, "purposes")
    assert after.count(gone_mark) == 1 and gone_mark not in before
    assert after.index("1. 처리 목적") < after.index(gone_mark) < after.index("회원 가입 및 관리")
    assert "<del>회사는 다음의 목적을 위하여" in before
    # an inserted table row: a row of the old column's table, spanning its columns
    before, after = row_cells(html, "entrustment")
    assert '<tr><td colspan="3" class="redline-absent">&lt;신설&gt;</td></tr></tbody>' in before
    assert "<ins>Amazon Web Services, Inc.</ins>" in after and "redline-absent" not in after
    Elements(html)


def test_comparison_labels_for_empty_places_are_escaped_and_english_by_default():
    start = POLICY.index("## 5. 처리방침의 변경")
    new = POLICY[:start] + "## 5. 국외 이전 {#overseas-transfer}\n\n국외로 이전하지 않습니다.\n"
    html = format_html(diff_documents(POLICY, new))
    before, _ = row_cells(html, "overseas-transfer")
    assert before == '<p class="redline-absent">&lt;New&gt;</p></td>'
    _, after = row_cells(html, "changes")
    assert after.startswith('<p class="redline-absent">&lt;Deleted&gt;</p></td>')
    assert "<New>" not in html and "<Deleted>" not in html


# --------------------------------------------------------------------------------------
# A section whose only change is its number is listed nowhere

RENUMBERED = (
    POLICY.replace("## 3. 보유 기간", "## 4. 보유 기간")
    .replace("## 4. 처리 위탁", "## 5. 처리 위탁")
    .replace("## 5. 처리방침의 변경", "## 6. 처리방침의 변경")
)


def renumbering_diff():
    """A new section 3 before 보유 기간: 보유 기간 (4.) also changes words, the others only
    their number."""
    new = RENUMBERED.replace(
        "## 4. 보유 기간", "## 3. 안전 조치 {#safety}\n\n암호화합니다.\n\n## 4. 보유 기간"
    ).replace("3개월", "1년")
    return diff_documents(POLICY, new)


def test_renumbered_only_sections_are_not_listed_anywhere():
    diff = renumbering_diff()
    assert [s.id for s in diff.listed_sections()] == ["safety", "retention"]
    assert diff.changed_section_ids() == {"safety", "retention", "entrustment", "changes"}
    assert diff.substantive_ids() == {s.id for s in diff.listed_sections()}
    text = format_text(diff, color=False)
    summary = format_markdown(diff, material_sections={"entrustment"})
    table, fragment = compare(diff, material={"entrustment"}), format_html(diff)
    for html in (table, fragment):
        assert re.findall(r'<tr id="redline-compare-([^"]*)"', html) == ["safety", "retention"]
    assert "처리 위탁" not in table
    # the full redline still shows every new number
    assert "<h2><del>4</del><ins>5</ins>. 처리 위탁</h2>" in fragment
    assert "처리 위탁" not in text and "처리방침의 변경" not in text
    assert "처리 위탁" not in summary and "처리방침의 변경" not in summary
    assert "=== 4. 보유 기간 {#retention} (changed) ===" in text
    assert "### 4\\. 보유 기간\n" in summary and "### 3\\. 안전 조치\n" in summary
    md = render_redline_markdown(diff)
    assert "## <del>4</del><ins>5</ins>. 처리 위탁" in md


def test_a_moved_and_renumbered_section_is_listed_as_moved():
    parts = POLICY.split("\n## ")
    swapped = "\n## ".join([parts[0], parts[1], parts[2], parts[4], parts[3], parts[5]])
    swapped = swapped.replace("## 4. 처리 위탁", "## 3. 처리 위탁").replace(
        "## 3. 보유 기간", "## 4. 보유 기간"
    )
    diff = diff_documents(POLICY, swapped)
    [moved] = diff.listed_sections()
    assert moved.moved and moved.kinds == ("moved",)
    assert diff.substantive_ids() == set()
    assert f"{{#{moved.id}}} (moved) ===" in format_text(diff, color=False)
    assert 'class="redline-moved"' in compare(diff)


# --------------------------------------------------------------------------------------
# Terminal and GitHub summary


def test_format_text_wdiff_markers_and_colour():
    new = POLICY.replace("3개월", "1년")
    diff = diff_documents(POLICY, new)
    plain = format_text(diff, color=False)
    assert plain.splitlines()[0] == "=== 3. 보유 기간 {#retention} (changed) ==="
    assert "- 서비스 접속 기록: [-3개월-]{+1년+} (「통신비밀보호법」)" in plain
    coloured = format_text(diff, color=True)
    assert "\x1b[9;31m3개월\x1b[0m" in coloured and "\x1b[4;32m1년\x1b[0m" in coloured
    assert "[-" not in coloured


def test_format_text_moved_section():
    parts = POLICY.split("\n## ")
    moved = "\n## ".join([parts[0], parts[1], parts[2], parts[4], parts[3], parts[5]])
    out = format_text(diff_documents(POLICY, moved), color=False)
    assert "(moved) ===" in out and "(moved; text unchanged)" in out


def test_format_text_empty_diff():
    assert format_text(diff_documents(POLICY, POLICY), color=False) == ""


def test_format_markdown_for_job_summary():
    new = POLICY.replace("3개월", "1년").replace("이 처리방침은 2025년", "이 처리방침은 2026년")
    out = format_markdown(diff_documents(POLICY, new), material_sections={"retention"})
    assert "### 3\\. 보유 기간 (material)" in out
    assert "### 5\\. 처리방침의 변경\n" in out
    assert "<del>3개월</del><ins>1년</ins>" in out
    assert "<del>2025</del><ins>2026</ins>" in out


# --------------------------------------------------------------------------------------
# Material sections: a changed sub-section of a material section is material everywhere

INTERNAL = POLICY.replace(
    "## 4. 처리 위탁",
    "### 3.1 회사 내부 방침 {#retention-internal}\n\n"
    "회사는 내부 방침에 따라 1년간 보관합니다.\n\n## 4. 처리 위탁",
)


def internal_change():
    """Only `### … {#retention-internal}`, inside `## … {#retention}`, is edited."""
    diff = diff_documents(INTERNAL, INTERNAL.replace("1년간", "2년간"))
    assert diff.changed_section_ids() == {"retention-internal"}
    return diff


def test_format_markdown_marks_a_changed_subsection_of_a_material_section():
    out = format_markdown(internal_change(), material_sections={"retention"})
    assert "### 3\\.1 회사 내부 방침 (material)" in out
    assert "(material)" not in format_markdown(internal_change(), material_sections={"entrustment"})


def test_format_html_marks_a_changed_subsection_of_a_material_section():
    html = format_html(internal_change(), material_sections={"retention"})
    row = re.search(r'<tr id="redline-compare-retention-internal".*?</tr>', html, re.S)
    assert row and '<strong class="redline-material">material</strong>' in row.group(0)
    assert "redline-material" not in format_html(internal_change())


def test_comparison_table_marks_a_changed_subsection_of_a_material_section():
    html = compare(internal_change(), material={"retention"})
    assert html.count('<strong class="redline-material">중요</strong>') == 1
    assert "redline-material" not in compare(internal_change(), material={"entrustment"})


# --------------------------------------------------------------------------------------
# An independent check: the Nu HTML checker on a page holding every rendering


@pytest.mark.skipif(not (VNU.exists() and shutil.which("java")), reason="vnu.jar or java missing")
def test_nu_html_checker_accepts_renderings(tmp_path):
    start = POLICY.index("## 4. 처리 위탁")
    end = POLICY.index("## 5. 처리방침의 변경")
    new = (
        (
            POLICY[:start]
            + POLICY[end:].replace("2025년", "2026년")
            + SCRIPT_NEW
            + "\n## 부칙\n\n**중요** 사항 `a|b` [링크](https://example.kr)\n"
        )
        .replace("3개월", "1년")
        .replace(
            "| 회원 가입(필수) | 이메일 주소", "| 회원 가입(필수) | 휴대전화 번호, 이메일 주소"
        )
    )
    old = POLICY + SCRIPT_OLD + "\n## 부칙\n\n중요 사항 `a|b`\n"
    diff = diff_documents(old, new)
    body = compare(diff, material={"retention"}) + to_html(render_redline_markdown(diff))
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>redline</title>'
        f"</head><body><main>{body}<section>{format_html(diff).replace('redline-compare-', 'fragment-')}</section></main></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "text", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


EMPHASIS_OLD = (
    "## 제1조 {#a}\n\n*강조* 와 _밑줄_ 과 **굵게** 그리고 snake_case_x 및 "
    "[약관](https://a.example/t) 및 <https://a.example/x> 끝\n\n"
    "> 인용문입니다 끝\n\n"
    '!!! note "알림 제목"\n\n    알림 본문 끝\n'
)


def test_comparison_shows_emphasis_links_quotations_and_admonitions_as_the_page_does():
    # The 신구대조표 quotes each version as its page shows it: no asterisks or underscores
    # around emphasis, no brackets of a link or an autolink, no `>` or `!!!` of a block.
    new = EMPHASIS_OLD.replace("끝", "끝남")
    diff = diff_documents(EMPHASIS_OLD, new)
    before, after = row_cells(compare(diff), "a")
    for cell in (before, after, format_html(diff)):
        assert "<em>강조</em> 와 <em>밑줄</em> 과 <strong>굵게</strong> 그리고 snake_case_x" in cell
        assert '약관 <span class="redline-address">(https://a.example/t)</span> 및 ' in cell
        assert " 및 https://a.example/x " in cell
        assert "<blockquote><p>인용문입니다 " in cell
        assert '<span class="redline-admonition-kind">note</span> 알림 제목</p>' in cell
        for source in ("*", "[", "](", "&lt;https", "&gt;", "!!!", '"알림'):
            assert source not in cell, (source, cell)
    Elements(compare(diff))
    Elements(format_html(diff))


def test_a_changed_link_address_stays_visible_as_a_change_in_each_column():
    # The page shows only the link's words; the comparison keeps the address after them,
    # so that a link moved to another document is a change the reader sees.
    new = EMPHASIS_OLD.replace("https://a.example/t", "https://b.example/t")
    diff = diff_documents(EMPHASIS_OLD, new)
    before, after = row_cells(compare(diff), "a")
    assert '약관<del> <span class="redline-address">(https://a.example/t)</span></del>' in before
    assert '약관<ins> <span class="redline-address">(https://b.example/t)</span></ins>' in after
    assert "a.example/t" not in after and "b.example/t" not in before
    redline = format_html(diff).split('class="redline-text"')[1]
    assert re.search(r"약관<del> <span[^>]*>\(https://a\.example/t\)</span></del><ins> ", redline)


def test_emphasis_and_links_never_make_policy_text_markup_in_the_comparison():
    # Only the renderer's own <em>/<strong>/<span> appear; the address is text, never a link,
    # whatever it holds, and emphasis that pairs with nothing stays text.
    old = (
        '## 제1조 {#a}\n\n[눌러](javascript:alert(1) "x\\" onclick=\\"y") *열림 '
        '<https://x.example/"onmouseover=alert(1)//> _a_b 끝\n'
    )
    diff = diff_documents(old, old.replace("끝", "끝남"))
    for html in (compare(diff), format_html(diff)):
        page = Elements(html)
        assert {t for t, _ in page.tags} <= {
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "p",
            "strong",
            "em",
            "span",
            "del",
            "ins",
            "div",
            "h2",
        }
        assert not any(k.startswith("on") for _, a in page.tags for k in a)
        assert "*열림" in html_unescape(html) and " _a_b " in html


def test_redline_markdown_shows_links_autolinks_emphasis_and_quotations_as_the_page_does():
    # The changes page's redline, rendered by Python-Markdown: in a partly changed block a
    # link whose address changed read "[약관](https://…)" as source; now its words, then
    # each address, struck and inserted, as the comparison shows them.
    new = EMPHASIS_OLD.replace("끝", "끝남").replace("https://a.example/t", "https://b.example/t")
    page = to_html(render_redline_markdown(diff_documents(EMPHASIS_OLD, new)))
    assert "<em>강조</em> 와 <em>밑줄</em> 과 <strong>굵게</strong> 그리고 snake_case_x" in page
    assert (
        '약관<del> <span class="redline-address">(https://a.example/t)</span></del>'
        '<ins> <span class="redline-address">(https://b.example/t)</span></ins> 및 '
        "https://a.example/x " in page
    )
    assert "<blockquote>\n<p>인용문입니다 <del>끝</del><ins>끝남</ins></p>\n</blockquote>" in page
    for source in ("*", "[", "](", "&lt;https", "&gt;"):
        assert source not in page, (source, page)
    assert "<a" not in page
    Elements(page)


def test_format_markdown_shows_links_and_emphasis_as_the_page_does():
    # `redline diff --format markdown`, pasted into a pull request or an issue: the words as
    # the page shows them, a changed link address struck and inserted after its words.
    new = EMPHASIS_OLD.replace("끝", "끝남").replace("https://a.example/t", "https://b.example/t")
    summary = format_markdown(diff_documents(EMPHASIS_OLD, new))
    assert (
        "- <em>강조</em> 와 <em>밑줄</em> 과 <strong>굵게</strong> 그리고 snake\\_case\\_x 및 약관"
        "<del> (https://a\\.example/t)</del><ins> (https://b\\.example/t)</ins> 및 "
        "https://a\\.example/x <del>끝</del><ins>끝남</ins>"
    ) in summary
    assert "- 인용문입니다 <del>끝</del>" in summary
    page = Elements(markdown.markdown(summary))
    assert {t for t, _ in page.tags} <= {
        "h3",
        "p",
        "code",
        "em",
        "ul",
        "li",
        "strong",
        "del",
        "ins",
    }


def test_english_text_reads_as_its_page_in_every_rendering():
    old = "## 1. Terms {#a}\n\nThe _Service_ and **__our__ Terms**, see [the terms](/terms/). End\n"
    new = old.replace("/terms/", "/terms/v2/").replace("End", "Ends")
    diff = diff_documents(old, new)
    before, after = row_cells(compare(diff), "a")
    assert (
        "The <em>Service</em> and <strong><strong>our</strong> Terms</strong>, see the terms"
        in (before)
    )
    assert '<ins> <span class="redline-address">(/terms/v2/)</span></ins>' in after
    page = to_html(render_redline_markdown(diff))
    assert '<del> <span class="redline-address">(/terms/)</span></del><ins> ' in page
    assert "the terms" in page and "[" not in page and "_" not in page
    assert "<em>Service</em>" in format_markdown(diff)


def test_an_admonition_s_text_on_the_next_line_stays_words_of_the_box():
    # `!!! warning "주의 사항"` then its text indented on the next line: one block here; only
    # the first line is the box's type and title, the rest are words the page shows.
    old = '## 제1조 {#a}\n\n!!! warning "주의 사항"\n    "동의" 없이 _제공_ 끝\n'
    before, after = row_cells(compare(diff_documents(old, old.replace("끝", "끝남"))), "a")
    assert (
        '<p class="redline-admonition"><span class="redline-admonition-kind">warning</span> '
        '주의 사항 "동의" 없이 <em>제공</em> <ins>끝남</ins></p>'
    ) in after
