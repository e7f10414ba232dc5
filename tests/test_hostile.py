"""The gate judges exactly what is published, tried as a hostile or careless contributor.

Every attack runs through the real command (`redline check`, in-process and as a process)
or the real build (`mkdocs build --strict`) on a real git repository with back-dated
commits. Each test fails if the fix it covers is removed: the attack then gets through.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from clikit import history, run, run_process
from sitekit import SiteRepo

TODAY = "2024-07-01"


def check(repo, *args, today=TODAY):
    result = run(repo, "check", "--format", "json", *args, today=today)
    assert "Traceback" not in result.text and "internal error" not in result.text, result.text
    return result.code, json.loads(result.out)["findings"] if result.out else []


def rules_on(findings, path=None):
    return sorted({(f["rule"], f["file"]) for f in findings if path is None or f["file"] == path})


@pytest.fixture
def repo(site_repo) -> SiteRepo:
    return history(site_repo)


def _text(lang="ko", extra=""):
    title = "개인정보 처리방침" if lang == "ko" else "Privacy Policy"
    return f"---\ntitle: {title}\n---\n\n본문 {extra}\n"


# --- 1. pages published without the gate -------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    [
        "policies/privacy/2024-07-02.markdown",
        "policies/privacy/2024-07-02.en.markdown",
        "policies/privacy/2024-07-02.mkd",
        "policies/privacy/2024-07-02.html",
        "policies/privacy/2024-07-02.MD",
        "policies/privacy/old/2024-01-01.md",
        "policies/privacy/notes.txt",
        "policies/about.md",
        "policies/2024-07-02.md",
        "policies/notice.html",
        "policies/extra/terms.htm",
        "policies/assets/2024-07-02.txt",
        "policies/versions.json",
        "policies/en/feed.xml",
    ],
)
def test_every_file_mkdocs_would_publish_is_gated_or_refused(repo, rel):
    repo.write(rel, _text())
    code, findings = check(repo)
    assert code == 1 and ("R5", rel) in rules_on(findings), findings
    (f,) = [f for f in findings if f["file"] == rel]
    assert f["fix"] and "gate" in f["message"] or "written by Redline" in f["message"]


@pytest.mark.parametrize("folder", ["Privacy", "privacy policy", "개인정보", "privacy.v2"])
def test_dated_files_in_a_folder_that_is_no_policy_id_are_refused(repo, folder):
    rel = f"policies/{folder}/2024-03-01.md"
    repo.write(rel, _text())
    code, findings = check(repo)
    assert code == 1
    (f,) = [f for f in findings if f["file"] == rel]
    assert (
        f["rule"] == "R5" and "not a policy id" in f["message"] and "rename the folder" in f["fix"]
    )


def test_a_name_with_a_final_line_break_is_no_second_copy_of_a_version(repo):
    """`2024-03-01.md\n` was read as version 2024-03-01 too, and replaced the text in force
    on its page without R3 seeing a change to `2024-03-01.md`."""
    frozen = (repo.path / "policies/privacy/2024-03-01.md").read_text(encoding="utf-8")
    rel = "policies/privacy/2024-03-01.md\n"
    repo.write(rel, frozen.replace("회원 관리와", "광고와 회원 관리와"))
    repo.commit("2024-06-20")
    code, findings = check(repo)
    assert code == 1 and ("R5", rel) in rules_on(findings), findings


@pytest.mark.parametrize("folder", ["en", "receipts", "search"])
def test_a_policy_folder_at_an_address_the_site_uses_is_refused(repo, folder):
    """`en/` is where the English pages go: the English home page overwrote that policy's
    page and the build passed with the policy gone."""
    repo.version(folder, "2024-03-01")
    code, findings = check(repo)
    assert code == 1 and ("R5", f"policies/{folder}") in rules_on(findings), findings
    assert "rename the folder" in next(f for f in findings if f["rule"] == "R5")["fix"]


def test_an_asset_is_published_and_nothing_ungated_reaches_the_site(repo):
    repo.write("policies/assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    repo.commit("2024-05-02")
    assert check(repo)[0] == 0
    built = repo.build(TODAY)
    assert built.returncode == 0, built.stderr
    assert (repo.path / "site/assets/logo.svg").is_file()
    repo.write("policies/privacy/2024-07-02.markdown", _text())
    built = repo.build(TODAY, site="site2")
    assert built.returncode != 0 and "2024-07-02.markdown" in built.stderr
    assert "Traceback" not in built.stderr
    assert not (repo.path / "site2/privacy/2024-07-02").exists()


def test_a_symbolic_link_in_the_docs_folder_is_refused_and_never_published(repo):
    """A linked folder's pages reached the site ungated; a version linked to a file elsewhere
    changed with that file, which the docs folder's history never shows."""
    repo.write("notes/page.md", _text())
    (repo.path / "policies/extra").symlink_to("../notes")
    repo.write("notes/draft.md", (repo.path / "policies/privacy/2024-06-01.md").read_bytes())
    (repo.path / "policies/privacy/2024-09-01.md").symlink_to("../../notes/draft.md")
    repo.write("policies/privacy/2024-09-01.en.md", _text("en"))
    code, findings = check(repo)
    assert code == 1
    for rel in ("policies/extra", "policies/privacy/2024-09-01.md"):
        (f,) = [f for f in findings if f["file"] == rel]
        assert f["rule"] == "R5" and "symbolic link" in f["message"] and f["fix"], f
    built = repo.build(TODAY)
    assert built.returncode != 0 and "symbolic link" in built.stderr, built.stderr
    assert not (repo.path / "site/extra").exists()


# --- 2. decoys that dodge the materiality floor -----------------------------------------

RETENTION_OLD = "## 3. 보유 기간 {#retention}\n\n- 회원 탈퇴 시까지\n- 법령이 정한 기간\n"
RETENTION_NEW = "## 3. 보유 기간 {#retention}\n\n- 회원 탈퇴 후 5년\n- 법령이 정한 기간\n"


