"""Every kind of bad input an editor can produce, through the real `redline check` command.

Each case must give one clear message naming the file (and line where there is one), the
rule and the fix; every run also asserts that the command left the user's files untouched
(see clikit.run). Each test fails if the rule that catches its case is removed.
"""

from __future__ import annotations

import json
import shutil

import pytest
from clikit import history, run, run_process
from sitekit import SiteRepo

from redline.sources import CONTROL

TODAY = "2024-07-01"


def findings(repo, *args, today=TODAY, code=1):
    """`redline check --format json`: the findings, after checking the exit code."""
    result = run(repo, "check", "--format", "json", *args, today=today)
    assert result.code == code, result.text
    return json.loads(result.out)["findings"]


def one(repo, rule, path, line=None, *args, today=TODAY):
    """Exactly one finding, an error of `rule` on `path`:`line`; also checks the text form."""
    found = findings(repo, *args, today=today)
    assert len(found) == 1, found
    (f,) = found
    assert (f["rule"], f["severity"], f["file"], f["line"]) == (rule, "error", path, line), f
    assert f["message"] and f["fix"]
    text = run(repo, "check", *args, today=today)
    location = f"{path}:{line}" if line else path
    assert f"{location}: error: {f['title']}: {f['message']}\n    fix: {f['fix']}" in text.out
    assert text.code == 1
    return f


def front(**meta) -> str:
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n\n본문\n"


@pytest.fixture
def repo(site_repo) -> SiteRepo:
    return history(site_repo)


def test_clean_history_passes(repo):
    result = run(repo, "check", today=TODAY)
    assert result.code == 0 and "redline check passed" in result.out


# --- front matter -------------------------------------------------------------------------


def test_unparsable_front_matter(repo):
    repo.write(
        "policies/privacy/2024-09-01.md",
        "---\ntitle: 개인정보 처리방침\nchange: minor\nreason: 보유 기간: 1년\n---\n\n본문\n",
    )
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    f = one(repo, "R5", "policies/privacy/2024-09-01.md", 4)
    assert "the front matter is not valid YAML" in f["message"]
    assert "quote values that contain a colon" in f["fix"]


def test_unclosed_bracket_points_at_the_line_it_opened(repo):
    repo.write(
        "policies/privacy/2024-09-01.md",
        "---\ntitle: t\nchange: minor\nsummary: [a, b\nreason: r\n---\n\n본문\n",
    )
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    f = one(repo, "R5", "policies/privacy/2024-09-01.md", 5)
    assert "flow sequence that starts at line 4" in f["message"]


def test_missing_title(repo):
    repo.write("policies/privacy/2024-09-01.md", front(change="minor", reason="r"))
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    f = one(repo, "R5", "policies/privacy/2024-09-01.md", 2)
    assert "`title` is missing" in f["message"] and "add `title: ...`" in f["fix"]


def test_unknown_key(repo):
    repo.write(
        "policies/privacy/2024-09-01.md",
        front(title="t", change="minor", reason="r", effective="2024-09-01"),
    )
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    f = one(repo, "R5", "policies/privacy/2024-09-01.md", 5)
    assert "unknown front matter key `effective`" in f["message"]
    assert (
        "allowed: announced, approved_by, approved_on, change, description, reason, summary, title"
        in f["fix"]
    )


def test_keys_that_are_not_text_are_unknown_keys(repo):
    """`1:` and `null:` are keys of other types, which could not be sorted together."""
    text = front(title="t", change="minor", reason="r").replace("---\n\n", "1: a\nnull: b\n---\n\n")
    repo.write("policies/privacy/2024-09-01.md", text)
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    found = findings(repo)
    assert [f["rule"] for f in found] == ["R5", "R5"], found
    assert {f["message"] for f in found} == {
        "unknown front matter key `1`",
        "unknown front matter key `None`",
    }


def test_unknown_change_value(repo):
    repo.write("policies/privacy/2024-09-01.md", front(title="t", change="major", reason="r"))
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    f = one(repo, "R5", "policies/privacy/2024-09-01.md", 3)
    assert "`change: major` is not a known class" in f["message"]
    assert "`change: minor` or `change: material`" in f["fix"]


