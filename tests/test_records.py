"""feed.xml and versions.json: real git history, real `mkdocs build --strict`, checked by jing.

The history: privacy v1 (2024-03-01), v2 minor (2024-06-01), v3 material (2024-12-01,
announced 2024-10-15), and terms v1 (2024-09-01, announced 2024-08-01). Built as of
2024-11-01, inside v3's notice period, unless a test says otherwise.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sitekit import SiteRepo

from redline.config import load_settings
from redline.model import load_project
from redline.records import write_records
from redline.site import build_site

SCHEMA = Path(__file__).parent / "schemas" / "atom.rnc"
SITE_URL = "https://example.test/"
A = "{http://www.w3.org/2005/Atom}"
NOTICE_DAY = "2024-11-01"

pytestmark = pytest.mark.slow


# --- the consent check of the README, verbatim -------------------------------------------


def needs_reconsent(versions: dict, policy: str, accepted_sha256: str) -> bool:
    """Must a user who accepted the file with this SHA-256 be asked to consent again?

    Yes when the text they accepted is unknown (never published, or edited before it took
    effect), or when a material amendment took effect after the version they accepted.
    Minor amendments only need notice. Accepting an announced version counts for it.
    """
    entry = next(p for p in versions["policies"] if p["id"] == policy)
    accepted = next(
        (
            v
            for v in entry["versions"]
            if any(f["sha256"] == accepted_sha256 for f in v["languages"].values())
        ),
        None,
    )
    if accepted is None:
        return True
    in_force = entry["in_force"]
    if in_force is None or accepted["number"] >= in_force:
        return False
    return any(
        v["change"] == "material"
        for v in entry["versions"]
        if accepted["number"] < v["number"] <= in_force
    )


# --- fixtures ------------------------------------------------------------------------------


def add_summary(repo: SiteRepo, rel: str, lines: list[str]) -> None:
    path = repo.path / rel
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    items = "".join(f"  - {json.dumps(line, ensure_ascii=False)}\n" for line in lines)
    path.write_text(f"{head}\nsummary:\n{items.rstrip(chr(10))}{sep}{rest}", encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> SiteRepo:
    repo = SiteRepo.create(tmp_path_factory.mktemp("records") / "site")
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    repo.version("privacy", "2024-06-01", change="minor", reason="연락처 변경", extra="연락처.")
    repo.commit("2024-05-01")
    repo.version("terms", "2024-09-01", title="이용약관")
    repo.commit("2024-08-01")
    written = repo.version(
        "privacy",
        "2024-12-01",
        change="material",
        reason="위치 정보 & <수집>",
        extra="위치 정보를 처리합니다.",
    )
    add_summary(repo, written[0], ["위치 정보 항목 추가"])
    add_summary(repo, written[1], ["Location data added"])
    repo.commit("2024-10-15")
    return repo


def built(repo: SiteRepo, today: str, name: str) -> Path:
    result = repo.build(today, site=name)
    assert result.returncode == 0, result.stderr
    return repo.path / name


@pytest.fixture(scope="module")
def site(history) -> Path:
    return built(history, NOTICE_DAY, "site")


def feed(site: Path, lang: str) -> ET.Element:
    return ET.parse(site / ("feed.xml" if lang == "ko" else f"{lang}/feed.xml")).getroot()


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{A}entry")


def links(element: ET.Element) -> dict[str, ET.Element]:
    return {link.get("rel"): link for link in element.findall(f"{A}link")}


def local(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / urlsplit(url).path.lstrip("/") / "index.html"


def jing(path: Path) -> subprocess.CompletedProcess:
    if not shutil.which("jing"):
        pytest.fail("jing is missing: apt-get install -y jing", pytrace=False)
    return subprocess.run(
        ["jing", "-c", str(SCHEMA), str(path)], capture_output=True, text=True, check=False
    )


def load_versions(site: Path) -> dict:
    return json.loads((site / "versions.json").read_text(encoding="utf-8"))


# --- the feed ------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["feed.xml", "en/feed.xml"])
def test_each_language_has_a_feed_valid_against_rfc_4287(site, rel):
    assert (site / rel).is_file()
    result = jing(site / rel)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_catches_a_broken_feed(site, tmp_path):
    text = (site / "en/feed.xml").read_text(encoding="utf-8")
    feed_id = "<id>https://example.test/en/feed.xml</id>"
    assert feed_id in text
    broken = {
        "no-id": text.replace(feed_id, ""),
        "bad-date": text.replace("2024-10-15T00:00:00+09:00", "2024-10-15", 1),
    }
    for name, xml in broken.items():
        (tmp_path / f"{name}.xml").write_text(xml, encoding="utf-8")
        assert jing(tmp_path / f"{name}.xml").returncode != 0, name


def test_every_published_version_appears_once_newest_first(site):
    root = feed(site, "en")
    ids = [e.findtext(f"{A}id") for e in entries(root)]
    assert ids == [
        "tag:example.test,2024-12-01:privacy/2024-12-01/en",
        "tag:example.test,2024-09-01:terms/2024-09-01/en",
        "tag:example.test,2024-06-01:privacy/2024-06-01/en",
        "tag:example.test,2024-03-01:privacy/2024-03-01/en",
    ]
    published = [e.findtext(f"{A}published") for e in entries(root)]
    assert published == [
        "2024-10-15T00:00:00+09:00",
        "2024-08-01T00:00:00+09:00",
        "2024-05-01T00:00:00+09:00",
        "2024-02-01T00:00:00+09:00",
    ]
    assert [e.findtext(f"{A}updated") for e in entries(root)] == published
    # The feed changed last when the newest entry was announced, not when it was built.
    assert root.findtext(f"{A}updated") == "2024-10-15T00:00:00+09:00"


def test_feed_metadata(site):
    for lang, prefix in (("ko", ""), ("en", "en/")):
        root = feed(site, lang)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        assert root.findtext(f"{A}id") == f"{SITE_URL}{prefix}feed.xml"
        assert root.findtext(f"{A}author/{A}name") == "Example Policies"
        own = links(root)
        assert own["self"].get("href") == f"{SITE_URL}{prefix}feed.xml"
        assert own["self"].get("type") == "application/atom+xml"
        assert own["alternate"].get("href") == f"{SITE_URL}{prefix}"
        assert (site / prefix / "index.html").is_file()
    assert feed(site, "en").findtext(f"{A}title") == "Example Policies: policy amendments"


def test_an_amendment_entry_says_what_when_why_and_links_to_the_comparison(site):
    amendment = entries(feed(site, "en"))[0]
    assert amendment.findtext(f"{A}title") == "Privacy Policy amended (effective 1 December 2024)"
    rel = links(amendment)
    changes, text = rel["alternate"].get("href"), rel["related"].get("href")
    assert changes == f"{SITE_URL}en/privacy/changes/2024-12-01/"
    assert text == f"{SITE_URL}en/privacy/2024-12-01/"
    assert rel["alternate"].get("type") == "text/html" and rel["alternate"].get("hreflang") == "en"
    assert local(site, changes).is_file() and local(site, text).is_file()
    summary = amendment.findtext(f"{A}summary")
    assert summary == "Material · effective 1 December 2024 · Reason: 위치 정보 & <수집> (en)"
    content = amendment.find(f"{A}content")
    assert content.get("type") == "html"
    html = BeautifulSoup(content.text, "html.parser")
    words = " ".join(html.get_text(" ").split())
    assert "Material" in words and "effective 1 December 2024" in words
    assert "announced 15 October 2024" in words
    assert "위치 정보 & <수집> (en)" in words  # escaped once in HTML, once in XML
    assert "Location data added" in words
    assert {a["href"] for a in html.select("a")} == {changes, text}
    terms = {c.get("term"): c.get("label") for c in amendment.findall(f"{A}category")}
    assert terms == {"privacy": "Privacy Policy", "material": "Material"}


def test_a_first_version_is_announced_as_published(site):
    first = entries(feed(site, "ko"))[1]
    assert first.findtext(f"{A}title") == "이용약관 제정 (2024년 9월 1일 시행)"
    rel = links(first)
    assert set(rel) == {"alternate"}  # no comparison for a first version
    assert rel["alternate"].get("href") == f"{SITE_URL}terms/2024-09-01/"
    assert local(site, rel["alternate"].get("href")).is_file()
    assert {c.get("term") for c in first.findall(f"{A}category")} == {"terms", "first"}
    minor = entries(feed(site, "ko"))[2]
    assert minor.findtext(f"{A}title") == "개인정보 처리방침 개정 (2024년 6월 1일 시행)"
    assert "일반 개정" in minor.findtext(f"{A}summary")


def test_every_page_links_its_own_language_feed(site):
    for page, expected in [
        ("index.html", "feed.xml"),
        ("privacy/index.html", "feed.xml"),
        ("privacy/changes/2024-12-01/index.html", "feed.xml"),
        ("en/index.html", "en/feed.xml"),
        ("en/privacy/index.html", "en/feed.xml"),
        ("en/privacy/2024-03-01/index.html", "en/feed.xml"),
        ("en/terms/archive/index.html", "en/feed.xml"),
    ]:
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one('head link[rel="alternate"][type="application/atom+xml"]')
        assert link is not None, page
        assert urljoin(f"{SITE_URL}{page}", link["href"]) == f"{SITE_URL}{expected}", page


# --- versions.json -------------------------------------------------------------------------


def test_versions_json_describes_every_published_version(site, history):
    doc = load_versions(site)
    assert {k: doc[k] for k in doc if k != "policies"} == {
        "schema_version": 1,
        "generated_for": NOTICE_DAY,
        "site_url": SITE_URL,
        "timezone": "Asia/Seoul",
        "languages": ["ko", "en"],
        "default_language": "ko",
        "announcements_from": "git",  # issue 13: no ledger given to this build
    }
    privacy, terms = doc["policies"]
    assert (privacy["id"], privacy["in_force"]) == ("privacy", 2)
    assert (terms["id"], terms["in_force"]) == ("terms", 1)
    rows = [
        (
            v["number"],
            v["effective"],
            v["effective_until"],
            v["announced"],
            v["status"],
            v["change"],
        )
        for v in privacy["versions"]
    ]
    assert rows == [
        (1, "2024-03-01", "2024-05-31", "2024-02-01", "superseded", None),
        (2, "2024-06-01", "2024-11-30", "2024-05-01", "in-force", "minor"),
        (3, "2024-12-01", None, "2024-10-15", "announced", "material"),
    ]
    assert not any(v["imported"] for p in doc["policies"] for v in p["versions"])
    v3 = privacy["versions"][2]["languages"]
    assert v3["en"] == {
        "title": "Privacy Policy",
        "reason": "위치 정보 & <수집> (en)",
        "summary": ["Location data added"],
        "url": f"{SITE_URL}en/privacy/2024-12-01/",
        "changes_url": f"{SITE_URL}en/privacy/changes/2024-12-01/",
        "path": "policies/privacy/2024-12-01.en.md",
        "sha256": v3["en"]["sha256"],
    }
    assert v3["ko"]["url"] == f"{SITE_URL}privacy/2024-12-01/"
    assert privacy["versions"][0]["languages"]["ko"]["changes_url"] is None
    for policy in doc["policies"]:
        for version in policy["versions"]:
            assert set(version["languages"]) == {"ko", "en"}
            for record in version["languages"].values():
                raw = (history.path / record["path"]).read_bytes()
                assert record["sha256"] == hashlib.sha256(raw).hexdigest()
                assert local(site, record["url"]).is_file()


def test_versions_json_is_sorted_readable_utf8(site):
    raw = (site / "versions.json").read_text(encoding="utf-8")
    assert raw.endswith("}\n") and "개인정보 처리방침" in raw  # not \uXXXX-escaped
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_a_version_not_yet_announced_is_in_no_record(history):
    before = built(history, "2024-10-14", "site-before")
    for lang in ("ko", "en"):
        ids = [e.findtext(f"{A}id") for e in entries(feed(before, lang))]
        assert len(ids) == 3 and not any("2024-12-01" in i for i in ids)
        assert feed(before, lang).findtext(f"{A}updated") == "2024-08-01T00:00:00+09:00"
    raw = (before / "versions.json").read_text(encoding="utf-8")
    assert "2024-12-01" not in raw
    privacy = load_versions(before)["policies"][0]
    assert [v["number"] for v in privacy["versions"]] == [1, 2]
    assert privacy["versions"][1]["effective_until"] is None


def test_two_builds_of_one_commit_on_one_day_are_byte_identical(history, site):
    again = built(history, NOTICE_DAY, "site-again")
    for rel in ("feed.xml", "en/feed.xml", "versions.json"):
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_the_feed_does_not_change_while_nothing_is_announced(history, site):
    later = built(history, "2024-11-20", "site-later")
    for rel in ("feed.xml", "en/feed.xml"):
        assert (site / rel).read_bytes() == (later / rel).read_bytes(), rel
    assert load_versions(later)["generated_for"] == "2024-11-20"


def test_consent_check_from_versions_json_alone(history, site):
    after = built(history, "2024-12-01", "site-after")
    now, later = load_versions(site), load_versions(after)

    def sha(doc: dict, number: int, lang: str = "ko") -> str:
        return doc["policies"][0]["versions"][number - 1]["languages"][lang]["sha256"]

    # 2024-11-01: v2 (minor) is in force, v3 (material) only announced.
    assert needs_reconsent(now, "privacy", sha(now, 2)) is False
    assert needs_reconsent(now, "privacy", sha(now, 1, "en")) is False  # v1 -> v2 is minor
    assert needs_reconsent(now, "privacy", sha(now, 3)) is False  # accepted ahead of time
    # 2024-12-01: v3 (material) is in force.
    assert later["policies"][0]["in_force"] == 3
    assert needs_reconsent(later, "privacy", sha(later, 2)) is True
    assert needs_reconsent(later, "privacy", sha(later, 1, "en")) is True
    assert needs_reconsent(later, "privacy", sha(later, 3, "en")) is False
    assert needs_reconsent(later, "privacy", "0" * 64) is True  # a text never published
    assert needs_reconsent(later, "terms", sha(later, 1)) is True  # another policy's text


# --- the engine without MkDocs -------------------------------------------------------------


def model(repo: SiteRepo, today: str):
    settings = load_settings(repo.path / "mkdocs.yml")
    project = load_project(settings, date.fromisoformat(today))
    return project, build_site(project, project.today, {}, "Example Policies")


def test_imported_history_is_archived_but_not_announced(tmp_path):
    repo = SiteRepo.create(tmp_path / "site", redline={"adopted": "2024-07-01"})
    repo.version("privacy", "2024-03-01")
    repo.version("privacy", "2024-06-01", change="minor", reason="연락처 변경", extra="연락처.")
    repo.commit("2024-06-20", "import the policies in force")
    repo.version("privacy", "2024-08-01", change="minor", reason="오타 수정", extra="오타.")
    repo.commit("2024-07-10")
    project, site = model(repo, "2024-07-15")
    write_records(project, site, tmp_path / "out", SITE_URL)
    root = feed(tmp_path / "out", "en")
    assert [e.findtext(f"{A}id") for e in entries(root)] == [
        "tag:example.test,2024-08-01:privacy/2024-08-01/en"
    ]
    assert root.findtext(f"{A}author/{A}name") == "Example Policies"  # read from mkdocs.yml
    assert jing(tmp_path / "out/en/feed.xml").returncode == 0
    versions = load_versions(tmp_path / "out")["policies"][0]["versions"]
    assert [(v["number"], v["imported"], v["status"]) for v in versions] == [
        (1, True, "superseded"),
        (2, True, "in-force"),
        (3, False, "announced"),
    ]


def test_a_single_language_site_has_one_feed_and_no_site_url_still_gives_absolute_ids(tmp_path):
    repo = SiteRepo.create(tmp_path / "site", languages=("en",))
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    project, site = model(repo, "2024-04-01")
    out = tmp_path / "out"
    write_records(project, site, out, "", site_names={"en": "Acme"})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "feed.xml",
        "versions.json",
    ]
    root = ET.parse(out / "feed.xml").getroot()
    assert root.findtext(f"{A}id").startswith("urn:uuid:")
    assert entries(root)[0].findtext(f"{A}id").startswith("urn:uuid:")
    assert root.findtext(f"{A}author/{A}name") == "Acme"
    assert jing(out / "feed.xml").returncode == 0
    assert load_versions(out)["languages"] == ["en"]


def test_a_site_with_nothing_published_yet_has_an_empty_valid_feed(tmp_path):
    repo = SiteRepo.create(tmp_path / "site")
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    project, site = model(repo, "2024-01-15")
    write_records(project, site, tmp_path / "out", SITE_URL)
    root = feed(tmp_path / "out", "ko")
    assert entries(root) == []
    assert root.findtext(f"{A}updated") == "2024-01-15T00:00:00+09:00"
    assert jing(tmp_path / "out/feed.xml").returncode == 0
    assert load_versions(tmp_path / "out")["policies"] == []
