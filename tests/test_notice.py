"""`redline notice`: the direct notice of an amendment, through the real command.

On the example site (privacy v4, material, effective 2027-01-01; terms v2, minor, effective
2026-12-07; both announced 2026-11-22) as of 2026-12-01, and on throwaway repositories:
every format in both languages, the wording of each class, the links, the contact setting,
drafts, refusals and hostile policy text. `run` asserts that nothing is written.
"""

from __future__ import annotations

import email.policy
import re
from datetime import date
from email.parser import BytesParser
from pathlib import Path

import pytest
from clikit import history, run, run_process
from conftest import NOTICE_DAY, PROJECT, BuiltSite
from sitekit import SiteRepo

from redline.config import load_settings
from redline.model import Version, load_project

EXAMPLE_URL = "https://policies.example.kr/"
MATERIAL_KO = ["중요한 변경", "거부 의사를 알려 주시거나", "동의를 철회", "회원 탈퇴"]
MATERIAL_EN = ["material changes", "you may object", "withdraw your consent"]
MINOR_KO = "따로 조치하실 사항은 없습니다"
MINOR_EN = "you do not need to do anything"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REPO_DAY = "2024-05-15"  # history(): v2 (minor, effective 2024-06-01) announced 2024-05-01


def example_version(policy: str, slug: str) -> Version:
    settings = load_settings(PROJECT / "mkdocs.yml")
    found = load_project(settings, date.fromisoformat(NOTICE_DAY)).policies[policy].version(slug)
    assert found is not None
    return found


def notice(repo, *args: str, today: str = NOTICE_DAY):
    result = run(repo, "notice", *args, today=today)
    assert result.code == 0, result.text
    assert "Traceback" not in result.text
    return result


def parse_eml(out: str):
    return BytesParser(policy=email.policy.default).parsebytes(out.encode("ascii"))


def alternatives(message) -> dict[str, dict[str, str]]:
    """language -> {"plain": text, "html": text} of each multipart/alternative."""
    found = {}
    for part in message.walk():
        if part.get_content_type() == "multipart/alternative":
            lang = str(part["Content-Language"])
            found[lang] = {p.get_content_subtype(): p.get_content() for p in part.iter_parts()}
    return found


# --- the example site ---------------------------------------------------------------------


def test_material_amendment_in_both_languages():
    out = notice(PROJECT, "privacy", "2027-01-01").out
    ko, en = out.split("\n" + "-" * 72 + "\n\n")
    v = example_version("privacy", "2027-01-01")
    assert ko.startswith(
        "제목: [솔바람랩 정책 센터] 개인정보 처리방침 개정 안내 (2027년 1월 1일 시행)\n\n"
        "안녕하세요, 솔바람랩 정책 센터입니다.\n\n"
    )
    assert "개인정보 처리방침이 2027년 1월 1일부터 다음과 같이 변경됨을 알려 드립니다." in ko
    assert en.startswith(
        "Subject: [Solbaram Lab Policy Centre] Changes to our Privacy Policy, "
        "effective 1 January 2027\n"
    )
    assert "our Privacy Policy will change on 1 January 2027" in en
    for lang, text in (("ko", ko), ("en", en)):
        assert v.reason(lang) in text
        for line in v.file(lang).summary:
            assert f"- {line}\n" in text
    assert "중요 조항의 변경: 1. 처리 목적, 3. 처리 및 보유 기간, 5. 처리 위탁, 6. 국외 이전" in ko
    assert "Material sections changed: 1. Purposes of processing" in en
    assert all(words in ko for words in MATERIAL_KO) and MINOR_KO not in ko
    assert all(words in en for words in MATERIAL_EN) and MINOR_EN not in en
    assert "시행일 전날인 2026년 12월 31일까지" in ko and "until 31 December 2026" in en