def test_placeholders_of_redline_new_are_rejected(repo):
    result = run(repo, "new", "privacy", "--effective", "2024-09-01", today=TODAY, writes=True)
    assert result.code == 0, result.text
    found = findings(repo)
    assert sorted((f["rule"], f["file"], f["line"]) for f in found) == [
        ("R4", "policies/privacy/2024-09-01.en.md", 3),  # change: empty in the translation too
        ("R5", "policies/privacy/2024-09-01.en.md", 4),  # reason: TODO
        ("R5", "policies/privacy/2024-09-01.md", 3),  # change: empty
        ("R5", "policies/privacy/2024-09-01.md", 4),  # reason: TODO
    ]
    assert any("placeholder written by `redline new`" in f["message"] for f in found)
    for rel, reason in [
        ("2024-09-01.md", "전화번호 변경"),
        ("2024-09-01.en.md", "New phone number"),
    ]:
        path = repo.path / "policies/privacy" / rel
        text = path.read_text().replace("change:  #", "change: minor  #")
        path.write_text(text.replace("'TODO: why the policy changes, in this language'", reason))
    assert findings(repo, code=0) == []


# --- file names ---------------------------------------------------------------------------


def test_impossible_date_in_file_name(repo):
    repo.write("policies/privacy/2025-02-30.md", front(title="t", change="minor", reason="r"))
    f = one(repo, "R5", "policies/privacy/2025-02-30.md")
    assert "2025-02-30 in the file name is not a real date" in f["message"]
    assert "rename the file" in f["fix"]


def test_file_name_not_a_date(repo):
    repo.write("policies/privacy/latest.md", front(title="t"))
    f = one(repo, "R5", "policies/privacy/latest.md")
    assert "not a version name" in f["message"] and "e.g. `2027-01-15.md`" in f["fix"]


def test_policy_folder_without_versions(tmp_path):
    policies = {"privacy": {"material_sections": ["retention"]}, "cookies": {}}
    repo = history(SiteRepo.create(tmp_path / "s", redline={"policies": policies}))
    repo.write("policies/cookies/README.txt", "drafts go here")
    f, readme = findings(repo)
    assert (f["rule"], f["file"]) == ("R5", "policies/cookies")
    assert "policy folder `cookies` has no version files" in f["message"]
    assert "redline new cookies --effective" in f["fix"]
    # Anything else in a policy folder would be published without the gate (issue 12).
    assert (readme["rule"], readme["file"]) == ("R5", "policies/cookies/README.txt")


# --- translations -------------------------------------------------------------------------


def test_translation_missing(repo):
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("ko",))
    f = one(repo, "R4", "policies/privacy/2024-09-01.en.md")
    assert "has no `en` text" in f["message"]
    assert "add `policies/privacy/2024-09-01.en.md`" in f["fix"]


def test_translation_with_a_different_class(repo):
    repo.version("privacy", "2024-09-01", change="material", reason="r", langs=("ko",))
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("en",))
    f = one(repo, "R4", "policies/privacy/2024-09-01.en.md", 3)
    assert "`change: minor` differs from `change: material`" in f["message"]


def test_translation_without_reason(repo):
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("ko",))
    repo.version("privacy", "2024-09-01", change="minor", langs=("en",))
    f = one(repo, "R4", "policies/privacy/2024-09-01.en.md", 2)
    assert "the translation has no `reason`" in f["message"]
    assert "policies/privacy/2024-09-01.md" in f["fix"]


# --- dates and history --------------------------------------------------------------------


def test_version_effective_before_it_was_announced(repo):
    repo.version("privacy", "2024-06-20", change="minor", reason="r", extra="a")
    f = one(repo, "R5", "policies/privacy/2024-06-20.md")
    assert "before it was announced (today, 2024-07-01)" in f["message"]
    assert "no version may take effect retroactively" in f["message"]
    assert "to 2024-07-08 or later" in f["fix"]


