"""Each rule on its own, over a model built from a real git repository with dated commits."""

from __future__ import annotations

from datetime import date

from clikit import history, project
from sitekit import SiteRepo

from redline import rules
from redline.findings import ERROR


def only(findings, rule):
    assert findings, f"expected a {rule} finding"
    assert all(f.rule == rule for f in findings), findings
    return findings


# --- R1 notice window -------------------------------------------------------------------


def test_r1_minor_needs_seven_days(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-08-07", change="minor", reason="r", extra="a")
    site_repo.commit("2024-07-31")  # exactly 7 days: lawful
    site_repo.version("privacy", "2024-09-06", change="minor", reason="r", extra="b")
    site_repo.commit("2024-08-31")  # 6 days: one short
    found = only(rules.r1_notice_window(project(site_repo, "2024-09-01")), "R1")
    assert len(found) == 1
    f = found[0]
    assert f.path == "policies/privacy/2024-09-06.md" and f.line == 3  # the `change:` line
    assert "needs 7 days' notice" in f.message and "gets 6 days" in f.message
    assert "announced 2024-08-31" in f.message
    assert "earliest lawful effective date is 2024-09-07" in f.fix
    assert "`2024-09-06.md`, `2024-09-06.en.md` to 2024-09-07" in f.fix
    assert "merge by" not in f.fix  # not a pull request


def test_r1_material_needs_thirty_days(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-09-01", change="material", reason="r", extra="a")
    site_repo.commit("2024-08-10")
    (f,) = rules.r1_notice_window(project(site_repo, "2024-08-11"))
    assert "a material amendment needs 30 days' notice" in f.message
    assert "gets 22 days" in f.message
    assert "2024-09-09" in f.fix


def test_r1_uses_configured_notice_days(tmp_path):
    repo = history(SiteRepo.create(tmp_path / "s", redline={"notice_days": {"minor": 14}}))
    repo.version("privacy", "2024-09-10", change="minor", reason="r", extra="a")
    repo.commit("2024-09-01")
    (f,) = rules.r1_notice_window(project(repo, "2024-09-02"))
    assert "needs 14 days' notice" in f.message and "2024-09-15" in f.fix


def test_r1_in_pull_request_mode_gives_the_merge_by_date(site_repo):
    history(site_repo)
    site_repo.git("checkout", "-q", "-b", "amend")
    site_repo.version("privacy", "2024-09-01", change="material", reason="r", extra="a")
    site_repo.commit("2024-07-20")  # on the branch: announced only when merged
    p = project(site_repo, "2024-07-25", base="main")
    assert not rules.r1_notice_window(p)  # merged today it has 38 days
    p = project(site_repo, "2024-08-10", base="main")
    (f,) = rules.r1_notice_window(p)
    assert "if announced today, 2024-08-10" in f.message
    assert "earliest lawful effective date is 2024-09-09 if merged today" in f.fix
    assert "needed the merge by 2024-08-02, which has passed" in f.fix
    d = rules.deadline(p, p.policies["privacy"].versions[-1])
    assert (d.notice, d.earliest, d.merge_by) == (30, date(2024, 9, 9), date(2024, 8, 2))
    p = project(site_repo, "2024-07-25", base="main")
    assert rules.deadline(p, p.policies["privacy"].versions[-1]).lawful


def test_r1_merge_by_is_offered_while_it_is_still_ahead(site_repo):
    history(site_repo)
    site_repo.git("checkout", "-q", "-b", "amend")
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="a")
    site_repo.version("privacy", "2024-07-05", change="minor", reason="r", extra="b")
    site_repo.commit("2024-07-01")
    p = project(site_repo, "2024-07-01", base="main")
    (f,) = rules.r1_notice_window(p)
    assert f.path.endswith("2024-07-05.md")
    assert [v.slug for v in rules.pending_versions(p)] == ["2024-07-05", "2024-09-01"]


def test_r1_exempts_the_first_and_imported_versions(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", redline={"adopted": "2024-06-01"})
    repo.version("privacy", "2024-03-01")
    repo.version("privacy", "2024-05-01", change="material", reason="r", extra="a")
    repo.commit("2024-04-30")  # imported: one day of notice, long before Redline
    repo.version("privacy", "2024-07-01", change="minor", reason="r", extra="b")
    repo.commit("2024-06-30")
    found = rules.r1_notice_window(project(repo, "2024-07-01"))
    assert [f.path for f in found] == ["policies/privacy/2024-07-01.md"]


def test_r1_correcting_an_announced_version_restarts_the_clock(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="a")
    site_repo.commit("2024-08-01")
    assert not rules.r1_notice_window(project(site_repo, "2024-08-02"))
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="a, corrected")
    site_repo.commit("2024-08-28")  # allowed before the effective date, but notice starts again
    (f,) = rules.r1_notice_window(project(site_repo, "2024-08-29"))
    assert "gets 4 days" in f.message and "announced 2024-08-28" in f.message
    assert "2024-09-04" in f.fix
    assert not rules.r3_frozen_history(project(site_repo, "2024-08-29"))


# --- R2 materiality floor ---------------------------------------------------------------


def _retention_edit(repo, effective, change):
    paths = repo.version("privacy", effective, change=change, reason="r")
    for rel in paths:
        target = repo.path / rel
        target.write_text(
            target.read_text()
            .replace("- 법령이 정한 기간", "- 법령이 정한 기간\n- 3년")
            .replace("- For the periods set by law", "- For the periods set by law\n- 3 years")
        )
    return paths


def test_r2_a_minor_change_to_a_material_section(site_repo):
    history(site_repo)
    _retention_edit(site_repo, "2024-09-01", "minor")
    site_repo.commit("2024-08-01")
    (f,) = only(rules.r2_materiality(project(site_repo, "2024-08-02")), "R2")
    assert f.path == "policies/privacy/2024-09-01.md" and f.line == 3
    assert "material section(s) retention" in f.message and "`change: minor`" in f.message
    assert "write `change: material`" in f.fix and "30 days" in f.fix


def test_r2_after_a_withdrawal_counts_the_fix_from_today(site_repo):
    """v3 kept v2's material edit and was minor next to it; v2 is withdrawn, so v3 now
    changes a material section. Reclassifying it is an edit, announced no earlier than
    today: the earliest lawful date counts from today, not from v3's first announcement."""
    history(site_repo)
    _retention_edit(site_repo, "2024-09-01", "material")
    site_repo.commit("2024-07-20", "v3 material")
    _retention_edit(site_repo, "2024-09-10", "minor")
    site_repo.commit("2024-08-01", "v4 minor, keeps v3's retention")
    for f in (site_repo.path / "policies/privacy").glob("2024-09-01*"):
        f.unlink()
    site_repo.commit("2024-08-20", "withdraw v3")
    (f,) = only(rules.r2_materiality(project(site_repo, "2024-08-20")), "R2")
    assert f.path == "policies/privacy/2024-09-10.md"
    assert "the earliest lawful effective date is then 2024-09-19" in f.fix, f.fix


def test_r2_accepts_material_and_ignores_other_sections(site_repo):
    history(site_repo)  # v2 is minor and edits `purposes`, not a material section here
    _retention_edit(site_repo, "2024-09-15", "material")
    site_repo.commit("2024-08-01")
    assert not rules.r2_materiality(project(site_repo, "2024-08-02"))


def test_r2_exempts_imported_versions(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", redline={"adopted": "2025-01-01"})
    repo.version("privacy", "2024-03-01")
    _retention_edit(repo, "2024-09-01", "minor")
    repo.commit("2024-12-01")
    assert not rules.r2_materiality(project(repo, "2024-12-02"))


# --- R3 frozen history ------------------------------------------------------------------


def _edit(repo, rel, old, new):
    path = repo.path / rel
    path.write_text(path.read_text().replace(old, new))


def test_r3_a_published_version_edited_after_it_took_effect(site_repo):
    history(site_repo)
    _edit(site_repo, "policies/privacy/2024-03-01.md", "회원 관리", "회원 관리 및 마케팅")
    sha = site_repo.commit("2024-07-01", "quiet edit")
    (f,) = only(rules.r3_frozen_history(project(site_repo, "2024-07-02")), "R3")
    assert f.path == "policies/privacy/2024-03-01.md"
    assert "took effect on 2024-03-01 and was changed on 2024-07-01" in f.message
    assert sha[:10] in f.message
    assert "git checkout main -- policies/privacy/2024-03-01.md" in f.fix
    assert "redline new privacy" in f.fix


def test_r3_an_edit_in_the_working_tree(site_repo):
    history(site_repo)
    _edit(site_repo, "policies/privacy/2024-06-01.en.md", "members", "customers")
    (f,) = only(rules.r3_frozen_history(project(site_repo, "2024-07-02")), "R3")
    assert f.path == "policies/privacy/2024-06-01.en.md"
    assert "changed in the working tree or in commits not yet on main" in f.message
    (f,) = rules.r3_frozen_history(project(site_repo, "2024-07-02", base="main"))
    assert "was changed in this pull request;" in f.message


def test_r3_a_reverted_change_is_fine(site_repo):
    history(site_repo)
    rel = "policies/privacy/2024-03-01.md"
    original = (site_repo.path / rel).read_text()
    _edit(site_repo, rel, "회원 관리", "회원 관리 및 마케팅")
    site_repo.commit("2024-07-01")
    (site_repo.path / rel).write_text(original)
    site_repo.commit("2024-07-02", "revert")
    assert not rules.r3_frozen_history(project(site_repo, "2024-07-03"))


def test_r3_allows_changes_before_the_effective_date(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="a")
    site_repo.commit("2024-08-01")
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="b")
    assert not rules.r3_frozen_history(project(site_repo, "2024-08-31"))
    assert rules.r3_frozen_history(project(site_repo, "2024-09-01"))  # in force: frozen


def test_r3_renamed_and_deleted(site_repo):
    history(site_repo)
    site_repo.git("mv", "policies/privacy/2024-06-01.en.md", "policies/privacy/2024-06-02.en.md")
    (site_repo.path / "policies/privacy/2024-03-01.en.md").unlink()
    found = only(rules.r3_frozen_history(project(site_repo, "2024-07-01")), "R3")
    by_path = {f.path: f for f in found}
    renamed = by_path["policies/privacy/2024-06-01.en.md"]
    assert "renamed to `policies/privacy/2024-06-02.en.md`" in renamed.message
    assert "rename `policies/privacy/2024-06-02.en.md` back" in renamed.fix
    deleted = by_path["policies/privacy/2024-03-01.en.md"]
    assert "was deleted in the working tree" in deleted.message
    assert "git checkout main -- policies/privacy/2024-03-01.en.md" in deleted.fix


def test_r3_removing_a_whole_policy_is_refused(site_repo):
    history(site_repo)
    site_repo.version("terms", "2024-03-01", title="약관")
    site_repo.commit("2024-05-02")  # after the history's last commit: dates never go backwards
    site_repo.git("rm", "-r", "-q", "policies/terms")
    (f,) = rules.r3_frozen_history(project(site_repo, "2024-07-01"))
    assert f.severity == ERROR and f.path == "policies/terms"
    assert "`terms` is removed, but its versions took effect" in f.message
    site_repo.commit("2024-07-01", "retire terms")
    assert not rules.r3_frozen_history(project(site_repo, "2024-07-02"))  # reviewed and merged


def test_r3_applies_to_imported_versions_from_the_commit_that_added_them(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", redline={"adopted": "2025-01-01"})
    repo.version("privacy", "2023-01-01")
    repo.commit("2024-12-01", "import history")
    assert not rules.r3_frozen_history(project(repo, "2024-12-02"))
    _edit(repo, "policies/privacy/2023-01-01.md", "회원 관리", "회원 관리 및 마케팅")
    (f,) = rules.r3_frozen_history(project(repo, "2024-12-02"))
    assert f.rule == "R3" and f.path == "policies/privacy/2023-01-01.md"


# --- R4 complete translations -----------------------------------------------------------


def test_r4_missing_translation(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", langs=("ko",))
    site_repo.commit("2024-08-01")
    (f,) = only(rules.r4_translations(project(site_repo, "2024-08-02")), "R4")
    assert f.path == "policies/privacy/2024-09-01.en.md"
    assert "version 3 of `privacy` (2024-09-01) has no `en` text" in f.message
    assert "add `policies/privacy/2024-09-01.en.md`" in f.fix


def test_r4_different_class_and_missing_reason(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-09-15", change="material", reason="r", langs=("ko",))
    site_repo.version("privacy", "2024-09-15", change="minor", langs=("en",))
    site_repo.commit("2024-08-01")
    found = only(rules.r4_translations(project(site_repo, "2024-08-02")), "R4")
    messages = sorted(f.message for f in found)
    assert messages == [
        "`change: minor` differs from `change: material` in `policies/privacy/2024-09-15.md`",
        "the translation has no `reason`",
    ]
    assert all(f.path == "policies/privacy/2024-09-15.en.md" for f in found)
    differs = next(f for f in found if "differs" in f.message)
    assert differs.line == 3 and "write `change: material` here too" in differs.fix


def test_r4_leaves_unreadable_files_to_r5(site_repo):
    history(site_repo)
    site_repo.write("policies/privacy/2024-06-01.en.md", b"---\ntitle: [oops\n---\n\ntext\n")
    p = project(site_repo, "2024-07-01")
    assert not rules.r4_translations(p)
    assert any(
        f.rule == "R5" and f.path.endswith("2024-06-01.en.md") for f in rules.r5_valid_input(p)
    )


# --- R5 valid input ---------------------------------------------------------------------


def test_r5_reports_what_the_loader_found(site_repo):
    history(site_repo)
    site_repo.write("policies/privacy/2024-02-30.md", "---\ntitle: x\n---\n")
    (f,) = rules.r5_valid_input(project(site_repo, "2024-07-01"))
    assert f.rule == "R5" and "2024-02-30 in the file name is not a real date" in f.message


def test_r5_required_keys_and_placeholders(site_repo):
    history(site_repo)
    site_repo.write(
        "policies/privacy/2024-09-01.md",
        "---\ntitle: t\nchange:\nreason: 'TODO: why'\n---\n\ntext\n",
    )
    site_repo.write(
        "policies/privacy/2024-09-01.en.md", "---\ntitle: t\nchange: minor\n---\n\ntext\n"
    )
    found = only(rules.r5_valid_input(project(site_repo, "2024-07-01")), "R5")
    assert sorted((f.path, f.line, f.message) for f in found) == [
        (
            "policies/privacy/2024-09-01.md",
            3,
            "`change` is empty: it is required for every version but the first",
        ),
        (
            "policies/privacy/2024-09-01.md",
            4,
            "`reason` still holds the placeholder written by `redline new`",
        ),
    ]


def test_r5_placeholder_lines_of_a_text_not_yet_in_force(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r", extra="a")
    path = site_repo.path / "policies/privacy/2024-09-01.en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nTODO: say who receives it\n\n  TODO: and why\n", encoding="utf-8")
    (f,) = only(rules.r5_valid_input(project(site_repo, "2024-07-01")), "R5")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert f.path == "policies/privacy/2024-09-01.en.md"
    assert lines[f.line - 1] == "TODO: say who receives it"
    assert f.message.endswith(f"`TODO:` (also line {f.line + 2})")
    assert "replace each line starting with `TODO:`" in f.fix
    site_repo.commit("2024-07-01")
    assert rules.r5_valid_input(project(site_repo, "2024-08-31"))  # announced, not yet in force
    # In force, it is frozen history (R3): judged when it was announced, never again.
    assert not rules.r5_valid_input(project(site_repo, "2024-09-01"))


def test_r5_retroactive_version(site_repo):
    history(site_repo)
    site_repo.version("privacy", "2024-06-20", change="minor", reason="r", extra="a")
    site_repo.commit("2024-06-25")
    (f,) = only(rules.r5_valid_input(project(site_repo, "2024-07-01")), "R5")
    assert f.path == "policies/privacy/2024-06-20.md"
    assert "effective 2024-06-20, before it was announced (2024-06-25)" in f.message
    assert "to 2024-07-02 or later" in f.fix and "extra.redline.adopted" in f.fix
    assert not rules.r1_notice_window(project(site_repo, "2024-07-01"))  # R5's, not also R1's


def test_r5_a_later_edit_is_not_retroactivity_and_imports_are_exempt(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", redline={"adopted": "2024-01-01"})
    repo.version("privacy", "2023-06-01")
    repo.commit("2023-12-01")  # imported: effective long before it was committed
    repo.version("privacy", "2024-03-01", change="minor", reason="r", extra="a")
    repo.commit("2024-02-01")
    _edit(repo, "policies/privacy/2024-03-01.md", "회원 관리", "회원 관리 및 마케팅")
    repo.commit("2024-04-01")  # frozen-history violation, reported by R3 only
    p = project(repo, "2024-04-02")
    assert not rules.r5_valid_input(p)
    assert [f.rule for f in rules.check(p)] == ["R3"]


def test_the_gate_combines_every_rule_errors_first(site_repo):
    history(site_repo)
    for rel in site_repo.version("terms", "2024-07-20", title="약관"):  # a new policy, CRLF
        path = site_repo.path / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    site_repo.version("privacy", "2024-07-03", change="minor", reason="r", extra="a")
    findings = rules.check(project(site_repo, "2024-07-01"))
    assert [(f.rule, f.severity) for f in findings] == [("R1", "error")] + [("R5", "warning")] * 2
    assert set(rules.RULES) == {"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"}


def test_r2_after_a_configuration_change_points_to_adopted(tmp_path):
    repo = SiteRepo.create(tmp_path / "s", redline={"policies": {"privacy": {}}})
    repo.version("privacy", "2024-03-01")
    repo.commit("2024-02-01")
    _retention_edit(repo, "2024-06-01", "minor")
    repo.commit("2024-05-01")
    config = repo.path / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            '{"privacy": {}}', '{"privacy": {"material_sections": ["retention"]}}'
        )
    )
    (f,) = rules.r2_materiality(project(repo, "2024-07-01"))
    assert "already in force and frozen (R3)" in f.fix
    assert "set `extra.redline.adopted` to a date after 2024-06-01" in f.fix
    config.write_text(config.read_text().replace('"2020-01-01"', '"2024-06-02"'))
    assert not rules.r2_materiality(project(repo, "2024-07-01"))


def test_r2_counts_a_sub_section_for_its_section_and_ignores_renumbering(tmp_path):
    from datetime import date

    from sitekit import SiteRepo

    from redline.config import load_settings
    from redline.model import load_project
    from redline.rules import r2_materiality

    repo = SiteRepo.create(tmp_path / "r2")
    repo.version("privacy", "2024-03-01", extra="\n\n### 내부 방침 {#internal}\n\n- 1년 보관")
    repo.commit("2024-01-01")
    # A new first section renumbers `retention` (material) without changing its wording.
    repo.version(
        "privacy",
        "2024-06-01",
        change="minor",
        reason="r",
        extra="\n\n### 내부 방침 {#internal}\n\n- 1년 보관",
    )
    for path in repo.path.glob("policies/privacy/2024-06-01*.md"):
        text = path.read_text(encoding="utf-8").replace("## 3. ", "## 4. ")
        path.write_text(text, encoding="utf-8")
    repo.commit("2024-05-01")
    settings = load_settings(repo.path / "mkdocs.yml")
    assert r2_materiality(load_project(settings, date(2024, 5, 2))) == []
    # A change inside a sub-section of `purposes`... is not material (purposes is not listed
    # in this site's material_sections), but one inside `retention`'s list is.
    for path in repo.path.glob("policies/privacy/2024-06-01*.md"):
        text = path.read_text(encoding="utf-8").replace(
            "- 법령이 정한 기간", "- 법령이 정한 기간 (5년)"
        )
        text = text.replace(
            "- For the periods set by law", "- For the periods set by law (5 years)"
        )
        path.write_text(text, encoding="utf-8")
    findings = r2_materiality(load_project(settings, date(2024, 5, 2)))
    assert [f.rule for f in findings] == ["R2"] and "retention" in findings[0].message


def test_r1_counts_days_in_the_policy_time_zone_not_utc(site_repo):
    """A commit late at night UTC is already the next day in Seoul: notice counts from then."""
    history(site_repo)
    site_repo.version("privacy", "2024-08-07", change="minor", reason="r", extra="a")
    site_repo.commit("2024-07-30", time="20:00:00+00:00")  # 2024-07-31 05:00 KST: 7 days
    site_repo.version("privacy", "2024-09-06", change="minor", reason="r", extra="b")
    site_repo.commit("2024-08-30", time="16:00:00+00:00")  # 2024-08-31 01:00 KST: 6 days
    (f,) = only(rules.r1_notice_window(project(site_repo, "2024-09-01")), "R1")
    assert f.path == "policies/privacy/2024-09-06.md" and "gets 6 days" in f.message


def test_r1_counts_whole_days_across_a_leap_day_and_a_dst_change(tmp_path):
    """New York, announced 2024-02-10 for 2024-03-11: 30 calendar days across 29 February
    and the 10 March clock change (one hour short of 30 x 24 h), which is lawful."""
    repo = SiteRepo.create(tmp_path / "ny", redline={"timezone": "America/New_York"})
    repo.version("privacy", "2024-01-01")
    repo.commit("2023-12-01", "v1", time="12:00:00-05:00")
    repo.version("privacy", "2024-03-11", change="material", reason="r", extra="a")
    repo.commit("2024-02-10", time="23:30:00-05:00")  # 04:30 UTC on the 11th
    assert not only_r1(project(repo, "2024-02-11"))
    repo.version("privacy", "2024-03-11", change="material", reason="r", extra="b")
    repo.commit("2024-02-11", time="00:30:00-05:00")  # a correction: 29 days left
    assert "gets 29 days" in only_r1(project(repo, "2024-02-12"))[0].message


def only_r1(p):
    return [f for f in rules.r1_notice_window(p) if f.rule == "R1"]