def test_minor_amendment_is_informative():
    out = notice(PROJECT, "terms", "2026-12-07").out
    ko, en = out.split("\n" + "-" * 72 + "\n\n")
    v = example_version("terms", "2026-12-07")
    assert "제목: [솔바람랩 정책 센터] 이용약관 개정 안내 (2026년 12월 7일 시행)" in ko
    assert "이용약관이 2026년 12월 7일부터 다음과 같이 변경됨을 알려 드립니다." in ko
    assert "Changes to our Terms of Service, effective 7 December 2026" in en
    for lang, text in (("ko", ko), ("en", en)):
        assert v.reason(lang) in text
        assert all(f"- {line}\n" in text for line in v.file(lang).summary)
    assert MINOR_KO in ko and not any(words in ko for words in MATERIAL_KO)
    assert MINOR_EN in en and not any(words in en for words in MATERIAL_EN)
    assert "중요 조항" not in ko and "Material sections" not in en


def test_links_are_absolute_and_the_contact_defaults_to_the_policy_page():
    out = notice(PROJECT, "privacy", "2027-01-01").out
    for prefix in ("", "en/"):
        assert f"{EXAMPLE_URL}{prefix}privacy/changes/2027-01-01/" in out
        assert f"{EXAMPLE_URL}{prefix}privacy/2027-01-01/" in out
    assert f"거부 의사 표시·동의 철회 및 문의: {EXAMPLE_URL}privacy/\n" in out
    assert "아래 정책 페이지에 안내된 연락처로" in out
    assert f"To object, withdraw consent or ask a question: {EXAMPLE_URL}en/privacy/\n" in out
    urls = set(re.findall(r"https?://\S+", out))
    assert urls and all(u.startswith(EXAMPLE_URL) for u in urls), urls


@pytest.mark.slow
def test_every_link_is_a_page_the_site_builds(example_notice: BuiltSite):
    for policy, slug in (("privacy", "2027-01-01"), ("terms", "2026-12-07")):
        html = notice(PROJECT, policy, slug, "--format", "html").out
        hrefs = re.findall(r'href="([^"]+)"', html)
        assert len(hrefs) == 6, hrefs  # comparison, new text, policy page; in each language
        for href in hrefs:
            rel = href.removeprefix(EXAMPLE_URL)
            assert rel != href and (example_notice.path / rel / "index.html").is_file(), href


def test_html_is_one_document_per_language():
    out = notice(PROJECT, "privacy", "2027-01-01", "--format", "html").out
    ko, en = out.split("\n" + "-" * 72 + "\n\n")
    for lang, doc in (("ko", ko), ("en", en)):
        assert doc.startswith(
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">'
        )
        assert doc.rstrip().endswith("</html>") and "<script" not in doc
    assert (
        "<title>[솔바람랩 정책 센터] 개인정보 처리방침 개정 안내 (2027년 1월 1일 시행)</title>"
        in ko
    )
    assert "<h2" in ko and "<li>처리 목적에 AI 요약 기능 제공(Plus 회원) 추가</li>" in ko
    assert f'<a href="{EXAMPLE_URL}en/privacy/changes/2027-01-01/">' in en
    assert all(words in en for words in MATERIAL_EN)


@pytest.mark.parametrize(
    ("policy", "slug", "ko_day", "en_day"),
    [
        ("privacy", "2027-01-01", "2027년 1월 1일", "1 January 2027"),
        ("terms", "2026-12-07", "2026년 12월 7일", "7 December 2026"),
    ],
)
def test_eml_parses_back_with_a_text_and_an_html_part_per_language(policy, slug, ko_day, en_day):
    out = notice(PROJECT, policy, slug, "--format", "eml").out
    assert out.isascii()  # 7-bit: headers RFC 2047, bodies base64 or quoted-printable
    message = parse_eml(out)
    assert not message.defects
    assert message.get_content_type() == "multipart/mixed" and message["MIME-Version"] == "1.0"
    assert message["From"] is None and message["To"] is None and message["Date"] is None
    v = example_version(policy, slug)
    assert f"{v.title('ko')} 개정 안내 ({ko_day} 시행)" in message["Subject"]
    assert f"Changes to our {v.title('en')}, effective {en_day}" in message["Subject"]
    parts = alternatives(message)
    assert list(parts) == ["ko", "en"]
    for lang, day in (("ko", ko_day), ("en", en_day)):
        assert set(parts[lang]) == {"plain", "html"}
        for body in parts[lang].values():
            assert day in body and v.reason(lang) in body and v.title(lang) in body
    assert "안녕하세요, 솔바람랩 정책 센터입니다." in parts["ko"]["plain"]
    assert not parts["ko"]["plain"].startswith("제목:")  # the subject is the header's
    assert ("중요한 변경" in parts["ko"]["html"]) == (policy == "privacy")


