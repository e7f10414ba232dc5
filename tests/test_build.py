"""Real `mkdocs build --strict` runs of real git repositories, as of several days."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitekit import SiteRepo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> SiteRepo:
    """v1 in force since March, v2 (minor) since June, v3 (material) announced 15 October for December."""
    repo = SiteRepo.create(tmp_path_factory.mktemp("build") / "site")
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    repo.version(
        "privacy", "2024-06-01", change="minor", reason="연락처 변경", extra="연락처를 바꿉니다."
    )
    repo.commit("2024-05-01")
    repo.version(
        "privacy",
        "2024-12-01",
        change="material",
        reason="위치 정보 수집",
        extra="위치 정보를 처리합니다.",
    )
    repo.commit("2024-10-15")
    return repo


@pytest.fixture(scope="module")
def notice_site(history) -> Path:
    result = history.build("2024-11-01", site="site-notice")
    assert result.returncode == 0, result.stderr
    return history.path / "site-notice"


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(site: Path, url: str) -> str:
    return " ".join(soup(site, url).get_text(" ").split())


def test_policy_page_shows_the_version_in_force_and_the_notice(notice_site):
    page = soup(notice_site, "privacy")
    body = " ".join(page.get_text(" ").split())
    assert "버전 2" in body and "2024년 6월 1일" in body
    notice = page.select_one("section.redline-notice")
    assert notice is not None
    notice_text = " ".join(notice.get_text(" ").split())
    assert "2024년 12월 1일" in notice_text and "30일 남았습니다" in notice_text
    assert "위치 정보 수집" in notice_text
    hrefs = {a["href"] for a in notice.select("a")}
    assert hrefs == {"changes/2024-12-01/", "2024-12-01/"}
    assert (notice_site / "privacy/changes/2024-12-01/index.html").is_file()


def test_every_page_carries_the_announcement_bar(notice_site):
    for url in ["", "privacy", "privacy/archive", "privacy/2024-03-01", "en/privacy", "en"]:
        banner = soup(notice_site, url).select_one(".md-banner .redline-announce")
        assert banner is not None, url
    assert "changes on 1 December 2024" in text(notice_site, "en/privacy/archive")


def test_version_pages_say_which_version_they_are(notice_site):
    old = soup(notice_site, "privacy/2024-03-01").select_one(".redline-status")
    assert "superseded" in old["class"][1] and old["role"] == "status"
    assert old.select_one("a")["href"] == "../"
    assert "2024년 5월 31일까지" in old.get_text()
    current = soup(notice_site, "privacy/2024-06-01").select_one(".redline-status")
    assert "in-force" in current["class"][1]
    upcoming = soup(notice_site, "en/privacy/2024-12-01").select_one(".redline-status")
    assert "announced" in upcoming["class"][1]
    assert "takes effect on 1 December 2024" in upcoming.get_text()


def test_archive_lists_every_published_version(notice_site):
    rows = soup(notice_site, "en/privacy/archive").select("tbody tr")
    assert [r.th.get_text(" ", strip=True).split()[:2] for r in rows] == [
        ["Version", "3"],
        ["Version", "2"],
        ["Version", "1"],
    ]
    first = " ".join(rows[-1].get_text(" ").split())
    assert "1 March 2024 to 31 May 2024" in first and "1 February 2024" in first
    assert "Material" in rows[0].get_text()


def test_home_page_lists_policies_with_the_notice(notice_site):
    home = soup(notice_site, "")
    section = home.select_one("section.redline-policy")
    assert section.h2.a["href"] == "privacy/"
    assert "버전 2" in section.get_text()
    assert section.select_one(".redline-notice") is not None


def test_language_switcher_stays_on_the_same_version(notice_site):
    links = {
        a.get("hreflang"): a["href"]
        for a in soup(notice_site, "privacy/2024-03-01").select(".md-select__link")
    }
    assert links["en"].rstrip("/").endswith("en/privacy/2024-03-01")
    back = {
        a.get("hreflang"): a["href"]
        for a in soup(notice_site, "en/privacy/2024-03-01").select(".md-select__link")
    }
    assert back["ko"].rstrip("/").endswith("privacy/2024-03-01")
    assert not back["ko"].rstrip("/").endswith("en/privacy/2024-03-01")


def test_generated_pages_stay_out_of_the_navigation(notice_site):
    nav = soup(notice_site, "privacy").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert not any("2024-" in h or "archive" in h or "changes" in h for h in hrefs), hrefs


def test_a_version_not_yet_announced_appears_nowhere(history):
    result = history.build("2024-10-14", site="site-before")
    assert result.returncode == 0, result.stderr
    site = history.path / "site-before"
    assert not (site / "privacy/2024-12-01").exists()
    for html in site.rglob("*.html"):
        content = html.read_text(encoding="utf-8")
        assert "2024-12-01" not in content and "2024년 12월 1일" not in content, html
    assert soup(site, "privacy").select_one(".md-banner") is None
    assert soup(site, "privacy").select_one(".redline-notice") is None


def test_on_the_effective_day_the_new_version_is_in_force(history):
    result = history.build("2024-12-01", site="site-after")
    assert result.returncode == 0, result.stderr
    site = history.path / "site-after"
    assert "버전 3" in text(site, "privacy")
    assert soup(site, "privacy").select_one(".redline-notice") is None
    assert (
        "superseded" in soup(site, "privacy/2024-06-01").select_one(".redline-status")["class"][1]
    )


def test_broken_front_matter_stops_the_build_with_file_and_line(tmp_path):
    repo = SiteRepo.create(tmp_path / "bad")
    repo.version("privacy", "2024-03-01")
    repo.write(
        "policies/privacy/2024-03-01.en.md", "---\ntitle: Privacy\nreason: [unclosed\n---\n\nText\n"
    )
    repo.commit("2024-02-01")
    result = repo.build("2024-04-01")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "policies/privacy/2024-03-01.en.md:3" in result.stderr
    assert "R5" in result.stderr
    assert not (tmp_path / "bad" / "site").exists()


def test_a_single_language_site_builds(tmp_path):
    repo = SiteRepo.create(tmp_path / "one", languages=("en",))
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    repo.version("privacy", "2024-06-01", change="minor", reason="typo", extra="Fixed.")
    repo.commit("2024-05-01")
    result = repo.build("2024-05-20")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "one" / "site"
    assert "Version 1" in text(site, "privacy")
    assert (site / "privacy/changes/2024-06-01/index.html").is_file()
    assert soup(site, "privacy").select_one(".redline-notice") is not None


def test_a_policy_with_its_own_title_heading_gets_exactly_one_h1(tmp_path):
    repo = SiteRepo.create(tmp_path / "h1", languages=("en",))
    repo.version("privacy", "2024-03-01")
    path = repo.path / "policies/privacy/2024-03-01.md"
    text = path.read_text(encoding="utf-8").replace(
        "\n---\n\n", "\n---\n\n# Our Privacy Policy\n\n", 1
    )
    path.write_text(text, encoding="utf-8")
    repo.commit("2024-02-01")
    result = repo.build("2024-04-01")
    assert result.returncode == 0, result.stderr
    for url in ("privacy", "privacy/2024-03-01"):
        h1s = soup(tmp_path / "h1" / "site", url).select("article h1")
        assert [h.get_text(strip=True).rstrip("¶") for h in h1s] == ["Our Privacy Policy"], url


def test_directory_urls_are_required_and_said_so(tmp_path):
    repo = SiteRepo.create(tmp_path / "flat", languages=("en",))
    (repo.path / "mkdocs.yml").write_text(
        (repo.path / "mkdocs.yml").read_text(encoding="utf-8") + "use_directory_urls: false\n",
        encoding="utf-8",
    )
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    result = repo.build("2024-04-01")
    assert result.returncode == 1
    assert "use_directory_urls: true" in result.stderr and "Traceback" not in result.stderr


# --- the comparison (신구대조표) of the example site ----------------------------------------

# Privacy version 4 (2027-01-01) inserts purpose 6 (AI summary) before version 3's purpose 6
# (marketing), adds sections, and renumbers the sections after its new section 9.
COMPARISON = {
    "ko": {
        "before": "6. 마케팅 정보 안내(선택)",
        "after": ["6. AI 요약 기능 제공(Plus 회원)", "7. 마케팅 정보 안내(선택)"],
        "added": "<신설>",
        "renumbered": "<del>9</del><ins>10</ins>. 안전성 확보 조치",
    },
    "en": {
        "before": "6. Marketing information (optional)",
        "after": [
            "6. Provision of the AI summary feature (Plus members)",
            "7. Marketing information (optional)",
        ],
        "added": "<New>",
        "renumbered": "<del>9</del><ins>10</ins>. Safety measures",
    },
}


def cell_text(cell) -> str:
    return " ".join(cell.get_text().split())


@pytest.mark.parametrize("lang", COMPARISON)
def test_the_comparison_quotes_each_version_and_lists_real_changes(example_notice, lang):
    words = COMPARISON[lang]
    page = soup(example_notice.path, ("en/" if lang == "en" else "") + "privacy/changes/2027-01-01")
    row = page.select_one("#redline-compare-purposes")
    before, after = (
        cell_text(row.select_one("td.redline-old")),
        cell_text(row.select_one("td.redline-new")),
    )
    # Each column numbers the marketing purpose as its own version does.
    assert words["before"] in before and words["before"].replace("6.", "7.") not in before
    assert all(item in after for item in words["after"])
    assert words["added"] in before  # where the new purpose 6 stands after
    # An added section: the before column says so.
    for section in ("transfer-northwind", "automated-decisions"):
        old = page.select_one(f"#redline-compare-{section} td.redline-old")
        assert cell_text(old) == words["added"]
    # Sections only renumbered (9. -> 10. and after) are listed nowhere, yet the full
    # redline shows their new numbers.
    listed = [a["href"] for a in page.select(".redline-sections a")]
    rows = [tr["id"] for tr in page.select("table.redline-compare > tbody > tr")]
    assert listed == ["#" + r for r in rows] and len(rows) == 9
    for renumbered in ("safety-measures", "cookies", "officer", "remedies", "changes"):
        assert f"redline-compare-{renumbered}" not in rows
    assert words["renumbered"] in str(page.select_one(".redline-text h2#safety-measures"))


@pytest.mark.parametrize(
    "url, name",
    [("", "솔바람랩 정책 센터"), ("en", "Solbaram Lab Policy Centre")],
)
def test_the_home_page_is_called_by_the_site_s_name_once(example_notice, url, name):
    """Material would call a page titled with the site's name "Name - Name"."""
    assert soup(example_notice.path, url).title.get_text() == name
    policy = soup(example_notice.path, f"{url}/privacy".lstrip("/")).title.get_text()
    assert policy.endswith(f" - {name}") and policy != f"{name} - {name}"