def test_published_version_edited_after_effective_date_committed(repo):
    path = repo.path / "policies/privacy/2024-03-01.md"
    path.write_text(path.read_text().replace("회원 관리", "회원 관리와 광고"))
    sha = repo.commit("2024-06-10", "quiet fix")
    f = one(repo, "R3", "policies/privacy/2024-03-01.md")
    assert f"changed on 2024-06-10 (commit {sha[:10]})" in f["message"]
    assert "git checkout main -- policies/privacy/2024-03-01.md" in f["fix"]


def test_published_version_edited_after_effective_date_in_working_tree(repo):
    path = repo.path / "policies/privacy/2024-06-01.en.md"
    path.write_text(path.read_text() + "\nOne more sentence.\n")
    f = one(repo, "R3", "policies/privacy/2024-06-01.en.md")
    assert (
        "took effect on 2024-06-01 and was changed in the working tree or in commits not yet on main"
        in f["message"]
    )
    assert "publish the correction as a new version" in f["fix"]


def test_published_version_renamed(repo):
    repo.git("mv", "policies/privacy/2024-06-01.md", "policies/privacy/2024-06-05.md")
    repo.git("mv", "policies/privacy/2024-06-01.en.md", "policies/privacy/2024-06-05.en.md")
    found = findings(repo)
    assert sorted((f["rule"], f["file"]) for f in found) == [
        ("R3", "policies/privacy/2024-06-01.en.md"),
        ("R3", "policies/privacy/2024-06-01.md"),
    ]
    f = next(f for f in found if f["file"] == "policies/privacy/2024-06-01.md")
    assert "renamed to `policies/privacy/2024-06-05.md`" in f["message"]
    assert "rename `policies/privacy/2024-06-05.md` back" in f["fix"]


def test_published_version_deleted(repo):
    (repo.path / "policies/privacy/2024-03-01.en.md").unlink()
    repo.commit("2024-06-15", "tidy up")
    f = one(repo, "R3", "policies/privacy/2024-03-01.en.md")
    assert "was deleted on 2024-06-15" in f["message"]
    assert "earlier versions must stay available" in f["fix"]


def test_announced_version_corrected_restarts_the_clock(repo):
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="a")
    repo.commit("2024-06-20")
    assert findings(repo, code=0) == []
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="a, corrected")
    repo.commit("2024-07-01")  # correcting before the effective date is allowed
    assert findings(repo, code=0) == []
    assert findings(repo, today="2024-07-30", code=0) == []
    repo.version("privacy", "2024-08-01", change="minor", reason="r", extra="corrected twice")
    repo.commit("2024-07-28")  # ... but notice is measured from the last correction
    f = one(repo, "R1", "policies/privacy/2024-08-01.md", 3, today="2024-07-28")
    assert (
        "gets 4 days (announced 2024-07-28; its text was first announced on 2024-06-20"
        in f["message"]
    )
    assert "the notice period starts again" in f["message"]  # why the clock restarted
    assert "earliest lawful effective date is 2024-08-04" in f["fix"]


def test_whole_policy_folder_removed_is_refused(repo):
    """Removing a policy whose versions took effect takes them off the archive (and the
    published ledger refuses it at deploy); renamed, it would come back with an exempt first
    version: a new text with no notice."""
    repo.version("terms", "2024-03-01", title="이용약관")
    repo.commit("2024-05-02")  # after the history's last commit: dates never go backwards
    shutil.rmtree(repo.path / "policies/terms")
    result = run(repo, "check", "--format", "json", today=TODAY)
    assert result.code == 1
    (f,) = json.loads(result.out)["findings"]
    assert (f["rule"], f["severity"], f["file"]) == ("R3", "error", "policies/terms")
    assert "took effect" in f["message"] and "git checkout main -- policies/terms" in f["fix"]
    assert "policies/terms: error: R3 frozen history" in run(repo, "check", today=TODAY).out


def test_no_git_repository(repo):
    shutil.rmtree(repo.path / ".git")
    result = run_process(repo, "check", today=TODAY)
    assert result.code == 2 and "Traceback" not in result.err
    assert "error: R6 history present: this folder is not in a git repository" in result.err
    assert "git clone" in result.err


