"""The git history of the policies, read once: when each file was last published.

One `git log` pass over the default branch's first-parent history (merges shown against
their first parent, so a merged pull request counts on the day it was merged), plus one
`git diff` and one `git ls-files` for what is not on that branch yet (pull-request commits
and the working tree), which counts as announced today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import git

from .findings import CannotRun, Finding

FETCH_FIX = (
    "fetch the full history: `git fetch --unshallow`, or in GitHub Actions "
    "`actions/checkout` with `fetch-depth: 0`"
)
BRANCH_CANDIDATES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


@dataclass(frozen=True)
class Change:
    """A commit on the published branch that touched a file under docs_dir."""

    commit: str
    day: date
    status: str  # A, M, D or R (the new path of a rename)
    path: str
    blob: str | None = None  # the file's git blob after the change; None once deleted
    old_path: str | None = None


@dataclass
class History:
    today: date
    branch: str | None  # the ref whose first-parent history counts as published
    base: str | None = None  # set in pull-request mode (--base)
    changes: dict[str, list[Change]] = field(default_factory=dict)  # by path, oldest first
    pending: dict[str, str] = field(default_factory=dict)  # path -> A/M/D, not on the branch yet
    published: set[str] = field(default_factory=set)  # files under docs_dir at the branch tip
    site_prefix: str = ""  # the site's folder relative to the top of the repository, "x/" or ""

    def announced(self, path: str) -> date:
        """The day the file's current text became public: its last published change, or today."""
        if path in self.pending or not self.changes.get(path):
            return self.today
        return self.changes[path][-1].day

    def first_published(self, path: str) -> Change | None:
        changes = self.changes.get(path)
        return changes[0] if changes else None


def _r6(path: str, message: str, fix: str) -> CannotRun:
    return CannotRun(Finding("R6", path, message, fix))


def open_repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise _r6(
            str(root),
            "this folder is not in a git repository, so no version has an announcement date",
            "run inside a clone of the site's repository (git clone, not a downloaded archive); "
            + FETCH_FIX,
        ) from None
    except git.GitCommandNotFound:
        raise _r6(str(root), "git is not installed", "install git") from None


def resolve_branch(repo: git.Repo, wanted: str | None) -> str | None:
    candidates = (wanted,) if wanted else BRANCH_CANDIDATES
    for ref in candidates:
        try:
            repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
            return ref
        except git.GitCommandError:
            continue
    if wanted:
        raise _r6(
            wanted,
            f"`{wanted}` is not a branch or commit in this repository",
            "name an existing ref, e.g. `--base origin/main`; " + FETCH_FIX,
        )
    try:
        repo.git.rev_parse("--verify", "--quiet", "HEAD^{commit}")
        return "HEAD"
    except git.GitCommandError:
        return None  # a repository without commits: everything is new


def _day(timestamp: str, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(int(timestamp), tz).date()


def _parse_log(out: str, tz: ZoneInfo, strip: str) -> dict[str, list[Change]]:
    changes: dict[str, list[Change]] = {}
    for record in out.split("\x1e"):
        if not record.strip():
            continue
        header, _, body = record.partition("\n")
        commit, _, stamp = header.partition("\x1f")
        day = _day(stamp, tz)
        for line in body.splitlines():
            # --raw: ":100644 100644 <old blob> <new blob> <status>\t<path>[\t<new path>]"
            meta, *paths = line.split("\t")
            fields = meta.split()
            if not paths or len(fields) < 5:
                continue
            status = fields[4][0]
            blob = None if set(fields[3]) == {"0"} else fields[3]
            if status == "R" and len(paths) == 2:
                old, new = paths[0][len(strip) :], paths[1][len(strip) :]
                changes.setdefault(old, []).append(Change(commit, day, "D", old))
                changes.setdefault(new, []).append(Change(commit, day, "R", new, blob, old))
            else:
                path = paths[-1][len(strip) :]
                changes.setdefault(path, []).append(Change(commit, day, status, path, blob))
    return changes


def read_history(
    root: Path,
    docs_dir: Path,
    tz: ZoneInfo,
    today: date,
    base: str | None = None,
    branch: str | None = None,
) -> History:
    """Everything the rules need from git, in three commands whatever the size of the history."""
    repo = open_repo(root)
    top = Path(repo.working_tree_dir or root).resolve()
    if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
        raise _r6(
            str(root),
            "the git history is shallow, so announcement dates cannot be known",
            FETCH_FIX,
        )
    prefix = root.resolve().relative_to(top).as_posix()
    strip = "" if prefix == "." else prefix + "/"
    if not docs_dir.resolve().is_relative_to(top):
        raise _r6(
            str(docs_dir),
            f"docs_dir is outside the git repository ({top}), so its history is unknown",
            "keep docs_dir (mkdocs.yml) inside the repository, e.g. `docs_dir: policies`",
        )
    docs = docs_dir.resolve().relative_to(top).as_posix()
    ref = resolve_branch(repo, base or branch)
    history = History(today=today, branch=ref, base=base, site_prefix=strip)
    g = repo.git
    quoted = ("-c", "core.quotepath=off")
    if ref:
        out = g.execute(
            [
                "git",
                *quoted,
                "log",
                "--first-parent",
                "--diff-merges=first-parent",
                "--reverse",
                "--raw",
                "--no-abbrev",
                "-M",
                "--format=%x1e%H%x1f%ct",
                ref,
                "--",
                docs,
            ]
        )
        history.changes = _parse_log(out, tz, strip)
        tracked = g.execute(["git", *quoted, "ls-tree", "-r", "--name-only", ref, "--", docs])
        history.published = {p[len(strip) :] for p in tracked.splitlines() if p}
        # Compare with where this branch left the published one: on a branch that is behind,
        # what the published branch gained since is not this branch's doing.
        try:
            fork = g.execute(["git", "merge-base", ref, "HEAD"]).strip()
        except git.GitCommandError:
            fork = ref
        diff = g.execute(
            ["git", *quoted, "diff", "--no-renames", "--name-status", fork, "--", docs]
        )
        for line in diff.splitlines():
            status, _, path = line.partition("\t")
            history.pending[path[len(strip) :]] = status[0]
    untracked = g.execute(
        ["git", *quoted, "ls-files", "--others", "--exclude-standard", "--", docs]
    )
    if not ref:
        untracked += "\n" + g.execute(["git", *quoted, "ls-files", "--", docs])
    for path in untracked.splitlines():
        if path:
            history.pending[path[len(strip) :]] = "A"
    return history
