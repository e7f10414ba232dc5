"""The section-aware diff on realistic policy text: what is and is not a change."""

from __future__ import annotations

import pytest

from redline.diff import (
    BlockKind,
    BlockStatus,
    SectionStatus,
    diff_documents,
    diff_texts,
    normalized_text,
    parse_document,
    render_redline_markdown,
    tokenize,
)

POLICY = """\
솔바람랩(이하 "회사")은 「개인정보 보호법」 제30조에 따라 정보주체의 개인정보를 보호하고
이와 관련한 고충을 신속하고 원활하게 처리할 수 있도록 다음과 같이 처리방침을 수립·공개합니다.

## 1. 처리 목적 {#purposes}

회사는 다음의 목적을 위하여 개인정보를 처리합니다.

1. **회원 가입 및 관리**: 회원 가입 의사 확인, 본인 식별·인증
2. **서비스 제공**: 노트와 일정의 생성·저장, 기기 간 동기화
    - 공유 노트의 공동 편집
    - 일정 알림 발송

## 2. 처리하는 개인정보 항목 {#collected-items}

| 구분 | 항목 | 수집 방법 |
|---|---|---|
| 회원 가입(필수) | 이메일 주소, 비밀번호, 닉네임 | 회원 가입 화면에서 직접 입력 |
| 유료 결제 | 결제 수단 정보, 결제 일시 및 금액 | 결제 대행사로부터 수신 |

## 3. 보유 기간 {#retention}

회사는 법령에 따른 보유 기간 또는 정보주체로부터 동의받은 기간 내에서 개인정보를 처리·보유합니다.

- 회원 정보: 회원 탈퇴 시까지
- 서비스 접속 기록: 3개월 (「통신비밀보호법」)

## 4. 처리 위탁 {#entrustment}

회사는 원활한 업무 처리를 위하여 다음과 같이 개인정보 처리업무를 위탁하고 있습니다.

| 수탁자 | 위탁 업무 | 보유 기간 |
|---|---|---|
| 토스페이먼츠(주) | 결제 처리 | 위탁 계약 종료 시까지 |
| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |

## 5. 처리방침의 변경 {#changes}

이 처리방침은 2025년 9월 1일부터 적용됩니다.
"""


def section(diff, sid):
    return next(s for s in diff.sections if s.id == sid)


def changed_blocks(sec):
    return [b for b in sec.blocks if b.status != BlockStatus.EQUAL]


# --------------------------------------------------------------------------------------
# Parsing


def test_parse_sections_ids_and_preamble():
    sections = parse_document(POLICY)
    assert [s.id for s in sections] == [
        "",
        "purposes",
        "collected-items",
        "retention",
        "entrustment",
        "changes",
    ]
    assert sections[0].title == ""
    assert sections[0].blocks[0].kind == BlockKind.PARAGRAPH
    # the preamble paragraph spans two source lines but is one block, newline collapsed
    assert sections[0].blocks[0].text.endswith("처리방침을 수립·공개합니다.")
    assert "보호하고 이와" in sections[0].blocks[0].text
    assert sections[3].title == "3. 보유 기간"
    assert sections[3].blocks[0].attrs == "{#retention}"


def test_parse_list_items_keep_marker_and_nesting():
    purposes = parse_document(POLICY)[1]
    items = [b for b in purposes.blocks if b.kind == BlockKind.LIST_ITEM]
    assert [(b.marker, b.level) for b in items] == [("1.", 0), ("2.", 0), ("-", 1), ("-", 1)]
    assert items[2].prefix == "    - "
    assert items[2].text == "공유 노트의 공동 편집"
    assert items[0].text.startswith("**회원 가입 및 관리**:")


def test_parse_two_space_nested_list():
    doc = "- 상위 항목\n  - 하위 항목\n    - 더 깊은 항목\n- 다음 상위\n"
    blocks = parse_document(doc)[0].blocks
    assert [(b.level, b.text) for b in blocks] == [
        (0, "상위 항목"),
        (1, "하위 항목"),
        (2, "더 깊은 항목"),
        (0, "다음 상위"),
    ]