def test_shallow_clone(repo, tmp_path):
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    result = run_process(SiteRepo(clone), "check", today=TODAY)
    assert result.code == 2 and "Traceback" not in result.err
    assert "R6 history present: the git history is shallow" in result.err
    assert "fetch-depth: 0" in result.err and "git fetch --unshallow" in result.err


# --- bytes --------------------------------------------------------------------------------


def test_a_broken_symbolic_link_is_a_finding(repo):
    """A link to nothing stopped the command (exit 2) with only "No such file or directory"."""
    (repo.path / "policies/privacy/2024-09-01.md").symlink_to("../../nowhere.md")
    proc = repo.redline("check", "--format", "json", today=TODAY)  # clikit would read the link
    assert proc.returncode == 1, proc.stderr
    (f,) = json.loads(proc.stdout)["findings"]
    assert (f["rule"], f["file"]) == ("R5", "policies/privacy/2024-09-01.md"), f
    assert "symbolic link" in f["message"] and "replace the link" in f["fix"]


def test_non_utf8_file(repo):
    repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("ko",))
    repo.write(
        "policies/privacy/2024-09-01.en.md",
        "---\ntitle: Privacy\nchange: minor\nreason: r\n---\n\nCaf\u00e9\n".encode("latin-1"),
    )
    f = one(repo, "R5", "policies/privacy/2024-09-01.en.md", 7)
    assert "not valid UTF-8 (byte 0xe9 at line 7)" in f["message"]
    assert "save the file as UTF-8" in f["fix"]


@pytest.mark.parametrize(
    ("key", "value", "line", "code"),
    [
        ("title", '"개인정보 \\e[2J처리방침"', 2, "U+001B"),
        ("reason", '"rtl \\u202e gnp.exe"', 4, "U+202E"),
        ("summary", '["줄 하나", "종 \\a"]', 5, "U+0007"),
    ],
)
def test_a_control_character_written_as_a_yaml_escape_is_refused(repo, key, value, line, code):
    """The file's bytes are clean; the text every page and output shows is not. Like a control
    character in the bytes, it blocks the gate and the version stays, shown made visible."""
    meta = {"title": "개인정보 처리방침", "change": "minor", "reason": "r", "summary": '["s"]'}
    meta[key] = value
    ko, _en = repo.version("privacy", "2024-09-01", change="minor", reason="r")
    body = (repo.path / ko).read_text().split("---\n", 2)[2]
    repo.write(ko, "---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n" + body)
    f = one(repo, "R5", ko, line)
    assert f"`{key}` holds the invisible control character {code}" in f["message"]
    status = run(repo, "status", today=TODAY)
    assert "2024-09-01" in status.out and not CONTROL.search(status.out), status.text


@pytest.mark.parametrize(
    ("mangle", "warning"),
    [
        (lambda raw: b"\xef\xbb\xbf" + raw, "byte order mark"),
        (lambda raw: raw.replace(b"\n", b"\r\n"), "CRLF"),
    ],
    ids=["bom", "crlf"],
)
def test_bom_and_crlf_are_accepted_with_a_warning(repo, mangle, warning):
    written = repo.version(
        "privacy", "2024-09-01", change="minor", reason="r", extra="연락처를 바꿉니다. 다시."
    )
    for rel in written:
        path = repo.path / rel
        path.write_bytes(mangle(path.read_bytes()))
    result = run(repo, "check", "--format", "json", today=TODAY)
    assert result.code == 0, result.text
    found = json.loads(result.out)["findings"]
    assert sorted(f["file"] for f in found) == sorted(written)
    assert all(f["rule"] == "R5" and f["severity"] == "warning" for f in found)
    assert all(warning in f["message"] and f["line"] == 1 for f in found)
    # The rules see the same text: only the purposes paragraph changed, no material section.
    diff = run(repo, "diff", "privacy", today=TODAY)
    assert diff.code == 0
    assert "{#purposes}" in diff.out and "{+ 다시.+}" in diff.out
    assert "retention" not in diff.out and "\r" not in diff.out and "\ufeff" not in diff.out


# --- rules on the content -----------------------------------------------------------------


