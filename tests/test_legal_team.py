"""What a Korean legal team reads and files, checked on real builds and in the real browser:
honest dates for imported history, the announcement history, approvals, which language
prevails, an archive that fits the screen and answers "which version applied on that day",
and the warnings for easy mistakes.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from clikit import history, run
from conftest import ARTIFACTS, visit
from playwright.sync_api import expect
from sitekit import SiteRepo

TODAY = "2024-07-01"


def soup(repo: SiteRepo, site: str, url: str) -> BeautifulSoup:
    return BeautifulSoup(repo.page(site, url), "lxml")


def text_of(repo: SiteRepo, site: str, url: str) -> str:
    return soup(repo, site, url).select_one("article").get_text(" ", strip=True)


def check(repo, today=TODAY, code=None):
    result = run(repo, "check", "--format", "json", today=today)
    if code is not None:
        assert result.code == code, result.text
    return json.loads(result.out)["findings"]


def _front(repo: SiteRepo, rel: str, **keys: str) -> None:
    path = repo.path / rel
    lines = "".join(f"{k}: {v}\n" for k, v in keys.items())
    path.write_text(
        path.read_text(encoding="utf-8").replace("---\n", "---\n" + lines, 1), encoding="utf-8"
    )


# --- honest dates for imported history ------------------------------------------------------


def test_imported_history_never_shows_the_day_it_was_added_to_git(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", redline={"adopted": "2024-06-01"})
    repo.version("privacy", "2023-01-01")
    repo.version("privacy", "2024-01-01", change="minor", reason="정정")
    _front(repo, "policies/privacy/2024-01-01.md", announced="2023-12-20")
    repo.commit("2024-05-20", "import history")  # the day it was added to git
    built = repo.build(TODAY)
    assert built.returncode == 0, built.stderr
    archive = text_of(repo, "site", "privacy/archive")
    assert "2024년 5월 20일" not in archive
    assert "공고일 미상" in archive and "2023년 12월 20일" in archive
    assert "2024년 5월 20일" not in text_of(repo, "site", "privacy/2023-01-01")
    assert "notice date unknown" in text_of(repo, "site", "en/privacy/archive")
    doc = json.loads((repo.path / "site/versions.json").read_text())
    v1, v2 = doc["policies"][0]["versions"]
    assert (v1["notice_date"], v2["notice_date"]) == (None, "2023-12-20")


def test_announced_is_only_for_imported_history(site_repo):
    repo = history(site_repo)
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="x")
    _front(repo, "policies/privacy/2024-09-01.md", announced="2024-05-01")
    f = next(f for f in check(repo, code=1) if "`announced:`" in f["message"])
    assert f["rule"] == "R5" and f["fix"] == "remove `announced:`"


# --- the announcement history -----------------------------------------------------------------


def test_the_archive_lists_the_original_notice_and_each_re_announcement(site_repo):
    repo = history(site_repo)
    repo.version("privacy", "2024-08-15", change="minor", reason="r", extra="첫 공고")
    repo.commit("2024-06-20")
    repo.version("privacy", "2024-08-15", change="minor", reason="r", extra="정정한 공고")
    repo.commit("2024-07-01")
    built = repo.build("2024-07-02")
    assert built.returncode == 0, built.stderr
    archive = text_of(repo, "site", "privacy/archive")
    assert "2024년 6월 20일 최초 공고" in archive and "2024년 7월 1일 정정 후 재공고" in archive
    page = text_of(repo, "site", "en/privacy/2024-08-15")
    assert "first announced 20 June 2024" in page
    assert "announced again after a correction 1 July 2024" in page


# --- approvals ----------------------------------------------------------------------------------


def test_the_approval_is_shown_and_can_be_required(tmp_path):
    repo = history(SiteRepo.create(tmp_path / "s", redline={"require_approval": True}))
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="x")
    findings = check(repo, code=1)
    assert [f["rule"] for f in findings] == ["R8"], findings
    assert "who approved it" in findings[0]["message"] and "approved_by" in findings[0]["fix"]
    _front(
        repo,
        "policies/privacy/2024-09-01.md",
        approved_by="개인정보 보호책임자 김솔바",
        approved_on="2024-07-02",
    )
    (late,) = check(repo, code=1)
    assert late["rule"] == "R8" and "in the future" in late["message"]
    path = repo.path / "policies/privacy/2024-09-01.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2024-07-02", "2024-06-28"), encoding="utf-8"
    )
    assert check(repo, code=0) == []
    repo.commit("2024-07-01")
    built = repo.build(TODAY)
    assert built.returncode == 0, built.stderr
    assert "승인: 개인정보 보호책임자 김솔바 (2024년 6월 28일)" in text_of(
        repo, "site", "privacy/2024-09-01"
    )
    assert "개인정보 보호책임자 김솔바" in text_of(repo, "site", "privacy/archive")
    doc = json.loads((repo.path / "site/versions.json").read_text())
    v3 = doc["policies"][0]["versions"][2]
    assert v3["approval"] == {"by": "개인정보 보호책임자 김솔바", "on": "2024-06-28"}


# --- which language prevails ------------------------------------------------------------------


@pytest.mark.parametrize("setting, shown", [(None, True), (False, False)])
def test_translations_say_that_the_original_prevails(tmp_path, setting, shown):
    extra = {} if setting is None else {"prevailing_language_notice": setting}
    repo = history(SiteRepo.create(tmp_path / "s", redline=extra))
    built = repo.build(TODAY)
    assert built.returncode == 0, built.stderr
    sentence = "In case of any discrepancy between this translation and the Korean original"
    for url in (
        "en/privacy",
        "en/privacy/2024-03-01",
        "en/privacy/changes/2024-06-01",
        "en/privacy/archive",
    ):
        assert (sentence in repo.page("site", url)) is shown, url
    for url in ("privacy", "privacy/2024-03-01", "en"):
        assert "redline-prevails" not in repo.page("site", url), url


# --- warnings for easy mistakes --------------------------------------------------------------


def test_a_date_in_the_text_that_is_not_the_effective_date_is_a_warning(site_repo):
    repo = history(site_repo)
    repo.version(
        "privacy",
        "2024-09-01",
        change="minor",
        reason="r",
        extra="\n\n부칙: 이 방침은 2024년 9월 10일부터 시행합니다.",
    )
    path = repo.path / "policies/privacy/2024-09-01.en.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nThis policy is effective as of 1 September 2024.\n",
        encoding="utf-8",
    )
    findings = check(repo, code=0)  # a warning does not block
    stated = [f for f in findings if "takes effect on" in f["message"]]
    # Both files carry the Korean sentence (sitekit writes `extra` in each); the English
    # sentence names the right day and is no warning.
    assert sorted(f["file"] for f in stated) == [
        "policies/privacy/2024-09-01.en.md",
        "policies/privacy/2024-09-01.md",
    ]
    w = next(f for f in stated if f["file"].endswith("01.md"))
    assert w["severity"] == "warning"
    assert "2024-09-10" in w["message"] and w["line"] > 5


def test_sections_changed_in_one_language_only_are_a_warning(site_repo):
    repo = history(site_repo)
    repo.version("privacy", "2024-09-01", change="material", reason="r")
    path = repo.path / "policies/privacy/2024-09-01.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("- 회원 탈퇴 시까지", "- 탈퇴 후 1년"),
        encoding="utf-8",
    )
    (w,) = [f for f in check(repo, code=0) if f["rule"] == "R4"]
    assert w["severity"] == "warning" and w["file"] == "policies/privacy/2024-09-01.en.md"
    assert "changed in ko only: retention" in w["message"]


# --- the archive in the real browser ---------------------------------------------------------

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_the_archive_fits_the_screen(new_context, example_notice, lang, size):
    page = new_context(viewport=WIDTHS[size]).new_page()
    visit(page, example_notice.at("privacy/archive/", lang))
    width = WIDTHS[size]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cells = page.locator(".redline-archive tbody th, .redline-archive tbody td")
    assert cells.count() >= 4 * 6
    for k in range(cells.count()):
        box = cells.nth(k).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (k, box)
    links = page.locator(".redline-archive a")
    for k in range(links.count()):
        expect(links.nth(k)).to_be_visible()
        box = links.nth(k).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (k, box)
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / "screenshots" / f"archive-{lang}-{size}.png"), full_page=True
    )


@pytest.mark.browser
@pytest.mark.slow
def test_the_archive_answers_which_version_applied_on_a_date(page, example_notice):
    visit(page, example_notice.at("privacy/archive/"))
    form = page.locator("form.redline-lookup")
    expect(form).to_be_visible()
    form.locator("input").fill("2025-10-10")
    output = form.locator("output")
    expect(output).to_contain_text("버전 3")
    assert output.locator("a").get_attribute("href").endswith("2025-09-01/")
    form.locator("input").fill("2025-09-01")  # an amendment governs from its effective date
    expect(output).to_contain_text("버전 3")
    form.locator("input").fill("2025-08-31")
    expect(output).to_contain_text("버전 2")
    form.locator("input").fill("2023-01-01")
    expect(output).to_contain_text("시행 중인 버전이 없었습니다")


@pytest.mark.browser
@pytest.mark.slow
def test_without_javascript_the_archive_table_answers_alone(browser, example_notice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    visit(page, example_notice.at("privacy/archive/"))
    expect(page.locator("form.redline-lookup")).to_be_hidden()
    expect(page.locator(".redline-archive")).to_contain_text("2025년 9월 1일 ~ 2026년 12월 31일")
    context.close()


# --- the comparison quotes each version as its page shows it ----------------------------------


def test_the_comparison_quotes_links_and_emphasis_as_the_pages_show_them(site_repo):
    # The 신구대조표 a legal team files: each column as its version's page reads (no `*`, no
    # `[...](...)`), and a link moved to another address is a change the columns show.
    repo = history(site_repo)
    for day, address in (("2024-09-01", "a"), ("2024-10-01", "b")):
        extra = f"*반드시* [고객센터](https://help.example.kr/{address})로 문의하십시오."
        repo.version("privacy", day, change="minor", reason="r", extra=extra)
    repo.commit("2024-06-20", "two amendments")
    built = repo.build(TODAY)
    assert built.returncode == 0, built.stderr
    for url in ("privacy/changes/2024-10-01", "en/privacy/changes/2024-10-01"):
        row = soup(repo, "site", url).select_one("table.redline-compare #redline-compare-purposes")
        before, after = row.select("td.redline-old")[0], row.select("td.redline-new")[0]
        for cell, address, mark in ((before, "a", "del"), (after, "b", "ins")):
            assert cell.select_one("em").get_text() == "반드시", url
            changed = cell.select_one(f"{mark} .redline-address").get_text()
            assert changed == f"(https://help.example.kr/{address})", url
            text = cell.get_text()
            assert "고객센터" in text and "*" not in text and "[" not in text and "](" not in text
            assert cell.select_one("a") is None
