"""Previewing with `mkdocs serve`: a site the gate refuses shows its findings in the browser,
at every address, and the live reload turns the tab back into the site once the fix is saved.

The real server (`python -m mkdocs serve --livereload`) runs in a throwaway site repository;
Chromium keeps a tab open on it while the test breaks and fixes policy files in the editor's
folder, and never reloads the tab itself: whatever the tab shows, the live reload brought.
`mkdocs build` still refuses the same site, as the gate always has.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from clikit import history
from conftest import AXE, axe_violations, visit
from playwright.sync_api import Page, expect
from sitekit import SiteRepo

pytestmark = [pytest.mark.slow]

EDITING_DAY = "2024-05-20"  # version 2 (2024-06-01) is announced, not in force: still editable
IN_FORCE_DAY = "2024-06-10"  # version 2 in force: the next minor amendment needs 7 days
WAIT_MS = 30_000  # for a save to reach the tab: the watcher, a rebuild, the live reload


@dataclass
class Server:
    url: str
    log: Path

    def builds(self) -> list[str]:
        """The terminal's output, one piece per build."""
        return self.log.read_text(encoding="utf-8").split("Building documentation...")[1:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """MkDocs answers once its first build is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"mkdocs serve exited ({proc.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    pytest.fail(f"mkdocs serve did not answer in {timeout} s:\n{log.read_text()}")


def stop(proc: subprocess.Popen) -> None:
    """Ctrl-C first (MkDocs then removes its folders), then terminate, then kill."""
    for send, grace in ((lambda: proc.send_signal(signal.SIGINT), 10), (proc.terminate, 5)):
        send()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
            return
    proc.kill()
    proc.wait()


@contextlib.contextmanager
def serving(repo: SiteRepo, today: str, tmp_path: Path) -> Iterator[Server]:
    """`mkdocs serve --livereload` in the repository as of `today`, on a free port."""
    port = free_port()
    log = tmp_path / "serve.log"
    temp = tmp_path / "tmp"  # MkDocs' built site and Redline's staged pages
    temp.mkdir()
    env = {
        **os.environ,
        "REDLINE_TODAY": today,
        "NO_MKDOCS_2_WARNING": "1",
        "TMPDIR": str(temp),
    }
    args = ["serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", *args],
            cwd=repo.path,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_for_port(port, proc, log)
        yield Server(f"http://127.0.0.1:{port}/", log)
    finally:
        stop(proc)


def findings_on(page: Page):
    """The findings the page lists, once the live reload has brought them."""
    items = page.locator(".redline-findings > li")
    expect(items.first).to_be_visible(timeout=WAIT_MS)
    return items


def shows_the_site(page: Page) -> None:
    expect(page.locator(".redline-findings")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("article h1")).to_be_visible()


def break_front_matter(repo: SiteRepo, rel: str) -> str:
    path = repo.path / rel
    original = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^title: .*$", "title: [unclosed", original, count=1, flags=re.M),
        encoding="utf-8",
    )
    return original


def picture(page: Page, artifacts: Path, name: str) -> None:
    """For a person to look at: test-artifacts/screenshots/<name>.png."""
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def serious(page: Page) -> list[str]:
    assert AXE.is_file(), f"{AXE} is missing: run `npm install` (make test does)"
    return [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
def test_broken_front_matter_shows_at_every_address_until_saved_fixed(page, tmp_path, artifacts):
    repo = history(SiteRepo.create(tmp_path / "site"))
    rel = "policies/privacy/2024-06-01.md"
    with serving(repo, EDITING_DAY, tmp_path) as server:
        visit(page, server.url)
        expect(page.locator(".redline-policies")).to_be_visible()
        original = break_front_matter(repo, rel)

        items = findings_on(page)  # the open tab, reloaded by the server alone
        expect(page.locator("h1")).to_contain_text("Redline이 사이트 빌드를 멈췄습니다")
        expect(items).to_have_count(1)
        for words in (
            f"{rel}:3",
            "R5 valid input",
            "the front matter is not valid YAML",
            "fix the YAML at that line",
        ):
            expect(items.first).to_contain_text(words)
        expect(items.first.locator("code").first).to_have_text(f"{rel}:3")
        picture(page, artifacts, "serve-refused-home")
        assert not serious(page)

        # Any other address shows the same findings (a 404, with the site's styles), in
        # a tab that then follows the fix too.
        deep = page.context.new_page()
        response = deep.goto(server.url + "privacy/2024-06-01/", wait_until="load")
        assert response is not None and response.status == 404
        expect(findings_on(deep).first).to_contain_text(f"{rel}:3")
        border = (
            "getComputedStyle(document.querySelector('.redline-findings > li')).borderLeftStyle"
        )
        assert deep.evaluate(border) == "solid"  # redline.css reached the page
        picture(deep, artifacts, "serve-refused-elsewhere")
        assert not serious(deep)
        english = page.context.new_page()
        visit(english, server.url + "en/")
        expect(english.locator("h1")).to_contain_text("Redline stopped the build of this site")
        expect(findings_on(english).first).to_contain_text("Fix")
        english.close()

        (repo.path / rel).write_text(original, encoding="utf-8")
        shows_the_site(page)
        expect(page.locator(".redline-policies")).to_be_visible()
        shows_the_site(deep)
        expect(deep.locator(".redline-status")).to_be_visible()  # the version's own page
        refused = [b for b in server.builds() if "Redline blocked the build" in b]
        assert refused and all(b.count("WARNING -  redline: Redline blocked") == 1 for b in refused)


@pytest.mark.browser
def test_too_little_notice_shows_its_finding_until_the_date_is_moved(page, tmp_path, artifacts):
    repo = history(SiteRepo.create(tmp_path / "site"))
    with serving(repo, IN_FORCE_DAY, tmp_path) as server:
        visit(page, server.url)
        written = repo.version("privacy", "2024-06-12", change="minor", reason="오타 수정")

        items = findings_on(page)
        expect(items).to_have_count(1)
        for words in (
            "policies/privacy/2024-06-12.md",
            "R1 notice window",
            "needs 7 days' notice",
            "the earliest lawful effective date is 2024-06-17",
        ):
            expect(items.first).to_contain_text(words)
        expect(items.first.locator("dd code").nth(1)).to_have_text("2024-06-12.md")  # `quoted`
        picture(page, artifacts, "serve-refused-notice")

        for rel in written:
            path = repo.path / rel
            path.rename(path.with_name(path.name.replace("2024-06-12", "2024-06-17")))
        shows_the_site(page)
        visit(page, server.url + "privacy/2024-06-17/")  # the amendment's own page
        expect(page.locator(".redline-status")).to_be_visible()


@pytest.mark.browser
def test_a_yaml_mistake_in_mkdocs_yml_shows_at_every_address_until_fixed(page, tmp_path, artifacts):
    """MkDocs cannot read its configuration, so no hook runs and MkDocs' own server would
    leave every request hanging ("the server will appear stuck"): the page says what MkDocs
    said instead, as text, and the tab turns back into the site when the fix is saved."""
    repo = history(SiteRepo.create(tmp_path / "site"))
    config = repo.path / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    with serving(repo, EDITING_DAY, tmp_path) as server:
        visit(page, server.url)
        expect(page.locator(".redline-policies")).to_be_visible()
        config.write_text(original + "site_author: [unclosed\n", encoding="utf-8")

        heading = page.locator("h1")
        expect(heading).to_have_text("MkDocs가 이 사이트를 빌드하지 못했습니다", timeout=WAIT_MS)
        error = page.locator("pre")
        expect(error).to_contain_text("while parsing a flow sequence")
        expect(error).to_contain_text('mkdocs.yml", line')
        picture(page, artifacts, "serve-unreadable-config")
        assert not serious(page)

        # A value MkDocs refuses: its reason is only logged, and quotes the value, as text.
        refused = 'validation:\n  omitted_files: "<b>bold</b>"\n'
        config.write_text(original + refused, encoding="utf-8")
        expect(error).to_contain_text("Config value 'validation'", timeout=WAIT_MS)
        expect(error).to_contain_text("<b>bold</b>")
        expect(page.locator("pre b")).to_have_count(0)
        deep = urllib.request.Request(server.url + "privacy/2024-06-01/")
        with pytest.raises(urllib.error.HTTPError) as elsewhere:
            urllib.request.urlopen(deep, timeout=10)  # answers: no hanging request
        assert "mkdocs.yml" in elsewhere.value.read().decode()

        config.write_text(original, encoding="utf-8")
        expect(page.locator(".redline-policies")).to_be_visible(timeout=WAIT_MS)
        log = server.log.read_text(encoding="utf-8")
        assert "redline: the site could not be built; the preview shows why" in log


def test_a_site_refused_from_the_start_is_served_with_its_findings(tmp_path):
    """A configuration the engine cannot run with (CannotRun) is shown too, and the server
    starts although its first build is refused."""
    repo = history(SiteRepo.create(tmp_path / "site", redline={"notice_days": {"minor": -1}}))
    with serving(repo, EDITING_DAY, tmp_path) as server:
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "privacy/")
        assert missing.value.code == 404
        for html in (
            urllib.request.urlopen(server.url).read().decode(),
            missing.value.read().decode(),
        ):
            assert 'class="redline-findings"' in html and "mkdocs.yml" in html
        assert "Redline cannot build this site:" in server.log.read_text(encoding="utf-8")


def test_mkdocs_build_still_fails_on_the_same_findings(tmp_path):
    repo = history(SiteRepo.create(tmp_path / "site"))
    break_front_matter(repo, "policies/privacy/2024-06-01.md")
    result = repo.build(EDITING_DAY)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(
        "ERROR   -  Redline blocked the build as of 2024-05-20: 1 problem(s)\n"
        "policies/privacy/2024-06-01.md:3: error: R5 valid input: the front matter is not valid"
    )
    assert "Aborted with a BuildError!" in result.stdout
    assert not (repo.path / "site" / "index.html").exists()
    unrunnable = SiteRepo.create(tmp_path / "other", redline={"notice_days": {"minor": -1}})
    result = history(unrunnable).build(EDITING_DAY)
    assert result.returncode == 1
    assert result.stderr.startswith("ERROR   -  Redline cannot build this site:\nmkdocs.yml: error")