def test_parse_table_rows():
    table = parse_document(POLICY)[4]
    kinds = [b.kind for b in table.blocks if b.kind != BlockKind.HEADING]
    assert kinds[1:] == [
        BlockKind.TABLE_HEADER,
        BlockKind.TABLE_SEPARATOR,
        BlockKind.TABLE_ROW,
        BlockKind.TABLE_ROW,
    ]
    rows = [b.text for b in table.blocks if b.kind == BlockKind.TABLE_ROW]
    assert rows[0] == "| 토스페이먼츠(주) | 결제 처리 | 위탁 계약 종료 시까지 |"


def test_parse_table_cell_spacing_is_not_text():
    a = "| 수탁자 | 위탁 업무 |\n|---|---|\n| A사 | 결제 |\n"
    b = "|수탁자|위탁 업무|\n| :--- | ---: |\n|  A사   |결제|\n"
    assert normalized_text(a) == normalized_text(b)
    assert diff_documents(a, b).is_empty


def test_heading_without_id_gets_positional_id():
    sections = parse_document("# 제목\n\n본문\n\n## 부칙\n\n시행\n")
    assert [s.id for s in sections] == ["", "_section-1", "_section-2"]
    assert not sections[1].explicit


def test_list_item_does_not_interrupt_paragraph():
    # As in Python-Markdown: a wrapped line that starts with "1." stays in the paragraph,
    # so re-wrapping can never turn prose into a list.
    doc = "이 방침은 2025년\n1. 1.부터 시행합니다.\n"
    blocks = parse_document(doc)[0].blocks
    assert len(blocks) == 1
    assert blocks[0].text == "이 방침은 2025년 1. 1.부터 시행합니다."


def test_setext_heading():
    sections = parse_document("머리말\n\n부칙 {#addenda}\n---\n\n시행일\n")
    assert [s.id for s in sections] == ["", "addenda"]
    assert sections[1].title == "부칙"
    assert sections[1].level == 2


# --------------------------------------------------------------------------------------
# What is not a change


def test_identical_documents_are_empty():
    diff = diff_documents(POLICY, POLICY)
    assert diff.is_empty
    assert diff.changed_section_ids() == set()
    assert all(s.status == SectionStatus.UNCHANGED for s in diff.sections)


def test_rewrapped_paragraph_is_not_a_change():
    old = "## 목적 {#purposes}\n\n회사는 다음의 목적을 위하여 개인정보를 처리합니다. 처리하는 개인정보는 다음의 목적 이외의 용도로는 이용되지 않습니다.\n"
    new = (
        "## 목적 {#purposes}\n\n회사는 다음의 목적을 위하여\n개인정보를 처리합니다.   처리하는 개인정보는\n"
        "다음의 목적 이외의 용도로는\t이용되지 않습니다.  \n"
    )
    diff = diff_documents(old, new)
    assert diff.is_empty
    assert normalized_text(old) == normalized_text(new)


def test_crlf_is_not_a_change():
    diff = diff_documents(POLICY, POLICY.replace("\n", "\r\n"))
    assert diff.is_empty
    assert normalized_text(POLICY.replace("\n", "\r\n")) == normalized_text(POLICY)


def test_renumbered_ordered_list_is_not_a_change():
    old = "1. 이름\n2. 이메일\n"
    new = "3. 이름\n4. 이메일\n"
    assert diff_documents(old, new).is_empty


# --------------------------------------------------------------------------------------
# Sections


