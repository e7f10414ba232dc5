"""Correct at every instant: the midnight switch, in the real browser with a set clock.

The example site built as of 2026-12-01 is served as if its next deploy never ran. The terms
amendment takes effect at 2026-12-07T00:00:00+09:00: on the visitor's clock from that
instant, every page that speaks of it must say it is in force (and its predecessor that it
is superseded), whether the page was opened before midnight or after. Without JavaScript
the page still reads as of its build day.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import visit
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEOUL = "+09:00"
BEFORE = datetime.fromisoformat("2026-12-06T23:59:30" + SEOUL)
AFTER = datetime.fromisoformat("2026-12-07T00:00:01" + SEOUL)

ANNOUNCED = {"ko": "개정 예정 버전입니다", "en": "This is an announced amendment"}
IN_FORCE = {"ko": "현재 시행 중인 버전입니다", "en": "This is the version in force"}
SUPERSEDED = {"ko": "이전 버전입니다", "en": "This is an earlier version"}
CHANGED = {
    "ko": "이용약관이 2026년 12월 7일부터 변경되었습니다",
    "en": "changed on 7 December 2026",
}


def banner(page):
    return page.locator(".md-content .redline-status").first


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_open_page_switches_at_midnight_in_the_policy_time_zone(page, example_notice, lang):
    page.clock.install(time=BEFORE)
    visit(page, example_notice.at("terms/2026-12-07/", lang))
    expect(banner(page)).to_contain_text(ANNOUNCED[lang])
    page.clock.run_for(20_000)  # 23:59:50: still before
    expect(banner(page)).to_contain_text(ANNOUNCED[lang])
    page.clock.run_for(15_000)  # 00:00:05 on 7 December in Seoul
    expect(banner(page)).to_contain_text(IN_FORCE[lang])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_page_opened_after_a_missed_deploy_tells_the_truth(page, example_notice, lang):
    page.clock.install(time=AFTER)
    visit(page, example_notice.at("terms/2026-12-07/", lang))
    expect(banner(page)).to_contain_text(IN_FORCE[lang])
    visit(page, example_notice.at("terms/2024-03-01/", lang))
    expect(banner(page)).to_contain_text(SUPERSEDED[lang])
    # The policy's page still holds the old text: it says so and links to the new one.
    visit(page, example_notice.at("terms/", lang))
    expect(banner(page)).to_contain_text(SUPERSEDED[lang])
    link = banner(page).locator("a")
    assert link.get_attribute("href").endswith("2026-12-07/")
    expect(page.locator(".redline-notice").first).to_contain_text(CHANGED[lang])
    expect(page.locator(".md-banner .redline-announce")).to_contain_text(CHANGED[lang])
    # The privacy amendment (2027-01-01) is still ahead: untouched.
    visit(page, example_notice.at("privacy/2027-01-01/", lang))
    expect(banner(page)).to_contain_text(ANNOUNCED[lang])


def test_without_javascript_the_page_reads_as_of_its_build_day(browser, example_notice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.clock.install(time=AFTER)
    visit(page, example_notice.at("terms/2026-12-07/"))
    expect(banner(page)).to_contain_text(ANNOUNCED["ko"])
    expect(page.locator(".md-content")).not_to_contain_text(IN_FORCE["ko"])  # template: inert
    context.close()