def _decoy(repo, decoy: str, lang_suffix=("", ".en")):
    """A minor amendment that changes `retention` (material) behind a decoy."""
    repo.version("privacy", "2024-09-01", change="minor", reason="문구 정리")
    for suffix in lang_suffix:
        path = repo.path / f"policies/privacy/2024-09-01{suffix}.md"
        text = path.read_text(encoding="utf-8")
        old = RETENTION_OLD if suffix == "" else text[text.index("## 3.") :]
        new = RETENTION_NEW if suffix == "" else old.replace("leaves", "leaves, plus 5 years")
        path.write_text(text.replace(old, decoy.replace("{OLD}", old) + new), encoding="utf-8")


@pytest.mark.parametrize(
    "decoy",
    [
        "{OLD}\n",  # a visible duplicate placed before the real section
        "<!--\n{OLD}\n-->\n\n",  # hidden in a comment
        "<!--\n{OLD}\n--> ",  # a comment that closes on the real heading's line
        "<div hidden>\n\n{OLD}\n</div>\n\n",  # a raw HTML block
        '<div hidden markdown="1">\n\n{OLD}\n</div>\n\n',  # Markdown inside hidden HTML
        "```\n{OLD}\n```\n\n",  # a code block
    ],
    ids=["duplicate", "comment", "comment-closing-on-heading", "raw-html", "md-in-html", "code"],
)
def test_a_decoy_section_never_hides_a_material_change(repo, decoy):
    _decoy(repo, decoy)
    code, findings = check(repo)
    assert code == 1, findings
    rules = {f["rule"] for f in findings if f["file"] == "policies/privacy/2024-09-01.md"}
    # Either the decoy itself is refused, or the change is seen as material (R2).
    assert rules & {"R2", "R5"}, findings


def test_the_comment_decoy_is_seen_as_the_material_change_it_is(repo):
    _decoy(repo, "<!--\n{OLD}\n-->\n\n")
    _, findings = check(repo)
    (r2,) = [f for f in findings if f["rule"] == "R2"]
    assert "retention" in r2["message"]


def test_a_heading_without_an_id_is_refused_with_a_suggestion(repo):
    repo.version(
        "privacy", "2024-09-01", change="minor", reason="r", extra="\n\n## Contact us\n\n연락처"
    )
    code, findings = check(repo)
    f = next(f for f in findings if "has no id" in f["message"])
    assert code == 1 and f["rule"] == "R5" and "{#contact-us}" in f["fix"]
    assert f["line"] and f["line"] > 4


def test_a_heading_the_parser_would_miss_is_refused(repo):
    repo.version(
        "privacy",
        "2024-09-01",
        change="minor",
        reason="r",
        extra="\n\n> ## 4. 파기 {#destruction}\n",
    )
    code, findings = check(repo)
    assert code == 1 and any("page shows different sections" in f["message"] for f in findings)


@pytest.mark.parametrize(
    "heading",
    [
        '회사는 정보를 보유합니다. <h2 id="retention-2">3. 보유 기간</h2>',  # raw HTML in a paragraph
        '| 구분 |\n|---|\n| <h2 id="retention-2">3. 보유 기간</h2> |',  # ... in a table
        "3. 보유 기간 {#retention-2}\n---",  # a setext heading
    ],
    ids=["inline-html", "table-cell", "setext"],
)
def test_a_heading_the_page_shows_and_the_parser_does_not_is_refused(repo, heading):
    """A second "3. 보유 기간" that visitors read as a section of its own, which the gate
    would compare as words of `purposes` (not material)."""
    extra = f"\n\n{heading}\n\n- 회원 탈퇴 후 5년\n"
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra)
    code, findings = check(repo)
    assert code == 1 and any("page shows different sections" in f["message"] for f in findings)


@pytest.mark.parametrize(
    "table",
    [
        "보유 | 기간\n--- | ---\n## 4. 파기 {#destruction}",  # a body row of a table
        "| 보유 | 기간 |\n|:---|---:|\n## 4. 파기 {#destruction}",  # aligned, with pipes
        "보유 | 기간\n--- | ---\n회원 | 5년\n## 4. 파기 {#destruction}",  # a later row
    ],
    ids=["body-row", "aligned", "later-row"],
)
def test_a_heading_the_page_puts_in_a_table_is_refused(repo, table):
    """Python-Markdown reads a table before headings, so a `## ...` line in a table's block
    is a cell on the page while the gate reads a section there: the words after it would
    be compared as that section's (not material) while visitors read them under the one
    above. No `<`, quote, fence or underline: only a table's rule line gives it away."""
    extra = f"\n\n{table}\n\n국외 이전: 미국.\n"
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra)
    code, findings = check(repo)
    assert code == 1 and any("page shows different sections" in f["message"] for f in findings)


@pytest.mark.parametrize(
    "decoy",
    [
        "회사는 보유합니다.\n{#retention}",  # a paragraph's attribute list
        "*보유 기간*{#retention}",  # an inline element's
        "구분 | 기간\n--- | ---\n회원 | 5년 {#retention}",  # a table cell's
    ],
    ids=["paragraph", "inline", "table-cell"],
)
def test_only_a_heading_may_take_an_id(repo, decoy):
    """`{#retention}` at the end of a line that is no heading gave that paragraph, word or
    cell the section's id on the page, above the real heading: every link to the section
    (the changes page, a notice) landed on the decoy, which the gate never compared."""
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{decoy}\n")
    code, findings = check(repo)
    assert code == 1 and any("the attribute `id`" in f["message"] for f in findings)


