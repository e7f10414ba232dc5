"""What git says about the published branch, tried on real repositories with back-dated
commits: every date checked against the commit it follows, and git run once per fact."""

from __future__ import annotations

import json
import subprocess

from clikit import run

from redline import gitcmd


def test_a_back_dated_amendment_after_a_commit_outside_the_docs_proves_nothing(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01", "v1")
    site_repo.write("README.md", "notes\n")
    site_repo.commit("2024-06-28", "README only")
    # Later than the last change of a policy, but earlier than the commit it follows.
    site_repo.version("privacy", "2024-07-10", change="material", reason="r", extra="새 목적")
    site_repo.commit("2024-05-01", "back-dated")
    result = run(site_repo, "check", "--format", "json", today="2024-06-28")
    (finding,) = json.loads(result.out)["findings"]
    assert result.code == 1 and finding["rule"] == "R6", result.text
    assert "earlier than the commit before it on main (2024-06-28)" in finding["message"]
    assert finding["file"].startswith("policies/privacy/2024-07-10")


def test_a_sibling_folder_whose_name_starts_like_the_docs_folder_is_not_history(site_repo):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01", "v1")
    # `policiesprivacy/2024-03-01.md` is no file of the docs folder `policies`.
    site_repo.write("policiesprivacy/2024-03-01.md", "notes\n")
    site_repo.commit("2024-02-20", "a folder outside the docs folder")
    result = run(site_repo, "check", today="2024-06-28")
    assert result.code == 0, result.text


def test_a_pull_request_reads_each_file_of_the_base_settings_from_git_once(site_repo, monkeypatch):
    site_repo.version("privacy", "2024-03-01")
    site_repo.commit("2024-02-01", "v1")
    site_repo.git("checkout", "-q", "-b", "amend")
    site_repo.version("privacy", "2024-07-10", change="minor", reason="r", extra="개정")
    site_repo.commit("2024-06-01", "amendment")
    commands = []
    real = subprocess.run

    def counting(command, *args, **kwargs):
        commands.append(tuple(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(gitcmd.subprocess, "run", counting)
    result = run(site_repo, "check", "--base", "main", today="2024-06-01")
    assert result.code == 0, result.text
    shows = [c for c in commands if "show" in c]
    assert shows and len(shows) == len(set(shows)), shows
