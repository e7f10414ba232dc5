"""Printing a policy: what lands on paper must identify exactly which text it is.

A printed or saved-as-PDF page carries the policy's title, version number, effective date
and permanent address, keeps the version's status banner, and drops the site's navigation,
search, header, footer and announcement bar.
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import require, visit
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SITE_URL = "https://policies.example.kr/"  # mkdocs.yml's site_url

# As of 2026-12-01: privacy version 3 (2025-09-01) is in force, version 4 is announced.
CASES = {
    ("ko", "privacy/"): ["개인정보 처리방침", "버전 3", "시행일 2025년 9월 1일"],
    ("en", "privacy/"): ["Privacy Policy", "Version 3", "effective 1 September 2025"],
    ("ko", "privacy/2024-03-01/"): ["개인정보 처리방침", "버전 1", "시행일 2024년 3월 1일"],
    ("en", "privacy/2024-03-01/"): ["Privacy Policy", "Version 1", "effective 1 March 2024"],
    ("ko", "privacy/changes/2027-01-01/"): ["개인정보 처리방침", "버전 4", "시행일 2027년 1월 1일"],
    ("en", "privacy/changes/2027-01-01/"): [
        "Privacy Policy",
        "Version 4",
        "effective 1 January 2027",
    ],
}
HIDDEN = {
    "header": ".md-header",
    "search": ".md-search",
    "navigation": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary",
    "footer": ".md-footer",
    "announcement bar": ".md-banner",
}


def printed(page: Page, url: str) -> Page:
    visit(page, url).emulate_media(media="print")
    return page


def canonical(lang: str, rel: str) -> str:
    return SITE_URL + ("" if lang == "ko" else f"{lang}/") + rel


@pytest.mark.parametrize(("lang", "url"), list(CASES))
def test_print_identifies_the_text_and_hides_the_site(page, example_notice, lang, url):
    printed(page, example_notice.at(url, lang))
    text = " ".join(page.locator("body").inner_text().split())
    for expected in [*CASES[lang, url], canonical(lang, url)]:
        assert expected in text, f"{expected!r} is not printed on {url} ({lang})"
    displays = page.evaluate(
        """(selectors) => Object.fromEntries(Object.entries(selectors).map(([name, sel]) => {
             const el = document.querySelector(sel);
             return [name, el ? getComputedStyle(el).display : 'absent'];
           }))""",
        HIDDEN,
    )
    assert displays["announcement bar"] != "absent"  # there is one to hide: a notice period
    shown = {name: d for name, d in displays.items() if d not in ("none", "absent")}
    assert not shown, f"printed although they are not the policy: {shown}"
    banner = page.locator("article .redline-status")
    assert banner.evaluate("el => getComputedStyle(el).display") != "none"
    assert banner.is_visible()
    address = page.locator(".redline-print-only")
    assert address.is_visible() and address.inner_text().strip() == canonical(lang, url)


def test_the_address_is_not_shown_on_screen(page, example_notice):
    page.goto(example_notice.at("privacy/"))
    assert not page.locator(".redline-print-only").is_visible()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_pdf_of_a_policy_carries_its_identity(page, example_notice, artifacts, lang):
    """The PDF Chromium prints, read back by poppler: text, not only pixels, is right."""
    pdftotext = require("pdftotext", "apt-get install -y poppler-utils")
    printed(page, example_notice.at("privacy/2024-03-01/", lang))
    folder = artifacts / "print"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"privacy-version-1-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for expected in [*CASES[lang, "privacy/2024-03-01/"], canonical(lang, "privacy/2024-03-01/")]:
        assert expected in flat, f"{expected!r} is not in the PDF ({pdf})"
    # Navigation and search are not printed.
    site_name = "솔바람랩 정책 센터" if lang == "ko" else "Solbaram Lab Policy Centre"
    assert site_name not in flat


# --- the print button ---------------------------------------------------------------------

PRINT = {"ko": "인쇄", "en": "Print"}


@pytest.mark.parametrize("lang", list(PRINT))
@pytest.mark.parametrize("url", ["privacy/", "privacy/2024-03-01/", "terms/2026-12-07/"])
def test_the_print_button_prints_and_is_not_printed(page, example_notice, lang, url):
    visit(page, example_notice.at(url, lang))
    button = page.get_by_role("button", name=PRINT[lang], exact=True)
    assert button.is_visible()
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert page.evaluate("() => window.printed") == 1
    page.emulate_media(media="print")
    assert not button.is_visible()
    assert page.locator(".redline-tools").evaluate("el => getComputedStyle(el).display") == "none"


@pytest.mark.parametrize("lang", list(PRINT))
def test_without_javascript_there_is_no_print_button(browser, example_notice, lang):
    """A button that does nothing is worse than none: only the script shows it."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = visit(context.new_page(), example_notice.at("privacy/2024-03-01/", lang))
        assert page.locator("button.redline-print").count() == 1  # in the page, hidden
        assert not page.locator("button.redline-print").is_visible()
        assert page.get_by_role("button", name=PRINT[lang], exact=True).count() == 0
    finally:
        context.close()
