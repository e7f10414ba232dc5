"""mkdocs.yml read once, the way MkDocs reads it: INHERIT and !ENV resolved, so that the
command line and the build judge with the same settings, languages and site names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from clikit import history, run
from sitekit import SiteRepo

from redline.config import load_settings


def _split(repo: SiteRepo) -> None:
    """Move the i18n plugin and extra.redline into base.yml, inherited by mkdocs.yml, with
    the site's name and the minor notice period taken from the environment."""
    config = repo.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    head, _, redline = text.partition("extra:\n")
    plugins_at = head.index("plugins:")
    hooks_at = head.index("hooks:")
    base = head[plugins_at:hooks_at] + "extra:\n" + redline
    base = base.replace(
        'timezone: "Asia/Seoul"',
        'timezone: "Asia/Seoul"\n    notice_days: {minor: !ENV [MINOR_DAYS, 7]}',
    )
    (repo.path / "base.yml").write_text(base, encoding="utf-8")
    child = head[:plugins_at] + head[hooks_at:]
    child = child.replace(
        "site_name: Example Policies", "site_name: !ENV [SITE_NAME, Example Policies]"
    )
    config.write_text("INHERIT: base.yml\n" + child, encoding="utf-8")


def test_inherit_and_env_are_resolved_as_mkdocs_does(site_repo, monkeypatch):
    repo = history(site_repo)
    _split(repo)
    monkeypatch.setenv("SITE_NAME", "솔바람 정책")
    monkeypatch.setenv("MINOR_DAYS", "40")
    settings = load_settings(repo.path / "mkdocs.yml")
    assert settings.languages == ("ko", "en")
    assert settings.site.site_names == {"ko": "솔바람 정책", "en": "솔바람 정책"}
    assert settings.notice_days["minor"] == 40  # typed as YAML types it
    assert [p.name for p in settings.site.config_files] == ["mkdocs.yml", "base.yml"]


def _build(repo: SiteRepo, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={**os.environ, **env, "REDLINE_TODAY": "2024-05-10", "NO_MKDOCS_2_WARNING": "1"},
    )


def test_the_command_line_and_the_build_judge_alike(site_repo):
    repo = history(site_repo)  # v2: minor, announced 2024-05-01, effective 2024-06-01
    _split(repo)
    repo.commit("2024-05-02")
    env = {"MINOR_DAYS": "40", "SITE_NAME": "Env Site"}
    result = run(repo, "check", "--format", "json", today="2024-05-10", env=env)
    assert result.code == 1  # 31 days of notice, 40 needed: the inherited, env-typed setting
    (finding,) = json.loads(result.out)["findings"]
    assert finding["rule"] == "R1" and "needs 40 days" in finding["message"]
    build = _build(repo, env)
    assert build.returncode == 1 and "needs 40 days" in build.stderr
    env["MINOR_DAYS"] = "7"
    assert run(repo, "check", today="2024-05-10", env=env).code == 0
    build = _build(repo, env)
    assert build.returncode == 0, build.stderr
    feed = (repo.path / "site/feed.xml").read_text(encoding="utf-8")
    assert "Env Site" in feed  # the build's site name, the one the command line reads too