@pytest.mark.parametrize(
    "heading",
    [
        "## 4. 파기 {#destruction #retention}",  # the last `#id` is the page's
        "## 4. 파기 {#destruction id=retention}",  # so is `id=`
        "## 4. 파기 {#x} {#destruction}",  # only the last list is one; the rest is text
        "## 4. 파기 {#destruction&#95;2}",  # a character reference the page decodes
    ],
    ids=["two-ids", "id-key", "two-lists", "reference"],
)
def test_a_heading_s_id_is_the_one_the_page_gives_it(repo, heading):
    """The gate took the first `#id` of a heading's attribute list, attr_list the last:
    `{#destruction #retention}` was a new section to the gate and a second `retention` on
    the page, ahead of the real one."""
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{heading}\n")
    code, findings = check(repo)
    assert code == 1 and any("page shows different sections" in f["message"] for f in findings)


# --- 3. a pull request that lowers its own bar ------------------------------------------


def _pull_request(repo):
    repo.git("checkout", "-q", "-b", "amend")
    return repo


@pytest.mark.parametrize(
    "lower",
    [
        lambda t: t.replace(
            'timezone: "Asia/Seoul"',
            'timezone: "Asia/Seoul"\n    notice_days: {minor: 0, material: 0}',
        ),
        lambda t: t.replace('adopted: "2020-01-01"', 'adopted: "2025-01-01"'),
        lambda t: t.replace('["collected-items", "retention"]', "[]"),
    ],
    ids=["notice_days", "adopted", "material_sections"],
)
def test_a_pull_request_is_judged_by_the_base_branch_settings(repo, lower):
    _pull_request(repo)
    config = repo.path / "mkdocs.yml"
    before = config.read_text(encoding="utf-8")
    config.write_text(lower(before), encoding="utf-8")
    assert config.read_text(encoding="utf-8") != before
    repo.version("privacy", "2024-07-03", change="minor", reason="r", extra="급한 변경")
    _decoy_retention = repo.path / "policies/privacy/2024-07-03.md"
    text = _decoy_retention.read_text(encoding="utf-8")
    _decoy_retention.write_text(text.replace("- 회원 탈퇴 시까지", "- 5년"), encoding="utf-8")
    repo.commit("2024-07-01")
    code, findings = check(repo, "--base", "main")
    rules = {f["rule"] for f in findings}
    assert code == 1 and "R7" in rules and rules & {"R1", "R2"}, findings
    # The same settings merged on their own, reviewed, would apply to later versions.
    assert any(f["rule"] == "R7" and f["file"] == "mkdocs.yml" for f in findings)


@pytest.mark.parametrize(
    "gate_file",
    [
        "redline/rules.py",
        "hooks/redline_hook.py",
        ".github/workflows/pull-request.yml",
        "requirements.txt",
        "policies/assets/extra.css",
        "overrides/main.html",
        "redline_mkdocs/theme/main.html",
        # Names git would quote (a quote, a tab): read as they are, still gate files.
        '.github/workflows/re"lease.yml',
        ".github/workflows/tab\there.yml",
    ],
)
def test_a_pull_request_that_changes_the_gate_and_versions_is_refused(repo, gate_file):
    _pull_request(repo)
    repo.write(gate_file, "# changed\n")
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="변경")
    repo.commit("2024-07-01")
    code, findings = check(repo, "--base", "main")
    assert code == 1 and ("R7", gate_file) in rules_on(findings), findings
    assert "split it" in next(f for f in findings if f["rule"] == "R7")["fix"]


def test_a_gate_change_alone_passes(repo):
    _pull_request(repo)
    repo.write(".github/workflows/x.yml", "on: push\n")
    repo.commit("2024-07-01")
    assert check(repo, "--base", "main")[0] == 0


# --- 4. configuration typos that switch a rule off ----------------------------------------


def test_a_misspelt_material_section_is_an_error_naming_the_nearest_id(tmp_path):
    repo = history(
        SiteRepo.create(
            tmp_path / "s", redline={"policies": {"privacy": {"material_sections": ["retension"]}}}
        )
    )
    code, findings = check(repo)
    (f,) = findings
    assert code == 1 and f["file"] == "mkdocs.yml" and f["line"]
    assert "`retension`" in f["message"] and "`retention`" in f["fix"]


def test_a_misspelt_policy_id_in_the_settings_is_an_error(tmp_path):
    repo = history(
        SiteRepo.create(
            tmp_path / "s", redline={"policies": {"privcy": {"material_sections": ["retention"]}}}
        )
    )
    code, findings = check(repo)
    assert code == 1 and "`privacy`" in findings[0]["message"]


# --- 5. implausible history -----------------------------------------------------------------


def test_a_commit_dated_in_the_future_proves_nothing(repo):
    repo.version("privacy", "2099-03-01", change="material", reason="r", extra="미래")
    repo.commit("2098-12-01")  # "announced" long before it takes effect, by its own clock
    code, findings = check(repo, today=None)
    assert code == 1 and any(
        f["rule"] == "R6" and "in the future" in f["message"] for f in findings
    )


def test_a_commit_dated_before_its_parent_proves_nothing(repo):
    repo.version("privacy", "2024-09-01", change="material", reason="r", extra="소급")
    repo.commit("2024-03-01")  # before the history's last commit (2024-05-01)
    code, findings = check(repo)
    (f,) = [f for f in findings if f["rule"] == "R6"]
    assert code == 1 and "earlier than the commit before it" in f["message"]
    assert f["file"].startswith("policies/privacy/2024-09-01")


def test_a_version_inserted_before_an_announced_one_is_refused(repo):
    repo.version("privacy", "2024-12-01", change="material", reason="r", extra="나중")
    repo.commit("2024-06-01")
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="끼워넣기")
    code, findings = check(repo)
    (f,) = [f for f in findings if f["rule"] == "R3"]
    assert code == 1 and f["file"] == "policies/privacy/2024-09-01.md"
    assert "renumber" in f["message"] and "after 2024-12-01" in f["fix"]


# --- 6. injection -----------------------------------------------------------------------------