def test_renumbered_heading_is_a_one_word_change():
    new = POLICY.replace("## 3. 보유 기간 {#retention}", "## 4. 보유 기간 {#retention}")
    diff = diff_documents(POLICY, new)
    assert diff.changed_section_ids() == {"retention"}
    sec = section(diff, "retention")
    assert sec.status == SectionStatus.CHANGED
    assert not sec.moved
    assert sec.old_title == "3. 보유 기간"
    assert sec.new_title == "4. 보유 기간"
    [heading] = changed_blocks(sec)
    assert heading.kind == BlockKind.HEADING
    assert heading.ops == (("delete", "3"), ("insert", "4"), ("equal", ". 보유 기간"))


def test_moved_section_is_moved_not_deleted_and_added():
    sections = POLICY.split("\n## ")
    # swap "3. 보유 기간" and "4. 처리 위탁"
    moved = "\n## ".join(
        [sections[0], sections[1], sections[2], sections[4], sections[3], sections[5]]
    )
    diff = diff_documents(POLICY, moved)
    statuses = {s.id: (s.status, s.moved) for s in diff.sections}
    assert SectionStatus.ADDED not in {st for st, _ in statuses.values()}
    assert SectionStatus.DELETED not in {st for st, _ in statuses.values()}
    moved_ids = {s.id for s in diff.sections if s.moved}
    assert len(moved_ids) == 1
    assert moved_ids <= {"retention", "entrustment"}
    assert all(s.status == SectionStatus.UNCHANGED for s in diff.sections)
    assert diff.changed_section_ids() == moved_ids
    assert not diff.is_empty
    # sections come in the new document's order
    assert [s.id for s in diff.sections][3:5] == ["entrustment", "retention"]


def test_moved_and_changed_section():
    new = POLICY.replace("- 회원 정보: 회원 탈퇴 시까지\n", "- 회원 정보: 회원 탈퇴 후 1년까지\n")
    parts = new.split("\n## ")
    new = "\n## ".join([parts[0], parts[3], parts[1], parts[2], parts[4], parts[5]])
    diff = diff_documents(POLICY, new)
    retention = section(diff, "retention")
    assert retention.moved
    assert retention.status == SectionStatus.CHANGED
    assert diff.new_text() == normalized_text(new)
    assert diff.old_text() == normalized_text(POLICY)


def test_section_added():
    new = POLICY.replace(
        "## 5. 처리방침의 변경 {#changes}",
        "## 5. 국외 이전 {#overseas-transfer}\n\n회사는 개인정보를 국외로 이전하지 않습니다.\n\n"
        "## 6. 처리방침의 변경 {#changes}",
    )
    diff = diff_documents(POLICY, new)
    added = section(diff, "overseas-transfer")
    assert added.status == SectionStatus.ADDED
    assert added.old_title is None and added.new_title == "5. 국외 이전"
    assert all(b.status == BlockStatus.INSERTED for b in added.blocks)
    assert diff.changed_section_ids() == {"overseas-transfer", "changes"}
    assert [s.id for s in diff.sections][-2:] == ["overseas-transfer", "changes"]


def test_section_deleted_stays_where_it_was():
    start = POLICY.index("## 4. 처리 위탁")
    end = POLICY.index("## 5. 처리방침의 변경")
    new = POLICY[:start] + POLICY[end:]
    diff = diff_documents(POLICY, new)
    gone = section(diff, "entrustment")
    assert gone.status == SectionStatus.DELETED
    assert gone.new_title is None and gone.old_title == "4. 처리 위탁"
    assert [s.id for s in diff.sections] == [
        "",
        "purposes",
        "collected-items",
        "retention",
        "entrustment",
        "changes",
    ]
    assert diff.changed_section_ids() == {"entrustment"}
    assert all(b.status == BlockStatus.DELETED for b in gone.blocks)


def test_heading_without_id_matched_by_title_then_position():
    old = "## 부칙\n\n이 방침은 2025년 1월 1일부터 시행합니다.\n\n## 문의처\n\n전화 02-000-0000\n"
    new = "## 부칙(개정)\n\n이 방침은 2026년 1월 1일부터 시행합니다.\n\n## 문의처\n\n전화 02-000-0000\n"
    diff = diff_documents(old, new)
    assert [s.status for s in diff.sections] == [
        SectionStatus.UNCHANGED,
        SectionStatus.CHANGED,
        SectionStatus.UNCHANGED,
    ]
    assert diff.sections[1].old_title == "부칙"
    assert diff.sections[1].new_title == "부칙(개정)"


