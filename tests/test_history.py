"""What git says about the published branch, tried on real repositories with back-dated
commits: every date checked against the commit it follows, and git run once per fact."""

from __future__ import annotations

import json

from clikit import run


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
