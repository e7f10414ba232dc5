"""Loading, history and timeline on real git repositories with back-dated commits."""

from datetime import date
from pathlib import Path

import pytest

from redline.config import load_settings
from redline.findings import CannotRun
from redline.model import load_project
from redline.timeline import Status, in_force_on, timeline


def project(repo, today="2025-06-01", base=None):
    return load_project(
        load_settings(Path(repo.path) / "mkdocs.yml"), date.fromisoformat(today), base
    )


def test_versions_are_numbered_by_effective_date_and_dated_by_last_commit(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01")
    site_repo.version("privacy", "2024-06-01", change="minor", reason="정정")
    site_repo.commit("2024-05-01")
    site_repo.version("privacy", "2024-06-01", change="minor", reason="정정", extra="다시 고침.")
    site_repo.commit("2024-05-10")  # a correction before the effective date restarts the clock
    p = project(site_repo).policies["privacy"]
    assert [(v.number, v.slug, v.announced) for v in p.versions] == [
        (1, "2024-03-01", date(2024, 2, 1)),
        (2, "2024-06-01", date(2024, 5, 10)),
    ]
    assert set(p.versions[1].files) == {"ko", "en"}
    assert p.versions[1].change == "minor"


def test_announcement_day_is_taken_in_the_configured_time_zone(site_repo):
    site_repo.version("privacy", "2024-03-01")
    # 23:30 UTC on 31 January is already 1 February in Seoul.
    site_repo.commit("2024-01-31", time="23:30:00+00:00")
    v = project(site_repo).policies["privacy"].versions[0]
    assert v.announced == date(2024, 2, 1)


def test_uncommitted_and_unmerged_files_count_as_announced_today(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-01-01")
    site_repo.git("checkout", "-q", "-b", "amend")
    site_repo.version("privacy", "2025-09-01", change="minor", reason="r")
    site_repo.commit("2025-05-01")  # on a branch, not on main
    pr = project(site_repo, today="2025-06-01").policies["privacy"].versions[1]
    assert pr.announced == date(2025, 6, 1)
    site_repo.version("privacy", "2025-10-01", change="minor", reason="r")  # working tree only
    p = project(site_repo, today="2025-06-02").policies["privacy"]
    assert [v.announced for v in p.versions] == [
        date(2024, 1, 1),
        date(2025, 6, 2),
        date(2025, 6, 2),
    ]


def test_a_merged_pull_request_is_announced_on_the_merge_day(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-01-01")
    site_repo.git("checkout", "-q", "-b", "amend")
    site_repo.version("privacy", "2024-09-01", change="minor", reason="r")
    site_repo.commit("2024-05-01")
    site_repo.git("checkout", "-q", "main")
    site_repo.commit("2024-05-02", message="unrelated")
    stamp = "2024-06-15T10:00:00+09:00"
    site_repo.git(
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "merge",
        "amend",
        env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
    )
    v = project(site_repo, today="2024-07-01").policies["privacy"].versions[1]
    assert v.announced == date(2024, 6, 15)


def test_imported_versions_are_those_effective_before_adoption(tmp_path):
    from sitekit import SiteRepo

    repo = SiteRepo.create(tmp_path / "s", redline={"adopted": "2024-06-01"})
    repo.version("privacy", "2023-01-01")
    repo.version("privacy", "2024-01-01", change="material", reason="r")
    repo.version("privacy", "2024-09-01", change="minor", reason="r")
    repo.commit("2024-07-01")
    p = project(repo, today="2024-07-02").policies["privacy"]
    assert [v.imported for v in p.versions] == [True, True, False]


def test_timeline_statuses_and_what_governed_on_a_day(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01")
    site_repo.version("privacy", "2024-06-01", change="minor", reason="r")
    site_repo.commit("2024-05-01")
    site_repo.version("privacy", "2024-12-01", change="material", reason="r")
    site_repo.commit("2024-10-15")
    p = project(site_repo, today="2024-11-01").policies["privacy"]

    def statuses(day):
        return [(e.version.number, e.status) for e in timeline(p, date.fromisoformat(day)).entries]

    assert statuses("2024-02-15") == [(1, Status.ANNOUNCED)]
    assert statuses("2024-05-31") == [(1, Status.IN_FORCE), (2, Status.ANNOUNCED)]
    assert statuses("2024-06-01") == [(1, Status.SUPERSEDED), (2, Status.IN_FORCE)]
    assert statuses("2024-10-14") == [
        (1, Status.SUPERSEDED),
        (2, Status.IN_FORCE),
    ]  # v3 not yet announced
    assert statuses("2024-10-15") == [
        (1, Status.SUPERSEDED),
        (2, Status.IN_FORCE),
        (3, Status.ANNOUNCED),
    ]
    tl = timeline(p, date(2024, 11, 1))
    assert tl.days_left(tl.upcoming[0]) == 30
    assert tl.entries[0].until == date(2024, 5, 31)
    assert in_force_on(p, date(2024, 5, 31)).number == 1
    assert in_force_on(p, date(2024, 6, 1)).number == 2
    assert in_force_on(p, date(2024, 2, 29)) is None


def test_a_shallow_clone_cannot_run(site_repo, tmp_path):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-01-01")
    site_repo.commit("2024-01-02", message="second")
    clone = tmp_path / "shallow"
    site_repo.git("clone", "-q", "--depth", "1", f"file://{site_repo.path}", str(clone))
    with pytest.raises(CannotRun) as exc:
        load_project(load_settings(clone / "mkdocs.yml"), date(2024, 2, 1))
    assert exc.value.finding.rule == "R6"
    assert "fetch-depth: 0" in str(exc.value)


def test_no_repository_cannot_run(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: policies\n")
    (tmp_path / "policies").mkdir()
    with pytest.raises(CannotRun) as exc:
        load_project(load_settings(tmp_path / "mkdocs.yml"), date(2024, 2, 1))
    assert exc.value.finding.rule == "R6"
    assert "not in a git repository" in str(exc.value)


def test_a_branch_behind_main_does_not_count_main_s_new_files_as_its_own(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-01-01")
    site_repo.git("checkout", "-q", "-b", "old-branch")
    site_repo.git("checkout", "-q", "main")
    site_repo.version("privacy", "2024-06-01", change="minor", reason="r")
    site_repo.commit("2024-05-01")
    site_repo.git("checkout", "-q", "old-branch")
    history = project(site_repo, today="2024-07-01").history
    assert "policies/privacy/2024-06-01.md" not in history.pending
    from redline.rules import check

    assert [f for f in check(project(site_repo, today="2024-07-01")) if f.rule == "R3"] == []


def test_an_unclassified_amendment_is_one_class_everywhere(site_repo):
    """Regression (issue 11): an unset `change` counted as material for the notice but as
    minor on badges, in versions.json's feed category and in the archive, and as `?` in
    `redline status`. Every reader now asks Version.change_class."""
    from redline.feed import build_feed
    from redline.notice import required_days
    from redline.pages import class_label
    from redline.report.result import class_name
    from redline.report.status import _status_row
    from redline.site import build_site

    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01")
    site_repo.version("privacy", "2024-09-01", reason="r")  # no `change:`
    site_repo.commit("2024-05-01")
    p = project(site_repo, today="2024-06-01")
    v = p.policies["privacy"].versions[1]
    assert v.change_class == "unset" and v.notice_class == "material"
    assert required_days(p.settings.notice_days, v) == 30
    assert (class_label("ko", v), class_label("en", v)) == ("구분 미정", "Unclassified")
    assert "counted as material" in class_name(v)
    assert _status_row(p, v, "x")[3] == "unset"
    site = build_site(p, p.today, {}, "x", workers=1)
    feed = build_feed(p, site, "en", "https://example.test/", "x").atom_str().decode()
    assert 'term="unset"' in feed and 'term="minor"' not in feed


def test_home_pages_are_the_texts_the_gate_read_and_a_language_may_share_the_default(site_repo):
    site_repo.version("privacy", "2024-03-01")
    (site_repo.path / "policies/index.en.md").unlink()
    site_repo.commit("2024-02-01")
    loaded = project(site_repo, "2024-04-01")
    homes = loaded.home_pages()
    assert homes["ko"] == loaded.homes["policies/index.md"] and "redline:policies" in homes["ko"]
    assert homes["en"] == homes["ko"]  # no index.en.md: the default language's page
