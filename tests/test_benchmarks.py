"""The benchmark's generator and runner do what they claim, at a tiny size.

Correctness only: the timings are the benchmark's business (benchmarks/run.py), never a
test's, because a shared CI machine makes timed assertions flaky.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from redline.config import load_settings
from redline.model import load_project
from redline.rules import changed_sections, check
from redline.timeline import timeline

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from generate import NOTICE, Config, diff_pairs, generate  # noqa: E402

TINY = Config(policies=2, versions=3, languages=2, size_kb=2)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("bench") / "repo", TINY)


@pytest.fixture(scope="module")
def project(tiny):
    return load_project(load_settings(tiny.config_file), tiny.today)


def test_the_engine_loads_p_times_v_versions_in_l_languages(tiny, project):
    assert project.languages == ("ko", "en")
    assert sorted(project.policies) == sorted(tiny.policies) == ["privacy", "terms"]
    for policy in project.policies.values():
        assert len(policy.versions) == TINY.versions
        for version in policy.versions:
            assert set(version.files) == {"ko", "en"}
            assert "{#" in version.main.body  # headings carry explicit ids
    assert sum(tiny.classes.values()) == TINY.policies * (TINY.versions - 1)


def test_both_change_classes_and_no_findings(project):
    classes = {v.change for p in project.policies.values() for v in p.versions[1:]}
    assert classes == {"minor", "material"}
    assert check(project) == []


def test_every_amendment_is_lawful_and_classed_by_what_it_touches(project):
    for policy in project.policies.values():
        material = set(policy.material_sections)
        assert material
        for version in policy.versions[1:]:
            assert version.effective - version.announced >= timedelta(NOTICE[version.change])
            touched = changed_sections(policy, version)
            assert touched, f"{version.main.path} changes nothing"
            if version.change == "material":
                assert touched & material, f"{version.main.path} is material but touches none"
            else:
                assert not touched & material, f"{version.main.path} is minor but touches {touched}"


def test_an_amendment_is_in_its_notice_period_on_the_benchmark_day(tiny, project):
    upcoming = {pid for pid, p in project.policies.items() if timeline(p, tiny.today).upcoming}
    assert "privacy" in upcoming and upcoming == set(tiny.in_notice)


def test_history_is_real_back_dated_git(tiny):
    log = subprocess.run(
        ["git", "log", "--format=%cI", "main"],
        cwd=tiny.path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(log) == tiny.commits >= TINY.policies * TINY.versions + 1
    assert all(stamp.endswith("+09:00") for stamp in log)
    assert max(log) <= tiny.today.isoformat() + "T23:59:59+09:00"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=tiny.path, capture_output=True, text=True
    )
    assert status.stdout == ""  # the working tree is the tip of main


@pytest.mark.parametrize("languages", [1, 3])
def test_one_language_and_more_than_two(tmp_path, languages):
    generated = generate(
        tmp_path / "repo", Config(policies=1, versions=2, languages=languages, size_kb=2)
    )
    project = load_project(load_settings(generated.config_file), generated.today)
    assert project.languages == ("ko", "en", "ja")[:languages]
    assert check(project) == []


def test_diff_pairs_have_the_promised_sizes():
    pairs = diff_pairs()
    assert set(pairs) == {"15kb", "1mb", "many_edits"}
    for name, (old, new) in pairs.items():
        assert old != new, name
    assert 12_000 < len(pairs["15kb"][0].encode()) < 20_000
    assert len(pairs["1mb"][0].encode()) >= 1024 * 1024


REQUIRED = {
    "pages",
    "redline_build_s",
    "plain_build_s",
    "build_ratio",
    "check_s",
    "history_s",
    "diff_15kb_ms",
    "diff_1mb_ms",
    "diff_many_edits_ms",
    "peak_rss_mb",
    "config",
    "budgets",
}


@pytest.mark.slow
def test_run_json_reports_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--tiny", "--double-v", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert not REQUIRED - set(report), REQUIRED - set(report)
    assert report["config"]["policies"] == 2 and report["config"]["versions"] == 3
    # 2 languages x (2 policies x (3 versions + 2 changes pages + policy + archive) + home)
    assert report["pages"] == 2 * (2 * (3 + 2 + 2) + 1)
    assert report["html_pages"] == report["plain_html_pages"] == report["pages"]
    assert report["check_findings"] == 0
    assert report["double_v"]["versions"] == [3, 6]
    assert report["budgets"]["apply"] is False
    for key in REQUIRED - {"config", "budgets"}:
        assert isinstance(report[key], int | float) and report[key] > 0, key


# --- what the measurements changed --------------------------------------------------------


def test_forked_workers_build_the_same_comparison_pages(tiny, project):
    from redline.site import build_site

    alone = build_site(project, tiny.today, {}, "x", workers=1)
    forked = build_site(project, tiny.today, {}, "x", workers=2)
    changes = [p for p in alone.pages if "/changes/" in p.src]
    assert len(changes) == TINY.policies * (TINY.versions - 1) * 2
    assert all("<ins>" in p.text or "<del>" in p.text for p in changes)
    assert forked.pages == alone.pages  # same pages, same order


def test_workers_only_for_large_sites_on_linux(monkeypatch):
    from redline import workers

    monkeypatch.delenv("REDLINE_WORKERS", raising=False)
    assert workers.default_workers(workers.PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(workers.sys, "platform", "darwin")
    assert workers.default_workers(10_000) == 1
    monkeypatch.setenv("REDLINE_WORKERS", "3")  # the user's choice wins
    assert workers.default_workers(1) == 3


def test_staging_goes_to_ram_only_with_room_to_spare(tmp_path, monkeypatch):
    from redline import staging

    ram = tmp_path / "shm"
    ram.mkdir()
    monkeypatch.setattr(staging, "RAM_DIR", ram)
    monkeypatch.delenv("TMPDIR", raising=False)
    assert staging.staging_root(1000) == ram
    free = staging.shutil.disk_usage(ram).free
    assert staging.staging_root(free) != ram  # would fill it: the temporary directory instead
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert staging.staging_root(1000) != ram  # an explicit TMPDIR wins
    monkeypatch.setattr(staging, "RAM_DIR", tmp_path / "missing")
    monkeypatch.delenv("TMPDIR")
    assert staging.staging_root(1000) != tmp_path / "missing"


def test_a_build_with_comparison_pages_computed_meanwhile_is_identical(tmp_path):
    """The hook's deferred comparison pages (forked worker + on_page_read_source) give the
    very same site as computing them up front."""
    from redline.site import PENDING_TEXT

    mid = generate(tmp_path / "mid", Config(policies=2, versions=14, languages=2, size_kb=4))
    sites, logs = {}, {}
    for workers in ("1", "2"):
        sites[workers] = tmp_path / f"site-{workers}"
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(sites[workers])],
            cwd=mid.path,
            env={**os.environ, "REDLINE_TODAY": mid.today.isoformat(), "REDLINE_WORKERS": workers},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        logs[workers] = result.stderr
    assert "computed meanwhile" in logs["2"] and "computed meanwhile" not in logs["1"]
    files = sorted(p.relative_to(sites["1"]) for p in sites["1"].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sites["2"]) for p in sites["2"].rglob("*") if p.is_file())
    changes = [f for f in files if "changes" in f.parts and f.name == "index.html"]
    assert len(changes) == 2 * 13 * 2
    for rel in files:
        assert (sites["1"] / rel).read_bytes() == (sites["2"] / rel).read_bytes(), rel
    marker = PENDING_TEXT.strip().removeprefix("<!-- ").removesuffix(" -->")
    assert not [f for f in changes if marker in (sites["2"] / f).read_text(encoding="utf-8")]