def test_a_title_with_attribute_syntax_puts_no_attribute_on_the_page(tmp_path):
    from bs4 import BeautifulSoup

    repo = SiteRepo.create(tmp_path / "s")
    repo.version("privacy", "2024-03-01", title="'Privacy {: onmouseover=alert(1) }'")
    repo.commit("2024-02-01")
    built = repo.build("2024-04-01")
    assert built.returncode == 0, built.stderr
    for url in ("privacy", "privacy/2024-03-01", "privacy/archive"):
        h1 = BeautifulSoup(repo.page("site", url), "lxml").find("h1")
        assert set(h1.attrs) <= {"id"} and "onmouseover" in h1.get_text(), (url, h1)


def test_a_title_with_markup_is_text_everywhere_the_theme_prints_it(tmp_path):
    """MkDocs takes a front-matter title as HTML and Material prints it unescaped (the
    `<title>`, the header, the navigation): a policy title is text there too."""
    from bs4 import BeautifulSoup

    title = '개인정보 </title><script>alert(1)</script><img src=x onerror="alert(2)"> & Co'
    repo = SiteRepo.create(tmp_path / "s")
    repo.version("privacy", "2024-03-01", title=json.dumps(title, ensure_ascii=False))
    repo.commit("2024-02-01")
    built = repo.build("2024-04-01")
    assert built.returncode == 0, built.stderr
    pages = sorted((repo.path / "site").rglob("*.html"))
    assert len(pages) >= 8  # home, policy, version, archive and 404, in both languages
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text()], path
        assert not soup.select("[onerror]"), path
    for url in ("privacy", "privacy/2024-03-01", "privacy/archive"):
        soup = BeautifulSoup(repo.page("site", url), "lxml")
        assert title in soup.title.get_text(), (url, soup.title)
        assert title in soup.select_one(".md-header__topic:last-child").get_text(), url
    nav = BeautifulSoup(repo.page("site", ""), "lxml").select_one(".md-nav--primary")
    assert title in nav.get_text()  # the policy's navigation entry, named by the hook


@pytest.mark.parametrize(
    "markup",
    [
        "## 4. 파기 {#destruction onclick=alert(1)}",
        "## 4. 파기 {#destruction .hidden}",
        "문단\n{: onmouseover=alert(1) }",
        "- 항목\n{: onclick=alert(1) }",
        "[연락처](https://example.test){: onclick=alert(1) }",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[연락처](javascript:alert(1))",
        "[연락처](&#106;avascript:alert(1))",
        '<a href="java\tscript:alert(1)">x</a>',
        '<span style="display:none">숨김</span>',
        "<iframe src=https://example.com></iframe>",
        # Comments a browser ends where Python's html.parser reads on (HTML's tokenizer):
        "<!--> <script>alert(1)</script> -->",
        "<!---> <img src=x onerror=alert(1)> -->",
        "<div>\n<!-- x --!> <script>alert(1)</script> -->\n</div>",
        "문단 <![CDATA[ x > <img src=x onerror=alert(1)> ]]> 끝",
        # `<!--` in a code span opens no comment: what follows it is live markup.
        "`<!--` <script>alert(1)</script> -->",
        "<!-- `-->` <script>alert(1)</script> -->",
        # Markdown that writes markup without `<`: an image loads another site's address, an
        # admonition's type becomes a class (Material hides `.tabbed-block`).
        "![추적](https://tracker.example/p.png)",
        "!!! tabbed-block\n    숨겨진 조항: 회사는 개인정보를 판매할 수 있습니다.",
        # An abbreviation's definition to an `abbr` extension; raw HTML to the site.
        "*[개인정보]: <script>alert(1)</script>",
        "[TOC]",  # toc's marker: a table of contents the theme did not place
    ],
)
def test_policy_text_cannot_change_the_page_s_behaviour(repo, markup):
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{markup}\n")
    code, findings = check(repo)
    assert code == 1 and any(f["rule"] == "R5" and "behaviour" in f["message"] for f in findings), (
        findings
    )


@pytest.mark.parametrize(
    "home, markup",
    [
        ("policies/index.md", "<style>.redline-notice { display: none }</style>"),
        (
            "policies/index.en.md",
            "<script>document.querySelector('.redline-notice').remove()</script>",
        ),
        ("policies/index.md", "<div hidden markdown>\n<!-- redline:policies -->\n</div>"),
    ],
)
def test_a_home_page_cannot_hide_or_rewrite_the_notices_it_shows(repo, home, markup):
    text = (repo.path / home).read_text(encoding="utf-8")
    repo.write(
        home, text.replace("<!-- redline:policies -->", f"{markup}\n\n<!-- redline:policies -->")
    )
    code, findings = check(repo)
    assert code == 1, findings
    (f,) = [f for f in findings if f["file"] == home]
    assert f["rule"] == "R5" and "behaviour" in f["message"] and f["line"] > 1, f


HOME_LIST = "# 정책\n\n<!-- redline:policies -->\n"


def _home_findings(repo, text):
    repo.write("policies/index.md", text)
    code, findings = check(repo)
    return code, [f for f in findings if f["file"] == "policies/index.md"]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: 정책\n<script>alert(1)</script>\n---",  # no line break after the block
        "---\ntitle: 정책\n<script>alert(1)</script>\n---\n\n" + HOME_LIST,  # not YAML
        "---\n- <script>alert(1)</script>\n---\n\n" + HOME_LIST,  # YAML, not a mapping
        "---\ntitle: 정책\n---\n\n# 정책 \x1b[2J\n\n<!-- redline:policies -->\n",
    ],
    ids=["unclosed", "not-yaml", "not-a-mapping", "control-character"],
)
def test_a_home_page_is_judged_as_mkdocs_reads_it(repo, text):
    """MkDocs renders a `---` block it does not take as meta-data as Markdown: the gate read
    it as front matter and never looked at the script in it."""
    code, found = _home_findings(repo, text)
    assert code == 1 and found and {f["rule"] for f in found} == {"R5"}, found


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: 정책\ntemplate: 404.html\n---\n\n" + HOME_LIST,
        "---  \ntitle: 정책\ntemplate: 404.html\n---\n\n" + HOME_LIST,
        "Template: 404.html\n\n" + HOME_LIST,  # MultiMarkdown meta-data
    ],
    ids=["front-matter", "fence-with-spaces", "multimarkdown"],
)
def test_a_home_page_cannot_choose_a_template_that_leaves_the_notices_out(repo, text):
    code, found = _home_findings(repo, text)
    assert code == 1 and [f["rule"] for f in found] == ["R5"], found
    assert "`template:`" in found[0]["message"] and "remove" in found[0]["fix"]