def test_one_language():
    out = notice(PROJECT, "privacy", "2027-01-01", "--lang", "en").out
    assert out.startswith("Subject: ") and "안녕하세요" not in out and "-" * 72 not in out
    message = parse_eml(
        notice(PROJECT, "privacy", "2027-01-01", "--lang", "ko", "--format", "eml").out
    )
    assert message.get_content_type() == "multipart/alternative"
    assert message["Content-Language"] == "ko" and message["MIME-Version"] == "1.0"
    assert "2027년 1월 1일" in message.get_body(("plain",)).get_content()
    result = run(PROJECT, "notice", "privacy", "2027-01-01", "--lang", "fr", today=NOTICE_DAY)
    assert result.code == 2 and "use one of: ko, en" in result.err


# --- throwaway repositories ---------------------------------------------------------------


def test_without_a_summary_it_lists_the_changed_sections(site_repo):
    repo = history(site_repo)
    out = notice(repo, "privacy", "2024-06-01", today=REPO_DAY).out
    assert "■ 변경되는 조항\n- 1. 처리 목적 (변경)\n" in out
    assert "Sections that change:\n- 1. Purposes (changed)\n" in out
    assert "연락처 변경" in out and "연락처 변경 (en)" in out  # the reason in each language
    assert MINOR_KO in out and "https://example.test/privacy/changes/2024-06-01/" in out


def test_material_sections_are_marked(site_repo):
    repo = history(site_repo)
    for rel in repo.version("privacy", "2024-09-01", change="material", reason="보유 기간 추가"):
        path = repo.path / rel
        text = path.read_text().replace("- 법령이 정한 기간", "- 법령이 정한 기간\n- 3년")
        path.write_text(text.replace("- For the periods set by law", "- 3 years"))
    repo.commit("2024-06-20", "v3")
    out = notice(repo, "privacy", "2024-09-01", today="2024-07-01").out
    assert (
        "- 3. 보유 기간 (변경, 중요 조항)\n" in out
        and "- 3. Retention (changed, material)\n" in out
    )
    assert all(words in out for words in MATERIAL_KO + MATERIAL_EN)
    assert "2024년 8월 31일까지" in out and "until 31 August 2024" in out


def test_contact_setting(tmp_path):
    repo = history(SiteRepo.create(tmp_path / "s", redline={"contact": "privacy@example.test"}))
    out = notice(repo, "privacy", "2024-06-01", today=REPO_DAY).out
    assert "- 문의: privacy@example.test\n" in out and "- Questions: privacy@example.test\n" in out
    assert "아래 연락처로 문의해 주시기 바랍니다" in out and "using the contact below" in out
    html = notice(repo, "privacy", "2024-06-01", "--format", "html", today=REPO_DAY).out
    assert '<a href="mailto:privacy@example.test">privacy@example.test</a>' in html


def test_contact_setting_is_validated(tmp_path):
    repo = history(SiteRepo.create(tmp_path / "s", redline={"contact": "the privacy team"}))
    result = run(repo, "notice", "privacy", "2024-06-01", today=REPO_DAY)
    assert result.code == 2 and "Traceback" not in result.text
    assert "extra.redline.contact" in result.err and "privacy@solbaram.example" in result.err