def test_minor_change_to_a_material_section(repo):
    for rel in repo.version("privacy", "2024-09-01", change="minor", reason="r"):
        path = repo.path / rel
        text = path.read_text().replace(
            "| 회원 가입 | 이메일, 비밀번호 |", "| 회원 가입 | 이메일, 비밀번호, 전화번호 |"
        )
        path.write_text(
            text.replace("| Sign-up | Email, password |", "| Sign-up | Email, password, phone |")
        )
    f = one(repo, "R2", "policies/privacy/2024-09-01.md", 3)
    assert "material section(s) collected-items" in f["message"]
    assert "`change: material`" in f["fix"] and "2024-07-31" in f["fix"]


@pytest.mark.parametrize(
    ("change", "effective", "gets", "earliest", "merge_by"),
    [
        ("minor", "2024-07-05", 4, "2024-07-08", "2024-06-28"),
        ("material", "2024-07-20", 19, "2024-07-31", "2024-06-20"),
    ],
)
def test_notice_too_short(repo, change, effective, gets, earliest, merge_by):
    repo.git("checkout", "-q", "-b", "amend")
    repo.version("privacy", effective, change=change, reason="r", extra="a")
    repo.commit("2024-06-15")  # a pull-request commit: announced only when merged
    path = f"policies/privacy/{effective}.md"
    f = one(repo, "R1", path, 3)  # checked as the working tree of the branch
    assert f"a {change} amendment needs" in f["message"] and f"gets {gets} days" in f["message"]
    assert f"earliest lawful effective date is {earliest}" in f["fix"]
    f = one(repo, "R1", path, 3, "--base", "main")
    assert f"needed the merge by {merge_by}, which has passed" in f["fix"]
    ok = run(repo, "check", "--base", "main", today="2024-06-01")
    assert ok.code == 0 and f"merge by {merge_by}" in ok.out


# --- the configuration and the command line -----------------------------------------------


def test_bad_mkdocs_yml(repo):
    (repo.path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: policies: x\n")
    result = run(repo, "check", today=TODAY)
    assert result.code == 2 and "Traceback" not in result.err
    assert "mkdocs.yml:2: error: configuration: mkdocs.yml does not parse" in result.err


def test_bad_redline_settings(repo):
    text = (repo.path / "mkdocs.yml").read_text()
    (repo.path / "mkdocs.yml").write_text(text.replace("timezone:", "timezon:"))
    result = run(repo, "check", today=TODAY)
    assert result.code == 2 and "unknown key(s) under extra.redline: timezon" in result.err


def test_bad_today_and_unknown_base(repo):
    result = run(repo, "check", "--today", "2024-13-01")
    assert result.code == 2 and "'2024-13-01' is not a date" in result.err
    result = run(repo, "check", "--base", "origin/nope", today=TODAY)
    assert result.code == 2 and "`origin/nope` is not a branch or commit" in result.err
    assert "fetch-depth: 0" in result.err


def test_docs_dir_outside_the_repository(repo):
    text = (repo.path / "mkdocs.yml").read_text()
    (repo.path / "mkdocs.yml").write_text(
        text.replace("docs_dir: policies", "docs_dir: ../elsewhere")
    )
    result = run(repo, "check", today=TODAY)
    assert result.code == 2 and "Traceback" not in result.err
    assert "docs_dir is outside the git repository" in result.err


def test_bad_pdf_option(repo):
    result = run(repo, "check", today=TODAY, env={"REDLINE_PDF": "yes"})
    assert result.code == 2 and "Traceback" not in result.err
    assert "REDLINE_PDF: error: configuration: REDLINE_PDF is 'yes', neither 1 nor 0" in result.err
    assert "set REDLINE_PDF=1 to publish a PDF of every version" in result.err
    text = (repo.path / "mkdocs.yml").read_text()
    (repo.path / "mkdocs.yml").write_text(text.replace("timezone:", "pdf: yes\n    timezone:"))
    result = run(repo, "check", today=TODAY)
    assert result.code == 2 and "extra.redline.pdf" in result.err
    assert "write `pdf: true` to publish a PDF of every version" in result.err