@pytest.mark.parametrize(
    "text",
    [
        "# 정책\n\n<!--\n\n<!-- redline:policies -->\n\n-->\n",
        "# 정책\n\n<!-- 숨김\n<!-- redline:policies -->\n",
        "# 정책\n\n```\n<!-- redline:policies -->\n```\n",
        '---\ntitle: "<!-- redline:policies -->"\n---\n\n# 정책\n',
    ],
    ids=["in-a-comment", "after-an-open-comment", "in-a-code-block", "in-the-front-matter"],
)
def test_the_policy_list_cannot_be_put_where_visitors_do_not_see_it(repo, text):
    code, found = _home_findings(repo, text)
    assert code == 1 and [f["rule"] for f in found] == ["R5"], found
    assert "would not be shown" in found[0]["message"]


def test_a_description_with_markup_stays_text_in_the_page_head(tmp_path):
    from bs4 import BeautifulSoup

    repo = SiteRepo.create(tmp_path / "s")
    repo.version("privacy", "2024-03-01")
    home = repo.path / "policies/index.md"
    evil = '"><script>alert(1)</script>'
    home.write_text(home.read_text().replace("title:", f"description: '{evil}'\ntitle:"))
    repo.commit("2024-02-01")
    built = repo.build("2024-04-01")
    assert built.returncode == 0, built.stderr
    soup = BeautifulSoup(repo.page("site", ""), "lxml")
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert soup.select_one('meta[name="description"]')["content"] == evil


def test_ordinary_legal_markup_is_allowed(repo):
    extra = (
        "\n\n<u>중요</u>한 내용은 밑줄로 표시합니다.<br>줄바꿈, 각주<sup>1</sup>, "
        "[위원회](https://www.pipc.go.kr), [메일](mailto:privacy@example.test), "
        "AT&T, [아래](#retention).\n"
    )
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra)
    assert check(repo)[0] == 0


def test_github_output_never_lets_policy_text_issue_workflow_commands(repo):
    evil = "x\n::add-mask::secret\n::stop-commands::abc\n::error file=a::forged"
    repo.write("policies/privacy/::error title=x::forged.md", _text())
    repo.version(
        "privacy", "2024-09-01", change="minor", reason=evil.replace("\n", " "), extra=evil
    )
    repo.write(
        "policies/privacy/2024-09-01.md",
        (repo.path / "policies/privacy/2024-09-01.md")
        .read_text()
        .replace("title:", f"{evil.splitlines()[1]}: 1\ntitle:"),
    )
    result = run_process(repo, "check", "--format", "github", today=TODAY)
    lines = (result.out + result.err).splitlines()
    stopped = False
    token = None
    for line in lines:
        if stopped:
            if line == f"::{token}::":
                stopped = False
            continue
        if line.startswith("::stop-commands::"):
            stopped, token = True, line.split("::")[2]
            assert len(token) >= 32
            continue
        if line.startswith("::"):
            # Only Redline's own annotations, each one line (their data escapes CR and LF).
            assert line.startswith(("::error file=", "::warning file=", "::notice file=")), line
    assert not stopped


def test_control_characters_from_policy_files_never_reach_the_terminal(repo):
    repo.write("policies/privacy/\x1b[2Jevil\x1b]8;;x\x07.md", _text())
    repo.version(
        "privacy", "2024-09-01", change="minor", reason="r\u202e", extra="\x1b[31m빨강\x9b"
    )
    for args in (("check",), ("status",), ("diff", "privacy"), ("check", "--format", "github")):
        result = run_process(repo, *args, today=TODAY)
        assert not any(c in result.out + result.err for c in "\x1b\x07\x9b\u202e"), args
    code, findings = check(repo)
    assert code == 1 and any("invisible control character U+" in f["message"] for f in findings)


# --- 7. no traceback, whatever the input -------------------------------------------------

