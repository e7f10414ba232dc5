"""A PDF of every published version, printed by a real Chromium with a real build, read back.

A site is built with `extra.redline.pdf: true` (and once with REDLINE_PDF=0): each PDF is read
back with poppler's `pdftotext` and must say, in its own language, which text it is (title,
version number, effective date, permanent address, the SHA-256 that versions.json gives) and
when it was printed (the build day), on every page, without the site's navigation, search,
footer or announcement bar, keeping the version's status banner.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import require, serve
from sitekit import SiteRepo
from test_validators import linkchecker, linkchecker_rc, vnu

from redline import pdf
from redline.config import load_settings
from redline.findings import CannotRun

BUILD_DAY = "2024-05-20"  # version 1 in force, version 2 announced (takes effect 1 June)
HOSTILE = 'Terms <span class="pageNumber">9</span> & <i>Co</i>'
WORDS = {
    "ko": {
        "title": "개인정보 처리방침",
        "versions": {1: "버전 1", 2: "버전 2"},
        "effective": {1: "시행일 2024년 3월 1일", 2: "시행일 2024년 6월 1일"},
        "banner": {1: "현재 시행 중인 버전입니다", 2: "개정 예정 버전입니다"},
        "printed": "인쇄일 2024년 5월 20일",
        "pages": r"(\d+) ?/ ?(\d+) ?쪽",  # pdftotext spaces the page numbers its own way
        "site": ["Example Policies", "검색", "개정 안내 보기", "Made with", "지난 버전 모두 보기"],
    },
    "en": {
        "title": "Privacy Policy",
        "versions": {1: "Version 1", 2: "Version 2"},
        "effective": {1: "effective 1 March 2024", 2: "effective 1 June 2024"},
        "banner": {1: "This is the version in force", 2: "This is an announced amendment"},
        "printed": "Printed on 20 May 2024",
        "pages": r"Page (\d+) of (\d+)",
        "site": ["Example Policies", "Search", "Read the notice", "Made with", "All earlier"],
    },
}

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> SiteRepo:
    repo = SiteRepo.create(tmp_path_factory.mktemp("pdf") / "site", redline={"pdf": True})
    repo.version("privacy", "2024-03-01")
    repo.version("terms", "2024-03-01", title=HOSTILE)
    repo.commit("2024-02-01")
    repo.version("privacy", "2024-06-01", change="minor", reason="연락처", extra="연락처.")
    repo.commit("2024-05-01")
    return repo


def built(repo: SiteRepo, name: str, **env: str) -> Path:
    env = {"REDLINE_CHROMIUM": "", "REDLINE_PDF": "", **env}
    result = repo.build(BUILD_DAY, site=name, env=env)
    assert result.returncode == 0, result.stderr
    return repo.path / name


@pytest.fixture(scope="module")
def site(repo) -> Path:
    return built(repo, "site-pdf")


@pytest.fixture(scope="module")
def versions(site) -> dict:
    return json.loads((site / "versions.json").read_text(encoding="utf-8"))


def text_of(path: Path) -> str:
    tool = require("pdftotext", "apt-get install -y poppler-utils")
    out = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def files_of(versions: dict, policy: str) -> list[tuple[int, str, dict]]:
    (entry,) = [p for p in versions["policies"] if p["id"] == policy]
    return [(v["number"], lang, f) for v in entry["versions"] for lang, f in v["languages"].items()]


def pdf_of(site: Path, url: str) -> Path:
    """The PDF the version page at `url` (its permanent address) links to."""
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    (link,) = page.select("article a[type='application/pdf']")
    target = site / urljoin(path, link["href"])
    assert target.is_file(), f"{path} links {link['href']}, which was not printed"
    return target


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_version_s_pdf_says_which_text_it_is_on_every_page(site, versions, lang):
    words = WORDS[lang]
    found = [(n, f) for n, f_lang, f in files_of(versions, "privacy") if f_lang == lang]
    assert [n for n, _ in found] == [1, 2]
    for number, f in found:
        path = pdf_of(site, f["url"])
        assert path.name == f"privacy-{f['url'].rstrip('/').rsplit('/', 1)[1]}.pdf"
        pages = [flat(page) for page in text_of(path).split("\f") if page.strip()]
        numbers = [re.search(words["pages"], page).groups() for page in pages]
        assert numbers == [(str(k), str(len(pages))) for k in range(1, len(pages) + 1)]
        footer = [
            f"{words['title']} · {words['versions'][number]} · {words['effective'][number]}",
            f["url"],
            f["sha256"],
            words["printed"],
        ]
        for page in pages:
            for expected in footer:
                assert expected in page, f"{expected!r} is not on every page of {path}"
        whole = " ".join(pages)
        assert words["banner"][number] in whole  # the status banner is printed
        for chrome in words["site"]:
            assert chrome not in whole, f"{chrome!r} (the site, not the policy) is in {path}"


def test_policy_text_in_the_footer_stays_text(site, versions):
    """A title is policy text: in the footer template it is escaped, never markup."""
    ((_, _, f),) = [x for x in files_of(versions, "terms") if x[1] == "en"]
    assert f["title"] == HOSTILE
    text = flat(text_of(pdf_of(site, f["url"])))
    assert f"{HOSTILE} · Version 1 · effective 1 March 2024" in text


def test_the_policy_page_links_the_pdf_of_the_version_it_shows(site):
    for path, version in [("privacy", "2024-03-01"), ("en/privacy", "2024-03-01")]:
        page = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")
        (link,) = page.select("article a[type='application/pdf']")
        assert link["href"] == f"{version}/privacy-{version}.pdf"
        assert (site / path / link["href"]).is_file()


def test_two_builds_of_one_day_print_the_same_pdfs(repo, site):
    again = built(repo, "site-pdf-again")
    printed = sorted(p.relative_to(site) for p in site.rglob("*.pdf"))
    assert len(printed) == 6  # privacy 1 and 2, terms 1; in Korean and English
    assert printed == sorted(p.relative_to(again) for p in again.rglob("*.pdf"))
    stamp = re.compile(rb"/(CreationDate|ModDate) \(D:[^)]*\)")  # what Chromium stamps
    for rel in printed:
        one, two = (stamp.sub(b"", (s / rel).read_bytes()) for s in (site, again))
        assert one == two, f"{rel} differs between two builds of {BUILD_DAY}"


def test_without_the_option_there_is_no_pdf_and_no_link(repo):
    off = built(repo, "site-off", REDLINE_PDF="0")  # overrides `pdf: true` in mkdocs.yml
    assert not list(off.rglob("*.pdf"))
    for html in off.rglob("*.html"):
        assert ".pdf" not in html.read_text(encoding="utf-8"), html


def test_the_site_with_pdfs_has_valid_html_and_no_broken_link(site):
    result = subprocess.run(vnu(site), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    # LinkChecker, run as root, reads its configuration as user nobody.
    rc = linkchecker_rc(Path(tempfile.mkdtemp(prefix="redline-pdf-")) / "linkcheckerrc")
    rc.parent.chmod(0o755)
    server, url = serve(site)
    try:
        result = subprocess.run(linkchecker(rc, url), capture_output=True, text=True, timeout=600)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(rc.parent, ignore_errors=True)
    assert result.returncode == 0, result.stdout
    assert "0 warnings found. 0 errors found" in result.stdout, result.stdout


# --- what stops the build, and how it says so ---------------------------------------------


def test_a_missing_chromium_stops_the_build_with_the_fix(repo):
    result = repo.build(BUILD_DAY, site="site-broken", env={"REDLINE_CHROMIUM": "/nope/chromium"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Redline could not print the PDFs of the versions" in result.stderr
    assert "REDLINE_CHROMIUM is '/nope/chromium', which is not an executable file" in result.stderr


def test_without_playwright_the_fix_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # `import` raises ImportError
    with pytest.raises(CannotRun) as raised:
        pdf.write_pdfs(tmp_path, [], None)
    message = str(raised.value)
    assert "Playwright is not installed" in message
    assert "pip install 'playwright>=1.45'" in message
    assert "python -m playwright install --with-deps chromium" in message


def test_a_chromium_that_does_not_start_is_said_so(tmp_path):
    # In a thread of its own: Playwright's sync API refuses the test browser's event loop.
    with pytest.raises(CannotRun) as raised, ThreadPoolExecutor(1) as thread:
        thread.submit(pdf.write_pdfs, tmp_path, [], "/bin/true").result()
    message = str(raised.value)
    assert "Chromium (/bin/true) could not be started: " in message
    assert "python -m playwright install --with-deps chromium" in message


@pytest.mark.parametrize(
    ("configured", "env", "on"),
    [(True, "", True), (False, "1", True), (True, "0", False), (False, "", False)],
)
def test_the_option_is_the_setting_unless_the_environment_says(
    monkeypatch, tmp_path, configured, env, on
):
    repo = SiteRepo.create(tmp_path / "s", redline={"pdf": configured})
    monkeypatch.setenv("REDLINE_PDF", env)
    assert load_settings(repo.path / "mkdocs.yml").pdf is on