def test_different_explicit_ids_never_match():
    old = "## 보유 기간 {#retention}\n\n1년\n"
    new = "## 보유 기간 {#keeping}\n\n1년\n"
    diff = diff_documents(old, new)
    assert {s.id: s.status for s in diff.sections if s.id} == {
        "keeping": SectionStatus.ADDED,
        "retention": SectionStatus.DELETED,
    }


def test_id_added_to_a_heading_is_matched_by_title():
    old = "## 보유 기간\n\n1년\n"
    new = "## 보유 기간 {#retention}\n\n1년\n"
    diff = diff_documents(old, new)
    assert diff.is_empty
    assert diff.sections[1].id == "retention"


def test_preamble_change_reported_with_empty_id():
    new = POLICY.replace("솔바람랩(이하", "주식회사 솔바람랩(이하", 1)
    diff = diff_documents(POLICY, new)
    assert diff.changed_section_ids() == {""}


# --------------------------------------------------------------------------------------
# Blocks


def test_changed_table_row_is_a_word_diff_of_that_row():
    new = POLICY.replace(
        "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |",
        "| (주)카카오 | 알림톡 발송 | 발송 완료 후 90일 |",
    )
    diff = diff_documents(POLICY, new)
    assert diff.changed_section_ids() == {"entrustment"}
    [row] = changed_blocks(section(diff, "entrustment"))
    assert row.kind == BlockKind.TABLE_ROW
    assert row.status == BlockStatus.CHANGED
    assert [op for op in row.ops if op[0] != "equal"] == [("delete", "30"), ("insert", "90")]


def test_table_row_added_and_column_removed():
    new = POLICY.replace(
        "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |\n",
        "| (주)카카오 | 알림톡 발송 | 발송 완료 후 30일 |\n| Amazon Web Services, Inc. | 데이터 보관 | 위탁 계약 종료 시까지 |\n",
    )
    diff = diff_documents(POLICY, new)
    [row] = changed_blocks(section(diff, "entrustment"))
    assert row.status == BlockStatus.INSERTED
    assert row.new.text == "| Amazon Web Services, Inc. | 데이터 보관 | 위탁 계약 종료 시까지 |"

    old = "| 수탁자 | 위탁 업무 | 보유 기간 |\n|---|---|---|\n| A사 | 결제 | 5년 |\n"
    new = "| 수탁자 | 위탁 업무 |\n|---|---|\n| A사 | 결제 |\n"
    diff = diff_documents(old, new)
    header = diff.sections[0].blocks[0]
    assert header.ops == (
        ("equal", "| 수탁자 | 위탁 업무 "),
        ("delete", "| 보유 기간 "),
        ("equal", "|"),
    )


def test_edited_paragraph_is_paired_not_deleted_and_inserted():
    new = POLICY.replace(
        "회사는 다음의 목적을 위하여 개인정보를 처리합니다.",
        "회사는 다음의 목적을 위하여 필요한 최소한의 개인정보를 처리합니다.",
    )
    diff = diff_documents(POLICY, new)
    [para] = changed_blocks(section(diff, "purposes"))
    assert para.status == BlockStatus.CHANGED
    assert ("insert", "필요한 최소한의 ") in para.ops


def test_inserted_list_item_between_nested_items():
    new = POLICY.replace("    - 일정 알림 발송\n", "    - 일정 알림 발송\n    - 노트 요약 제공\n")
    diff = diff_documents(POLICY, new)
    [item] = changed_blocks(section(diff, "purposes"))
    assert item.status == BlockStatus.INSERTED
    assert (item.new.level, item.new.marker, item.new.text) == (1, "-", "노트 요약 제공")