BAD_CONFIGS = {
    "scalar": "just text\n",
    "list": "- a\n- b\n",
    "extra-list": "site_name: x\nextra: [1]\n",
    "redline-list": "site_name: x\nextra:\n  redline: [1, 2]\n",
    "notice-days-list": "site_name: x\nextra:\n  redline:\n    notice_days: [7, 30]\n",
    "notice-days-huge": "site_name: x\nextra:\n  redline:\n    notice_days: {minor: 99999999999}\n",
    "notice-days-bool": "site_name: x\nextra:\n  redline:\n    notice_days: {minor: true}\n",
    "adopted-impossible": "site_name: x\nextra:\n  redline:\n    adopted: 2026-02-30\n",
    "i18n-number": "site_name: x\nplugins:\n  - i18n: 5\n",
    "python-tag": "site_name: x\nextra:\n  redline: !!python/object/apply:os.system ['echo hi']\n",
    "env-tag-list": "site_name: !ENV [NOPE_NOT_SET]\n",
    "env-tag-mapping": "site_name: !ENV {NAME: x}\n",
    "inherit-missing": "INHERIT: nowhere.yml\nsite_name: x\n",
    "inherit-loop": "INHERIT: mkdocs.yml\nsite_name: x\n",
    "not-mkdocs": '{"name": "package", "version": "1.0.0"}\n',
    "policies-list": "site_name: x\nextra:\n  redline:\n    policies: [privacy]\n",
    "languages-empty": "site_name: x\nplugins:\n  - i18n:\n      languages: []\n",
    "timezone-number": "site_name: x\nextra:\n  redline:\n    timezone: 9\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_a_broken_configuration_is_a_message_never_a_traceback(repo, name):
    (repo.path / "mkdocs.yml").write_text(BAD_CONFIGS[name], encoding="utf-8")
    result = run_process(repo, "check", today=TODAY)
    assert result.code == 2, result.text
    assert "Traceback" not in result.text and "internal error" not in result.text
    assert "error: configuration:" in result.err and "fix:" in result.err


def test_a_config_file_that_is_not_utf8_or_not_mkdocs(repo, tmp_path):
    (repo.path / "mkdocs.yml").write_bytes(b"site_name: \xff\xfe\n")
    assert run_process(repo, "check", today=TODAY).code == 2
    for other in ("README.md", "package.json"):
        target = tmp_path / other
        target.write_text("# Readme\n" if other.endswith(".md") else "{}\n", encoding="utf-8")
        result = run(repo, "--config-file", str(target), "check", today=TODAY)
        assert result.code == 2 and "Traceback" not in result.text


def test_a_config_file_that_is_some_other_text_is_not_printed_whole(repo, tmp_path):
    """`--config-file /etc/passwd` by mistake: the message quotes its start, not the file."""
    target = tmp_path / "accounts"
    secret = "TOKEN-" + "x" * 200
    target.write_text(f"root:x:0:0:root:/root:/bin/bash {secret}\n", encoding="utf-8")
    result = run(repo, "--config-file", str(target), "check", today=TODAY)
    assert result.code == 2 and "is the text 'root:x:0:0" in result.err, result.text
    assert secret not in result.text


@pytest.mark.parametrize("effective, code", [("0001-01-01", 1), ("9999-12-31", 0)])
def test_versions_at_the_ends_of_the_calendar(repo, effective, code):
    repo.version("privacy", effective, change="material", reason="r")
    assert check(repo)[0] == code  # retroactive; lawful (ample notice), no overflow either way
    made = run(repo, "new", "privacy", "--effective", "9999-12-30", today=TODAY, writes=True)
    assert made.code in (0, 2) and "Traceback" not in made.text


def test_a_summary_line_with_a_colon_says_to_quote_it(repo):
    repo.write(
        "policies/privacy/2024-09-01.md",
        "---\ntitle: t\nchange: minor\nreason: r\nsummary:\n  - 보유 기간: 3년\n---\n\n본문\n",
    )
    _, findings = check(repo)
    f = next(f for f in findings if "summary" in f["message"])
    assert "quote the line" in f["message"]


def test_the_build_refuses_bad_settings_without_a_traceback(repo):
    text = (repo.path / "mkdocs.yml").read_text(encoding="utf-8")
    (repo.path / "mkdocs.yml").write_text(
        text.replace(
            'timezone: "Asia/Seoul"', 'timezone: "Asia/Seoul"\n    notice_days: {minor: true}'
        ),
        encoding="utf-8",
    )
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo.path,
        capture_output=True,
        text=True,
    )
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "notice_days.minor" in built.stderr


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_an_invisible_character_in_a_section_id_is_refused(repo, invisible):
    """`{#retention<U+200B>}` looks like `retention` to the reviewer and on the page, but is
    another id to the gate. Caught: a material section removed is a material change (R2)."""
    for rel in repo.version("privacy", "2024-09-01", change="minor", reason="r"):
        target = repo.path / rel
        text = target.read_text().replace("{#retention}", "{#retention" + invisible + "}")
        target.write_text(text.replace("- 법령이 정한 기간", "- 법령이 정한 기간\n- 10년"))
    code, findings = check(repo)
    assert code == 1 and ("R2", "policies/privacy/2024-09-01.md") in rules_on(findings)


@pytest.mark.parametrize(
    "fence",
    [
        '```{ onclick="alert(1)" }\n연락처\n```',  # attr_list's key=value on the fence
        "```{ #retention }\n보유 기간\n```",  # a decoy anchor on the code block
        "~~~ { .text .hidden }\n숨겨진 조항\n~~~",  # a class on it
    ],
    ids=["event-handler", "decoy-id", "class"],
)
def test_a_fenced_code_block_is_judged_as_mkdocs_renders_it(repo, fence):
    """MkDocs always adds `fenced_code` (with `toc` and `tables`) to a site's extensions, and
    with attr_list a fence's `{...}` puts any attribute on the page; rendered without it, the
    gate read the fence as a harmless code span."""
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{fence}\n")
    code, findings = check(repo)
    assert code == 1 and any(f["rule"] == "R5" for f in findings), findings


def test_a_heading_in_a_fence_is_code_to_the_gate_as_on_the_page(repo):
    """Rendered without `fenced_code`, a fenced `## ...` was a heading to the gate's check and
    it passed; MkDocs shows it as code, so the build refused what the gate accepted."""
    extra = "\n\n```\n## 4. 파기 {#destruction}\n```\n"
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra)
    code, findings = check(repo)
    assert code == 1 and any("page shows different sections" in f["message"] for f in findings)


@pytest.mark.parametrize(
    "extension",
    ["pymdownx.snippets", "abbr", "  - pymdownx.snippets:\n      check_paths: true"],
    ids=["snippets", "abbr", "snippets-with-options"],
)
def test_an_extension_the_gate_does_not_render_with_is_refused(repo, extension):
    """The gate judges policy text as Redline's extensions render it. With
    `pymdownx.snippets` a version's `--8<-- "drafts/x.md"` put a file the gate never reads
    on the page, changed later without a new version or any notice; `abbr` reads
    `*[x]: <script>` as a definition where the gate sees raw HTML. Both in the build too."""
    item = extension if extension.startswith(" ") else f"  - {extension}"
    path = repo.path / "mkdocs.yml"
    path.write_text(path.read_text().replace("  - toc:\n", f"{item}\n  - toc:\n"))
    repo.write("drafts/x.md", "회사는 개인정보를 제3자에게 판매할 수 있습니다.\n")
    extra = '\n\n--8<-- "drafts/x.md"\n'
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra)
    code, findings = check(repo)
    (f,) = [f for f in findings if f["file"] == "mkdocs.yml"]
    assert code == 1 and f["rule"] == "R5"
    assert f["line"] and extension.split(":")[0].strip(" -") in f["message"]
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo.path,
        capture_output=True,
        text=True,
    )
    assert built.returncode != 0 and "Traceback" not in built.stderr