def test_a_draft_is_marked_at_the_top(site_repo):
    repo = history(site_repo)
    repo.version("privacy", "2024-09-01", change="material", reason="보유 기간 추가", extra="3년")
    result = notice(repo, "privacy", "2024-09-01", today=REPO_DAY)  # not committed: a draft
    assert result.out.startswith("제목: [초안] [Example Policies] 개인정보 처리방침 개정 안내")
    assert "\n\n[초안] 이 개정은 아직 공고되지 않았습니다." in result.out
    assert "Subject: [DRAFT] [Example Policies]" in result.out
    assert "not announced yet: this notice is a draft" in result.err
    html = notice(repo, "privacy", "2024-09-01", "--format", "html", today=REPO_DAY).out
    assert "<strong>[초안] 이 개정은 아직 공고되지 않았습니다." in html
    announced = notice(repo, "privacy", "2024-06-01", today=REPO_DAY)
    assert "[초안]" not in announced.out and "[DRAFT]" not in announced.out and not announced.err


@pytest.mark.parametrize(
    ("args", "today", "message"),
    [
        (["nope", "2024-06-01"], REPO_DAY, "there is no policy `nope`"),
        (["privacy", "2024-06-02"], REPO_DAY, "`privacy` has no version effective 2024-06-02"),
        (["privacy", "2024-13-01"], REPO_DAY, "'2024-13-01' is not a date"),
        (["privacy", "2024-03-01"], REPO_DAY, "is its first version: it amends nothing"),
        (["privacy", "2024-06-01"], "2024-06-01", "took effect on 2024-06-01"),
        (["privacy", "2024-06-01", "--format", "pdf"], REPO_DAY, "invalid choice: 'pdf'"),
    ],
)
def test_refusals_exit_2_with_the_fix(site_repo, args, today, message):
    repo = history(site_repo)
    result = run(repo, "notice", *args, today=today)
    assert result.code == 2 and "Traceback" not in result.text and result.out == ""
    assert message in result.err
    assert "fix: " in result.err or "usage:" in result.err


def test_first_version_fix_names_the_amendments(site_repo):
    result = run(history(site_repo), "notice", "privacy", "2024-03-01", today=REPO_DAY)
    assert "policies/privacy/2024-03-01.md: error: usage:" in result.err
    assert "fix: name one of its amendments: 2024-06-01" in result.err


def test_unclassified_amendment_and_missing_site_url_are_refused(site_repo):
    repo = history(site_repo)
    repo.version("privacy", "2024-09-01", reason="보유 기간 추가", extra="3년")  # no `change:`
    result = run(repo, "notice", "privacy", "2024-09-01", today=REPO_DAY)
    assert result.code == 2 and "minor or a material amendment" in result.err
    assert "fix: write `change: minor` or `change: material`" in result.err
    config = repo.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://example.test/\n", ""))
    repo.commit("2024-05-02", "no site_url")
    result = run(repo, "notice", "privacy", "2024-06-01", today=REPO_DAY)
    assert result.code == 2 and "mkdocs.yml: error: configuration: mkdocs.yml has no site_url" in (
        result.err
    )


HOSTILE_REASON = '<script>alert("x")</script> & <b>bold</b>\u202e'


def hostile(repo: SiteRepo) -> SiteRepo:
    """An announced amendment whose reason is markup and whose titles hold control characters."""
    for rel in repo.version("privacy", "2024-09-01", change="material", reason="r"):
        path = repo.path / rel
        text = path.read_text().replace("reason: r", f"reason: '{HOSTILE_REASON}'", 1)
        text = text.replace("title: ", "title: \u202e", 1)
        path.write_text(text.replace("3. ", "3. \x1b[2J\x1b]8;;x\x07", 1))
    repo.commit("2024-06-20", "hostile")
    return repo


def test_html_escapes_a_hostile_reason(site_repo):
    repo = hostile(history(site_repo))
    html = notice(repo, "privacy", "2024-09-01", "--format", "html", today="2024-07-01").out
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    eml = notice(repo, "privacy", "2024-09-01", "--format", "eml", today="2024-07-01").out
    for parts in alternatives(parse_eml(eml)).values():
        assert "<script" not in parts["html"] and "&lt;script&gt;" in parts["html"]
        assert '<script>alert("x")</script>' in parts["plain"]  # plain text shows it as text