def test_deleted_paragraph_and_unpaired_rewrite():
    old = "## 부칙 {#addenda}\n\n첫째 문단입니다.\n\n완전히 다른 내용의 두 번째 문단.\n"
    new = (
        "## 부칙 {#addenda}\n\n첫째 문단입니다.\n\nThe third paragraph was rewritten in English.\n"
    )
    diff = diff_documents(old, new)
    statuses = [b.status for b in diff.sections[1].blocks]
    assert statuses == [
        BlockStatus.EQUAL,
        BlockStatus.EQUAL,
        BlockStatus.DELETED,
        BlockStatus.INSERTED,
    ]


# --------------------------------------------------------------------------------------
# Tokens


def test_tokenize_reconstructs_and_keeps_units_whole():
    text = "보유 기간은 1,000일(2025-03-01 기준)이며 `code | x` 와 [링크](https://a.kr/b_c) 참조. Don't"
    tokens = tokenize(text)
    assert "".join(tokens) == text
    for whole in ("1,000", "2025-03-01", "`code | x`", "](https://a.kr/b_c)", "Don't", "보유"):
        assert whole in tokens
    assert "기간은" in tokens  # an eojeol is one token before refinement
    assert " " in tokens


def test_korean_particle_change_marks_only_the_particle():
    ops = diff_texts(
        "회사는 이용자의 개인정보를 수집합니다.",
        "회사는 이용자의 개인정보의 수집 및 이용을 위하여 동의를 받습니다.",
    )
    assert ops == (
        ("equal", "회사는 이용자의 개인정보"),
        ("delete", "를"),
        ("insert", "의"),
        ("equal", " 수집"),
        ("delete", "합니다"),
        ("insert", " 및 이용을 위하여 동의를 받습니다"),
        ("equal", "."),
    )
    assert "".join(t for op, t in ops if op != "insert") == "회사는 이용자의 개인정보를 수집합니다."


def test_korean_particles_in_a_realistic_sentence():
    old = "회사는 정보주체의 동의를 받아 개인정보를 제3자에게 제공합니다."
    new = "회사가 정보주체로부터 동의를 받아 개인정보를 제3자에게 제공합니다."
    ops = diff_texts(old, new)
    assert ops == (
        ("equal", "회사"),
        ("delete", "는"),
        ("insert", "가"),
        ("equal", " 정보주체"),
        ("delete", "의"),
        ("insert", "로부터"),
        ("equal", " 동의를 받아 개인정보를 제3자에게 제공합니다."),
    )


def test_korean_ending_change_keeps_the_stem():
    assert diff_texts("수집합니다", "수집하고") == (
        ("equal", "수집"),
        ("delete", "합니다"),
        ("insert", "하고"),
    )


def test_korean_different_words_are_not_confetti():
    # 보유 -> 보관 share only "보": showing 보 as unchanged would be noise
    assert diff_texts("개인정보를 보유합니다", "개인정보를 보관합니다") == (
        ("equal", "개인정보를 "),
        ("delete", "보유합니다"),
        ("insert", "보관합니다"),
    )
    assert diff_texts("수집 업무", "수탁 업무") == (
        ("delete", "수집"),
        ("insert", "수탁"),
        ("equal", " 업무"),
    )


def test_english_word_change():
    ops = diff_texts(
        "We keep access logs for 3 months.",
        "We keep access logs for 12 months, as required by law.",
    )
    assert ops == (
        ("equal", "We keep access logs for "),
        ("delete", "3"),
        ("insert", "12"),
        ("equal", " months"),
        ("insert", ", as required by law"),
        ("equal", "."),
    )