@pytest.mark.parametrize("title", ["개인정보 처리방침", "Q&A 방침"], ids=["plain", "ampersand"])
def test_a_policy_that_starts_with_its_own_title_and_a_table_break_passes(repo, title):
    """A real Korean policy: its own `# 제목` first (no id: the page's title) and `<br>` in
    a table cell. The rendered comparison counted the title on the page but not in the
    text, and refused it."""
    extra = "\n\n| 목적 | 근거 |\n|---|---|\n| 회원 관리<br>서비스 제공 | 계약 |"
    for rel in repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra):
        target = repo.path / rel
        meta, body = target.read_text().split("---\n\n", 1)
        target.write_text(f"{meta}---\n\n# {title}\n\n{body}")
    code, findings = check(repo, today="2024-08-01")
    assert code == 0, findings


def test_a_title_written_without_a_space_is_the_page_s_title_for_gate_and_build(repo):
    """`#개인정보 처리방침` (no space after `#`) is a level-1 heading to Python-Markdown and
    the page's title to the gate, but the page kept it as a second H1 under one of its
    own: with raw HTML in the text the build refused what `redline check` passed."""
    extra = "첫째<br>둘째"
    for rel in repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra):
        target = repo.path / rel
        meta, body = target.read_text().split("---\n\n", 1)
        target.write_text(f"{meta}---\n\n#개인정보 처리방침\n\n{body}")
    repo.commit("2024-07-01")
    code, findings = check(repo, today="2024-08-01")
    assert code == 0, findings
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "REDLINE_TODAY": "2024-08-01"},
    )
    assert built.returncode == 0, built.stderr[-2000:]


def test_two_files_for_one_version_in_one_language_are_refused(tmp_path):
    """On a one-language site `2024-09-01.ko.md` next to `2024-09-01.md` is the same version
    in the same language: the gate judged one and silently dropped the other, which an
    editor could be amending in the belief it is published."""
    repo = history(SiteRepo.create(tmp_path / "site", languages=("ko",)))
    (written,) = repo.version("privacy", "2024-09-01", change="minor", reason="r")
    repo.write(written.replace(".md", ".ko.md"), (repo.path / written).read_text())
    code, findings = check(repo)
    assert code == 1 and ("R5", written) in rules_on(findings)
    assert any(".ko.md` is already" in f["message"] for f in findings)


def test_history_imported_after_the_policy_is_published_cannot_take_effect(tmp_path):
    """A file dated before `adopted` is imported history, exempt from notice. Added later,
    after every version already announced, it became the text in force the day it was
    merged: no notice, effective in the past, and `redline check` passed."""
    repo = history(SiteRepo.create(tmp_path / "site", redline={"adopted": "2024-07-01"}))
    extra = "회사는 개인정보를 제3자에게 판매할 수 있습니다."
    repo.version("privacy", "2024-06-20", change="minor", reason="r", extra=extra)
    repo.commit("2024-08-01")
    code, findings = check(repo, today="2024-08-01")
    assert code == 1 and ("R3", "policies/privacy/2024-06-20.md") in rules_on(findings)
    # Added below the published versions, it governs nothing today: allowed, as before.
    repo = history(SiteRepo.create(tmp_path / "other", redline={"adopted": "2024-07-01"}))
    repo.version("privacy", "2024-04-01", change="minor", reason="r", extra=extra)
    repo.commit("2024-08-01")
    code, findings = check(repo, today="2024-08-01")
    assert code == 0, findings


def test_a_list_nested_deeper_than_any_page_can_build_is_refused(repo):
    """Python-Markdown gives up on a list nested ~250 levels deep (RecursionError): `check`
    passed such a text and `mkdocs build` died with a traceback on the version page."""
    deep = "\n".join(" " * (4 * i) + f"- 항목 {i}" for i in range(300))
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{deep}\n")
    code, findings = check(repo)
    path = "policies/privacy/2024-09-01.md"
    nested = [f for f in findings if "nested" in f["message"] and f["file"] == path]
    assert code == 1 and len(nested) == 1 and nested[0]["rule"] == "R5", findings
    line = (repo.path / path).read_text().splitlines()[nested[0]["line"] - 1]
    assert line.startswith(" " * 132 + "- 항목 33"), line
    built = repo.build(TODAY)
    assert built.returncode != 0 and "nested more than 32 levels" in built.stderr
    assert "Traceback" not in built.stderr and "RecursionError" not in built.stderr


def test_a_real_policy_s_nesting_passes(repo):
    """제N조 > ① > 1. > 가. > (1): the deepest a real policy goes, with room to spare."""
    levels = ["① 항", "1. 호", "가. 목", "(1) 세목", "(가) 세세목", "a. 더", "i. 더 깊이", "- 끝"]
    deep = "\n".join(" " * (4 * i) + ("- " if i else "") + t for i, t in enumerate(levels))
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{deep}\n")
    assert check(repo)[0] == 0


@pytest.mark.parametrize(
    "html",
    [
        "</td></tr></table>",  # closes the theme's elements: the rest of the page moves
        "</div></article>",
        "<table><tr><td>열린 표",  # never closed: the theme's footer ends up inside it
        "이 문단의 <u>밑줄은 끝나지 않습니다",  # a browser carries it on over the whole page
    ],
    ids=["stray-table-ends", "stray-div-ends", "unclosed-table", "unclosed-inline"],
)
def test_markup_that_closes_or_leaves_open_the_page_s_elements_is_refused(repo, html):
    """Raw HTML in a policy may hold only whole elements of the allowlist: an end tag with no
    start in the text closes the theme's own elements, an element left open swallows them."""
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{html}\n")
    code, findings = check(repo)
    assert code == 1 and any(
        f["rule"] == "R5" and ("closes" in f["message"] or "open" in f["message"]) for f in findings
    ), findings


