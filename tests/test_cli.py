"""The `redline` command: every subcommand, every output format, exit codes and help."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import history, run, run_process, snapshot
from sitekit import SiteRepo

from redline.findings import WARNING, Finding
from redline.report import annotation

TODAY = "2024-07-01"
COMMANDS = ["check", "new", "status", "in-force", "diff", "notice"]


@pytest.fixture
def repo(site_repo) -> SiteRepo:
    return history(site_repo)


def amend(repo: SiteRepo, effective="2024-09-01", change="material", retention=True) -> SiteRepo:
    """A pull request on branch `amend`: a new version that adds a retention period."""
    repo.git("checkout", "-q", "-b", "amend")
    for rel in repo.version("privacy", effective, change=change, reason="보유 기간 추가"):
        if retention:
            path = repo.path / rel
            path.write_text(
                path.read_text()
                .replace("- 법령이 정한 기간", "- 법령이 정한 기간\n- 3년")
                .replace("- For the periods set by law", "- For the periods set by law\n- 3 years")
            )
    repo.commit("2024-06-30", "amend privacy")
    return repo


# --- the command itself -------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command, capsys):
    from redline.cli import main

    assert main([command, "--help"] if command else ["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: redline")
    assert "--config-file" in out


def test_usage_errors_exit_2_without_traceback(repo):
    for args in ([], ["bogus"], ["check", "--format", "xml"], ["new", "privacy"], ["in-force"]):
        result = run(repo, *args)
        assert result.code == 2, args
        assert "Traceback" not in result.text and "usage:" in result.err


def test_closed_output_streams(repo):
    def closed(stream: str, *args: str) -> subprocess.CompletedProcess:
        command = f'exec "$0" -m redline "$@" {stream}>&-'
        return subprocess.run(
            ["sh", "-c", command, sys.executable, *args],
            cwd=repo.path,
            capture_output=True,
            text=True,
            env={**os.environ, "REDLINE_TODAY": TODAY},
        )

    no_out = closed("1", "status")
    assert no_out.returncode == 2
    assert "standard output is closed" in no_out.stderr and "internal error" not in no_out.stderr
    assert closed("2", "diff", "nope").returncode == 2  # the usage error, said nowhere
    assert closed("2", "check").returncode == 0


@pytest.mark.parametrize("args", [("status",), ("diff", "privacy"), ("init", "--help")])
def test_an_output_encoding_without_korean_is_a_message(repo, args):
    proc = repo.redline(*args, today=TODAY, env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "standard output: error: usage: its encoding, ascii, cannot show" in proc.stderr
    assert "PYTHONIOENCODING=utf-8" in proc.stderr


def test_python_m_redline_and_the_installed_script(repo):
    result = run_process(repo, "check", today=TODAY)  # python -m redline, mkdocs.yml from cwd
    assert result.code == 0 and "redline check passed" in result.out
    script = Path(sys.executable).parent / "redline"
    proc = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "in-force" in proc.stdout


def test_config_file_anywhere_and_missing(repo, tmp_path):
    from redline.cli import main

    config = str(repo.path / "mkdocs.yml")
    os.environ["REDLINE_TODAY"] = TODAY
    try:
        assert main(["--config-file", config, "check"]) == 0
        assert main(["check", "--config-file", config]) == 0
    finally:
        del os.environ["REDLINE_TODAY"]
    result = run(tmp_path, "check")  # no mkdocs.yml there
    assert result.code == 2 and "no mkdocs.yml here" in result.err and "--config-file" in result.err


# --- check --------------------------------------------------------------------------------


def test_check_text_lists_errors_first_then_warnings(repo):
    terms = repo.version("terms", "2024-07-20", title="이용약관")
    path = repo.path / terms[0]  # a new policy saved with CRLF line endings: a warning
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    repo.version("privacy", "2024-07-03", change="minor", reason="r", extra="a")
    result = run(repo, "check", today=TODAY)
    assert result.code == 1
    lines = result.out.splitlines()
    assert (
        lines[0]
        == "redline check blocked: 1 error, 1 warning (as of 2024-07-01, as published on main)"
    ), result.text
    error = lines.index(next(x for x in lines if ": error: R1" in x))
    warning = lines.index(next(x for x in lines if ": warning: R5" in x))
    assert error < warning


def test_pull_request_that_passes_reports_what_it_needs(repo):
    amend(repo)
    result = run(repo, "check", "--base", "main", today=TODAY)
    assert result.code == 0, result.text
    assert "redline check passed (as of 2024-07-01, pull request against main)" in result.out
    assert (
        "privacy 2024-09-01 (version 3): material change, needs 30 days' notice; earliest "
        "lawful effective date if merged today 2024-07-31; merge by 2024-08-02 (32 days left) "
        "to keep 2024-09-01"
    ) in result.out


def test_check_json(repo):
    amend(repo, effective="2024-07-20")
    result = run(repo, "check", "--base", "main", "--format", "json", today=TODAY)
    assert result.code == 1
    data = json.loads(result.out)
    assert data["ok"] is False and data["base"] == "main" and data["today"] == TODAY
    (f,) = data["findings"]
    assert f["rule"] == "R1" and f["file"] == "policies/privacy/2024-07-20.md" and f["line"] == 3
    (v,) = data["changed_versions"]
    assert v == {
        "policy": "privacy",
        "version": 3,
        "effective": "2024-07-20",
        "change": "material",
        "reason": "보유 기간 추가",
        "announced": TODAY,
        "pending": True,
        "notice_days": 30,
        "earliest_lawful": "2024-07-31",
        "merge_by": "2024-06-20",
        "lawful": False,
        "files": ["policies/privacy/2024-07-20.md", "policies/privacy/2024-07-20.en.md"],
    }


def test_github_annotations_and_job_summary(repo, tmp_path):
    amend(repo, change="minor")  # touches `retention`: R2
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = run(
        repo,
        "check",
        "--base",
        "main",
        "--format",
        "github",
        today=TODAY,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.code == 1
    first = result.out.splitlines()[0]
    assert first.startswith(
        "::error file=policies/privacy/2024-09-01.md,line=3,title=Redline R2 materiality floor::"
        "the amendment changes material section(s) retention"
    )
    assert "%0Afix: write `change: material`" in first
    assert (
        "::notice file=policies/privacy/2024-09-01.md,title=Redline%3A privacy 2024-09-01::"
        in result.out
    )
    # Issue 14: for the reviewers, in the site's default language (Korean here), every
    # language's before/after comparison as a table, folded, the authoritative one open.
    md = summary.read_text()
    assert md.startswith(
        "earlier step\n# ❌ Redline 검사 차단: 오류 1건 (2024년 7월 1일 기준, main에 대한 pull request)"
    )
    assert "| ❌ 오류 | R2 materiality floor | `policies/privacy/2024-09-01.md:3` |" in md
    assert "## 개인정보 처리방침: 버전 3, 2024년 9월 1일 시행" in md
    assert "- 병합 기한: **2024-08-25까지 (55일 남음)**" in md
    assert "### 버전 2(2024년 6월 1일 시행)과 비교한 변경 내용" in md
    assert "<details open><summary>한국어: 변경된 조항 2개</summary>" in md
    assert "<details><summary>영어: 변경된 조항 2개</summary>" in md
    assert '<table class="redline-compare">' in md and "중요 조항" in md
    assert "<ins>3년</ins>" in md and "<ins>3 years</ins>" in md


def test_github_annotation_escaping():
    f = Finding("R5", "a,b:c%.md", "100% wrong\r\nsecond line", "fix, it: now", 7)
    assert annotation(f) == (
        "::error file=a%2Cb%3Ac%25.md,line=7,title=Redline R5 valid input::"
        "100%25 wrong%0D%0Asecond line%0Afix: fix, it: now"
    )
    w = Finding("R3", "policies/terms", "retired", "ok", severity=WARNING)
    assert annotation(w, "site/").startswith("::warning file=site/policies/terms,title=")


def test_github_format_when_the_check_cannot_run(repo, tmp_path):
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    summary = tmp_path / "summary.md"
    result = run(
        clone, "check", "--format", "github", today=TODAY, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.code == 2
    assert result.out.startswith("::error file=")
    assert "fetch-depth: 0" in result.out and "fetch-depth: 0" in summary.read_text()


def test_job_summary_shows_control_characters_of_front_matter(repo, tmp_path):
    # YAML escapes put them into a title or reason with none in the file's bytes.
    amend(repo)
    path = repo.path / "policies/privacy/2024-09-01.md"
    hostile = (
        path.read_text()
        .replace("title: 개인정보 처리방침", 'title: "처리\\u202e방침"')
        .replace("reason: 보유 기간 추가", 'reason: "보유 \\e[2J기간"')
    )
    path.write_text(hostile)
    repo.commit("2024-06-30", "hostile front matter")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    run(repo, "check", "--base", "main", "--format", "github", today=TODAY, env=env)
    md = summary.read_text()
    assert "\u202e" not in md and "\x1b" not in md
    assert "처리⟨U+202E⟩방침" in md and "보유 ␛\\[2J기간" in md


# --- new ----------------------------------------------------------------------------------


def test_new_writes_every_language_from_the_latest_version(repo):
    path = repo.path / "policies/privacy/2024-06-01.md"
    path.write_text(path.read_text().replace("reason:", "summary: [한 줄]\nreason:"))
    repo.commit("2024-05-02")  # before it took effect: allowed
    result = run(
        repo,
        "new",
        "privacy",
        "--effective",
        "2024-09-01",
        "--change",
        "material",
        "--reason",
        "보유 기간: 3년 추가",
        today=TODAY,
        writes=True,
    )
    assert result.code == 0, result.text
    ko = (repo.path / "policies/privacy/2024-09-01.md").read_text()
    en = (repo.path / "policies/privacy/2024-09-01.en.md").read_text()
    assert ko.startswith(
        "---\ntitle: 개인정보 처리방침\nchange: material\nreason: '보유 기간: 3년 추가'\n---\n\n"
    )
    assert en.startswith("---\ntitle: Privacy Policy\nchange: material\nreason: 'TODO: translate:")
    assert "summary" not in ko
    assert ko.endswith(
        "연락처를 바꿉니다.\n\n## 2. 처리하는 개인정보 항목 {#collected-items}\n"
        "\n| 구분 | 항목 |\n|---|---|\n| 회원 가입 | 이메일, 비밀번호 |\n\n"
        "## 3. 보유 기간 {#retention}\n\n- 회원 탈퇴 시까지\n- 법령이 정한 기간\n"
    )
    assert "policies/privacy/2024-09-01.md  (copied from 2024-06-01.md)" in result.out
    assert "minor:     2024-07-08" in result.out and "material:  2024-07-31" in result.out
    assert "warning" not in result.err


def test_new_warns_when_the_date_is_too_early(repo):
    result = run(repo, "new", "privacy", "--effective", "2024-07-20", today=TODAY, writes=True)
    assert result.code == 0
    assert (
        "warning: 2024-07-20 is too early for a material change announced today (earliest 2024-07-31)"
        in result.err
    )
    assert "minor change" not in result.err
    result = run(
        repo,
        "new",
        "privacy",
        "--effective",
        "2024-07-05",
        "--change",
        "minor",
        today=TODAY,
        writes=True,
    )
    assert "too early for a minor change announced today (earliest 2024-07-08)" in result.err


def test_new_never_overwrites(repo):
    repo.version("privacy", "2024-09-01", change="minor", reason="mine", langs=("en",))
    before = snapshot(repo.path)
    result = run(repo, "new", "privacy", "--effective", "2024-09-01", today=TODAY)
    assert result.code == 2
    assert (
        "version 2024-09-01 of `privacy` already exists (policies/privacy/2024-09-01.en.md)"
        in result.err
    )
    assert "never overwrites" in result.err
    assert snapshot(repo.path) == before  # not even the missing ko file was written


def test_new_refuses_a_reason_with_a_control_character(repo):
    # Written into YAML as an escape ("\\e"), it would pass the gate's byte check unseen.
    args = ("new", "privacy", "--effective", "2024-09-01", "--reason", "a\x1b[2Jb")
    result = run(repo, *args, today=TODAY)
    assert result.code == 2
    assert "--reason: error: usage: --reason holds a control character" in result.err


def test_new_refuses_a_policy_without_versions(repo):
    result = run(repo, "new", "cookies", "--effective", "2024-09-01", today=TODAY)
    assert result.code == 2
    assert (
        "there is no policy `cookies` with a version yet (no folder `policies/cookies`)"
        in result.err
    )
    assert "`policies/cookies/2024-09-01.md`, `policies/cookies/2024-09-01.en.md`" in result.err
    result = run(repo, "new", "privacy", "--effective", "2024-01-01", today=TODAY)
    assert result.code == 2
    assert (
        "version 2024-01-01 would come before version 2024-06-01, which is already announced"
        in result.err
    )
    result = run(repo, "new", "privacy", "--effective", "2024-02-30", today=TODAY)
    assert result.code == 2 and "'2024-02-30' is not a date" in result.err


def test_new_builds_on_the_latest_announced_version_and_never_before_it(repo):
    repo.version("privacy", "2024-12-01", change="minor", reason="r", extra="먼 미래.")
    repo.commit("2024-06-15")
    # Before an announced version: refused (it would renumber it and rewrite its comparison).
    result = run(repo, "new", "privacy", "--effective", "2024-08-01", today=TODAY)
    assert result.code == 2 and "already announced" in result.err
    assert not (repo.path / "policies/privacy/2024-08-01.md").exists()
    # After it: built on the latest announced version, not on the version in force.
    run(repo, "new", "privacy", "--effective", "2025-01-15", today=TODAY, writes=True)
    text = (repo.path / "policies/privacy/2025-01-15.md").read_text()
    assert "먼 미래." in text


def test_new_on_a_single_language_site(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", languages=("en",))
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    result = run(
        repo,
        "new",
        "privacy",
        "--effective",
        "2024-09-01",
        "--reason",
        "r",
        today=TODAY,
        writes=True,
    )
    assert result.code == 0
    assert sorted(p.name for p in (repo.path / "policies/privacy").iterdir()) == [
        "2024-03-01.md",
        "2024-09-01.md",
    ]
    assert "reason: r\n" in (repo.path / "policies/privacy/2024-09-01.md").read_text()


# --- status -------------------------------------------------------------------------------


def test_status(repo):
    repo.version("privacy", "2024-09-01", change="material", reason="r", extra="b")
    repo.commit("2024-06-20")
    repo.version("privacy", "2024-07-03", change="minor", reason="r", extra="a")  # a draft
    result = run(repo, "status", today=TODAY)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "Policies as of 2024-07-01 (policies/)"
    assert lines[2] == "privacy: 개인정보 처리방침"
    rows = [" ".join(line.split()) for line in lines[3:7]]
    assert rows == [
        "VERSION EFFECTIVE ANNOUNCED CLASS STATUS",
        "2 2024-06-01 2024-05-01 minor in force",
        "3 2024-07-03 today, not merged minor draft: takes effect in 2 days if merged today",
        "4 2024-09-01 2024-06-20 material announced: takes effect in 62 days",
    ]
    assert "  gate: BLOCKED, 2 errors" in lines
    assert any("R1 notice window" in line for line in lines)
    # The draft also comes before an announced version (issue 12: R3 refuses that).
    assert any("R3 frozen history" in line and "2024-07-03" in line for line in lines)


def test_status_shows_a_carriage_return_in_a_title(repo):
    # A YAML escape; on a terminal the rest of the title would write over its start.
    path = repo.path / "policies/privacy/2024-06-01.md"
    path.write_text(path.read_text().replace("title: 개인정보 처리방침", 'title: "Real\\rFake"'))
    result = run(repo, "status", today=TODAY)
    assert "privacy: Real␍Fake" in result.out and "\r" not in result.out


def test_status_when_all_is_well(repo):
    result = run(repo, "status", "--today", "2024-05-15")
    assert result.code == 0
    assert "announced: takes effect in 17 days" in result.out and "gate: ok" in result.out


# --- in-force -----------------------------------------------------------------------------


def test_in_force(repo):
    result = run(repo, "in-force", "privacy", "2024-05-31", today=TODAY)
    assert result.code == 0
    assert result.out == (
        "privacy on 2024-05-31: version 1, in force from 2024-03-01 until 2024-05-31\n"
        "policies/privacy/2024-03-01.md\n"
    )
    result = run(repo, "in-force", "privacy", "2024-06-01", "--lang", "en", today=TODAY)
    assert result.out.splitlines() == [
        "privacy on 2024-06-01: version 2, in force from 2024-06-01",
        "policies/privacy/2024-06-01.en.md",
    ]


def test_in_force_answers_with_what_is_known_today(repo):
    repo.version("privacy", "2024-09-01", change="material", reason="r", extra="b")
    repo.commit("2024-07-15")
    result = run(repo, "in-force", "privacy", "2024-07-10", today="2024-07-20")
    # v3 was announced after 7-10 but is known today: v2 governed on 7-10, until v3 took over.
    assert "version 2, in force from 2024-06-01 until 2024-08-31\n" in result.out
    result = run(repo, "in-force", "privacy", "2024-07-10", today="2024-07-12")
    assert "version 2, in force from 2024-06-01\n" in result.out  # v3 not announced yet


def test_in_force_knows_imported_history(tmp_path):
    imported = SiteRepo.create(tmp_path / "imported", redline={"adopted": "2026-01-01"})
    imported.version("privacy", "2024-03-01")
    imported.version("privacy", "2025-01-15", change="material", reason="r", extra="b")
    imported.commit("2025-12-20")  # added to the repository long after both took effect
    result = run(imported, "in-force", "privacy", "2024-06-01", today="2026-01-10")
    assert result.code == 0
    assert "version 1, in force from 2024-03-01 until 2025-01-14" in result.out


def test_in_force_errors(repo):
    result = run(repo, "in-force", "privacy", "2024-02-01", today=TODAY)
    assert result.code == 1
    assert "no version of `privacy` was in force on 2024-02-01" in result.err
    assert run(repo, "in-force", "nope", "2024-05-01", today=TODAY).code == 2
    result = run(repo, "in-force", "privacy", "2024-05-01", "--lang", "fr", today=TODAY)
    assert result.code == 2 and "`fr` is not one of the site's languages" in result.err


# --- diff ---------------------------------------------------------------------------------


def test_diff_formats(repo):
    amend(repo)
    text = run(repo, "diff", "privacy", today=TODAY)
    assert text.code == 0
    assert text.out.startswith("privacy: version 2 (2024-06-01) -> version 3 (2024-09-01), ko\n")
    assert "{+3년+}" in text.out and "\x1b[" not in text.out  # not a terminal: no colour
    old = run(repo, "diff", "privacy", "2024-03-01", "2024-06-01", "--lang", "en", today=TODAY)
    assert "version 1 (2024-03-01) -> version 2 (2024-06-01), en" in old.out
    assert "{+ 연락처를 바꿉니다.+}" in old.out
    md = run(repo, "diff", "privacy", "2024-03-01", "--format", "markdown", today=TODAY)
    assert md.out.startswith("## privacy: version 1 (2024-03-01) → version 3 (2024-09-01)")
    assert "(material)" in md.out and "<ins>" in md.out
    html = run(repo, "diff", "privacy", "--format", "html", today=TODAY)
    assert html.out.startswith('<div class="redline-diff">') and "<ins>3년</ins>" in html.out


def test_diff_of_a_renumbering_only_says_so(repo):
    """A section whose only change is its number is listed nowhere, but the text did change:
    `redline diff` says which, rather than "No change in the text"."""
    v2 = {"extra": "연락처를 바꿉니다."}  # version 2's text (clikit.history), renumbered
    for rel in repo.version("privacy", "2024-09-01", change="minor", reason="번호 정리", **v2):
        path = repo.path / rel
        path.write_text(path.read_text().replace("## 3. ", "## 4. "))
    repo.commit("2024-06-30")
    for fmt in ("text", "markdown"):
        out = run(repo, "diff", "privacy", "--format", fmt, today=TODAY).out
        assert "Only section numbers changed" in out and "No change" not in out, out
    same = run(repo, "diff", "privacy", "2024-03-01", "2024-03-01", today=TODAY)
    assert same.code == 2 or "No change in the text." in same.out, same.text


def test_diff_is_coloured_on_a_terminal(repo):
    amend(repo)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "redline", "diff", "privacy"],
        cwd=repo.path,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "REDLINE_TODAY": TODAY},
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait() == 0
    os.close(master)
    assert b"\x1b[4;32m3" in out  # inserted text underlined in green


def test_diff_errors(repo):
    result = run(repo, "diff", "privacy", "2024-03-02", today=TODAY)
    assert (
        result.code == 2 and "use one of its effective dates: 2024-03-01, 2024-06-01" in result.err
    )
    result = run(repo, "diff", "privacy", "2024-06-01", "2024-06-01", today=TODAY)
    assert result.code == 2 and "the same version" in result.err


def test_diff_refuses_a_language_a_version_lacks(repo):
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("ko",))
    result = run(repo, "diff", "privacy", "--lang", "en", today=TODAY)
    assert result.code == 2
    assert "version 3 of `privacy` (2024-09-01) has no en text to compare" in result.err
    assert result.out == ""  # not the English text against the Korean one


# --- nothing is ever modified -------------------------------------------------------------


def test_read_only_commands_leave_a_broken_repository_untouched(repo):
    repo.write("policies/privacy/2024-02-30.md", "---\ntitle: [x\n---\n")
    repo.write("policies/privacy/2024-09-01.md", b"\xef\xbb\xbf---\r\ntitle: t\r\n---\r\n")
    (repo.path / "policies/privacy/2024-03-01.en.md").write_text("edited")
    for args in (
        ["check"],
        ["check", "--base", "main", "--format", "github"],
        ["check", "--format", "json"],
        ["status"],
        ["in-force", "privacy", "2024-06-15"],
        ["diff", "privacy", "2024-03-01", "2024-06-01"],
        ["diff", "privacy", "2024-03-01", "2024-06-01", "--format", "html"],
    ):
        result = run(repo, *args, today=TODAY)  # run() asserts the tree is unchanged
        assert "Traceback" not in result.text


def test_changed_versions_leave_out_edits_of_frozen_history(repo):
    repo.git("checkout", "-q", "-b", "amend")
    repo.version("terms", "2024-07-10", title="이용약관")  # a new policy: no notice needed
    repo.commit("2024-06-30")
    path = repo.path / "policies/privacy/2024-03-01.md"
    path.write_text(path.read_text().replace("회원 관리", "회원 관리(고침)"))  # R3, no deadline
    result = run(repo, "check", "--base", "main", "--format", "json", today=TODAY)
    data = json.loads(result.out)
    assert [f["rule"] for f in data["findings"]] == ["R3"]
    (v,) = data["changed_versions"]
    assert (v["policy"], v["version"], v["notice_days"]) == ("terms", 1, 0)
    text = run(repo, "check", "--base", "main", today=TODAY).out
    assert (
        "terms 2024-07-10 (version 1): the policy's first version, no notice period applies" in text
    )