def test_control_characters_never_reach_the_terminal_nor_the_message(site_repo):
    repo = hostile(history(site_repo))
    for fmt in ("text", "html", "eml"):
        args = ("notice", "privacy", "2024-09-01", "--format", fmt)
        for result in (
            run(repo, *args, today="2024-07-01"),
            run_process(repo, *args, today="2024-07-01"),
        ):
            assert result.code == 0 and not CONTROL.search(result.out + result.err), fmt
    text = notice(repo, "privacy", "2024-09-01", today="2024-07-01").out
    assert "3. ␛[2J␛]8;;x␇보유 기간 (변경, 중요 조항)" in text and "⟨U+202E⟩" in text
    message = parse_eml(
        notice(repo, "privacy", "2024-09-01", "--format", "eml", today="2024-07-01").out
    )
    assert "[Example Policies] ⟨U+202E⟩개인정보 처리방침 개정 안내" in message["Subject"]
    assert not CONTROL.search(str(message["Subject"]))
    for parts in alternatives(message).values():
        assert not any(CONTROL.search(body) for body in parts.values())


def test_the_real_process_writes_nothing(site_repo):
    repo = history(site_repo)
    for fmt in ("text", "html", "eml"):
        result = run_process(
            repo, "notice", "privacy", "2024-06-01", "--format", fmt, today=REPO_DAY
        )
        assert result.code == 0 and "2024년 6월 1일" in (
            result.out if fmt != "eml" else str(parse_eml(result.out)["Subject"])
        )
    assert sorted(p.name for p in Path(repo.path).iterdir()) == [".git", "mkdocs.yml", "policies"]


def test_a_line_separator_in_a_title_neither_breaks_the_subject_nor_crashes(site_repo):
    # YAML reads "\u2028" (LINE SEPARATOR) as that character; the gate lets it through, and
    # Python's email headers refuse it like a linefeed, so the eml must not carry it raw.
    repo = history(site_repo)
    for rel in repo.version("privacy", "2024-09-01", change="material", reason="r"):
        path = repo.path / rel
        text = path.read_text().replace("title: ", 'title: "개인정보\\u2028처리방침" #', 1)
        path.write_text(text.replace("reason: r", 'reason: "사유\\u2029둘째"', 1))
    repo.commit("2024-06-20", "line separator")
    result = notice(repo, "privacy", "2024-09-01", "--format", "eml", today="2024-07-01")
    assert result.code == 0, result.err
    subject = str(parse_eml(result.out)["Subject"])
    assert "개인정보⟨U+2028⟩처리방침" in subject and "\u2028" not in subject


def test_an_encoded_word_in_a_title_is_the_title_s_own_characters_in_the_subject(site_repo):
    # A title may hold what reads as an RFC 2047 encoded word; Python's email library decodes
    # such a value when the header is set, so the Subject said "Hello" where the title did not.
    repo = history(site_repo)
    for rel in repo.version("privacy", "2024-09-01", change="material", reason="r"):
        path = repo.path / rel
        text = path.read_text().replace("title: ", 'title: "=?utf-8?b?SGVsbG8=?= 처리방침" #', 1)
        path.write_text(text)
    repo.commit("2024-06-20", "encoded word")
    for lang in ("ko", "en"):
        args = ("privacy", "2024-09-01", "--format", "eml", "--lang", lang)
        subject = str(parse_eml(notice(repo, *args, today="2024-07-01").out)["Subject"])
        assert "=?utf-8?b?SGVsbG8=?= 처리방침" in subject, subject
        assert "Hello" not in subject
    both = notice(repo, "privacy", "2024-09-01", "--format", "eml", today="2024-07-01").out
    assert str(parse_eml(both)["Subject"]).count("=?utf-8?b?SGVsbG8=?=") == 2
