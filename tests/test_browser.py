"""The visitor's experience of the example site, in a real Chromium driven by Playwright.

Two builds of this repository's example site are served over HTTP (conftest.py): as of
2026-12-01, inside both notice periods (terms change on 2026-12-07, privacy on 2027-01-01),
and as of 2027-02-01, when both amendments are in force and nothing is announced.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import AXE, LANGUAGES, PAGE_TYPES, PAGES, BuiltSite, axe_violations, visit
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# What each language calls things on the example site.
WORDS = {
    "ko": {
        "notice": "개정 안내",
        "terms_left": "6일 남았습니다",
        "privacy_left": "31일 남았습니다",
        "search": "개인정보",
        "search_ready": "검색어를 입력하세요",  # Material's own words
    },
    "en": {
        "notice": "Notice of amendment",
        "terms_left": "6 days left",
        "privacy_left": "31 days left",
        "search": "retention",
        "search_ready": "Type to start searching",
    },
}


def status_of(page: Page, url: str) -> int:
    return page.request.get(url, max_redirects=0).status


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- the notice, the announcement bar and the version banner ------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_type_carries_the_announcement_bar(page, example_notice, lang, kind):
    visit(page, example_notice.at(PAGE_TYPES[kind], lang))
    bar = page.locator(".md-banner .redline-announce")
    expect(bar).to_be_visible()
    # A labelled region: screen readers list it among the page's landmarks.
    label = bar.get_attribute("aria-label")
    assert bar.get_attribute("role") == "region" and label
    expect(page.get_by_role("region", name=label, exact=True)).to_be_visible()
    expect(bar.locator("p")).to_have_count(2)  # one line per announced amendment
    for link in bar.locator("a").all():
        target = urljoin(page.url, link.get_attribute("href"))
        assert path_of(target) in {f"/{LANGUAGES[lang]}privacy/", f"/{LANGUAGES[lang]}terms/"}
        assert status_of(page, target) == 200


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_outside_any_notice_period_there_is_no_bar_and_no_notice(page, example_quiet, lang, kind):
    visit(page, example_quiet.at(PAGE_TYPES[kind], lang))
    expect(page.locator(".md-banner")).to_have_count(0)
    expect(page.locator(".redline-announce")).to_have_count(0)
    expect(page.locator(".redline-notice")).to_have_count(0)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("url", "left"),
    [
        ("terms/", ["terms_left"]),
        ("privacy/", ["privacy_left"]),
        ("", ["terms_left", "privacy_left"]),
    ],
)
def test_the_notice_says_how_many_days_are_left_and_its_links_work(
    page, example_notice, lang, url, left
):
    visit(page, example_notice.at(url, lang))
    notices = page.get_by_role("region", name=re.compile(f"^{WORDS[lang]['notice']}:"))
    expect(notices).to_have_count(len(left))
    for key in left:
        notice = notices.filter(has_text=WORDS[lang][key])
        expect(notice).to_have_count(1)
        expect(notice).to_be_visible()
        links = notice.locator("a")
        assert links.count() == 2  # the comparison and the new text
        for link in links.all():
            target = urljoin(page.url, link.get_attribute("href"))
            assert status_of(page, target) == 200, target
    # Following the comparison link really lands on the comparison.
    notices.first.locator("a").first.click()
    page.wait_for_load_state("load")
    assert "/changes/" in page.url
    expect(page.locator("article ins").first).to_be_attached()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("url", "state"),
    [
        ("privacy/2024-03-01/", "superseded"),
        ("privacy/2025-09-01/", "in-force"),
        ("privacy/2027-01-01/", "announced"),
        ("privacy/changes/2027-01-01/", "announced"),
    ],
)
def test_version_banner_is_a_status_for_screen_readers(page, example_notice, lang, url, state):
    visit(page, example_notice.at(url, lang))
    banner = page.locator(f"article .redline-status--{state}")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "status")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"\S"))).to_have_count(1)
    for link in banner.locator("a").all():
        assert status_of(page, urljoin(page.url, link.get_attribute("href"))) == 200


# --- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), [("ko", "en"), ("en", "ko")])
@pytest.mark.parametrize(
    "url", ["privacy/2024-03-01/", "privacy/changes/2027-01-01/", "privacy/archive/", "terms/"]
)
def test_the_language_switch_stays_on_the_same_page(page, example_notice, source, target, url):
    page.set_viewport_size(DESKTOP)
    visit(page, example_notice.at(url, source))
    page.locator(".md-select").hover()
    link = page.locator(f".md-select__link[hreflang={target}]")
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    assert path_of(page.url) == path_of(example_notice.at(url, target))
    assert page.locator("html").get_attribute("lang") == target


# --- the archive and the changes page ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("policy", ["privacy", "terms"])
@pytest.mark.parametrize("day", ["notice", "quiet"])
def test_every_link_in_the_archive_resolves(page, example_sites, lang, policy, day):
    site: BuiltSite = list(example_sites.values())[0 if day == "notice" else 1]
    visit(page, site.at(f"{policy}/archive/", lang))
    rows = page.locator("article table tbody tr")
    assert rows.count() == (4 if policy == "privacy" else 2)
    hrefs = page.locator("article a[href]").evaluate_all("els => els.map(a => a.href)")
    assert len(hrefs) >= rows.count() * 2 - 1
    for href in hrefs:
        if urlsplit(href).netloc == urlsplit(site.url).netloc:
            target = href.split("#")[0]
            assert status_of(page, target) == 200, href


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", ["privacy/changes/2027-01-01/", "terms/changes/2026-12-07/"])
def test_the_changes_page_shows_the_table_and_the_redline(page, example_notice, lang, url):
    visit(page, example_notice.at(url, lang))
    table = page.locator("table.redline-compare")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() >= 1
    assert table.locator("ins").count() + table.locator("del").count() >= 1
    full = page.locator(".redline-text")
    expect(full).to_be_visible()
    assert full.locator("ins").count() >= 1
    assert full.locator("del").count() >= 1
    # Every section listed as changed links to its row of the comparison table.
    for href in page.locator(".redline-sections a").evaluate_all("els => els.map(a => a.hash)"):
        assert page.locator(f"[id='{href[1:]}']").count() == 1, href


@pytest.mark.parametrize("lang", LANGUAGES)
def test_insertions_and_deletions_do_not_rely_on_colour(page, example_notice, lang):
    visit(page, example_notice.at("privacy/changes/2027-01-01/", lang))
    style = page.evaluate(
        """() => {
          const get = (sel) => {
            const el = document.querySelector(sel);
            const cs = getComputedStyle(el);
            return {
              line: cs.textDecorationLine,
              before: getComputedStyle(el, '::before').content,
              after: getComputedStyle(el, '::after').content,
              beforeWidth: getComputedStyle(el, '::before').width,
            };
          };
          return {ins: get('.redline-text ins'), del: get('.redline-text del')};
        }"""
    )
    assert "underline" in style["ins"]["line"]
    assert "line-through" in style["del"]["line"]
    words = {"ko": ("추가", "삭제"), "en": ("insertion", "deletion")}[lang]
    assert words[0] in style["ins"]["before"] and words[0] in style["ins"]["after"]
    assert words[1] in style["del"]["before"] and words[1] in style["del"]["after"]
    assert style["ins"]["beforeWidth"] == "1px"  # visually hidden, still read out
    # The words are part of what assistive technology reads.
    text = page.locator(".redline-text ins").first.evaluate(
        "el => getComputedStyle(el, '::before').content + el.textContent"
    )
    assert words[0] in text


# --- palette, search ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_palette_toggle_switches_light_and_dark(page, example_notice, lang):
    visit(page, example_notice.at("privacy/", lang))
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.locator("form[data-md-component=palette] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("form[data-md-component=palette] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    # The choice survives navigation.
    page.locator("form[data-md-component=palette] label:visible").click()
    visit(page, example_notice.at("privacy/archive/", lang))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_dark_mode_follows_the_system_preference(new_context, example_notice):
    page = new_context(color_scheme="dark").new_page()
    visit(page, example_notice.at(""))
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_words_in_the_policies(page, example_notice, lang):
    page.set_viewport_size(DESKTOP)
    visit(page, example_notice.at("", lang))
    query = page.locator("input.md-search__input")
    query.click()
    # Material builds the index in a web worker after the page loads; until it is ready the
    # result area says "Initializing search" and typed words are not searched yet.
    expect(page.locator(".md-search-result__meta")).to_have_text(
        WORDS[lang]["search_ready"], timeout=30_000
    )
    query.press_sequentially(WORDS[lang]["search"], delay=30)
    # Material searches on keyup. Playwright enters Hangul as text input without key events
    # (a person's IME does send them), so finish with a key that changes nothing.
    query.press("End")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15_000)
    links = page.locator(".md-search-result__link").evaluate_all("els => els.map(a => a.href)")
    prefix = f"/{LANGUAGES[lang]}"
    assert any(path_of(h).startswith(prefix + "privacy/") for h in links), links
    first = links[0].split("#")[0]
    assert status_of(page, first) == 200


# --- small screens -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", PAGES)
def test_nothing_is_wider_than_a_phone(new_context, example_notice, lang, url):
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    visit(page, example_notice.at(url, lang))
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > MOBILE["width"]:
        culprits = page.evaluate(
            """(max) => [...document.querySelectorAll('body *')]
                 .filter(el => el.getBoundingClientRect().right > max + 1)
                 .slice(0, 5).map(el => el.tagName + '.' + el.className)""",
            MOBILE["width"],
        )
        pytest.fail(f"{url} ({lang}) is {width}px wide on a 375px screen: {culprits}")


def test_on_a_phone_the_archive_is_one_card_per_version(new_context, example_notice):
    """Issue 14: every column and link of the archive is visible on a phone (a scrolling
    table clipped its links column): each version is a card, each value under its label."""
    page = new_context(viewport=MOBILE, is_mobile=True).new_page()
    visit(page, example_notice.at("privacy/archive/", "en"))
    box = page.locator(".redline-table").first
    inner, outer = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert inner <= outer  # nothing to scroll to: the page does not hide a column
    label = page.locator(".redline-archive tbody td").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"In force"'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_comparison_is_before_and_after_side_by_side(
    new_context, example_notice, lang
):
    page = new_context(viewport=MOBILE, is_mobile=True).new_page()
    visit(page, example_notice.at("privacy/changes/2027-01-01/", lang))
    row = page.locator("table.redline-compare tbody tr").first
    section, old, new = (row.locator(sel) for sel in ("th", "td.redline-old", "td.redline-new"))
    boxes = [loc.bounding_box() for loc in (section, old, new)]
    assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"] + 1  # the section's name above
    assert abs(boxes[1]["y"] - boxes[2]["y"]) < 1  # before and after side by side
    assert boxes[1]["width"] > 140 and boxes[2]["width"] > 140
    # The grid layout keeps the table's semantics for assistive technology.
    tree = page.locator("table.redline-compare").aria_snapshot()
    assert "columnheader" in tree and "rowheader" in tree and "- cell" in tree


# --- tables quoted in the comparison ------------------------------------------------------

PHONE = {"width": 390, "height": 844}

# Every table quoted in the comparison: each header cell over its column, and each cell's
# text at least `min_em` wide unless the table scrolls in its own box.
SUBTABLE_LAYOUT = """(minEm) => [...document.querySelectorAll(
    'table.redline-compare .redline-subtable')].map((table) => {
  const box = table.closest('.redline-scroll');
  const scrolls = box.scrollWidth > box.clientWidth + 1;
  const em = parseFloat(getComputedStyle(table).fontSize);
  const heads = [...table.querySelectorAll('thead th')];
  const row = [...table.querySelectorAll('tbody tr')]
    .find((r) => r.cells.length === heads.length && !r.querySelector('[colspan]'));
  const misplaced = !row ? [] : heads.map((th, k) => [th, row.cells[k]])
    .map(([th, td]) => [th.getBoundingClientRect(), td.getBoundingClientRect(), th])
    .filter(([h, d]) => Math.abs(h.left - d.left) > 1.5 || Math.abs(h.right - d.right) > 1.5)
    .map(([h, d, th]) => `${th.textContent}: ${h.left}-${h.right} over ${d.left}-${d.right}`);
  const narrow = [...table.querySelectorAll('th, td:not([colspan])')].filter((c) => {
    const cs = getComputedStyle(c);
    const width = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    return width < minEm * em;
  }).map((c) => c.textContent);
  return {
    section: table.closest('tr[id]').id, side: table.closest('td').className, scrolls,
    rows: row ? heads.length : 0, misplaced, narrow, focusable: box.tabIndex === 0,
  };
})"""

# Words of the comparison laid out on more than one line: a Latin word (each part of a
# hyphenated one), or a run of Hangul (Korean breaks between 어절 only).
BROKEN_WORDS = r"""() => {
  const table = document.querySelector('table.redline-compare');
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  const words = /[A-Za-z]+(?:['’][A-Za-z]+)*|[\uac00-\ud7a3]+/g;
  const broken = [];
  let checked = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    for (const token of text.matchAll(/\S+/g)) {
      if (/[@\/:]/.test(token[0])) continue;  // an address may wrap where it must
      for (const word of token[0].matchAll(words)) {
        const range = document.createRange();
        const start = token.index + word.index;
        range.setStart(node, start);
        range.setEnd(node, start + word[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        checked += 1;
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return {checked, broken};
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("screen", "size"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_tables_in_the_comparison_stay_legible(
    new_context, example_notice, artifacts, lang, screen, size
):
    page = new_context(viewport=size, is_mobile=screen == "phone").new_page()
    visit(page, example_notice.at("privacy/changes/2027-01-01/", lang))
    page.evaluate("document.fonts.ready")
    tables = page.evaluate(SUBTABLE_LAYOUT, 4)
    # The entrustment table, before and after (the after one has the new entrusted party).
    assert [t["section"] for t in tables].count("redline-compare-entrustment") == 2, tables
    for table in tables:
        assert table["rows"], table  # a body row under the header to compare with
        assert not table["misplaced"], table
        assert table["scrolls"] or not table["narrow"], table
        assert table["focusable"] == table["scrolls"], table  # the keyboard reaches the box
    words = page.evaluate(BROKEN_WORDS)
    assert words["checked"] > 500 and not words["broken"], words["broken"]
    names = page.locator("table.redline-compare").get_by_text("Northwind Inference Inc.")
    assert names.count() >= 2
    # Pictures for a person to judge (test-artifacts/screenshots/); the sticky header would
    # cover part of a picture taller than the screen.
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".md-header { position: static !important; }")
    for name, target in (
        ("comparison", "table.redline-compare"),
        ("entrustment", "#redline-compare-entrustment"),
    ):
        path = folder / f"{name}-tables-{lang}-{screen}.png"
        page.locator(target).screenshot(path=str(path))
        assert path.stat().st_size > 10_000


# --- accessibility -----------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", PAGES)
def test_axe_finds_no_serious_violation(new_context, example_notice, scheme, lang, url):
    assert AXE.is_file(), f"{AXE} is missing: run `npm install` (make test does)"
    page = new_context(color_scheme=scheme, viewport=DESKTOP).new_page()
    visit(page, example_notice.at(url, lang))
    expected = "slate" if scheme == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
    bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    report = [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
            "summary": v["nodes"][0].get("failureSummary", ""),
        }
        for v in bad
    ]
    assert not bad, json.dumps(report, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_on_a_phone_and_outside_a_notice_period(new_context, example_quiet, lang):
    page = new_context(viewport=MOBILE, is_mobile=True).new_page()
    for url in ("", "privacy/", "privacy/changes/2027-01-01/"):
        visit(page, example_quiet.at(url, lang))
        bad = [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert not bad, (url, bad)


# --- screenshots -------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_screenshots_of_every_page_type(new_context, example_notice, artifacts, scheme, lang):
    """Pictures for a person to look at (test-artifacts/screenshots/): each page type on a
    desktop and a phone, and the comparison table, which is further down its page."""
    folder: Path = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for device, size in (("desktop", DESKTOP), ("phone", MOBILE)):
        page = new_context(color_scheme=scheme, viewport=size).new_page()
        for kind, url in PAGE_TYPES.items():
            visit(page, example_notice.at(url, lang))
            page.evaluate("document.fonts.ready")
            shots = {kind: None}
            if kind == "changes":
                shots["comparison"] = "#redline-compare"
            for name, anchor in shots.items():
                if anchor:
                    page.locator(anchor).evaluate("el => el.scrollIntoView()")
                    page.wait_for_timeout(500)  # Material's header title slides on scroll
                target = folder / f"{name}-{lang}-{scheme}-{device}.png"
                page.screenshot(path=str(target))
                assert target.stat().st_size > 10_000
        page.close()