def test_number_is_one_token():
    ops = diff_texts("보관 기간 1,000일", "보관 기간 1,500일")
    assert ("delete", "1,000") in ops and ("insert", "1,500") in ops


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a " * 3000, "b " * 3000),
        (" ".join(f"단어{i}" for i in range(4000)), " ".join(f"단어{i}" for i in range(1, 4001))),
        ("문장입니다. " * 2000, ("문장입니다. " * 1000) + "새 문장. " + ("문장입니다. " * 1000)),
    ],
)
def test_large_blocks_still_exact(old, new):
    ops = diff_texts(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new


def test_large_block_with_one_insertion_is_still_a_small_diff():
    old = "문장입니다. " * 2000
    new = ("문장입니다. " * 1000) + "새 문장. " + ("문장입니다. " * 1000)
    ops = diff_texts(old, new)
    assert [op for op in ops if op[0] != "equal"] == [("insert", "새 문장. ")]


def test_exact_reconstruction_on_policy_edit():
    new = (
        POLICY.replace("3개월", "1년")
        .replace("| 유료 결제 | 결제 수단 정보, 결제 일시 및 금액 | 결제 대행사로부터 수신 |\n", "")
        .replace("## 5. 처리방침의 변경 {#changes}", "## 6. 처리방침의 변경 {#changes}")
    )
    diff = diff_documents(POLICY, new)
    assert diff.old_text() == normalized_text(POLICY)
    assert diff.new_text() == normalized_text(new)
    assert diff.changed_section_ids() == {"retention", "collected-items", "changes"}


def test_a_change_in_a_sub_section_counts_for_the_section_that_holds_it():
    old = "## 3. 보유 기간 {#retention}\n\n개요\n\n### 내부 방침 {#retention-internal}\n\n- 1년 보관\n\n## 4. 파기 {#destruction}\n\n즉시 파기\n"
    new = old.replace("1년 보관", "3년 보관")
    diff = diff_documents(old, new)
    assert diff.ancestors()["retention-internal"] == ("retention",)
    assert diff.ancestors()["destruction"] == ()
    assert diff.substantive_ids() == {"retention-internal", "retention"}


def test_renumbering_and_moving_are_not_substantive_changes():
    old = "## 9. 안전 {#safety}\n\n본문\n\n## 제3조 (정의) {#definitions}\n\n정의\n"
    new = "## 10. 안전 {#safety}\n\n본문\n\n## 제4조 (정의) {#definitions}\n\n정의\n"
    diff = diff_documents(old, new)
    assert diff.changed_section_ids() == {"safety", "definitions"}
    assert diff.substantive_ids() == set()
    reworded = diff_documents(old, new.replace("10. 안전", "10. 보안"))
    assert reworded.substantive_ids() == {"safety"}


def test_the_table_of_contents_reads_the_heading_after_the_change():
    md = render_redline_markdown(
        diff_documents("## 9. 안전 {#safety}\n\n본문\n", "## 10. 안전 {#safety}\n\n본문\n")
    )
    assert '{#safety data-toc-label="10. 안전"}' in md


def test_material_ids_are_the_substantive_changes_within_material_sections():
    old = (
        "## 1. 총칙 {#general}\n\n본문\n\n"
        "### 1.1 보유 기간 {#retention}\n\n법령에 따릅니다.\n\n"
        "#### 내부 방침 {#retention-internal}\n\n1년 보관\n\n"
        "## 2. 안전 {#safety}\n\n본문\n"
    )
    diff = diff_documents(old, old.replace("1년 보관", "3년 보관").replace("2. 안전", "3. 안전"))
    assert diff.substantive_ids() == {"retention-internal", "retention", "general"}
    assert diff.sections_within({"retention"}) == {"retention", "retention-internal"}
    # the changed section and its listed ancestor, not the unlisted section holding them
    assert diff.material_ids({"retention"}) == {"retention-internal", "retention"}
    assert diff.material_ids({"retention-internal"}) == {"retention-internal"}
    assert diff.material_ids({"general"}) == {"general", "retention", "retention-internal"}
    # a renumbered heading is no substantive change, even in a material section
    assert diff.material_ids({"safety"}) == set()