def script_ran(page: BeautifulSoup) -> bool:
    """Whether the page would run a script planted in policy or home-page text (`alert`)."""
    scripts = [s for s in page.find_all("script") if "alert" in s.get_text()]
    return bool(scripts or page.select("[onerror]"))


def test_the_announcement_bar_shows_a_policy_title_as_text(tmp_path):
    """MkDocs' templates do not autoescape, and the bar on every page names the policy."""
    title = '개인정보 <img src=x onerror="alert(1)"> & Co'
    quoted = json.dumps(title, ensure_ascii=False)
    repo = SiteRepo.create(tmp_path / "s")
    repo.version("privacy", "2024-03-01", title=quoted)
    repo.commit("2024-02-01")
    repo.version("privacy", "2024-12-01", change="material", reason="위치", title=quoted)
    repo.commit("2024-10-15")
    built = repo.build("2024-11-01")
    assert built.returncode == 0, built.stderr
    pages = sorted((repo.path / "site").rglob("*.html"))
    assert len(pages) >= 10
    for path in pages:
        assert not script_ran(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")), path
    bar = soup(repo.path / "site", "privacy").select_one(".redline-announce")
    assert title in bar.get_text() and bar.select_one("template") is not None


def test_a_home_page_s_front_matter_is_text_for_the_theme(tmp_path):
    """Material prints front-matter values other than the title unescaped too (`author` in
    every page's head)."""
    repo = SiteRepo.create(tmp_path / "s")
    repo.version("privacy", "2024-03-01")
    evil = '"><script>alert(1)</script>'
    home = repo.path / "policies/index.md"
    home.write_text(home.read_text().replace("title:", f"author: '{evil}'\ntitle:"))
    repo.commit("2024-02-01")
    built = repo.build("2024-04-01")
    assert built.returncode == 0, built.stderr
    page = soup(repo.path / "site", "")
    assert not script_ran(page)
    assert page.select_one('meta[name="author"]')["content"] == evil


def test_a_home_page_cannot_choose_another_template(tmp_path):
    """Material's redirect.html sends the visitor to the front matter's `location`, away from
    the notices (and prints it into a script); any other template drops the site's own."""
    repo = SiteRepo.create(tmp_path / "s")
    repo.version("privacy", "2024-03-01")
    home = repo.path / "policies/index.en.md"
    redirect = "template: redirect.html\nlocation: https://elsewhere.test/\ntitle:"
    home.write_text(home.read_text().replace("title:", redirect))
    repo.commit("2024-02-01")
    built = repo.build("2024-04-01")
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    assert "policies/index.en.md: error: R5" in built.stderr and "`template:`" in built.stderr
    assert "remove `template:`" in built.stderr


def test_a_symbolic_link_in_the_docs_folder_stops_the_build(tmp_path):
    """MkDocs follows links: a linked file would publish any file of the machine that builds
    (its environment, through /proc/self/environ), a linked folder its pages, ungated."""
    outside = tmp_path / "outside"
    (outside / "drafts").mkdir(parents=True)
    (outside / "secret.txt").write_text("TOKEN=s3cr3t\n", encoding="utf-8")
    (outside / "drafts" / "plan.md").write_text("# Not gated\n", encoding="utf-8")
    repo = SiteRepo.create(tmp_path / "s", languages=("en",))
    repo.version("privacy", "2024-03-01")
    (repo.path / "policies/assets").mkdir()
    (repo.path / "policies/assets/notes.txt").symlink_to(outside / "secret.txt")
    (repo.path / "policies/drafts").symlink_to(outside / "drafts")
    repo.commit("2024-02-01")
    built = repo.build("2024-04-01")
    assert built.returncode == 1 and "Traceback" not in built.stderr
    for name in ("policies/assets/notes.txt", "policies/drafts"):
        assert f"{name}: error: R5" in built.stderr, name
    assert "symbolic link" in built.stderr
    assert not (repo.path / "site").exists()
