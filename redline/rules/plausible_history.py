"""R6 (the part read from the model): the published branch's dates can prove announcements.
The rest of R6 (no repository, a shallow clone) stops the run while the history is read."""

from __future__ import annotations

from ..findings import Finding
from ..model import Project
from .common import fmt


def r6_plausible_history(project: Project) -> list[Finding]:
    """R6: the published history's dates can prove announcements: no commit dated in the
    future, none earlier than the commit before it on the branch."""
    if project.ledger is not None:
        return []  # the ledger dates announcements by when they went live, not by commits
    out = []
    branch = project.history.branch or "HEAD"
    for c in project.history.implausible:
        when = (
            "in the future"
            if c.why == "future"
            else f"earlier than the commit before it on {branch} ({fmt(c.parent_day)})"
        )
        out.append(
            Finding(
                "R6",
                c.paths[0] if c.paths else ".",
                f"commit {c.commit[:10]} on {branch} is dated {fmt(c.day)}, {when}: a date that "
                "cannot be true proves no announcement, so no version it touched can be dated",
                "commit dates come from the committer's clock: re-create the commit with the "
                "true date before it is merged (`git commit --amend --no-edit` or a rebase "
                "dates it now); on a branch that is already published, publish with the "
                "site's ledger (`--published`), which dates announcements by when they went live",
            )
        )
    return out