def test_a_whole_raw_html_table_with_optional_end_tags_passes(repo):
    """HTML lets `</td>`, `</tr>`, `</li>`, `</p>` be left out; a table a legal team pastes
    that way is whole, and passes."""
    table = "<table>\n<tr><th>수탁자<th>위탁 업무\n<tr><td>주식회사 예시<td>배송<br>반품\n</table>"
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{table}\n")
    assert check(repo)[0] == 0, check(repo)[1]


@pytest.mark.parametrize("depth", [40, 1000])
def test_elements_nested_deeper_than_any_page_can_build_are_refused(repo, depth):
    """`<div markdown>` a thousand deep made the gate's own rendering give up (a traceback);
    forty deep rendered, and would fail in the build's deeper stack sooner or later."""
    nested = '<div markdown="1">\n' * depth + "본문\n" + "</div>\n" * depth
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=f"\n\n{nested}")
    result = run(repo, "check", "--format", "json", today=TODAY)
    assert result.code == 1 and "Traceback" not in result.text, result.text
    messages = [f["message"] for f in json.loads(result.out)["findings"] if f["rule"] == "R5"]
    assert any("nested more than 32 levels" in m for m in messages), messages


def test_a_link_address_defined_in_another_section_is_refused(repo):
    """`[보유 기간표][p]` in the material `retention` section, `[p]: https://...` in another:
    changing only the definition moved the material section's link while R2 saw that section
    unchanged. A link's address must stand where the link does."""
    repo.version(
        "privacy",
        "2024-09-01",
        change="minor",
        reason="r",
        extra="\n\n[보유 기간표][p]\n\n[p]: https://example.kr/retention-table\n",
    )
    code, findings = check(repo)
    path = "policies/privacy/2024-09-01.md"
    refused = [f for f in findings if f["file"] == path and "[p]:" in f["message"]]
    assert code == 1 and len(refused) == 1 and refused[0]["rule"] == "R5", findings
    lines = (repo.path / path).read_text().splitlines()
    assert lines[refused[0]["line"] - 1].startswith("[p]: https://"), refused
    assert "[text](https://" in refused[0]["fix"]


def test_text_that_only_looks_like_a_link_definition_passes(repo):
    """`[참고]: ...` is no definition to Python-Markdown (the page shows it): not refused."""
    extra = "\n\n[참고]: 이 조항은 예시입니다.\n\n```\n[x]: https://example.kr/\n```\n"
    repo.version("privacy", "2024-09-01", change="minor", reason="r", extra=extra)
    assert check(repo)[0] == 0, check(repo)[1]


def test_a_policy_renamed_to_dodge_notice_is_refused(repo):
    """Move `privacy/` to `privacy-policy/` and change its text: the new folder's first version
    is exempt from notice (a new policy), so a new text took effect at once with no notice,
    and the versions in force left the archive (R3 only warned)."""
    (repo.path / "policies/privacy").rename(repo.path / "policies/privacy-policy")
    for path in (repo.path / "policies/privacy-policy").glob("2024-06-01*.md"):
        path.write_text(path.read_text() + "\n제3자 제공을 시작합니다.\n")
    code, findings = check(repo)
    refused = [(f["rule"], f["severity"]) for f in findings if f["file"] == "policies/privacy"]
    assert code == 1 and refused == [("R3", "error")], findings


# A build run in this process (pid known), with a folder planted where Redline used to stage:
# TMPDIR/redline-<sha1(config:pid)[:12]>, whose docs/ links to a folder of the planter's.
PLANTED_BUILD = """
import hashlib, os, sys
from pathlib import Path
from mkdocs.__main__ import cli
config = os.path.abspath("mkdocs.yml")
key = hashlib.sha1(f"{config}:{os.getpid()}".encode()).hexdigest()[:12]
planted = Path(os.environ["TMPDIR"]) / f"redline-{key}"
planted.mkdir()
(planted / "docs").symlink_to(sys.argv[1], target_is_directory=True)
(planted / "note.txt").write_text("the planter's", encoding="utf-8")
sys.argv = ["mkdocs", "build", "--strict", "-d", "site"]
cli()
"""


def test_a_folder_planted_at_the_staging_path_gets_no_page_and_stops_nothing(repo, tmp_path):
    """The staged pages went to a folder whose name anyone could work out (the config's path
    and the pid), in a temporary directory others write to (/tmp, /dev/shm): a folder
    planted there (a link in it, swapped in between the writes) took the pages where its
    planter chose, or the build stopped on it, and the build then removed it whole."""
    temp, theirs = tmp_path / "tmp", tmp_path / "theirs"
    temp.mkdir()
    theirs.mkdir()
    built = subprocess.run(
        [sys.executable, "-c", PLANTED_BUILD, str(theirs)],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temp), "REDLINE_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    assert (repo.path / "site" / "privacy" / "index.html").is_file()
    assert list(theirs.iterdir()) == []  # no page written through the planted link
    (planted,) = temp.glob("redline-*")  # left as it was, not removed with Redline's own
    assert (planted / "note.txt").read_text(encoding="utf-8") == "the planter's"


def test_a_site_url_with_markup_is_refused_by_the_gate_and_the_build(repo):
    """MkDocs' themes print site_url into every page unescaped (the canonical link, and
    Redline's printed address): `"><script>` there ran on every page of the site."""
    config = repo.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    hostile = "site_url: 'https://example.test/\"><script>alert(1)</script>/'\n"
    config.write_text(text.replace("site_url: https://example.test/\n", hostile), encoding="utf-8")
    result = run_process(repo, "check", today=TODAY)
    assert result.code == 2 and "site_url" in result.err and "fix:" in result.err, result.text
    built = repo.build(TODAY)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert not (repo.path / "site" / "index.html").exists()
